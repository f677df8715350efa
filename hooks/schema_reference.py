"""MkDocs adapter for kb.schema_reference: contributor reference text generated at build time.

``on_page_markdown``: on each page of :data:`GENERATED`, a marker line becomes Markdown generated
from the schemas, so the pages cannot drift from what the checks enforce:

- ``contributing/front-matter.md``: ``<!-- front-matter-reference -->`` becomes every front matter
  key (schema/frontmatter.schema.json), every problem code and the tag vocabulary (data/tags.yml);
- ``contributing/citing.md``: ``<!-- references-fields -->`` becomes the fields of a bibliography
  entry (schema/references.schema.json).

A page without its marker, or a schema that cannot be read, stops the build with a ``PluginError``
naming the file.
"""
from __future__ import annotations

import logging
import pathlib
import sys
from typing import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb import schema_reference  # noqa: E402
from kb.paths import repo_root  # noqa: E402

log = logging.getLogger("mkdocs.hooks.schema_reference")

# Page (src_uri) -> (marker line, what replaces it, given the repository root).
GENERATED: dict[str, tuple[str, Callable[[pathlib.Path], str]]] = {
    "contributing/front-matter.md": (schema_reference.MARKER, schema_reference.render_from),
    "contributing/citing.md": (schema_reference.REFERENCES_MARKER, schema_reference.render_references_fields),
}


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if page.file.src_uri not in GENERATED:
        return None
    marker, generate = GENERATED[page.file.src_uri]
    if marker not in markdown:
        raise PluginError(f"{page.file.src_uri}: the line {marker} is missing; "
                          "it marks where the generated reference goes")
    try:
        generated = generate(repo_root(config.config_file_path))
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
    log.debug("%s: generated reference in place of %s", page.file.src_uri, marker)
    return markdown.replace(marker, generated, 1)
