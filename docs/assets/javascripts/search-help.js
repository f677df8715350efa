/* A search that finds nothing shows the "way on" of overrides/partials/search-help.html (other words to
   try, the main topics, help now) instead of a dead end; any other state of the search hides it. */
(function () {
  "use strict";

  function update() {
    var help = document.querySelector(".kb-search-help");
    var meta = document.querySelector(".md-search-result__meta");
    var input = document.querySelector("input.md-search__input");
    if (!help || !meta || !input) return;
    var none = meta.textContent.trim() === help.getAttribute("data-kb-none") && input.value.trim() !== "" &&
      !document.querySelector(".md-search-result__list > .md-search-result__item");
    if (help.hidden === none) help.hidden = !none;

    /* The words searched for, when search-query.js changed the reader's (a typo, another name). */
    var instead = document.querySelector(".kb-search-instead");
    var state = window.kbSearch;
    var changed = !none && state && state.query === input.value &&
      (state.corrected.length || state.aliased.length) ? state.rewritten : "";
    if (instead) {
      var words = instead.querySelector(".kb-search-instead__words");
      if (words && words.textContent !== changed) words.textContent = changed;
      if (instead.hidden === !!changed) instead.hidden = !changed;
    }
  }

  var observed = null;
  var observer = new MutationObserver(update);

  function attach() {
    var result = document.querySelector(".md-search-result");
    var instead = document.querySelector(".kb-search-instead");
    if (result && instead && instead.nextElementSibling !== result) result.parentNode.insertBefore(instead, result);
    if (result && result !== observed) {
      observer.disconnect();
      observer.observe(result.querySelector(".md-search-result__meta") || result,
                       {childList: true, subtree: true, characterData: true});
      observed = result;
    }
    update();
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(attach);
  } else {
    document.addEventListener("DOMContentLoaded", attach);
  }
  document.addEventListener("input", update, true);

  /* An example search runs in place (the link itself opens the home page with the search, without script). */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".kb-search-help a[href*='?q=']");
    var input = document.querySelector("input.md-search__input");
    if (!link || !input) return;
    var query = new URL(link.href, location.href).searchParams.get("q");
    if (!query) return;
    event.preventDefault();
    event.stopPropagation();  /* before Material's instant navigation (capture phase, below) */
    input.value = query;
    input.focus();
    input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true}));
  }, true);
})();
