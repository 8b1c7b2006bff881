// Invoice review: ← / → keys and horizontal swipes move between vouchers (htmx swaps the card).
(function () {
  // Follow the card's own ← / → link: htmx swaps the card and pushes the address into its
  // history, so the browser's back button restores the previous voucher too.
  function go(direction) {
    var link = document.querySelector("#review-card a[rel=" + direction + "]");
    if (link) link.click();
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    if (event.key === "ArrowLeft") go("prev");
    if (event.key === "ArrowRight") go("next");
  });
  var startX = null, startY = null;
  document.addEventListener("touchstart", function (event) {
    if (!event.target.closest("#review-card")) return;
    startX = event.touches[0].clientX; startY = event.touches[0].clientY;
  }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (startX === null) return;
    var dx = event.changedTouches[0].clientX - startX, dy = event.changedTouches[0].clientY - startY;
    startX = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) go(dx < 0 ? "next" : "prev");
  }, { passive: true });
})();
