// Build Material's lunr search index once, at build time, with Material's own (patched) worker code.
//
//   node hooks/search_prebuilt.cjs WORKER_JS OUT_JSON  < config line, then lines of search entries
//
// Standard input: the first line is the `config` object of search_index.json, each next line a JSON
// array of entries of its `docs` (those of one page), in order, as the search plugin adds them while
// pages render (sent by kb/search_prebuild.py); end of input ends the list. WORKER_JS is Material's worker as patched by
// hooks/search_prebuilt.py. Running the very code the browser runs guarantees that the tokenizer,
// separator, pipeline and field boosts match what the browser's worker expects when it loads the
// index: the worker configures lunr's builder as it does in browsers (tokenizer, separator,
// pipeline, fields), and each entry goes through that tokenizer and pipeline as it arrives, so this
// runs alongside MkDocs rendering the next pages.
//
// Writes a compact form of the lunr.Index JSON that the patched worker expands (kbExpand):
//   {refs: locations of the entries, boosts: their boosts, fieldBoosts, version, fields, pipeline,
//    terms: [[term, termIndex, postings of field 0, of field 1, ...]]}
// where postings are [entry number (delta-coded), term frequency, ...], recorded as each entry is
// indexed (addCompact). Entries are numbered in the order of search_index.json's docs; the worker
// loads the index as soon as it has fetched this file and uses it once the page sends docs with the
// same locations and boosts. Token positions are left
// out (the worker recomputes them for the results it shows), and so are lunr's field vectors: the
// worker recomputes each term weight from the frequencies with lunr's BM25 formula (Material sets
// b = 0), so lunr's own final step (Builder.build) is skipped here. tests/test_search_prebuilt.py
// checks that scores come out identical to Material's.
"use strict";
const fs = require("fs");
const vm = require("vm");
const { StringDecoder } = require("string_decoder");

const [workerPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node search_prebuilt.cjs WORKER_JS OUT_JSON < CONFIG_AND_ENTRIES_JSON_LINES");
  process.exit(2);
}

let handler;
let pending;
globalThis.self = globalThis;
globalThis.addEventListener = (type, fn) => { if (type === "message") handler = fn; };
globalThis.postMessage = (message) => { const resolve = pending; pending = undefined; resolve(message); };
vm.runInThisContext(fs.readFileSync(workerPath, "utf8"), { filename: workerPath });

// Lines of standard input, read as they arrive (blocking: lunr's indexing loop is synchronous).
function* lines() {
  const buffer = Buffer.alloc(1 << 16);
  const decoder = new StringDecoder("utf8");
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let rest = "";
  for (;;) {
    let n;
    try {
      n = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if (error.code === "EAGAIN") { Atomics.wait(pause, 0, 0, 5); continue; }
      if (error.code === "EOF") n = 0; else throw error;
    }
    if (n === 0) break;
    rest += decoder.write(buffer.subarray(0, n));
    let start = 0;
    for (let end = rest.indexOf("\n"); end >= 0; end = rest.indexOf("\n", start)) {
      yield rest.slice(start, end);
      start = end + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest) yield rest;
}

// Each term's index (numbered as lunr numbers terms: in the order they are first met) and postings
// per field: [entry number (delta-coded), term frequency, ...], recorded as each entry is indexed.
const postings = new Map();

// lunr's Builder#add, keeping only what the compact index needs. lunr's own add also keeps, for
// every term, a map of every entry containing it, and the worker's extractor keeps every token's
// position for highlighting: most of the time and memory, and nothing the compact file uses.
function addCompact(builder, doc, number) {
  const fields = Object.keys(builder._fields);
  fields.forEach((field, k) => {
    lunr.tokenizer.table = [];  // the worker's tokenizer records token positions there
    const terms = builder.pipeline.run(builder.tokenizer(doc[field], { fields: [field] }));
    const frequencies = new Map();
    for (const term of terms) {
      const s = term.toString();
      frequencies.set(s, (frequencies.get(s) || 0) + 1);
    }
    for (const [term, frequency] of frequencies) {
      let row = postings.get(term);
      if (!row) postings.set(term, row = { index: postings.size, last: fields.map(() => 0), pairs: fields.map(() => []) });
      row.pairs[k].push(number - row.last[k], frequency);
      row.last[k] = number;
    }
  });
}

function compact(builder, docs, config) {
  const fields = Object.keys(builder._fields);
  // As lunr.Index#toJSON orders them (Index.load inserts terms into its token set in this order).
  const terms = [...postings.keys()].sort().map((term) => [term, postings.get(term).index, ...postings.get(term).pairs]);
  return {
    refs: docs.map((doc) => doc.location), boosts: docs.map((doc) => doc.boost || 1),
    fieldBoosts: fields.map((f) => (config.fields[f] && config.fields[f].boost) || 1),
    version: lunr.version, fields, pipeline: builder.searchPipeline.toJSON(), terms,
  };
}

const send = (message) => new Promise((resolve) => { pending = resolve; handler({ data: message }); });

(async () => {
  const input = lines();
  const first = input.next();
  if (first.done) throw new Error("no input: expected the search config, then lines of entries");
  const config = JSON.parse(first.value);
  const docs = [];
  // Read once, by the worker's indexing loop (the patched worker skips its location map for it).
  const stream = {
    kbStream: true,
    * [Symbol.iterator]() {
      for (const line of input) {
        if (!line) continue;
        for (const doc of JSON.parse(line)) {
          docs.push(doc);
          yield doc;
        }
      }
    },
  };
  let builder;
  const locations = new Set();
  lunr.Builder.prototype.add = function add(doc) {
    if (locations.has(doc.location)) throw new Error(`two search entries for ${doc.location}`);
    locations.add(doc.location);
    addCompact(this, doc, docs.length - 1);
  };
  lunr.Builder.prototype.build = function keep() { builder = this; return null; };
  const ready = await send({ type: 0, data: { config, docs: stream, options: {}, index: null } });
  if (ready.type !== 1 || !builder) throw new Error("worker did not finish indexing");
  fs.writeFileSync(outPath, JSON.stringify(compact(builder, docs, config)));
  process.exit(0);  // at once: tearing down the heap of a large index took longer than writing it
})().catch((error) => {
  console.error(String(error && error.stack || error));
  process.exit(1);
});
