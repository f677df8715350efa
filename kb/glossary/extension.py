"""The glossary file → a tooltip for every term on every page, reachable by keyboard, and the glossary page.

Markdown extension in the shape of pymdownx's. In ``mkdocs.yml``::

    markdown_extensions:
      - md_in_html
      - kb.glossary.extension:
          glossary: includes/abbreviations.md

- The terms of the glossary file (``*[TERM]: definition`` lines, read by :mod:`kb.glossary`) become
  Python-Markdown's ``abbr`` glossary, so each term on any page is an ``<abbr>`` with its definition
  as title; a page may still define its own terms. (Do not also list ``abbr``: this registers it.)
- :class:`FocusableAbbrTreeprocessor`: each term gets ``tabindex="0"``, so Material's tooltip opens on
  keyboard focus as well as on hover, except inside a control (a nested control, axe: nested-interactive).
- :class:`GlossaryPagePreprocessor`: the page holding the ``<!-- glossary -->`` line gets the
  definition list there.

Malformed glossary lines are left out here; the checks report them with their line.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.extensions.abbr import AbbrExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from kb import glossary

NOT_HERE = {"button", "summary", "label", "a", "th", *(f"h{n}" for n in range(1, 7))}
"""Where a term is left unmarked: in a control or link a focusable term would be a nested control (and
focusing the control does not show the term's tooltip); a heading or a table's header is for finding
one's way (and a phone shows a table's headers as labels), and its term is explained in the text."""


def _unwrap(parent: etree.Element, index: int) -> None:
    """Replace ``parent[index]`` by its text (an ``<abbr>`` holds text only)."""
    child = parent[index]
    text = "".join(child.itertext()) + (child.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text
    parent.remove(child)


class FocusableAbbrTreeprocessor(Treeprocessor):
    """Each term once a page, at its first use in running text, focusable; the rest plain text."""

    def __init__(self, md: Markdown, plain: frozenset[str] = frozenset()) -> None:
        super().__init__(md)
        self.plain = plain

    def run(self, root: etree.Element) -> None:
        seen: set[str] = set()

        def walk(element: etree.Element, unmarked: bool) -> None:
            index = 0
            while index < len(element):
                child = element[index]
                if child.tag == "abbr" and child.get("title") is not None:
                    term = "".join(child.itertext())
                    if unmarked or term in seen or term in self.plain:
                        _unwrap(element, index)
                        continue
                    seen.add(term)
                    child.set("tabindex", "0")
                else:
                    walk(child, unmarked or child.tag in NOT_HERE)
                index += 1

        walk(root, False)


class GlossaryPagePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, terms: glossary.Glossary) -> None:
        super().__init__(md)
        self.terms = terms

    def run(self, lines: list[str]) -> list[str]:
        if glossary.GLOSSARY_MARKER not in lines:
            return lines
        at = lines.index(glossary.GLOSSARY_MARKER)
        return [*lines[:at], *glossary.render_glossary(self.terms).split("\n"), *lines[at + 1:]]


class GlossaryExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"glossary": ["includes/abbreviations.md",
                                    "The glossary: one *[TERM]: definition line per term - "
                                    "Default: includes/abbreviations.md"],
                       "plain": [[], "Terms listed on the glossary page but never marked in the text "
                                     "(abbreviations every reader knows, such as US) - Default: []"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        terms = glossary.load(self.getConfig("glossary"))
        AbbrExtension(glossary={t.term: t.definition for t in terms.terms.values()}).extendMarkdown(md)
        # After snippets (32), before raw HTML is set aside (20): the list is Markdown in HTML.
        md.preprocessors.register(GlossaryPagePreprocessor(md, terms), "kb_glossary_page", 31)
        # After abbr (7) has made the <abbr> elements.
        plain = frozenset(self.getConfig("plain") or ())
        md.treeprocessors.register(FocusableAbbrTreeprocessor(md, plain), "kb_focusable_abbr", 6.5)


def makeExtension(**kwargs) -> GlossaryExtension:  # noqa: N802 (Python-Markdown's name)
    return GlossaryExtension(**kwargs)
