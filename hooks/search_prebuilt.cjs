// Build Material's lunr search index once, at build time, with Material's own (patched) worker code.
//
//   node hooks/search_prebuilt.cjs WORKER_JS SEARCH_INDEX_JSON OUT_JSON
//
// WORKER_JS is the worker written by hooks/search_prebuilt.py (Material's worker plus a message
// that serialises its index). Running the very code the browser runs guarantees that the tokenizer,
// separator, pipeline, field boosts and token positions in the prebuilt index match what the
// browser's worker expects when it loads the index and highlights results.
// Writes a compact form of the lunr.Index JSON that the patched worker expands (kbExpand):
//   {refs: locations of the entries, boosts: their boosts, fieldBoosts, version, fields, pipeline,
//    terms: [[term, termIndex, postings of field 0, of field 1, ...]]}
// where postings are [entry number (delta-coded), term frequency, ...]. Entries are numbered in the
// order of search_index.json's docs; the worker loads the index as soon as it has fetched this file
// and uses it once the page sends docs with the same locations and boosts. Token positions are left
// out (the worker recomputes them for the results it shows), and so are lunr's field vectors: the
// worker recomputes each term weight from the frequencies with lunr's BM25 formula (Material sets
// b = 0). Before writing, this script loads the compact index back through the worker and checks
// that every weight is identical, or fails.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [workerPath, indexPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node search_prebuilt.cjs WORKER_JS SEARCH_INDEX_JSON OUT_JSON");
  process.exit(2);
}

let handler;
let pending;
globalThis.self = globalThis;
globalThis.addEventListener = (type, fn) => { if (type === "message") handler = fn; };
globalThis.postMessage = (message) => { const resolve = pending; pending = undefined; resolve(message); };
vm.runInThisContext(fs.readFileSync(workerPath, "utf8"), { filename: workerPath });

function compact(index, docs, config) {
  const number = new Map(docs.map((doc, i) => [doc.location, i]));
  const terms = index.invertedIndex.map(([term, posting]) => {
    const row = [term, posting._index];
    for (const field of index.fields) {
      const found = posting[field] || {};
      let previous = 0;
      const pairs = [];
      for (const [n, ref] of Object.keys(found).map((r) => [number.get(r), r]).sort((a, b) => a[0] - b[0])) {
        pairs.push(n - previous, found[ref].position.length);  // entry (delta-coded), term frequency
        previous = n;
      }
      row.push(pairs);
    }
    return row;
  });
  return {
    refs: docs.map((doc) => doc.location), boosts: docs.map((doc) => doc.boost || 1),
    fieldBoosts: index.fields.map((f) => (config.fields[f] && config.fields[f].boost) || 1),
    version: index.version, fields: index.fields, pipeline: index.pipeline, terms,
  };
}

// Vectors as text: arrays from lunr's builder, Float64Array views from the compact index.
const vector = (v) => Array.from(v).join(",");

function sameVectors(a, b) {
  const left = new Map(a.fieldVectors.map(([ref, v]) => [ref, vector(v)]));
  return a.fieldVectors.length === b.fieldVectors.length
    && b.fieldVectors.every(([ref, v]) => left.get(ref) === vector(v));
}

const send = (message) => new Promise((resolve) => { pending = resolve; handler({ data: message }); });

(async () => {
  const data = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  const ready = await send({ type: 0, data: { config: data.config, docs: data.docs, options: {}, index: null } });
  if (ready.type !== 1) throw new Error("worker did not finish setting up");
  const built = (await send({ type: 99 })).data;
  const small = compact(built, data.docs, data.config);
  // Load the compact index the way browsers will, and check it scores exactly like the one built.
  await send({ type: 0, data: { config: data.config, docs: data.docs, options: {}, index: small } });
  const loaded = (await send({ type: 99 })).data;
  if (!sameVectors(built, loaded)) throw new Error("term weights recomputed from the compact index differ");
  fs.writeFileSync(outPath, JSON.stringify(small));
})().catch((error) => {
  console.error(String(error && error.stack || error));
  process.exit(1);
});
