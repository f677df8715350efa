"""Keep navigation and search whole while `mkdocs serve --dirty` rebuilds only the edited pages.

`mkdocs serve --dirty` re-renders only pages whose source is newer than their output: about a second
for a one-page edit at 1,000 pages instead of a full rebuild. On its own it leaves three things wrong:
pages it does not read have no title, so the rebuilt page's sidebar, tabs and footer show empty
titles; Material's search index is rewritten from the rebuilt pages only; and every page's navigation
goes stale when a title, the page list, the config or a shared file (includes, data, hooks, overrides)
changes. This hook, active only under `mkdocs serve --dirty`:

- gives unread pages the title they had when last built (so the rebuilt page's navigation is right);
- merges the rebuilt pages' search entries into the previous whole index;
- rebuilds every page when an edited page's front matter title or tags changed (tags: Material's
  tags plugin lists only the pages of the current build), a page was added or removed, or a file
  watched outside docs/ changed (config, includes, data, overrides, schema; Python files are not
  re-imported by `mkdocs serve`, so editing them needs a restart, not a rebuild);
- rebuilds the bibliography page as well when an edited page now cites other sources, so that its
  "Cited in" links stay right;
- saves work each rebuild repeats: templates are compiled once per serve, and the sitemap and 404
  page are only rendered again with the navigation;
- replaces MkDocs' "A 'dirty' build is being performed" warning (which `strict: true` would turn into
  an aborted build on every edit) with an info line, since the problems it warns about are handled.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import jinja2
import jinja2.bccache

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb import citations  # noqa: E402

log = logging.getLogger("mkdocs.hooks.serve_dirty")

# State kept between the rebuilds of one `mkdocs serve` process (MkDocs loads a hook module once).
_active = False
_titles: dict[str, str] = {}          # src_uri -> title at its last build
_facts: dict[str, tuple] = {}         # src_uri -> (tags, cited keys) at its last build
_bibliography_pages: set[str] = set()  # src_uri of pages listing where every source is cited
_index: list[dict] | None = None      # the last whole list of search entries
_snapshot: dict[str, float] = {}      # watched path -> newest mtime below it
_built: set[str] = set()              # URLs of the pages rendered in this build
_full = True
_UNCHANGED_TEMPLATES = ("404.html", "sitemap.xml")


class _DirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and "'dirty' build is being performed" in record.getMessage():
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return False
        return True


def on_startup(*, command: str, dirty: bool) -> None:
    global _active
    _active = command == "serve" and dirty
    if _active:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarning())


def _newest(path: str) -> float:
    """Newest mtime of the files below path that a rebuild reads again.

    Python files are left out: `mkdocs serve` loads hooks (and the kb package) once, so an edited
    hook needs a restart of serve, not a rebuild.
    """
    if os.path.isfile(path):
        return os.path.getmtime(path)
    newest = 0.0
    for folder, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in names:
            if name.startswith(".") or name.endswith((".py", ".pyc", "~", ".swp")):
                continue
            try:
                newest = max(newest, os.path.getmtime(os.path.join(folder, name)))
            except OSError:
                pass
    return newest


def _page_facts(markdown: str, meta: dict) -> tuple:
    """What other pages are built from: the page's tags and the sources it cites."""
    tags = meta.get("tags") or ()
    tags = tuple(map(str, tags)) if isinstance(tags, list) else (str(tags),)
    return tags, tuple(sorted(set(citations.text_keys(markdown))))


def _read(path: str) -> tuple[str | None, tuple | None]:
    """The front matter title and the facts of a page's source as it is now."""
    try:
        markdown, meta = get_data(Path(path).read_text(encoding="utf-8-sig"))
    except OSError:
        return None, None
    title = meta.get("title")
    return (str(title) if title is not None else None), _page_facts(markdown, meta)


def _always_modified() -> bool:
    return True


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    global _snapshot, _full
    if not _active:
        return files
    _built.clear()
    # Material's search plugin merges dirty builds itself, assuming one page per rebuild (it drops
    # every previous entry whose location starts with the first new one, "" for the home page, and
    # duplicates entries on a full rebuild). Let it write this build's entries only; we merge.
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index_prev"):
            plugin.search_index_prev = None
    watched = [p for p in [config.config_file_path, *config.watch] if p and os.path.exists(p)]
    snapshot = {p: _newest(p) for p in watched}
    pages = [f for f in files.documentation_pages()]
    reason = None
    if not _titles:
        reason = "first build"
    elif snapshot != _snapshot:
        reason = "a file outside docs/ changed"
    elif {f.src_uri for f in pages} != set(_titles):
        reason = "pages were added or removed"
    else:
        cites_changed = None
        for f in pages:
            if not f.is_modified():
                continue
            title, facts = _read(f.abs_src_path)
            old_tags, old_keys = _facts.get(f.src_uri, (None, None))
            if title != _titles.get(f.src_uri):
                reason = f"the title of {f.src_uri} changed"
            elif facts is not None and facts[0] != old_tags:
                reason = f"the tags of {f.src_uri} changed"
            elif facts is not None and facts[1] != old_keys:
                cites_changed = f.src_uri
            if reason:
                break
        if reason is None and cites_changed:
            for src in _bibliography_pages:
                listing = files.get_file_from_path(src)
                if listing is not None:
                    log.info(f"Rebuilding {src} too: {cites_changed} cites other sources")
                    listing.is_modified = _always_modified  # type: ignore[method-assign]
    _snapshot = snapshot
    _full = reason is not None
    if _full and _titles:
        log.info(f"Rebuilding every page: {reason}")
        for f in files:
            f.is_modified = _always_modified  # type: ignore[method-assign]
    return files


@event_priority(100)  # before the citations hook turns citations into footnotes
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
    if not _active:
        return
    _facts[page.file.src_uri] = _page_facts(markdown, page.meta)
    if citations.BIBLIOGRAPHY_MARKER in markdown:
        _bibliography_pages.add(page.file.src_uri)


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    if not _active or _full:
        return nav
    # The page list and navigation did not change, so neither did the sitemap nor the 404 page
    # (which renders the navigation): about half a second at 1,000 pages.
    for template in _UNCHANGED_TEMPLATES:
        config.theme.static_templates.discard(template)
    for f in files.documentation_pages():
        page = f.page
        if page is not None and page.markdown is None and f.src_uri in _titles and not f.is_modified():
            # What MkDocs reads for the title of a page it does not read in this build.
            page.markdown, page.meta = "", {"title": _titles[f.src_uri]}
    return nav


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept across rebuilds (keys include a checksum of the template source)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_bytecode = _MemoryBytecodeCache()


def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    # MkDocs makes a new template environment per rebuild, which compiles every template again.
    if _active:
        env.bytecode_cache = _bytecode
    return env


def on_page_context(context, *, page: Page, config: MkDocsConfig, nav: Navigation):
    if _active and page.title is not None:
        _titles[page.file.src_uri] = page.title
        _built.add(page.url)
    return context


@event_priority(-50)  # after the search plugin has written its (partial) index
def on_post_build(*, config: MkDocsConfig) -> None:
    global _index
    if not _active:
        return
    path = Path(config.site_dir) / "search/search_index.json"
    if not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    if _full or _index is None:
        _index = data["docs"]
        return
    fresh: dict[str, list[dict]] = {}
    for entry in data["docs"]:
        fresh.setdefault(entry["location"].split("#")[0], []).append(entry)
    merged: list[dict] = []
    placed: set[str] = set()
    for entry in _index:
        url = entry["location"].split("#")[0]
        if url not in _built:
            merged.append(entry)
        elif url not in placed:
            merged.extend(fresh.get(url, []))
            placed.add(url)
    for url, entries in fresh.items():  # a page with no entries before
        if url not in placed:
            merged.extend(entries)
    _index = data["docs"] = merged
    path.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
