"""Names a screen reader can use, and tables a phone can show: one treeprocessor over the finished page.

Markdown extension in the shape of pymdownx's. In ``mkdocs.yml``, after the extensions it reads::

    markdown_extensions:
      - admonition
      - footnotes
      - tables
      - toc:
          permalink: true
      - kb.accessible.extension

:class:`AccessibleNamesTreeprocessor` runs after every other treeprocessor (the table of contents adds
its permalinks at priority 5, the footnotes their list at 50) and, without changing what anyone sees:

- a heading with a permalink is named by its own text (``aria-label``), so "¶" is not read as part of
  it, and the permalink is named "Link to this section: <heading>";
- a note marker (a citation, ``[@key]``) is named "Reference N" instead of a bare digit, and each
  back-link of the reference list "Back to reference N in the text" (with "use 2", "use 3" when a
  source is cited more than once) instead of "↩";
- an admonition (``!!! abstract "Key points"``, ``!!! warning "Content note"``) is a note named by its
  title (``role="note"``, ``aria-label``);
- each cell of a table of three or more columns carries its column's header as ``data-label``, which
  the stylesheet shows before the cell when the table is stacked as one card a row on a narrow screen;
  the table's parts keep their roles explicitly, since some browsers drop them once the layout changes.
"""
from __future__ import annotations

import copy
import html
import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.extensions.toc import render_inner_html, strip_tags
from markdown.treeprocessors import Treeprocessor

HEADINGS = {f"h{n}" for n in range(1, 7)}
MIN_STACKED_COLUMNS = 3
"""Tables this wide become one card a row on a phone; narrower ones fit as they are."""
_BACKREF = re.compile(r"^#fnref(?P<use>\d*):")


def _classes(element: etree.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element: etree.Element, skip=lambda e: False) -> str:
    """The element's text without the descendants ``skip`` selects, whitespace collapsed."""
    parts = [element.text or ""]
    for child in element:
        if not skip(child):
            parts.append(_text(child, skip))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _drop(element: etree.Element, skip) -> None:
    """Remove the descendants ``skip`` selects, keeping the text that follows each."""
    index = 0
    while index < len(element):
        child = element[index]
        if skip(child):
            tail = child.tail or ""
            if index == 0:
                element.text = (element.text or "") + tail
            else:
                element[index - 1].tail = (element[index - 1].tail or "") + tail
            element.remove(child)
            continue
        _drop(child, skip)
        index += 1


def _not_heading_text(element: etree.Element) -> bool:
    """A heading's permalink and its note markers are not part of its name."""
    return "headerlink" in _classes(element) or (element.tag == "sup" and element.get("id", "").startswith("fnref"))


class AccessibleNamesTreeprocessor(Treeprocessor):
    def name(self, element: etree.Element, skip=lambda e: False) -> str:
        """The text a name is made of, as the table of contents reads a heading: rendered, raw HTML
        (a tag in a heading) included, then reduced to its text, so no markup reaches the attribute."""
        clone = copy.deepcopy(element)
        _drop(clone, skip)
        return " ".join(html.unescape(strip_tags(render_inner_html(clone, self.md))).split())

    def run(self, root: etree.Element) -> None:
        numbers: dict[str, str] = {}  # footnote id -> its number as shown
        for element in root.iter():
            classes = _classes(element)
            if element.tag in HEADINGS:
                self.heading(element)
            elif element.tag == "a" and "footnote-ref" in classes:
                number = _text(element)
                numbers[(element.get("href") or "").lstrip("#")] = number
                element.set("aria-label", f"Reference {number}")
            elif element.tag == "div" and "admonition" in classes:
                self.admonition(element)
            elif element.tag == "table":
                self.table(element)
        for element in root.iter("li"):
            footnote = element.get("id") or ""
            if not footnote.startswith("fn:"):
                continue
            number = numbers.get(footnote, "")
            for link in element.iter("a"):
                if "footnote-backref" not in _classes(link):
                    continue
                m = _BACKREF.match(link.get("href") or "")
                use = f", use {m.group('use')}," if m and m.group("use") else ""
                label = f"Back to reference {number}{use} in the text" if number else "Back to the text"
                link.set("aria-label", label)
                link.set("title", label)

    def heading(self, element: etree.Element) -> None:
        links = [child for child in element if child.tag == "a" and "headerlink" in _classes(child)]
        if not links or "/" in element.get("id", ""):
            # A "/" is in no slug the table of contents makes: Material's tags listing writes its
            # headings as "<listing>/name" templates and fills them in after Markdown (the name
            # would be filled with HTML inside the attribute). Those headings keep their text.
            return
        name = self.name(element, _not_heading_text)
        if not name:
            return
        element.set("aria-label", name)
        for link in links:
            link.set("aria-label", f"Link to this section: {name}")

    def admonition(self, element: etree.Element) -> None:
        title = next((child for child in element if child.tag == "p" and "admonition-title" in _classes(child)), None)
        name = self.name(title) if title is not None else ""
        if not name:
            kinds = _classes(element) - {"admonition"}
            name = next(iter(sorted(kinds)), "Note").capitalize()
        element.set("role", "note")
        element.set("aria-label", name)

    def table(self, element: etree.Element) -> None:
        head = element.find("thead")
        header_row = head.find("tr") if head is not None else None
        if header_row is None:
            return
        headers = [self.name(th) for th in header_row if th.tag in ("th", "td")]
        if len(headers) < MIN_STACKED_COLUMNS:
            return
        element.set("data-stack", "")
        element.set("role", "table")
        for group in element:
            if group.tag in ("thead", "tbody"):
                group.set("role", "rowgroup")
                for row in group.iter("tr"):
                    row.set("role", "row")
                    for index, cell in enumerate(c for c in row if c.tag in ("th", "td")):
                        if group.tag == "thead":
                            cell.set("role", "columnheader")
                            continue
                        cell.set("role", "cell")
                        if index < len(headers) and headers[index]:
                            cell.set("data-label", headers[index])


class AccessibleExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # Last: after the table of contents (5), the glossary (6.5, 7), the footnotes (50) and the
        # unescaping of backslash escapes (0), so names read as the text does.
        md.treeprocessors.register(AccessibleNamesTreeprocessor(md), "kb_accessible_names", -1)


def makeExtension(**kwargs) -> AccessibleExtension:  # noqa: N802 (Python-Markdown's name)
    return AccessibleExtension(**kwargs)
