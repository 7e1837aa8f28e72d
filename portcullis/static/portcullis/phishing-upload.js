// Drag-and-drop onto the report form: a dropped file goes into the file input, and the form
// is submitted as usual (the page works the same without JavaScript).
const zone = document.querySelector("[data-dropzone]");
if (zone) {
  const input = zone.querySelector('input[type="file"]');
  const hint = zone.querySelector("[data-dropzone-hint]");
  if (hint) hint.hidden = false;
  const on = (event) => { event.preventDefault(); zone.classList.add("pc-dropzone--over"); };
  const off = () => zone.classList.remove("pc-dropzone--over");
  zone.addEventListener("dragenter", on);
  zone.addEventListener("dragover", on);
  zone.addEventListener("dragleave", off);
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    off();
    const files = event.dataTransfer && event.dataTransfer.files;
    if (!input || !files || files.length === 0) return;
    input.files = files;
    zone.requestSubmit();
  });
}
