"""Ship Material's search index prebuilt, so readers' browsers load it instead of building it.

Material's search worker builds a lunr index from search/search_index.json in the reader's browser
at every page load: about 2-8 s and 120 MiB of worker heap at 1,000 pages on a busy 2-core machine,
before the first query can be answered. This hook:

1. patches Material's worker (PATCHES below, pinned to Material 9.8.1's worker; the added functions
   are in hooks/search_prebuilt_worker.js) so that it fetches search/search_lunr.json as soon as it
   starts and loads it with ``lunr.Index.load`` when it was built from the entries the page sends,
   falling back to building the index as before; recomputes term weights, token positions and
   highlight tables (for the results shown only) that the compact file leaves out; highlights
   only the first 50 result groups (pages), giving later ones a plain teaser;
2. runs that same worker in Node (hooks/search_prebuilt.cjs, driven by kb/search_prebuild.py),
   started before the first page is rendered and fed each page's search entries as the search
   plugin adds them, so indexing runs on another core alongside rendering. Its input ends with the
   last page MkDocs renders, so that it completes the index while the search plugin writes
   search_index.json; after the build the hook puts search/search_lunr.json and the patched
   worker into the site.

Results, scores and suggestions are identical to Material's, and so are highlights in the first 50
result groups (tests/test_search_prebuilt.py).
Skipped for sites under AUTO_MIN_PAGES pages unless KB_SEARCH_PREBUILT=1, under
`mkdocs serve` (the stock worker then builds the index in the browser: fine while editing, and it
keeps the edit loop fast), for the offline site (file:// pages) and with KB_SEARCH_PREBUILT=0.
Under `mkdocs build`, a worker that does not match the patch anchors (after a Material upgrade), a
missing Node or a failed Node run is a warning, so `--strict` stops and someone looks.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.search_prebuild import IndexBuilder  # noqa: E402

log = logging.getLogger("mkdocs.hooks.search_prebuilt")

# (anchor in Material 9.8.1's minified worker, replacement). Each anchor must occur exactly once.
# Functions added to the worker's module scope (readable source, inserted as is).
KB_FUNCTIONS = "\n" + Path(__file__).with_name("search_prebuilt_worker.js").read_text(encoding="utf-8") + "\n"
PATCHES: list[tuple[str, str]] = [
    # Load a prebuilt index when one was handed over; otherwise build it as Material does.
    ("constructor({config:e,docs:r,options:n}){let i=Oe(this.table=new Map);this.map=ie(r),this.options=n,"
     "this.index=lunr(function(){",
     "constructor({config:e,docs:r,options:n,index:kbIndex}){let i=Oe(this.table=new Map);"
     # Docs streamed by search_prebuilt.cjs are read once, by the indexing loop; Node needs no map.
     "this.map=ie(r.kbStream?[]:r),"
     "this.options=n,this.index=kbIndex?(lunr.tokenizer.separator=new RegExp(e.separator),"
     "kbPipeline=new lunr.Pipeline,[\"trimmer\",\"stopWordFilter\",\"stemmer\"].filter(f=>e.pipeline.includes(f))"
     ".forEach(f=>kbPipeline.add(lunr[f])),kbUse(kbIndex)):lunr(function(){"),
    # Highlight later (kbFinish), once results are ranked and grouped, and only those shown: with a
    # prebuilt index there are no token positions, and the first keystroke matches almost every page.
    ('for(let l of this.index.fields){if(typeof c[l]=="undefined")continue;let m=[];'
     'for(let d of Object.values(u.metadata))typeof d[l]!="undefined"&&m.push(...d[l].position);'
     'if(!m.length)continue;let x=this.table.get([c.location,l].join(":")),v=Array.isArray(c[l])?q:oe;'
     'c[l]=v(c[l],x,m,l!=="text")}',
     'kbMatches.set(c.location,u);'),
    ("return _({items:[...n.values()]}", "return _({items:kbFinish(this,[...n.values()])}"),
    ("var U=class{", KB_FUNCTIONS + "var U=class{"),
    # Setup: take the prebuilt index if it matches the docs sent (unless an index is handed over).
    ("case 0:return yield Ie(t.data.config),de=new U(t.data),{type:1};",
     "case 0:return yield Ie(t.data.config),t.data.index===void 0&&(t.data.index=yield kbLoad(t.data.docs,"
     "t.data.config)),de=new U(t.data),{type:1};"),
]
WORKERS = "assets/javascripts/workers"
# Below this many pages (about 1,000 search entries) the stock worker answers as fast as the
# prebuilt index (measured: 100 pages 1.0 s stock vs 1.3 s prebuilt; 1,000 pages 2.2 s vs 0.9 s), and
# a second file and a Node process at build time are not worth it. Known from the file list, before
# any page renders, so small sites (this one today) never start Node.
AUTO_MIN_PAGES = 200
SCRIPT = Path(__file__).with_name("search_prebuilt.cjs")

_command = "build"
_builder: IndexBuilder | None = None
_not_started: str | None = None  # why no index is being built (reported if the site is large enough)
_worker_name = ""
_patched = ""
_builder_plugin = None  # the search plugin whose entries _builder is fed (looked up once per build)
_last_page: str | None = None  # src_uri of the page rendered last, after which no entries are added


def _offline(config: MkDocsConfig) -> bool:
    """The offline site inlines its index for file:// pages, where the worker cannot fetch one."""
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(offline and offline.config.enabled)


def _search_plugin(config: MkDocsConfig):
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return plugin if hasattr(plugin, "search_index") else None


def _index_config(plugin) -> dict:
    """The `config` object the search plugin writes into search_index.json."""
    return {key: plugin.config[key] for key in ("lang", "separator", "pipeline", "fields")}


def _stock_worker(config: MkDocsConfig) -> Path | None:
    for folder in config.theme.dirs:
        found = sorted(Path(folder, WORKERS).glob("search.*.min.js"))
        if found:
            return found[0]
    return None


def _close() -> None:
    global _builder
    if _builder is not None:
        _builder.close()
        _builder = None


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


def on_pre_build(*, config: MkDocsConfig) -> None:
    global _not_started
    _close()
    _not_started = None


def on_files(files: Files, *, config: MkDocsConfig) -> None:
    """Start Node, so that it indexes entries while pages render (on_post_page sends them)."""
    global _builder, _builder_plugin, _not_started, _worker_name, _patched
    mode = os.environ.get("KB_SEARCH_PREBUILT", "auto")
    plugin = _search_plugin(config)
    if _command == "serve" or mode == "0" or _offline(config) or plugin is None:
        return
    if mode != "1" and len(files.documentation_pages()) < AUTO_MIN_PAGES:
        return  # small site: building in the browser is quicker than fetching a second file
    worker = _stock_worker(config)
    patched = patch(worker.read_text(encoding="utf-8")) if worker else None
    node = shutil.which("node")
    if worker is None or patched is None:
        _not_started = (f"{worker.name if worker else 'search worker'}: Material's search worker changed; update "
                        "PATCHES in hooks/search_prebuilt.py (search still works, building its index in the browser)")
    elif node is None:
        _not_started = "Node.js not found: search/search_lunr.json not written (search builds its index in the browser)"
    else:
        _worker_name, _patched, _builder_plugin = worker.name, patched, plugin
        _builder = IndexBuilder(node, SCRIPT, patched, _index_config(plugin))


def on_env(env, *, config: MkDocsConfig, files: Files):
    """Note which page MkDocs renders last (it renders them in the order of its file list)."""
    global _last_page
    pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
    _last_page = pages[-1].src_uri if _builder is not None and pages else None
    return env


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> None:
    if _builder is None:
        return
    entries = _builder_plugin.search_index.entries
    if page.file.src_uri == _last_page:  # Node can finish while the search plugin writes its own file
        _builder.end(entries)
    else:
        _builder.add(entries)


@event_priority(-100)  # after the search plugin has written search_index.json
def on_post_build(*, config: MkDocsConfig) -> None:
    global _builder
    builder, _builder = _builder, None
    plugin = _search_plugin(config)
    if plugin is None or (builder is None and _not_started is None):
        return
    try:
        entries = plugin.search_index.entries
        if builder is None:
            log.warning(_not_started)
            return
        built = builder.finish(entries, _index_config(plugin))
        if built is None:
            log.warning(f"search/search_lunr.json not written: {builder.error} (search builds its index in the browser)")
            return
        site = Path(config.site_dir)
        shutil.move(built, site / "search/search_lunr.json")
        (site / WORKERS / _worker_name).write_text(_patched, encoding="utf-8")
    finally:
        if builder is not None:
            builder.close()


def on_shutdown() -> None:
    _close()
