/* Glossary and note tooltips close with Escape (WCAG 1.4.13: dismissible without moving the
   pointer or focus). Material shows a tooltip while its term is hovered or focused and has no
   key to close it, so Escape hides every tooltip (data-kb-tooltips="hidden" on the root; see
   extra.css) until a term or note marker is hovered or focused again. */
(function () {
  var root = document.documentElement;
  var TRIGGERS = "abbr[title], abbr[aria-describedby], .footnote-ref, [aria-haspopup='dialog']";

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.querySelector(".md-tooltip2--active")) {
      root.setAttribute("data-kb-tooltips", "hidden");
    }
  });

  function show(event) {
    if (root.hasAttribute("data-kb-tooltips") && event.target.closest && event.target.closest(TRIGGERS)) {
      root.removeAttribute("data-kb-tooltips");
    }
  }
  document.addEventListener("mouseover", show);
  document.addEventListener("focusin", show);
})();
