"""``[@key]`` citations → numbered notes, the page's reference list and its cited works.

Markdown extension in the shape of pymdownx's: processors, an :class:`CitationsExtension` with its
options, :func:`makeExtension`. In ``mkdocs.yml``::

    markdown_extensions:
      - footnotes
      - attr_list
      - kb.citations.extension:
          bibliography: data/references.yml

- :class:`CitationsPreprocessor` (after snippets, before fences and raw HTML are read): each citation of a
  known key becomes footnote references (``[^key]``, numbered by Python-Markdown's footnotes
  extension, whose HTML Material's footnote tooltips read); a "References" heading, left out of
  search, takes the footnotes' place, followed by the cited works as JSON-LD. Each reference is
  written as HTML from the bibliography's fields, escaped, and kept from further Markdown processing.
  On the page holding the ``<!-- bibliography -->`` line, that line becomes the whole bibliography,
  each entry linked to the pages citing it (read from ``docs_dir``).
- :class:`CitationHeadingTreeprocessor`: a heading that cites keeps its plain text as its anchor and
  its table of contents entry (the note number is not part of either).

Unknown keys and malformed citations are left as written: ``make check`` and the build's check hook
report them with file, line and column.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from kb import citations
from kb.citations import bibliography, structured_data
from kb.core import pages
from kb.core.markdown_text import normalize_newlines, relative_link

HEADINGS = {f"h{level}" for level in range(1, 7)}


def _title(text: str, src: str) -> str:
    """A page's own title: front matter ``title``, else its first H1, else its file name."""
    title = pages.front_matter(text).get("title")
    if isinstance(title, str) and title.strip():
        return title
    for line in pages.body_of(text).split("\n"):
        if line.startswith("# "):
            return line[2:].strip().rstrip("#").strip()
    return Path(src).stem.replace("-", " ").capitalize()


def cited_by(docs_dir: Path, listing_page: str) -> dict[str, list[tuple[str, str]]]:
    """key → (title, link relative to ``listing_page``) of every page citing it, in page order."""
    found: dict[str, list[tuple[str, str]]] = {}
    for src in pages.markdown_pages(docs_dir):
        try:
            text = normalize_newlines((docs_dir / src).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue  # the checks report unreadable pages
        keys = citations.cited_keys(citations.find_citations(text, front_matter=True))
        if keys:
            link = (_title(text, src), relative_link(src, listing_page))
            for key in keys:
                found.setdefault(key, []).append(link)
    return found


class CitationsPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: CitationsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "[@" not in text and citations.BIBLIOGRAPHY_MARKER not in text:
            return lines
        bib = bibliography.load(self.extension.getConfig("bibliography"))
        if citations.BIBLIOGRAPHY_MARKER in text:
            docs_dir = Path(self.extension.getConfig("docs_dir"))
            listing = self.extension.getConfig("bibliography_page")
            text = text.replace(citations.BIBLIOGRAPHY_MARKER,
                                citations.bibliography_markdown(bib, cited_by(docs_dir, listing)), 1)
        text, keys = citations.as_footnotes(text, bib.entries)
        if not keys:
            return text.split("\n")
        stash = self.md.htmlStash.store
        marker = self.md.treeprocessors["footnote"].footnotes.getConfig("PLACE_MARKER")
        notes = [f"[^{key}]: {stash(bibliography.entry_html(bib.entries[key]))}" for key in keys]
        # Raw HTML, set aside by Python-Markdown as a block of its own (its JSON holds no "<").
        block = structured_data.citations_block([bib.entries[key] for key in keys])
        heading = f'## {citations.REFERENCES_HEADING} {{ data-search-exclude="true" }}'
        return [*text.rstrip("\n").split("\n"), "", heading, "", marker, "",
                *"\n\n".join(notes).split("\n"), "", block, ""]


class CitationHeadingTreeprocessor(Treeprocessor):
    """Anchor and table of contents label of a citing heading from its text without the notes."""

    def run(self, root: etree.Element) -> None:
        if "toc" not in self.md.treeprocessors:
            return
        toc = self.md.treeprocessors["toc"]
        for heading in (element for element in root.iter() if element.tag in HEADINGS):
            notes = [child for child in heading if child.tag == "sup"]
            if not notes or "id" in heading.attrib:
                continue
            label = "".join(_text_without(heading, notes)).strip()
            heading.set("id", toc.slugify(label, toc.sep))
            heading.set("data-toc-label", label)


def _text_without(element: etree.Element, skipped: list[etree.Element]) -> list[str]:
    parts = [element.text or ""]
    for child in element:
        if child not in skipped:
            parts += _text_without(child, [])
        parts.append(child.tail or "")
    return parts


class CitationsExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "bibliography": ["data/references.yml", "The bibliography (YAML) - Default: data/references.yml"],
            "docs_dir": ["docs", "The pages, for the bibliography's 'Cited in' links - Default: docs"],
            "bibliography_page": ["reference/references.md",
                                  "The page with the <!-- bibliography --> line, docs-relative - "
                                  "Default: reference/references.md"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        if "footnote" not in md.treeprocessors:
            md.registerExtensions(["footnotes"], {})
        if "attr_list" not in md.treeprocessors:
            md.registerExtensions(["attr_list"], {})
        # After pymdownx.snippets (32), so included text is cited too, and after normalize_whitespace
        # (30), which drops the markers of set-aside HTML; before fences (25) and raw HTML (20).
        md.preprocessors.register(CitationsPreprocessor(md, self), "kb_citations", 29)
        # After inline processing (20) has made the notes, before the table of contents (5).
        md.treeprocessors.register(CitationHeadingTreeprocessor(md), "kb_citation_headings", 6)


def makeExtension(**kwargs) -> CitationsExtension:  # noqa: N802 (Python-Markdown's name)
    return CitationsExtension(**kwargs)
