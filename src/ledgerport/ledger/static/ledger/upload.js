// Drag and drop onto the SIE upload's drop zone; the plain file input still works without it.
(function () {
  function bind(zone) {
    if (zone.dataset.bound) return;
    zone.dataset.bound = "1";
    var input = zone.querySelector("input[type=file]");
    var form = zone.closest("form");
    var name = zone.querySelector("[data-file-name]");
    var tooBig = form.querySelector("[data-too-big]");
    var max = parseInt(form.dataset.maxBytes || "0", 10);
    function show() {
      var file = input.files && input.files[0];
      if (name) name.textContent = file ? file.name : "";
      var refuse = !!(file && max && file.size > max);
      if (tooBig) tooBig.hidden = !refuse;
      return !refuse;
    }
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
    input.addEventListener("change", show);
    form.addEventListener("submit", function (event) { if (!show()) event.preventDefault(); });
    form.addEventListener("htmx:confirm", function (event) { if (!show()) event.preventDefault(); });
  }
  function init() { document.querySelectorAll("[data-dropzone]").forEach(bind); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
