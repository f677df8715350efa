/*
 * Crisis help first in search. When the words typed into the search box are about a crisis (suicide,
 * self-harm, an overdose, an emergency number...), the crisis box of the search dialog (rendered from
 * data/crisis.yml by overrides/partials/search.html, hidden until needed) shows above any result.
 * Reads the box on every change, so it keeps working across Material's instant navigation.
 */
(function () {
  "use strict";

  var CRISIS = new RegExp([
    "suicid", "kill(ing)? my ?self", "end(ing)? (my|it) (life|all)", "take my (own )?life", "want(ed)? to die",
    "don'?t want to (live|be here)", "no reason to live", "better off dead", "self[- ]?harm", "harm(ing)? my ?self",
    "hurt(ing)? my ?self", "overdos", "crisis", "emergenc", "help ?now", "get help", "urgent help",
    "samaritan", "lifeline", "hotline", "helpline", "breathing space", "\\bshout\\b",
    "\\b(988|911|999|112|111|85258|838255)\\b", "116 ?123"
  ].join("|"), "i");

  function isCrisis(query) {
    return CRISIS.test(query.replace(/\s+/g, " "));
  }

  function update(input) {
    var box = document.getElementById("kb-search-crisis");
    if (!box) return;
    var show = isCrisis(input.value || "");
    if (box.hidden === show) box.hidden = !show;
  }

  function onChange(event) {
    var target = event.target;
    if (target && target.matches && target.matches("input.md-search__input")) update(target);
  }

  ["input", "keyup", "focusin", "change"].forEach(function (type) {
    document.addEventListener(type, onChange, true);
  });

  // A shared search link (?q=...) fills the box without a key press.
  function fromPage() {
    var input = document.querySelector("input.md-search__input");
    if (input) update(input);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fromPage);
  } else {
    fromPage();
  }
  window.addEventListener("load", function () { setTimeout(fromPage, 0); });
})();
