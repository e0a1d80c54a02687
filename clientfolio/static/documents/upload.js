// The upload page's drop zone: files dropped on it go into the form's file input, and
// their names are listed; the form then posts them like chosen files.

const zone = document.getElementById("dropzone");
const input = document.getElementById("id_files");
const list = document.getElementById("dropzone-list");

function showNames() {
  const names = Array.from(input.files).map((file) => file.name);
  list.textContent = names.length ? names.join(", ") : zone.dataset.empty;
}

if (zone && input) {
  ["dragenter", "dragover"].forEach((type) =>
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("cf-dropzone-active");
    }),
  );
  ["dragleave", "drop"].forEach((type) =>
    zone.addEventListener(type, () => zone.classList.remove("cf-dropzone-active")),
  );
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      showNames();
    }
  });
  input.addEventListener("change", showNames);
  zone.dataset.ready = "true"; // the handlers are in place (tests wait for this)
}
