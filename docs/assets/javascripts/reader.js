/* Tables wider than the screen scroll inside Material's wrapper; a keyboard user must be able
   to focus that region to scroll it (WCAG 2.1.1, axe: scrollable-region-focusable). Runs on
   every page load and instant navigation, and again when the window is resized. */
(function () {
  function label(wrap) {
    var caption = wrap.querySelector("caption");
    return caption ? caption.textContent.trim() : "Table (scrolls sideways)";
  }

  function update() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", label(wrap));
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
  }

  function soon() {
    window.requestAnimationFrame(update);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(soon);
  } else {
    document.addEventListener("DOMContentLoaded", soon);
  }
  window.addEventListener("resize", soon);
})();

/* Material 9.8.1 sets the search share button's clipboard text from the link's previous href,
   refreshed on mousedown; a tap fires mousedown and click together, so a phone copied the query
   minus its last keystroke. Copy the current link, before clipboard.js reads the attribute. */
document.addEventListener("click", function (event) {
  var share = event.target.closest && event.target.closest('[data-md-component="search-share"]');
  if (share) share.setAttribute("data-clipboard-text", share.href);
}, true);
