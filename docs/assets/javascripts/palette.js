/* The light and dark toggle in the header. The stored choice is already applied before the content
   is drawn (partials/javascripts/palette.html, which defines __kb_palette); this only switches when
   the reader asks, remembers the choice for every page, and follows the system while the choice is
   "follow the system".

   It replaces Material's palette component, which applied the palette again on every page load and
   made the browser restyle the whole page three more times (a third of the main-thread time of a
   page load on a phone). It keeps Material's behaviour: a click (or Enter) moves to the next option,
   the choice is stored as Material stored it (so a choice made before carries over), colour
   transitions are off while the palette switches, and the browser's toolbar takes the header's colour. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-kb-palette]");
  if (!form || typeof window.__kb_palette !== "function") return;
  var inputs = form.querySelectorAll("input");
  var system = window.matchMedia("(prefers-color-scheme: light)");

  /* The toolbar colour of phone browsers: the header's background, as Material set it. */
  function themeColor() {
    var header = document.querySelector("header.md-header");
    var rgb = header && getComputedStyle(header).backgroundColor.match(/\d+/g);
    if (!rgb) return;
    var meta = document.querySelector('meta[name="theme-color"]');
    if (!meta) {
      meta = document.createElement("meta");
      meta.name = "theme-color";
      document.head.appendChild(meta);
    }
    meta.content = "#" + rgb.slice(0, 3).map(function (c) {
      return ("0" + Number(c).toString(16)).slice(-2);
    }).join("");
  }

  function apply(index, remember) {
    document.body.setAttribute("data-md-color-switching", "");
    var color = window.__kb_palette(index);
    if (remember && color) window.__md_set("__palette", { index: index, color: color });
    requestAnimationFrame(function () {
      document.body.removeAttribute("data-md-color-switching");
      themeColor();
    });
  }

  form.addEventListener("change", function (event) {
    var index = Array.prototype.indexOf.call(inputs, event.target);
    if (index >= 0) apply(index, true);
  });

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    var next = inputs[(window.__kb_palette.index + 1) % inputs.length];
    next.click();
    next.focus();
  });

  system.addEventListener("change", function () {
    var current = inputs[window.__kb_palette.index];
    if (current && current.getAttribute("data-md-color-media") === "(prefers-color-scheme)") {
      apply(window.__kb_palette.index, false);
    }
  });

  /* Once the page is drawn, when reading the header's colour costs nothing. */
  if (document.readyState === "complete") setTimeout(themeColor, 0);
  else window.addEventListener("load", function () { setTimeout(themeColor, 0); });
})();
