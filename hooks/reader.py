"""Reader experience: review dates, report link, link previews and JSON-LD on every page.

A thin adapter: ``kb.page_data`` computes the values from front matter and site settings;
this hook hands them to the templates in ``overrides/`` as ``reader`` (per page) and
``reader_site`` (site-wide links, also on the 404 page). The values are computed in ``on_env``,
for every page at once when all are rendered: the same work spread between pages took three times
as long (each page's turn found the caches cold). It also

- makes glossary abbreviations keyboard-focusable (``tabindex="0"``), so Material's tooltips
  open on focus as well as on hover;
- names the landmark around the crisis help ("Crisis help"): Material's announce bar is an
  unnamed ``<aside>`` in its base template, which the crisis help fills (overrides/main.html);
- escapes front matter text once, for every template: MkDocs renders templates without
  autoescaping, and Material prints ``page.title`` and ``page.meta.description`` as they
  are. ``title``, ``description`` and ``subtitle`` are replaced by ``markupsafe.Markup``
  holding the escaped text, after all Markdown work is done, so that templates print them
  as text and ``|e`` does not escape them twice.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import pathlib
import sys
import xml.etree.ElementTree as etree
from typing import Any

from jinja2 import Environment
from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb import bibliography, citations  # noqa: E402
from kb import page_data as data  # noqa: E402
from kb.ahead import Ahead  # noqa: E402
from kb.paths import display, repo_root  # noqa: E402

log = logging.getLogger("mkdocs.hooks.reader")

ESCAPED_META = ("title", "description", "subtitle")
"""Front matter values that templates print as text."""

BIBLIOGRAPHY = "data/references.yml"

SITE_LINKS = {"editorial_policy": "about/editorial-policy.md"}
"""Pages the footer and the 404 page link to, by source path."""

INTERACTIVE = {"button", "summary", "label"}
"""Controls whose content is presentational: a focusable term inside one would be a nested
control (axe: nested-interactive). Terms inside links stay focusable, since focusing the link
does not show the term's tooltip."""

_pages: dict[str, data.PageData] = {}
_state: dict[str, Any] = {"bib": None, "today": None, "cited": {}}  # cited: src_uri -> keys, or its Markdown


# -----------------------------------------------------------------------------
# Glossary abbreviations: focusable, so the tooltip also opens from the keyboard
# -----------------------------------------------------------------------------

class _FocusableAbbr(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        def walk(element: etree.Element, in_control: bool) -> None:
            for child in element:
                if child.tag == "abbr" and child.get("title") and not in_control:
                    child.set("tabindex", "0")
                walk(child, in_control or child.tag in INTERACTIVE)
        walk(root, False)


class FocusableAbbrExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        # After the abbr extension (priority 7) has created the <abbr> elements
        md.treeprocessors.register(_FocusableAbbr(md), "kb_focusable_abbr", 6)


# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------

def _bibliography_path(config: MkDocsConfig) -> tuple[pathlib.Path, str]:
    root = repo_root(config.config_file_path)
    return root / BIBLIOGRAPHY, display(root / BIBLIOGRAPHY, root)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _pages.clear()
    config.markdown_extensions.append(FocusableAbbrExtension())
    # Reading and checking the bibliography (a few milliseconds) in a second process, while MkDocs
    # lists the pages; kb.ahead explains when it runs here instead.
    _state["bib_ahead"] = Ahead(functools.partial(bibliography.parsed, *_bibliography_path(config)))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # Problems in the bibliography are reported by the citations hook; only valid entries are used here.
    # Loaded as that hook loads it, so the second load of a build is answered from kb.bibliography's cache.
    if (ahead := _state.pop("bib_ahead", None)) is not None and (parsed := ahead.result()) is not None:
        bibliography.remember(*parsed)
        log.debug("bibliography read in a second process")
    _state["bib"] = bibliography.load(*_bibliography_path(config))
    _state["today"] = dt.date.today()
    _state["cited"] = {}
    return files


@event_priority(100)  # the Markdown as written, before the citations hook numbers its citations
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Note the keys the page cites, in order of first citation: the citations hook read this same
    text while checking every page, so kb.citations knows them without scanning it again. A page
    rendered before that check was back keeps its text, and its keys are found in on_env."""
    if _state["bib"] is not None and _state["bib"].entries:
        keys = citations.remembered_keys(markdown)
        _state["cited"][page.file.src_uri] = keys if keys is not None else markdown
    return markdown


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    links: dict[str, str | None] = {}
    for name, src in SITE_LINKS.items():
        file = files.get_file_from_path(src)
        links[name] = file.url if file else None
    env.globals["reader_site"] = {"links": links}
    site = {"site_name": config.site_name, "site_url": config.site_url or "",
            "site_description": config.site_description or "", "issues_url": str(config.extra.get("issues_url") or ""),
            "language": config.theme.get("language") or "en", "today": _state.get("today") or dt.date.today()}
    for file in files.documentation_pages():
        if file.page is not None and file.page.content is not None:  # rendered in this build
            _reader_data(file.page, site)
    return env


def _title(page: Page) -> str:
    title = page.meta.get("title") or page.title or ""
    return str(title)


def _references(page: Page) -> list[tuple[str, bibliography.Entry]]:
    """The bibliography entries the page cites, in order of first citation."""
    bib = _state["bib"]
    if bib is None or not bib.entries:
        return []
    keys = _state["cited"].get(page.file.src_uri, ())
    if isinstance(keys, str):  # the page's Markdown (see on_page_markdown)
        keys = citations.text_keys(keys)
    return [(key, bib.entries[key]) for key in keys if key in bib.entries]


def _reader_data(page: Page, site: dict[str, Any]) -> None:
    """Compute the page's reader data from its raw front matter and the site's settings (``site``:
    page_data's site-wide arguments), then escape it for templates (after every other hook and
    plugin has read the raw front matter while rendering pages)."""
    url = page.canonical_url or page.abs_url or page.url
    _pages[page.file.src_uri] = data.page_data(
        page.meta,
        src_uri=page.file.src_uri,
        url=url,
        title=_title(page),
        references=_references(page),
        is_homepage=page.is_homepage,
        **site,
    )
    for key in ESCAPED_META:
        value = page.meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            page.meta[key] = escape(value)


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    reader = _pages.get(page.file.src_uri)
    if reader is None:
        return context
    context["reader"] = reader
    return context


CRISIS_BANNER = '<aside class="md-banner">'
NAMED_CRISIS_BANNER = '<aside class="md-banner" aria-label="Crisis help">'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return output.replace(CRISIS_BANNER, NAMED_CRISIS_BANNER, 1)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return output_content.replace(CRISIS_BANNER, NAMED_CRISIS_BANNER, 1)  # the 404 page
