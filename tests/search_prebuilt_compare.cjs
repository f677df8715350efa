// Answer the same queries twice - with Material's stock worker, building its index from the docs, and
// with the site's patched worker loading search/search_lunr.json as readers' browsers do - and print
// both answers as JSON: {"stock": [...], "prebuilt": [...]}. Used by tests/test_search_prebuilt.py.
//   node tests/search_prebuilt_compare.cjs SITE_DIR STOCK_WORKER_JS QUERY...
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [site, stockWorker, ...queries] = process.argv.slice(2);
const workers = path.join(site, "assets/javascripts/workers");
const worker = fs.readdirSync(workers).find((f) => /^search\..*\.min\.js$/.test(f));
const patched = fs.readFileSync(path.join(workers, worker), "utf8");
const stock = fs.readFileSync(stockWorker, "utf8");
const index = JSON.parse(fs.readFileSync(path.join(site, "search/search_index.json"), "utf8"));
const lunrIndex = JSON.parse(fs.readFileSync(path.join(site, "search/search_lunr.json"), "utf8"));

async function answers(source, prebuilt) {
  // A fresh global scope per run: the worker keeps its state in globals.
  const context = { console, URL, Promise, Map, Set, JSON, Math, Object, Array, RegExp, TypeError,
    Int32Array, Float64Array };
  let handler;
  let pending;
  context.self = context;
  context.addEventListener = (type, fn) => { handler = fn; };
  context.postMessage = (message) => pending(message);
  vm.createContext(context);
  vm.runInContext(source, context);
  const send = (message) => new Promise((resolve) => { pending = resolve; handler({ data: message }); });
  await send({ type: 0, data: { config: index.config, docs: index.docs, options: { suggest: true },
    index: prebuilt ? lunrIndex : null } });
  const out = [];
  for (const query of queries) out.push((await send({ type: 2, data: query })).data);
  return out;
}

(async () => {
  const result = { stock: await answers(stock, false), prebuilt: await answers(patched, true) };
  // Sections point at their page (`parent`), which is not part of the answer the list renders.
  process.stdout.write(JSON.stringify(result, (key, value) => (key === "parent" ? undefined : value)));
})().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
