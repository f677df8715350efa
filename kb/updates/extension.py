"""The "Updates and corrections" page: its ``<!-- updates -->`` line becomes every page's recorded
changes, newest first, each linked to its page (:mod:`kb.updates`).

Markdown extension in the shape of pymdownx's. In ``mkdocs.yml``::

    markdown_extensions:
      - attr_list
      - kb.updates.extension:
          docs_dir: docs
          updates_page: about/updates.md
"""
from __future__ import annotations

from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from kb import updates
from kb.core.markdown_text import relative_link


class UpdatesPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: UpdatesExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        if updates.MARKER not in lines:
            return lines
        listing_page = self.extension.getConfig("updates_page")
        found = updates.collect(Path(self.extension.getConfig("docs_dir")))
        text = updates.listing_markdown(found, lambda src: relative_link(src, listing_page))
        at = lines.index(updates.MARKER)
        return [*lines[:at], *text.split("\n"), *lines[at + 1:]]


class UpdatesExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "docs_dir": ["docs", "The pages whose changes are listed - Default: docs"],
            "updates_page": [updates.PAGE, f"The page with the {updates.MARKER} line, docs-relative - "
                                           f"Default: {updates.PAGE}"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        if "attr_list" not in md.treeprocessors:
            md.registerExtensions(["attr_list"], {})
        # After snippets (32), before raw HTML is set aside (20): the marker is an HTML comment.
        md.preprocessors.register(UpdatesPreprocessor(md, self), "kb_updates", 31)


def makeExtension(**kwargs) -> UpdatesExtension:  # noqa: N802 (Python-Markdown's name)
    return UpdatesExtension(**kwargs)
