// Answer the same queries with Material's search worker twice - index built from the docs as the stock
// worker does, and index loaded from search/search_lunr.json as readers' browsers now do - and print
// both answers as JSON: {"built": [...], "prebuilt": [...]}. Used by tests/test_search_prebuilt.py.
//   node tests/search_prebuilt_compare.cjs SITE_DIR QUERY...
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [site, ...queries] = process.argv.slice(2);
const workers = path.join(site, "assets/javascripts/workers");
const worker = fs.readdirSync(workers).find((f) => /^search\..*\.min\.js$/.test(f));
const source = fs.readFileSync(path.join(workers, worker), "utf8");
const index = JSON.parse(fs.readFileSync(path.join(site, "search/search_index.json"), "utf8"));
const lunrIndex = JSON.parse(fs.readFileSync(path.join(site, "search/search_lunr.json"), "utf8"));

async function answers(prebuilt) {
  // A fresh global scope per run: the worker keeps its state in globals.
  const context = { console, URL, Promise, Map, Set, JSON, Math, Object, Array, RegExp, TypeError };
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
  const built = await answers(false);
  const prebuilt = await answers(true);
  process.stdout.write(JSON.stringify({ built, prebuilt }));
})().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
