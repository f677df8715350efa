// Build Material's lunr search index once, at build time, with Material's own (patched) worker code.
//
//   node hooks/search_prebuilt.cjs WORKER_JS SEARCH_INDEX_JSON OUT_JSON
//
// WORKER_JS is the worker written by hooks/search_prebuilt.py (Material's worker plus a message
// that serialises its index). Running the very code the browser runs guarantees that the tokenizer,
// separator, pipeline, field boosts and token positions in the prebuilt index match what the
// browser's worker expects when it loads the index and highlights results.
// Writes a compact form of the lunr.Index JSON that the patched worker expands (kbExpand):
//   {docs: number of search entries, version, fields, pipeline,
//    terms: [[term, termIndex, postings of field 0, of field 1, ...]]  (postings: delta-coded entry numbers),
//    vectors: [[field number, entry number, [termIndex, weight, ...]]]}
// Entries are numbered in the order of search_index.json's docs, which the browser sends the worker
// too, so references need no strings. Token positions are left out: the worker recomputes them for
// the results it shows (kbPositions), which keeps the file about a tenth of lunr's own JSON.
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

function compact(index, docs) {
  const number = new Map(docs.map((doc, i) => [doc.location, i]));
  const terms = index.invertedIndex.map(([term, posting]) => {
    const row = [term, posting._index];
    for (const field of index.fields) {
      let previous = 0;
      const numbers = Object.keys(posting[field] || {}).map((ref) => number.get(ref)).sort((a, b) => a - b);
      row.push(numbers.map((n) => { const delta = n - previous; previous = n; return delta; }));
    }
    return row;
  });
  const vectors = index.fieldVectors.map(([key, elements]) => {
    const slash = key.indexOf("/");
    return [index.fields.indexOf(key.slice(0, slash)), number.get(key.slice(slash + 1)),
      elements];
  });
  return { docs: docs.length, version: index.version, fields: index.fields, pipeline: index.pipeline, terms, vectors };
}

const send = (message) => new Promise((resolve) => { pending = resolve; handler({ data: message }); });

(async () => {
  const data = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  const ready = await send({ type: 0, data: { config: data.config, docs: data.docs, options: {}, index: null } });
  if (ready.type !== 1) throw new Error("worker did not finish setting up");
  const serialised = await send({ type: 99 });
  fs.writeFileSync(outPath, JSON.stringify(compact(JSON.parse(serialised.data), data.docs)));
})().catch((error) => {
  console.error(String(error && error.stack || error));
  process.exit(1);
});
