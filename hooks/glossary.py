"""MkDocs adapter for kb.glossary: the glossary page is generated from includes/abbreviations.md.

The same file is appended to every page by pymdownx.snippets (``auto_append``), so each term has
a tooltip site-wide; here its lines become the definition list of ``docs/reference/glossary.md``,
replacing that page's ``<!-- glossary -->`` line. A malformed or duplicate line stops the build.
"""
from __future__ import annotations

import logging
import pathlib
import sys

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb import glossary  # noqa: E402
from kb.paths import repo_root  # noqa: E402

log = logging.getLogger("mkdocs.hooks.glossary")

SOURCE = "includes/abbreviations.md"
GLOSSARY_PAGE = "reference/glossary.md"

_state: dict = {"glossary": None}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    terms = glossary.load(repo_root(config.config_file_path) / SOURCE, display_path=SOURCE)
    if terms.problems:
        raise PluginError(f"{len(terms.problems)} glossary problem(s):\n" + "\n".join(map(str, terms.problems)))
    _state["glossary"] = terms
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri != GLOSSARY_PAGE or _state["glossary"] is None:
        return markdown
    if glossary.GLOSSARY_MARKER not in markdown:
        log.warning(f"docs/{GLOSSARY_PAGE}: no '{glossary.GLOSSARY_MARKER}' line to replace with the glossary")
        return markdown
    return markdown.replace(glossary.GLOSSARY_MARKER, glossary.render_glossary(_state["glossary"]), 1)


def on_serve(server, config: MkDocsConfig, builder):
    if (path := repo_root(config.config_file_path) / SOURCE).exists():
        server.watch(str(path))
    return server
