"""MkDocs adapter for kb.citations: numbered citations, per-page reference lists, the references page.

- ``on_files``: reads the bibliography and every page's raw source once, checks all citations and
  raises one ``PluginError`` listing every unknown key or malformed citation (file:line:col);
  unused entries are warnings (``--strict`` fails on them). Then renders every page's citations.
  All of it in a second process (``kb.ahead``) when one can be started: its result is taken by the
  first ``on_page_markdown`` after it is ready (the pages before render their own citations), by a
  page with an unknown key, or at the latest in ``on_env``, before any page is written.
- ``on_page_markdown``: ``[@key]`` → placeholders plus a "References" section (as rendered in
  ``on_files`` if MkDocs hands over that same text); on the references page, the marker line becomes
  the whole bibliography.
- ``on_env`` (every page rendered): the placeholders become numbered superscripts, in the HTML of
  Python-Markdown's footnotes extension (tooltips from Material's ``content.footnote.tooltips``), and
  the references page gets each source's "Cited in" links, with the titles the pages were built with;
- ``on_page_context``: after the search plugin has indexed the page, the reference list goes under
  the "References" heading (so searches match what pages say, not the titles of what they cite).
"""
from __future__ import annotations

import functools
import logging
import pathlib
import re
import sys
from collections.abc import Callable

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb import bibliography, citations  # noqa: E402
from kb.ahead import Ahead  # noqa: E402
from kb.paths import display, display_in, repo_root  # noqa: E402

log = logging.getLogger("mkdocs.hooks.citations")

BIBLIOGRAPHY = "data/references.yml"
REFERENCES_PAGE = "reference/references.md"

_state: dict = {"bib": None, "cited_by": {}, "listed": False, "dirty": False}
# cited_by: key -> src_uri of every page citing it; listed: the references page got the bibliography;
# dirty: builds render only edited pages (`serve --dirty`), so rendering every page ahead is wasted
_rendered: dict[str, citations.RenderedCitations] = {}  # src_uri -> placeholders to fill in its HTML
_prepared: dict[str, tuple[tuple[int, int], citations.RenderedCitations | None]] = {}
# src_uri -> (fingerprint of the Markdown, rendered)
_waiting: dict[str, str] = {}  # src_uri -> Markdown of a page rendered without its reference list
# Work on every page is done in one loop where it can be (on_files, on_env): spread between pages,
# each turn finds the caches cold and the same work takes two to three times as long.


_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


def _title(file: File) -> str:
    """The page's own title: front matter title, else its first H1, else its file name (not a
    shorter label the nav may give it). Read from the page when it was read in this build."""
    page = file.page
    title = page.meta.get("title") if page is not None and page.markdown is not None else None
    if isinstance(title, str):  # Markup once the reader hook has escaped it for the templates
        return title.unescape() if isinstance(title, Markup) else title
    try:
        body, meta = get_data(file.content_string)
    except (OSError, UnicodeDecodeError):
        body, meta = "", {}
    if isinstance(meta.get("title"), str):
        return meta["title"]
    if m := _H1.search(body):
        return m.group(1)
    return pathlib.PurePosixPath(file.src_uri).stem.replace("-", " ").capitalize()


def on_startup(*, command: str, dirty: bool) -> None:
    _state["dirty"] = dirty


def _read_site(root: pathlib.Path, docs_dir: str, pages: dict[str, Callable[[], str]], prepare: bool) -> citations.SiteCitations:
    """Read and check every page (src_uri -> reader of its source); render each page's citations
    too when ``prepare`` and nothing is wrong."""
    docs = pathlib.Path(docs_dir)
    bib_path = root / BIBLIOGRAPHY
    bib = bibliography.load(bib_path, display_path=display(bib_path, root))
    found: dict[str, tuple[citations.Citation, ...]] = {}
    sources: dict[str, str] = {}
    shown: dict[str, str] = {}
    problems: list[bibliography.Problem] = []
    folders: dict[pathlib.Path, str] = {}
    for src_uri, read in pages.items():
        path = display_in(docs / src_uri, root, folders)
        try:
            source = read()
        except (OSError, UnicodeDecodeError) as exc:  # the front matter hook reports encoding
            problems.append(citations.make_problem(path, 1, 1, "CIT004", f"cannot read the page: {exc}"))
            continue
        found[path] = citations.page_citations(source)
        shown[src_uri] = path
        sources[src_uri] = source
    problems += citations.check_pages(found, bib)
    cited_by: dict[str, list[str]] = {}
    for src_uri, path in shown.items():
        for key in citations.cited_keys(found[path]):
            cited_by.setdefault(key, []).append(src_uri)
    site = citations.SiteCitations(bib, problems, cited_by)
    if not prepare or any(p.severity == "error" for p in problems):
        return site
    for src_uri, source in sources.items():
        if src_uri != REFERENCES_PAGE:
            body = citations.page_body(source)
            site.prepared[src_uri] = (citations.fingerprint(body), citations.render_page(body, bib))
            site.keys[citations.fingerprint(body)] = tuple(citations.text_keys(body))
    return site


def _stop_ahead() -> None:
    if (pending := _state.pop("ahead", None)) is not None:
        pending[0].cancel()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Read and check every page: in a second process (``kb.ahead``) while pages render when one can
    be started, else here."""
    _stop_ahead()
    root = repo_root(config.config_file_path)
    bib_path = root / BIBLIOGRAPHY
    _state["bib"] = bibliography.load(bib_path, display_path=display(bib_path, root))
    _state["cited_by"], _state["listed"] = {}, False
    _rendered.clear()
    _prepared.clear()
    _waiting.clear()
    read = functools.partial(_read_site, root, config.docs_dir,
                             {file.src_uri: lambda file=file: file.content_string for file in files.documentation_pages()},
                             prepare=not _state["dirty"])
    # Lower priority: the front matter check, started earlier, is needed sooner (before pages go on).
    ahead = Ahead(read, nice=10) if not _state["dirty"] else None
    if ahead is not None and ahead.started:
        _state["ahead"] = (ahead, read)
    else:
        _take(read())
    if files.get_file_from_path(REFERENCES_PAGE) is None and _state["bib"].entries:
        log.warning(f"docs/{REFERENCES_PAGE} is missing: the site has no page listing the whole bibliography")
    return files


def _collect(wait: bool) -> None:
    """Take the second process's result once it is there, or (``wait``) waiting for it."""
    pending = _state.get("ahead")
    if pending is None or not (wait or pending[0].ready()):
        return
    del _state["ahead"]
    ahead, read = pending
    site = ahead.result()
    if site is not None:
        log.debug(f"citations of {len(site.prepared)} pages read in a second process "
                  f"({len(_waiting)} rendered before it was done)")
    _take(site if site is not None else read())


def _take(site: citations.SiteCitations) -> None:
    """Report the problems found reading every page (all of them, in one error); keep the rest."""
    citations.remember(site.keys)  # the reader hook asks which keys the same pages cite
    errors = [p for p in site.problems if p.severity == "error"]
    for p in site.problems:
        if p.severity != "error":
            log.warning(str(p))
    if errors:
        raise PluginError(f"{len(errors)} citation problem(s):\n" + "\n".join(map(str, errors)))
    _state["cited_by"] = site.cited_by
    for src_uri, markdown in _waiting.items():  # rendered before the result was back: same text, same result
        made_from, rendered = site.prepared.get(src_uri, (None, None))
        _rendered[src_uri] = rendered if made_from == citations.fingerprint(markdown) and rendered is not None else \
            citations.render_page(markdown, _state["bib"])
    _waiting.clear()
    _prepared.update((src_uri, prepared) for src_uri, prepared in site.prepared.items() if src_uri not in _rendered)


def on_build_error(*, error: Exception) -> None:
    _stop_ahead()


def on_shutdown() -> None:
    _stop_ahead()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    bib = _state["bib"]
    if bib is None:
        return markdown
    if page.file.src_uri == REFERENCES_PAGE:
        if citations.BIBLIOGRAPHY_MARKER not in markdown:
            log.warning(f"docs/{REFERENCES_PAGE}: no '{citations.BIBLIOGRAPHY_MARKER}' line to replace "
                        "with the bibliography")
            return markdown
        _state["listed"] = True
        return markdown.replace(citations.BIBLIOGRAPHY_MARKER, citations.bibliography_markdown(bib), 1)
    _collect(wait=False)
    made_from, rendered = _prepared.pop(page.file.src_uri, (None, None))
    if made_from != citations.fingerprint(markdown):  # not read yet, changed by another hook or plugin, or a new page
        waiting = "ahead" in _state  # the reference list comes later, with the pass's result
        try:
            rendered = citations.render_page(markdown, bib, references=not waiting)
        except KeyError as exc:  # the pages are still being checked, or another plugin inserted a citation
            _collect(wait=True)  # raises the report of every problem found, if any
            raise PluginError(f"docs/{page.file.src_uri}: unknown citation key {exc}") from None
        except ValueError as exc:
            _collect(wait=True)
            raise PluginError(f"docs/{page.file.src_uri}: {exc}") from None
        if rendered is not None and waiting:
            _waiting[page.file.src_uri] = markdown
    if rendered is None:
        return markdown
    _rendered[page.file.src_uri] = rendered
    return rendered.markdown


def _strip_placeholders(items) -> None:
    """A citation in a heading: its number is not part of the table of contents or the anchor."""
    for item in items:
        if "KbCite" in item.title:
            item.title = citations.PLACEHOLDER.sub("", item.title)
            item.id = citations.PLACEHOLDER_IN_ID.sub("", item.id)
        _strip_placeholders(item.children)


def _fill(page: Page, rendered: citations.RenderedCitations) -> None:
    _strip_placeholders(page.toc)
    if page.present_anchor_ids is not None:  # for MkDocs' check of links to #fn:key (references page)
        page.present_anchor_ids |= rendered.anchors
    page.content = rendered.fill(page.content)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Every page has been rendered: citations get their numbers, and the references page lists, by
    title, the pages citing each source."""
    _collect(wait=True)
    by_uri = files.src_uris  # get_file_from_path would normalise each key with pathlib first (slow)
    for src_uri, rendered in _rendered.items():
        citing = by_uri.get(src_uri)
        if citing is not None and citing.page is not None and citing.page.content is not None:
            _fill(citing.page, rendered)
    listing = by_uri.get(REFERENCES_PAGE)
    page = listing.page if listing is not None else None
    bib = _state["bib"]
    if not _state["listed"] or bib is None or page is None or page.content is None:
        return env
    titles: dict[str, str] = {}
    def title(src: str) -> str:
        if src not in titles:
            citing = by_uri.get(src)
            titles[src] = _title(citing) if citing else src
        return titles[src]

    def href(src: str) -> str:
        citing = by_uri.get(src)
        return get_relative_url(citing.url, page.url) if citing else citations.relative_link(src, REFERENCES_PAGE)

    cited_by = {key: [(title(src), src) for src in pages] for key, pages in _state["cited_by"].items()}
    filled = citations.RenderedCitations("", citations.cited_in_html(bib, cited_by, href), "")
    page.content = filled.fill(page.content)
    return env


@event_priority(-100)  # after the search plugin has indexed the page, which leaves the list out
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    rendered = _rendered.pop(page.file.src_uri, None)
    if rendered is not None and page.content is not None:
        page.content = rendered.add_references(page.content)
    return context


def on_serve(server, config: MkDocsConfig, builder):
    if (path := repo_root(config.config_file_path) / BIBLIOGRAPHY).exists():
        server.watch(str(path))
    return server
