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

  // A swipe is one finger, mostly sideways, on the card at 1:1. A second finger makes it a
  // pinch (or a two-finger pan) until every finger is up; once zoomed in, a drag pans the page.
  // The browser's own sideways gestures (history back) are off on the card: app.css
  // `touch-action`, which keeps vertical scrolling and pinch zoom.
  function zoomed() {
    return window.visualViewport && window.visualViewport.scale > 1.01;
  }
  function scrollsSideways(element) {
    var box = element.closest(".table-scroll");
    return box && box.scrollWidth > box.clientWidth;
  }
  var start = null;
  document.addEventListener("touchstart", function (event) {
    start = null;
    if (event.touches.length !== 1 || zoomed()) return;
    var target = event.target;
    if (!target.closest || !target.closest("#review-card")) return;
    if (target.closest("input, textarea, select") || scrollsSideways(target)) return;
    start = { x: event.touches[0].clientX, y: event.touches[0].clientY };
  }, { passive: true });
  document.addEventListener("touchcancel", function () { start = null; }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (start === null || event.touches.length) return;
    var touch = event.changedTouches[0];
    var dx = touch.clientX - start.x, dy = touch.clientY - start.y;
    start = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) go(dx < 0 ? "next" : "prev");
  }, { passive: true });
})();
