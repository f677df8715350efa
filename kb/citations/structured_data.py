"""Cited works as schema.org structured data (JSON-LD) that can sit inside a ``<script>`` element.

The page's own facts (name, description, review date, audience) are written by the theme template
from the front matter; the works a page cites are written by ``kb.citations.extension`` as a second
JSON-LD block for the same node (``@id`` ``#webpage``), so every generator that runs the extension
gets them.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from kb.citations.bibliography import Entry, doi_url, pubmed_url

NON_SCHOLARLY = frozenset({"guideline", "label", "regulatory", "other"})
"""Reference types that are not journal articles (kb.citations.bibliography TYPE_LABELS keys)."""

PAGE_ID = "#webpage"
"""The ``@id`` of a page's MedicalWebPage node, relative to the page (overrides/main.html uses it too)."""

_PERSON = re.compile(r"[A-Z][\w'’.-]*(?: [\w'’.-]+)* [A-Z]{1,3}")  # Vancouver style: surname, initials
_ET_AL = re.compile(r",?\s*et al\.?$")


def safe_json(data: object) -> str:
    """JSON that can sit inside ``<script>``: ``<``, ``>`` and ``&`` become ``\\u003c`` and so on."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def authors_of(authors: str) -> list[dict[str, str]]:
    """Vancouver author lists ("Feder A, Costi S, et al.") as schema.org Persons; anything else (an
    agency, a guideline panel) as one Organization."""
    names = [name.strip() for name in _ET_AL.sub("", authors.strip()).split(",")]
    if all(_PERSON.fullmatch(name) for name in names):
        return [{"@type": "Person", "name": name} for name in names]
    return [{"@type": "Organization", "name": authors.strip()}]


def reference_work(entry: Entry) -> dict[str, Any]:
    """One bibliography entry as a schema.org ScholarlyArticle (or CreativeWork)."""
    scholarly = entry.type not in NON_SCHOLARLY
    work: dict[str, Any] = {"@type": "ScholarlyArticle" if scholarly else "CreativeWork", "identifier": entry.key,
                            "name": entry.title, "author": authors_of(entry.authors)}
    # A journal for articles; the issuing body for guidelines, labels and agency documents
    work["isPartOf" if scholarly else "publisher"] = (
        {"@type": "Periodical", "name": entry.container} if scholarly
        else {"@type": "Organization", "name": entry.container})
    work["datePublished"] = str(entry.year)
    links = [doi_url(entry.doi)] if entry.doi else []
    links += [pubmed_url(entry.pmid)] if entry.pmid else []
    links += [entry.url] if entry.url else []
    if links:
        work["url"] = links[0]
        if len(links) > 1:
            work["sameAs"] = links[1:]
    return work


def citations_block(entries: Sequence[Entry]) -> str:
    """The page's cited works, in order of first citation, as one ``<script type="application/ld+json">``.

    The JSON is an array (JSON-LD allows one at the top): Material's instant navigation puts the
    scripts of the next page's content back as plain scripts, and an array is a JavaScript
    expression that does nothing, where an object would be a syntax error.
    """
    data = [{"@context": "https://schema.org", "@type": "MedicalWebPage", "@id": PAGE_ID,
             "citation": [reference_work(entry) for entry in entries]}]
    return f'<script type="application/ld+json">{safe_json(data)}</script>'
