"""Ship Material's search index prebuilt, so readers' browsers load it instead of building it.

Material's search worker builds a lunr index from search/search_index.json in the reader's browser
at every page load: about 2-8 s and 120 MiB of worker heap at 1,000 pages on a busy 2-core machine,
before the first query can be answered. This hook, after the search plugin has written the index:

1. writes a patched copy of Material's worker over the stock one in the built site. The patch
   (PATCHES below, pinned to Material 9.8.1's worker) makes the worker fetch search/search_lunr.json
   and load it with ``lunr.Index.load`` when its entry count matches the docs it was sent, falling
   back to building the index as before; recomputes term weights, token positions and highlight
   tables (for the results shown only) that the compact file leaves out; highlights only the first
   50 result groups (pages), giving later ones a plain teaser; and adds a message that serialises
   the index. The added functions are in hooks/search_prebuilt_worker.js;
2. runs that same worker in Node (hooks/search_prebuilt.cjs) to build the index once, checks that
   the compact form loads back with identical weights, and writes search/search_lunr.json.

Results, scores and suggestions are identical to Material's, and so are highlights in the first 50
result groups (tests/test_search_prebuilt.py).
Skipped for sites under AUTO_MIN_ENTRIES search entries unless KB_SEARCH_PREBUILT=1, under
`mkdocs serve` (the stock worker then builds the index in the browser: fine while editing, and it
keeps the edit loop fast), for the offline site (file:// pages) and with KB_SEARCH_PREBUILT=0.
Under `mkdocs build`, a worker that does not match the patch anchors (after a Material upgrade) or a
missing Node is a warning, so `--strict` stops and someone updates PATCHES.
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
# Functions added to the worker's module scope (readable source, inserted as is).
KB_FUNCTIONS = "\n" + Path(__file__).with_name("search_prebuilt_worker.js").read_text(encoding="utf-8") + "\n"
PATCHES: list[tuple[str, str]] = [
    # Load a prebuilt index when one was handed over; otherwise build it as Material does.
    ("constructor({config:e,docs:r,options:n}){let i=Oe(this.table=new Map);this.map=ie(r),this.options=n,"
     "this.index=lunr(function(){",
     "constructor({config:e,docs:r,options:n,index:kbIndex}){let i=Oe(this.table=new Map);this.map=ie(r),"
     "this.options=n,this.index=kbIndex?(lunr.tokenizer.separator=new RegExp(e.separator),"
     "kbPipeline=new lunr.Pipeline,[\"trimmer\",\"stopWordFilter\",\"stemmer\"].filter(f=>e.pipeline.includes(f))"
     ".forEach(f=>kbPipeline.add(lunr[f])),kbIndexOf(kbIndex)):lunr(function(){"),
    # Highlight later (kbFinish), once results are ranked and grouped, and only those shown: with a
    # prebuilt index there are no token positions, and the first keystroke matches almost every page.
    ('for(let l of this.index.fields){if(typeof c[l]=="undefined")continue;let m=[];'
     'for(let d of Object.values(u.metadata))typeof d[l]!="undefined"&&m.push(...d[l].position);'
     'if(!m.length)continue;let x=this.table.get([c.location,l].join(":")),v=Array.isArray(c[l])?q:oe;'
     'c[l]=v(c[l],x,m,l!=="text")}',
     'kbMatches.set(c.location,u);'),
    ("return _({items:[...n.values()]}", "return _({items:kbFinish(this,[...n.values()])}"),
    ("var U=class{", KB_FUNCTIONS + "var U=class{"),
    # Setup: take the prebuilt index if it matches (unless one is handed over); message 99 returns the
    # index as lunr serialises it (used by search_prebuilt.cjs in Node, never by browsers).
    ("case 0:return yield Ie(t.data.config),de=new U(t.data),{type:1};",
     "case 0:return yield Ie(t.data.config),t.data.index===void 0&&(t.data.index=yield kbLoad(t.data.docs,"
     "t.data.config)),de=new U(t.data),{type:1};case 99:return{type:100,data:de.index.toJSON()};"),
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
