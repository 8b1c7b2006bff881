// The archive's upload form: files dropped on <form data-dropzone> are sent as if chosen in
// its file input. Without JavaScript the plain file input works the same.
(function () {
  function zone(event) {
    return event.target.closest ? event.target.closest("[data-dropzone]") : null;
  }
  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = zone(event);
      if (!form) return;
      event.preventDefault();
      form.classList.add("dragging");
    });
  });
  document.addEventListener("dragleave", function (event) {
    var form = zone(event);
    if (form) form.classList.remove("dragging");
  });
  document.addEventListener("drop", function (event) {
    var form = zone(event);
    if (!form || !event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    form.classList.remove("dragging");
    var input = form.querySelector("input[type=file]");
    input.files = event.dataTransfer.files;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  });
})();
