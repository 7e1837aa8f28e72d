import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

// HTMX swaps in new markup: start GOV.UK components inside it too.
document.body.addEventListener("htmx:afterSwap", (event) => initAll({ scope: event.target }));

// Buttons marked data-print print the page (used for recovery codes).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});

// Wide tables scroll inside their own box, so the page is never wider than a phone's screen.
// The box is a labelled region a keyboard can focus and scroll (without JavaScript, app.css
// makes the table itself scroll).
function contain(scope) {
  scope.querySelectorAll("table.govuk-table:not(.govuk-visually-hidden)").forEach((table) => {
    if (table.parentElement.classList.contains("pc-table-scroll")) return;
    const box = document.createElement("div");
    box.className = "pc-table-scroll";
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    const caption = table.caption && table.caption.textContent.trim();
    box.setAttribute("aria-label", caption || table.getAttribute("aria-label") || "Table");
    table.replaceWith(box);
    box.appendChild(table);
  });
}
contain(document);
document.body.addEventListener("htmx:afterSwap", (event) => contain(event.target));
