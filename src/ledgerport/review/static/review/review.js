// Invoice review: ← / → keys and horizontal swipes move between vouchers (htmx swaps the card).
(function () {
  function go(direction) {
    var card = document.querySelector("[data-testid=review-card]");
    if (!card) return;
    var url = card.dataset[direction];
    if (url && window.htmx) {
      htmx.ajax("GET", url, { target: "#review-card", swap: "innerHTML" });
      history.pushState({}, "", url);
    }
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
