"""Corrections and updates, site-wide: every page's front matter ``changes`` → one list, newest first.

:func:`collect` reads the ``changes`` of every page (with the page's title); :func:`listing_markdown`
writes the list for the "Updates and corrections" page; :func:`atom` writes the same list as an Atom
feed (RFC 4287) for readers who follow the site. Entries that do not load are left out here: the
front matter check reports them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from pathlib import Path

from kb.core import pages
from kb.core.markdown_text import escape_markdown, normalize_newlines, spoken_date

KINDS = {"correction": "Correction", "update": "Update", "review": "Review"}
MARKER = "<!-- updates -->"
"""The line of the updates page that becomes the list."""
PAGE = "about/updates.md"
"""The updates page, docs-relative, unless mkdocs.yml gives the extension another ``updates_page``."""
ATOM = "http://www.w3.org/2005/Atom"


@dataclasses.dataclass(frozen=True)
class Update:
    date: dt.date
    kind: str
    summary: str
    src: str  # docs-relative page
    title: str


def collect(docs_dir: Path) -> list[Update]:
    """Every change of every page, newest first; on one day, in page order."""
    found: list[Update] = []
    for src in pages.markdown_pages(docs_dir):
        try:
            text = normalize_newlines((docs_dir / src).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
        meta = pages.front_matter(text)
        title = meta.get("title") if isinstance(meta.get("title"), str) else src
        for change in meta.get("changes") or [] if isinstance(meta.get("changes"), list) else []:
            if (isinstance(change, dict) and isinstance(change.get("date"), dt.date)
                    and change.get("kind") in KINDS and isinstance(change.get("summary"), str)):
                found.append(Update(change["date"], change["kind"], change["summary"].strip(), src, title))
    return sorted(found, key=lambda u: u.date, reverse=True)



def listing_markdown(updates: Sequence[Update], link: Callable[[str], str]) -> str:
    """The list, one dated section per day; ``link`` gives a page's Markdown link target from its src."""
    if not updates:
        return "No corrections or updates have been recorded yet.\n"
    out: list[str] = []
    for update in updates:
        heading = f"## {spoken_date(update.date)} {{ #updates-{update.date.isoformat()} }}"
        if heading not in out:
            out += ["", heading, ""]
        out.append(f"- **{KINDS[update.kind]}:** [{escape_markdown(update.title)}]({link(update.src)}). "
                   f"{escape_markdown(update.summary)}")
    return "\n".join(out).lstrip("\n") + "\n"


def atom(updates: Sequence[Update], *, feed_url: str, site_url: str, site_name: str, listing_url: str,
         page_url: Callable[[str], str]) -> bytes:
    """The Atom feed of the updates, newest first; ``page_url`` gives a page's absolute URL from its src."""
    etree.register_namespace("", ATOM)

    def add(parent: etree.Element, tag: str, text: str | None = None, **attrs: str) -> etree.Element:
        element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    feed = etree.Element(f"{{{ATOM}}}feed")
    add(feed, "id", feed_url)
    add(feed, "title", f"{site_name}: updates and corrections")
    newest = updates[0].date if updates else dt.date(2000, 1, 1)
    add(feed, "updated", f"{newest.isoformat()}T00:00:00Z")
    add(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    add(feed, "link", rel="alternate", href=listing_url, type="text/html")
    author = add(feed, "author")
    add(author, "name", site_name)
    add(author, "uri", site_url)
    for update in updates:
        entry = add(feed, "entry")
        url = page_url(update.src)
        digest = hashlib.sha256(update.summary.encode("utf-8")).hexdigest()[:12]  # stable from build to build
        add(entry, "id", f"{url}#change-{update.date.isoformat()}-{update.kind}-{digest}")
        add(entry, "title", f"{KINDS[update.kind]}: {update.title}")
        add(entry, "updated", f"{update.date.isoformat()}T00:00:00Z")
        add(entry, "link", rel="alternate", href=url, type="text/html")
        add(entry, "summary", update.summary, type="text")
        add(entry, "category", term=update.kind, label=KINDS[update.kind])
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + etree.tostring(feed, encoding="utf-8") + b"\n"
