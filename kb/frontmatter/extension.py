"""Contributor reference text generated from the schemas, so the pages cannot drift from the checks.

Markdown extension in the shape of pymdownx's (``- kb.frontmatter.extension`` in ``mkdocs.yml``;
option ``root``, the repository, default the working folder). A line that is one of
:data:`GENERATED`'s markers becomes the Markdown that :mod:`kb.frontmatter.reference` writes from
``schema/frontmatter.schema.json``, the problem codes and ``data/tags.yml`` (front matter reference)
or ``schema/references.schema.json`` (bibliography fields). A schema that cannot be read gives a
failure notice in its place; the checks and tests report the cause.
"""
from __future__ import annotations

import pathlib
from collections.abc import Callable

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from kb.frontmatter import reference as schema_reference

GENERATED: dict[str, Callable[[pathlib.Path], str]] = {
    schema_reference.MARKER: schema_reference.render_from,
    schema_reference.REFERENCES_MARKER: schema_reference.render_references_fields,
}
"""Marker line → what replaces it, given the repository root."""


class SchemaReferencePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, root: pathlib.Path) -> None:
        super().__init__(md)
        self.root = root

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            generate = GENERATED.get(line.strip())
            if generate is None:
                out.append(line)
                continue
            try:
                out += generate(self.root).split("\n")
            except ValueError as error:
                out += ['!!! failure "The generated reference could not be written"', "",
                        f"    {schema_reference.text(str(error))}", ""]
        return out


class SchemaReferenceExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"root": [".", "The repository, where schema/ and data/ are - Default: ."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # After snippets (32), before raw HTML is set aside (20): the markers are HTML comments.
        md.preprocessors.register(SchemaReferencePreprocessor(md, pathlib.Path(self.getConfig("root"))),
                                  "kb_schema_reference", 31)


def makeExtension(**kwargs) -> SchemaReferenceExtension:  # noqa: N802 (Python-Markdown's name)
    return SchemaReferenceExtension(**kwargs)
