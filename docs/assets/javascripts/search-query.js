/* Reader search: the query as a reader types it, rewritten into the words the pages use, just before
   Material's search worker sees it.

   Material 9.8.1 appends a wildcard to every query word ("addicted" becomes "addicted*"), which skips
   lunr's stemmer and finds only words that start with what was typed: "addicted" missed "addictive",
   "nightmares" missed "nightmare", "anesthetic" missed "anaesthetic", and a typo found nothing. Material
   has no hook for the query, so this wraps the worker's postMessage (Worker and the offline copy's
   iframe-worker shim alike) and changes only the query message:

   1. phrases and words readers use for what the pages call something else (ALIASES: brand names, slang,
      US and UK spellings the rules below do not cover);
   2. US and UK spellings cut to the part both share (randomized -> randomi, behavior -> behavio);
      a word no page has cut to its stem (addicted -> addict) when a word on the site starts with it;
   3. a misspelt word replaced by the closest word of the site's own text (sertaline -> sertraline),
      one letter off for words of 5 to 7 letters, two for longer ones.

   The site's words come from the search index Material hands to its worker (the setup message). Words
   with search syntax (+ - * ~ ^ :) pass unchanged. The result of the last rewrite is kept in
   window.kbSearch for the "no results" help (search-help.js). */
(function () {
  "use strict";

  var QUERY = 2;  /* Material's SearchMessageType: SETUP 0, READY 1, QUERY 2, RESULT 3 */
  var SETUP = 0;

  /* Lower-case phrase or word -> the words the pages use. Checked by tests/test_search_aliases.py:
     every replacement word is in the built search index. */
  var ALIASES = {
    "k hole": "dissociation", "k-hole": "dissociation", "khole": "dissociation",
    "special k": "ketamine", "vitamin k": "ketamine", "ket": "ketamine",
    "anesthetic": "anaesthetic", "anesthetics": "anaesthetic", "anesthesia": "anaesthesia",
    "anesthesiologist": "anaesthesia", "anesthetist": "anaesthesia",
    "psilocybin": "mdma", "psilocibin": "mdma", "psilocybe": "mdma", "mushrooms": "mdma",
    "shrooms": "mdma", "psychedelic": "mdma", "psychedelics": "mdma", "lsd": "mdma",
    "ayahuasca": "mdma", "molly": "mdma",
    "benzo": "benzodiazepines",
    "post traumatic": "ptsd", "ptst": "ptsd", "ptds": "ptsd", "cptsd": "ptsd",
    "c-ptsd": "ptsd",
    "vet": "veterans", "vets": "veterans", "army": "veterans",
    "soldier": "veterans", "soldiers": "veterans",
    "price": "cost", "expensive": "cost", "afford": "cost", "pay": "pay cost insurance",
    "pays": "pays funds", "paid": "cost",
    "pee": "bladder", "peeing": "bladder", "urinating": "bladder",
    "meds": "medicines", "med": "medicine", "tx": "treatment",
    "pregnant": "pregnancy", "mistake": "mistake error", "mistakes": "mistakes error",
    "husband": "husband partner", "wife": "wife partner", "spouse": "partner",
    "boyfriend": "partner", "girlfriend": "partner",
    "trip": "dissociation", "tripping": "dissociation"
  };

  /* Endings cut from a word (longest first) when what is left is 4 letters or more. */
  var ENDINGS = ["ations", "ation", "ions", "ion", "ings", "ing", "ies", "ied", "ives", "ive", "ed",
                 "ly", "es", "s"];
  var KEEP_ENDING = /(ss|us|is|ous|sis)$/;

  var words = [];  /* the site's words, sorted, for prefix and nearest-word lookups */
  var counts = {};

  function addWords(text) {
    var found = text.toLowerCase().replace(/<[^>]*>/g, " ").match(/[a-z][a-z0-9]+/g) || [];
    for (var i = 0; i < found.length; i++) counts[found[i]] = (counts[found[i]] || 0) + 1;
  }

  function learn(docs) {
    counts = {};
    for (var i = 0; i < docs.length; i++) addWords((docs[i].title || "") + " " + (docs[i].text || ""));
    words = Object.keys(counts).sort();
  }

  function hasPrefix(prefix) {
    var lo = 0, hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    return lo < words.length && words[lo].lastIndexOf(prefix, 0) === 0;
  }

  /* Edit distance with swaps of two neighbouring letters, given up once it exceeds max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], row, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          value = Math.min(value, prev2[j - 2] + 1);
        row.push(value);
        if (value < best) best = value;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  function nearest(word) {
    if (word.length < 5 || !words.length) return null;
    var max = word.length >= 8 ? 2 : 1;
    var best = null, bestDistance = max + 1;
    for (var i = 0; i < words.length; i++) {
      var candidate = words[i];
      if (candidate.length < 4) continue;
      var d = distance(word, candidate, max);
      if (d < bestDistance || (d === bestDistance && best && counts[candidate] > counts[best])) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= max ? best : null;
  }

  /* US and UK spellings that differ inside a word: cut to the part both share. */
  function commonRoot(word) {
    var m = /^(\w{3,}i)[sz](e|ed|es|ing|ation|ations)$/.exec(word);  /* randomized, randomised */
    if (m) return m[1];
    m = /^(\w{3,}o)u?r(s|al|ed|ing)?$/.exec(word);  /* behavior, behaviour */
    if (m && /^(behavio|colo|favo|hono|labo|neighbo|humo|rigo)$/.test(m[1])) return m[1];
    m = /^(\w{3,}e)ll(ed|ing|or|ors)$/.exec(word);  /* counseling, counselling */
    if (m) return m[1] + "l";
    m = /^(defen|licen|offen)[cs]e[sd]?$/.exec(word);  /* defense, defence */
    if (m) return m[1];
    return null;
  }

  function stem(word) {
    if (KEEP_ENDING.test(word)) return word;
    for (var i = 0; i < ENDINGS.length; i++) {
      var ending = ENDINGS[i];
      var cut = word.length - ending.length;
      if (cut >= 4 && word.slice(cut) === ending && hasPrefix(word.slice(0, cut))) return word.slice(0, cut);
    }
    return word;
  }

  function rewriteWord(word, state) {
    if (!/^[a-z][a-z0-9'-]*$/.test(word) || !words.length) return word;
    word = word.replace(/'/g, "");
    var root = commonRoot(word);
    if (root && hasPrefix(root)) return root;
    if (hasPrefix(word)) return word;
    var stemmed = stem(word);
    if (stemmed !== word) return stemmed;
    var close = nearest(word);
    if (close) {
      state.corrected.push([word, close]);
      return close;
    }
    state.unknown.push(word);
    return word;
  }

  function rewrite(query) {
    var state = {query: query, corrected: [], unknown: [], aliased: []};
    var text = " " + query.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[?!.,;]+/g, " ") + " ";
    var phrases = Object.keys(ALIASES).sort(function (a, b) { return b.length - a.length; });
    for (var i = 0; i < phrases.length; i++) {
      var phrase = " " + phrases[i] + " ";
      if (text.indexOf(phrase) !== -1) {
        state.aliased.push([phrases[i], ALIASES[phrases[i]]]);
        text = text.split(phrase).join(" \u0000" + i + " ");
      }
    }
    var out = [];
    var parts = text.trim().split(/\s+/);
    for (var j = 0; j < parts.length; j++) {
      var part = parts[j];
      if (!part) continue;
      if (part.charAt(0) === "\u0000") {
        out.push(ALIASES[phrases[+part.slice(1)]]);
      } else if (/[+*~^:]|^-/.test(part)) {
        out.push(part);
      } else {
        out.push(rewriteWord(part, state));
      }
    }
    state.rewritten = out.join(" ");
    window.kbSearch = state;
    return state.rewritten;
  }

  /* The site's words: from the setup message when this script runs before it, else from the index
     Material loads (the offline copy's __index, or search_index.json, which the browser has cached).
     They are counted when the reader first opens search, not while the page loads: counting every
     word of the index takes the main thread for tens of milliseconds on a phone. */
  var indexUrl = null;
  try {
    var config = JSON.parse(document.getElementById("__config").textContent);
    indexUrl = new URL(config.base.replace(/\/?$/, "/") + "search/search_index.json", location.href).href;
  } catch (error) {
    indexUrl = null;
  }
  var loading = false;
  var setupDocs = null;  /* the index of the setup message, counted on first use */

  function loadWords() {
    if (words.length || loading) return;
    if (setupDocs) {
      learn(setupDocs);
      setupDocs = null;
    } else if (window.__index && window.__index.docs) {
      learn(window.__index.docs);
    } else if (indexUrl && location.protocol !== "file:" && window.fetch) {
      loading = true;
      fetch(indexUrl, {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (data) { if (!words.length) learn(data.docs || []); })
        .catch(function () { loading = false; });
    }
  }

  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.matches && event.target.matches("input.md-search__input")) loadWords();
  });

  function wrap(proto) {
    if (!proto || proto.__kbSearchQuery) return;
    var post = proto.postMessage;
    proto.postMessage = function (message) {
      var args = Array.prototype.slice.call(arguments);
      try {
        if (message && message.type === SETUP && message.data && message.data.docs) {
          setupDocs = message.data.docs;
        } else if (message && message.type === QUERY && typeof message.data === "string") {
          loadWords();
          args[0] = {type: QUERY, data: rewrite(message.data)};
        }
      } catch (error) {
        /* The reader's own query still goes through. */
      }
      return post.apply(this, args);
    };
    proto.__kbSearchQuery = true;
  }

  if (typeof window.Worker === "function") wrap(window.Worker.prototype);
  /* The offline copy: Material's worker runs in the iframe-worker shim, which replaces window.Worker. */
  if (typeof window.IFrameWorker === "function") wrap(window.IFrameWorker.prototype);

  window.kbSearchRewrite = rewrite;
})();
