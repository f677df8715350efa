"""Ship Material's search index prebuilt, so readers' browsers load it instead of building it.

Material's search worker builds a lunr index from search/search_index.json in the reader's browser
at every page load: about 2-8 s and 120 MiB of worker heap at 1,000 pages on a busy 2-core machine,
before the first query can be answered. This hook, after the search plugin has written the index:

1. writes a patched copy of Material's worker over the stock one in the built site. The patch
   (PATCHES below, pinned to Material 9.8.1's worker) makes the worker fetch search/search_lunr.json
   and load it with ``lunr.Index.load`` when its entry count matches the docs it was sent, falling
   back to building the index as before; recomputes term weights, token positions and highlight
   tables (for the results shown only) that the compact file leaves out; and adds a message that
   serialises the index;
2. runs that same worker in Node (hooks/search_prebuilt.cjs) to build the index once, checks that
   the compact form loads back with identical weights, and writes search/search_lunr.json.

Results, scores, highlights and suggestions are identical to Material's (tests/test_search_prebuilt.py).
Skipped for sites under AUTO_MIN_ENTRIES search entries unless KB_SEARCH_PREBUILT=1, under
`mkdocs serve` (the stock worker then builds the index in the browser: fine while editing, and it
keeps the edit loop fast), for the offline site (file:// pages) and with KB_SEARCH_PREBUILT=0. Under `mkdocs build`, a worker that does not match the patch anchors (after
a Material upgrade) or a missing Node is a warning, so `--strict` stops and someone updates PATCHES.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.search_prebuilt")

# (anchor in Material 9.8.1's minified worker, replacement). Each anchor must occur exactly once.
# Functions added to the worker's scope (they use its tokenizer `ae`, as indexing does).
KB_FUNCTIONS = (
    # Fetch search/search_lunr.json (relative to the worker's URL) if it matches the entries sent.
    'function kbLoad(n){return typeof fetch=="undefined"||typeof location=="undefined"?Promise.resolve(void 0):'
    'fetch(new URL("../../../search/search_lunr.json",location.href)).then(r=>r.ok?r.json():void 0)'
    '.then(j=>j&&j.docs===n?j:void 0).catch(()=>{})}'
    # Expand the compact form written by search_prebuilt.cjs into lunr.Index JSON. Field vectors are
    # recomputed as lunr's builder does (BM25, k1 = 1.2, Material's b = 0, field and entry boosts,
    # rounded to 3 decimals), terms in _index order so each vector comes out sorted. Postings become
    # objects only when a query reads them (getters): building thousands of objects keyed by
    # location for every term up front is what made loading slow.
    'function kbExpand(c,docs,cfg){let refs=docs.map(d=>d.location),N=docs.length,k1=1.2,F=c.fields,'
    'fb=F.map(f=>cfg.fields[f]&&cfg.fields[f].boost||1),db=docs.map(d=>d.boost||1),V=F.map(()=>refs.map(()=>[]));'
    'for(let[t,ix,...ps]of[...c.terms].sort((a,b)=>a[1]-b[1])){let n=0;for(let q of ps)n+=q.length/2;'
    'let idf=Math.log(1+Math.abs((N-n+.5)/(n+.5)));for(let k=0;k<ps.length;k++){let q=ps[k],Vk=V[k];'
    'for(let i=0,p=0;i<q.length;i+=2){p+=q[i];let tf=q[i+1],s=idf*((k1+1)*tf)/(k1*(1-0+0*1)+tf);s*=fb[k],s*=db[p];'
    'Vk[p].push(ix,Math.round(s*1e3)/1e3)}}}let fv=[];F.forEach((f,k)=>refs.forEach((r,p)=>fv.push([f+"/"+r,V[k][p]])));'
    'return{version:c.version,fields:F,pipeline:c.pipeline,fieldVectors:fv,'
    'invertedIndex:c.terms.map(([t,ix,...ps])=>{let e={_index:ix};F.forEach((f,k)=>'
    'Object.defineProperty(e,f,{enumerable:!0,configurable:!0,get(){let o={};for(let i=0,p=0;i<ps[k].length;i+=2)'
    'p+=ps[k][i],o[refs[p]]={};return Object.defineProperty(e,f,{value:o,enumerable:!0}),o}}));return[t,e]})}}'
    'var kbPipeline,kbTerms=new Map;'
    # Tokenize one field of one entry as indexing did: token table for highlighting, term positions.
    'function kbTokens(t,o,l,v){let key=[o,l].join(":"),m=kbTerms.get(key);if(m)return m;'
    'lunr.tokenizer.table=[];let toks=ae(v);t.set(key,lunr.tokenizer.table);m=new Map;'
    'for(let k of kbPipeline.run(toks)){let s=k.toString();m.has(s)||m.set(s,[]);m.get(s).push(k.metadata.position)}'
    'return kbTerms.set(key,m),m}'
    'function kbPositions(t,o,l,v,term){return kbTokens(t,o,l,v).get(term)||[]}'
)
PATCHES: list[tuple[str, str]] = [
    # Load a prebuilt index when one was handed over; otherwise build it as Material does.
    ("constructor({config:e,docs:r,options:n}){let i=Oe(this.table=new Map);this.map=ie(r),this.options=n,"
     "this.index=lunr(function(){",
     "constructor({config:e,docs:r,options:n,index:kbIndex}){let i=Oe(this.table=new Map);this.map=ie(r),"
     "this.options=n,this.index=kbIndex?(lunr.tokenizer.separator=new RegExp(e.separator),"
     "kbPipeline=new lunr.Pipeline,[\"trimmer\",\"stopWordFilter\",\"stemmer\"].filter(f=>e.pipeline.includes(f))"
     ".forEach(f=>kbPipeline.add(lunr[f])),lunr.Index.load(kbExpand(kbIndex,r,e))):lunr(function(){"),
    # A prebuilt index carries no token positions: recompute them for the results shown.
    ('for(let d of Object.values(u.metadata))typeof d[l]!="undefined"&&m.push(...d[l].position);',
     'for(let[kt,d]of Object.entries(u.metadata))typeof d[l]!="undefined"&&'
     'm.push(...(d[l].position||kbPositions(this.table,c.location,l,c[l],kt)));'),
    # Highlighting needs each field's token table; compute it for the results shown when missing.
    ('let x=this.table.get([c.location,l].join(":"))',
     'let x=this.table.get([c.location,l].join(":"))||kbTokens(this.table,c.location,l,c[l])&&'
     'this.table.get([c.location,l].join(":"))'),
    ("var U=class{", KB_FUNCTIONS + "var U=class{"),
    # Setup: fetch the prebuilt index first (unless told not to); message 99 serialises the index.
    ("case 0:return yield Ie(t.data.config),de=new U(t.data),{type:1};",
     "case 0:return yield Ie(t.data.config),t.data.index===void 0&&(t.data.index=yield kbLoad(t.data.docs.length)),"
     "de=new U(t.data),{type:1};case 99:return{type:100,data:JSON.stringify(de.index)};"),
]
WORKERS = "assets/javascripts/workers"
# Below this many search entries (about 200 pages of 5 sections) the stock worker answers as fast
# as the prebuilt index (measured: 100 pages 1.0 s stock vs 1.3 s prebuilt; 1,000 pages 2.2 s vs 0.9 s).
AUTO_MIN_ENTRIES = 1000
SCRIPT = Path(__file__).with_name("search_prebuilt.cjs")

_command = "build"


def _offline(config: MkDocsConfig) -> bool:
    """The offline site inlines its index for file:// pages, where the worker cannot fetch one."""
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(offline and offline.config.enabled)


def on_startup(*, command: str, dirty: bool) -> None:
    global _command
    _command = command


def patch(source: str) -> str | None:
    """Material's worker with PATCHES applied, or None if an anchor is missing or repeated."""
    for anchor, replacement in PATCHES:
        if source.count(anchor) != 1:
            return None
        source = source.replace(anchor, replacement)
    return source


@event_priority(-100)  # after the search plugin has written search_index.json
def on_post_build(*, config: MkDocsConfig) -> None:
    mode = os.environ.get("KB_SEARCH_PREBUILT", "auto")
    if _command == "serve" or mode == "0" or _offline(config):
        return
    site = Path(config.site_dir)
    index = site / "search/search_index.json"
    workers = sorted((site / WORKERS).glob("search.*.min.js"))
    if not index.exists() or len(workers) != 1:
        return
    if mode != "1" and index.read_bytes().count(b'"location":') < AUTO_MIN_ENTRIES:
        return  # small site: building in the browser is quicker than fetching a second file
    patched = patch(workers[0].read_text(encoding="utf-8"))
    if patched is None:
        log.warning(f"{workers[0].name}: Material's search worker changed; update PATCHES in hooks/search_prebuilt.py "
                    "(search still works, building its index in the browser)")
        return
    node = shutil.which("node")
    if node is None:
        log.warning("Node.js not found: search/search_lunr.json not written (search builds its index in the browser)")
        return
    out = index.with_name("search_lunr.json")
    patched_path = workers[0].with_name("search.prebuilt.tmp.js")
    patched_path.write_text(patched, encoding="utf-8")
    started = time.perf_counter()
    result = subprocess.run([node, str(SCRIPT), str(patched_path), str(index), str(out)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        patched_path.unlink()
        log.warning(f"search/search_lunr.json: building the index failed: {result.stderr.strip()[-500:]}")
        return
    patched_path.replace(workers[0])
    log.debug(f"search/search_lunr.json written in {time.perf_counter() - started:.2f} s")
