import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

// HTMX swaps in new markup: start GOV.UK components inside it too.
document.body.addEventListener("htmx:afterSwap", (event) => initAll({ scope: event.target }));

// Buttons marked data-print print the page (used for recovery codes).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
