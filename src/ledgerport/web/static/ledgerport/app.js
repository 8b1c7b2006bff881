// Page behaviours bound by data attributes, so no template needs inline script (the
// Content-Security-Policy allows scripts from our own origin only). Delegated on document,
// so content htmx swaps in later works too.
(function () {
  // <select data-autosubmit>: choosing an option sends its form.
  // <select data-navigate>: the chosen option's value is the address to open.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement)) return;
    if (select.hasAttribute("data-navigate")) {
      window.location = select.value;
    } else if (select.hasAttribute("data-autosubmit") && select.form) {
      if (select.form.requestSubmit) select.form.requestSubmit();
      else select.form.submit();
    }
  });

  // <button data-copy="ID" data-copied="text">: copy the value of #ID, then say so.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (source && navigator.clipboard) navigator.clipboard.writeText(source.value);
    if (button.hasAttribute("data-copied")) button.textContent = button.getAttribute("data-copied");
  });

  // hx-* element with data-show-dialog="ID": open <dialog id=ID> once its request has answered.
  document.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail && event.detail.elt;
    var id = element && element.getAttribute && element.getAttribute("data-show-dialog");
    var dialog = id && document.getElementById(id);
    if (dialog && !dialog.open) dialog.showModal();
  });
})();
