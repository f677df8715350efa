"""Citations rendered: a page's citations as Python-Markdown footnote references
(:func:`as_footnotes`, which ``kb.citations.extension`` renders), and the site-wide reference list
with links back to the citing pages (:func:`bibliography_markdown`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kb.citations import bibliography
from kb.citations.bibliography import Bibliography
from kb.citations.syntax import Citation, find_citations
from kb.core.markdown_text import escape_markdown

REFERENCES_HEADING = "References"
"""The heading above each page's reference list."""
BIBLIOGRAPHY_MARKER = "<!-- bibliography -->"
"""The line of the references page that becomes the whole bibliography."""


def cited_keys(citations: Iterable[Citation]) -> list[str]:
    """Keys in order of first citation, each once."""
    return list(dict.fromkeys(k for c in citations for k in c.keys))


def _attach(before: str) -> str:
    """Drop the space (or line break) between a word and the citation that follows it, so the
    superscript sits on the word. A break after a heading or table row is kept.

    The dropped tail is the longest run of spaces and tabs, with at most one line break in it,
    that ends ``before`` and follows a non-space character.
    """
    end = len(before.rstrip(" \t"))
    start = len(before[:end - 1].rstrip(" \t")) if end and before[end - 1] == "\n" else end
    if start == 0 or before[start - 1].isspace():
        return before
    if start < end:  # the tail holds a line break
        previous = before[before.rfind("\n", 0, start) + 1:start].lstrip()
        if previous.startswith(("#", "|")) or previous.endswith("|"):
            return before
    return before[:start]


def as_footnotes(markdown: str, known: Mapping[str, object]) -> tuple[str, list[str]]:
    """The Markdown with each citation of a known key as footnote references, and the keys cited.

    ``[@b; @a]`` becomes ``[^a]<sup>,</sup>[^b]`` when ``a`` was cited first: the numbers of one
    citation read in ascending order. A citation with an unknown key or a malformed one is left as
    written (the checks report it).
    """
    citations = [c for c in find_citations(markdown) if c.keys and all(key in known for key in c.keys)]
    order = {key: n for n, key in enumerate(cited_keys(citations))}
    out, pos = [], 0
    for c in citations:
        out.append(_attach(markdown[pos:c.start]))
        keys = sorted(dict.fromkeys(c.keys), key=order.__getitem__)
        out.append("<sup>,</sup>".join(f"[^{key}]" for key in keys))
        pos = c.end
    out.append(markdown[pos:])
    return "".join(out), list(order)


def bibliography_markdown(bib: Bibliography, cited_by: Mapping[str, Sequence[tuple[str, str]]]) -> str:
    """The whole bibliography as Markdown, alphabetical, each entry with the anchor ``#key``, its
    evidence type and links to the pages citing it (``cited_by``: key → (title, relative link))."""
    items = []
    for entry in sorted(bib.entries.values(), key=bibliography.sort_key):
        links = ", ".join(f"[{escape_markdown(title)}]({link}#fn:{entry.key})"
                          for title, link in cited_by.get(entry.key, ()))
        items.append(f"- {bibliography.format_entry(entry)}<br>\n"
                     f"  *{entry.type_label}.* Cited in: {links or 'not cited yet'}.\n"
                     f"  {{ #{entry.key} }}")
    count = len(items)
    intro = f"{count} source{'s' if count != 1 else ''}, in alphabetical order of authors.\n\n"
    return intro + "\n".join(items) + "\n"
