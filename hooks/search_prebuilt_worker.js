// Functions that hooks/search_prebuilt.py adds to Material 9.8.1's search worker, inside its module
// scope. They use the worker's own minified helpers: `ae` (tokenizer), `oe` and `q` (highlighters),
// and the global `lunr`. The patch anchors that call them are in PATCHES in search_prebuilt.py.

// Result groups (pages) highlighted exactly as Material does. The result list shows 10 groups, then 4
// more per scroll; groups past this many get a plain teaser, so that a first keystroke matching every
// page does not tokenize and highlight the whole site.
var kbShownInFull = 50;
var kbTeaserChars = 240;

// Fetch search/search_lunr.json (relative to the worker's URL) as soon as the worker starts, and load
// it at once, while the page is still fetching and parsing search_index.json; it is used only if it
// was built from the same entries and field boosts as the ones the page then sends.
var kbLoaded = new WeakMap();
var kbEarly = typeof fetch == "undefined" || typeof location == "undefined"
  ? Promise.resolve(undefined)
  : fetch(new URL("../../../search/search_lunr.json", location.href))
    .then((r) => (r.ok ? r.json() : undefined))
    .then((c) => { try { kbIndexOf(c); } catch (e) { return undefined; } return c; })
    .catch(() => undefined);

function kbLoad(docs, cfg) {
  return kbEarly.then((c) => (c && c.refs.length === docs.length
    && docs.every((d, i) => d.location === c.refs[i] && (d.boost || 1) === c.boosts[i])
    && c.fields.every((f, k) => ((cfg.fields[f] && cfg.fields[f].boost) || 1) === c.fieldBoosts[k]) ? c : undefined));
}

// The index the worker searches, marked on its global scope for tests and curious readers.
function kbUse(c) {
  self.kbSearchIndex = "search/search_lunr.json";
  return kbIndexOf(c);
}

// The lunr.Index of a compact index (loaded once per compact object).
function kbIndexOf(c) {
  if (!kbLoaded.has(c)) kbLoaded.set(c, lunr.Index.load(kbExpand(c)));
  return kbLoaded.get(c);
}

// Expand the compact form written by search_prebuilt.cjs into the JSON lunr.Index.load takes:
// {refs: locations of the entries, boosts: their boosts, fieldBoosts, version, fields, pipeline,
//  terms: [[term, termIndex, postings of field 0, of field 1, ...]]}, postings being
// [entry number (delta-coded), term frequency, ...].
// Field vectors are recomputed as lunr's builder does (BM25 with k1 = 1.2 and Material's b = 0,
// field and entry boosts, rounded to 3 decimals), terms in _index order so that each vector comes
// out sorted; all vectors share one Float64Array. Postings become objects only when a query reads
// them (getters): building an object keyed by location for every term up front made loading slow.
function kbExpand(c) {
  const refs = c.refs, N = refs.length, k1 = 1.2, F = c.fields, nf = F.length;
  const fieldBoost = c.fieldBoosts, docBoost = c.boosts;
  const terms = c.terms.slice().sort((a, b) => a[1] - b[1]);
  const count = new Int32Array(nf * N);  // vector length of field k of entry p at k * N + p
  for (const row of terms) {
    for (let k = 0; k < nf; k++) {
      const q = row[2 + k];
      for (let i = 0, p = 0; i < q.length; i += 2) { p += q[i]; count[k * N + p] += 2; }
    }
  }
  const start = new Int32Array(nf * N + 1);
  for (let i = 0; i < nf * N; i++) start[i + 1] = start[i] + count[i];
  const at = start.slice(0, nf * N), elements = new Float64Array(start[nf * N]);
  for (const row of terms) {
    const ix = row[1];
    let n = 0;
    for (let k = 0; k < nf; k++) n += row[2 + k].length / 2;
    const idf = Math.log(1 + Math.abs((N - n + 0.5) / (n + 0.5)));
    for (let k = 0; k < nf; k++) {
      const q = row[2 + k];
      for (let i = 0, p = 0; i < q.length; i += 2) {
        p += q[i];
        const tf = q[i + 1];
        let s = idf * ((k1 + 1) * tf) / (k1 + tf);
        s *= fieldBoost[k];
        s *= docBoost[p];
        const j = at[k * N + p];
        elements[j] = ix;
        elements[j + 1] = Math.round(s * 1e3) / 1e3;
        at[k * N + p] = j + 2;
      }
    }
  }
  const fieldVectors = new Array(nf * N);
  for (let k = 0; k < nf; k++) {
    for (let p = 0; p < N; p++) {
      const i = k * N + p;
      fieldVectors[i] = [F[k] + "/" + refs[p], elements.subarray(start[i], start[i + 1])];
    }
  }
  const invertedIndex = c.terms.map(([term, ix, ...postings]) => {
    const entry = { _index: ix };
    F.forEach((f, k) => Object.defineProperty(entry, f, {
      enumerable: true, configurable: true,
      get() {
        const found = {};
        for (let i = 0, p = 0; i < postings[k].length; i += 2) { p += postings[k][i]; found[refs[p]] = {}; }
        Object.defineProperty(entry, f, { value: found, enumerable: true });
        return found;
      },
    }));
    return [term, entry];
  });
  return { version: c.version, fields: F, pipeline: c.pipeline, fieldVectors, invertedIndex };
}

var kbPipeline, kbTerms = new Map();

// Tokenize one field of one entry as indexing did: its token table (for highlighting) goes into the
// worker's table `t`; returns each term's positions.
function kbTokens(t, location, field, value) {
  const key = [location, field].join(":");
  let positions = kbTerms.get(key);
  if (positions) return positions;
  lunr.tokenizer.table = [];
  const tokens = ae(value);
  t.set(key, lunr.tokenizer.table);
  positions = new Map();
  for (const token of kbPipeline.run(tokens)) {
    const s = token.toString();
    if (!positions.has(s)) positions.set(s, []);
    positions.get(s).push(token.metadata.position);
  }
  kbTerms.set(key, positions);
  return positions;
}

// Highlight one result's fields as Material's search() does (the loop PATCHES took out of it); a
// prebuilt index carries no token positions, so they are recomputed here for the results shown.
function kbHighlight(w, c, match) {
  for (const field of w.index.fields) {
    if (typeof c[field] == "undefined") continue;
    const positions = [];
    for (const [term, found] of Object.entries(match.metadata)) {
      if (typeof found[field] != "undefined") {
        positions.push(...(found[field].position || kbTokens(w.table, c.location, field, c[field]).get(term) || []));
      }
    }
    if (!positions.length) continue;
    const key = [c.location, field].join(":");
    if (!w.table.has(key)) kbTokens(w.table, c.location, field, c[field]);
    c[field] = (Array.isArray(c[field]) ? q : oe)(c[field], w.table.get(key), positions, field !== "text");
  }
}

// A short plain teaser: the first words of an entry's text, tags removed, cut at a space.
function kbTeaser(text) {
  if (typeof text != "string") return text;
  let out = "", i = 0, more = false;
  while (i < text.length) {
    if (out.length > kbTeaserChars) { more = true; break; }
    let j = text.indexOf("<", i);
    if (j < 0) j = text.length;
    if (j - i > kbTeaserChars + 1) { out += text.slice(i, i + kbTeaserChars + 1); more = true; break; }
    out += text.slice(i, j) + " ";
    const k = text.indexOf(">", j);
    i = k < 0 ? text.length : k + 1;
  }
  out = out.replace(/\s+/g, " ").trim();
  if (out.length > kbTeaserChars) {
    const space = out.lastIndexOf(" ", kbTeaserChars);
    out = out.slice(0, space > 0 ? space : kbTeaserChars).replace(/&[^;\s]*$/, "");
    more = true;
  }
  return out && "<p>" + out + (more ? "\u2026" : "") + "</p>";
}

// Matches of the current query by location, set in search() instead of highlighting at once.
var kbMatches = new Map();

// Once results are ranked and grouped: highlight the first kbShownInFull groups, teasers after.
// Sections no longer carry their page (`parent`, with its text): only the worker uses it, and it
// was a third of the bytes copied to the page.
function kbFinish(w, groups) {
  groups.forEach((items, k) => {
    for (const c of items) {
      delete c.parent;
      const match = kbMatches.get(c.location);
      if (k < kbShownInFull) { if (match) kbHighlight(w, c, match); } else c.text = kbTeaser(c.text);
    }
  });
  kbMatches.clear();
  return groups;
}
