/* Glossary terms and note markers explain themselves: hovering, focusing or tapping a term shows its
   definition, and a note marker shows the source it points to, in one tooltip beside it.

   Nothing is set up per term while the page loads: a handful of listeners on the document find the
   term under the pointer or the focus, and one tooltip element is made on first use and reused.
   (Material's own tooltips set up every term, note marker and titled link at load, which held a
   phone's main thread for over a second on pages with 60 or more notes.)

   WCAG 1.4.13: the tooltip stays while its term is hovered or focused, the pointer can move onto it,
   and Escape closes it without moving the pointer or the focus. The term's title becomes the
   tooltip's text (so the browser's own tooltip does not show too) and the term is described by the
   tooltip while it shows. */
(function () {
  "use strict";

  var TERMS = ".md-content abbr[title], .md-content abbr[data-kb-title], .md-content a.footnote-ref";
  var GAP = 6;      /* px between the term and the tooltip */
  var MARGIN = 8;   /* px kept free at the edges of the window */
  var LINGER = 300; /* ms the tooltip stays after the pointer leaves, to reach it */

  var tip = null;
  var inner = null;
  var shownFor = null;
  var timer = 0;

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "kb-tooltip";
      tip.className = "kb-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      inner = document.createElement("div");
      inner.className = "kb-tooltip__inner";
      tip.appendChild(inner);
      document.body.appendChild(tip);
    }
    return tip;
  }

  /* A term's definition, or the text of the note a marker points to (without its back-links). */
  function explanation(term) {
    if (term.tagName === "ABBR") {
      if (term.hasAttribute("title")) {
        term.setAttribute("data-kb-title", term.getAttribute("title"));
        term.removeAttribute("title");
      }
      return term.getAttribute("data-kb-title");
    }
    var id = term.hash ? term.hash.slice(1) : "";
    var note = null;
    try {
      note = id && document.getElementById(decodeURIComponent(id));
    } catch (error) {
      note = null;
    }
    if (!note) return "";
    var copy = note.cloneNode(true);
    var links = copy.querySelectorAll(".footnote-backref");
    for (var i = 0; i < links.length; i++) links[i].remove();
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /* Below the term, or above it when there is no room below; never past the window's edges. */
  function place(term) {
    var box = term.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    tip.style.left = "0px";
    tip.style.top = "0px";
    var own = tip.getBoundingClientRect();
    var left = Math.max(MARGIN, Math.min(box.left + box.width / 2 - own.width / 2, width - own.width - MARGIN));
    var top = box.bottom + GAP;
    if (top + own.height > window.innerHeight && box.top - GAP - own.height > 0) top = box.top - GAP - own.height;
    tip.style.left = Math.round(left + window.scrollX) + "px";
    tip.style.top = Math.round(top + window.scrollY) + "px";
  }

  function show(term) {
    window.clearTimeout(timer);
    if (term === shownFor) return;
    var text = explanation(term);
    if (!text) return;
    hide();
    tooltip();
    inner.textContent = text;
    tip.hidden = false;
    place(term);
    term.setAttribute("aria-describedby", tip.id);
    shownFor = term;
  }

  function hide() {
    window.clearTimeout(timer);
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = null;
    if (tip) tip.hidden = true;
  }

  function hideSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(hide, LINGER);
  }

  function termOf(node) {
    return node && node.closest ? node.closest(TERMS) : null;
  }

  document.addEventListener("mouseover", function (event) {
    var term = termOf(event.target);
    if (term) show(term);
    else if (tip && tip.contains(event.target)) window.clearTimeout(timer);
  });
  document.addEventListener("mouseout", function (event) {
    var from = termOf(event.target) || (tip && tip.contains(event.target) ? tip : null);
    if (!from || from.contains(event.relatedTarget)) return;
    if (shownFor && shownFor === document.activeElement) return;
    hideSoon();
  });
  document.addEventListener("focusin", function (event) {
    var term = termOf(event.target);
    if (term) show(term);
    else hide();
  });
  document.addEventListener("focusout", function (event) {
    if (termOf(event.target)) hideSoon();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shownFor) hide();
  });
  /* A marker's link leads to its note: the tooltip would be left behind. */
  document.addEventListener("click", function (event) {
    var term = termOf(event.target);
    if (term && term.tagName === "A") hide();
  });
  window.addEventListener("resize", hide);
  if (typeof document$ !== "undefined") document$.subscribe(hide);
})();
