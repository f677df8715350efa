"""Corrections readers can see: each page's "What changed", the Updates and corrections page, its Atom feed."""
from __future__ import annotations

import datetime as dt
import html
import pathlib
import re
import xml.etree.ElementTree as ET

from kb import updates
from tests.support.helpers import ROOT, output_path, run_mkdocs_build

ATOM = "{http://www.w3.org/2005/Atom}"
RECORDED = updates.collect(ROOT / "docs")


def test_this_rounds_corrections_are_recorded() -> None:
    kinds = {u.kind for u in RECORDED}
    assert {"correction", "update"} <= kinds
    assert len({u.src for u in RECORDED}) >= 10
    assert [u.date for u in RECORDED] == sorted((u.date for u in RECORDED), reverse=True)


def test_each_page_with_changes_shows_them_newest_first(built_site: pathlib.Path) -> None:
    by_page: dict[str, list[updates.Update]] = {}
    for update in RECORDED:
        by_page.setdefault(update.src, []).append(update)
    for src, changes in by_page.items():
        page = (built_site / output_path(src)).read_text(encoding="utf-8")
        section = re.search(r'<section class="kb-changes".*?</section>', page, re.S)
        assert section, f"{src}: no 'What changed' section"
        items = re.findall(r'<time datetime="([\d-]+)">.*?<strong>(\w+):</strong>\s*(.*?)\s*</li>',
                           section.group(0), re.S)
        assert [d for d, _, _ in items] == sorted((d for d, _, _ in items), reverse=True)
        assert sorted(html.unescape(s) for _, _, s in items) == sorted(c.summary for c in changes)
        assert "All updates and corrections" in section.group(0)


def test_pages_without_changes_have_no_section(built_site: pathlib.Path) -> None:
    html = (built_site / output_path("contributing/index.md")).read_text(encoding="utf-8")
    assert 'class="kb-changes"' not in html


def test_the_updates_page_lists_every_change_newest_first_with_links(built_site: pathlib.Path) -> None:
    html = (built_site / "about" / "updates" / "index.html").read_text(encoding="utf-8")
    assert "<!-- updates -->" not in html
    days = re.findall(r'<h2 (?:aria-label="[^"]*" )?id="updates-([\d-]+)">', html)
    assert days == sorted(set(days), reverse=True) and days
    items = re.findall(r"<li><strong>(Correction|Update|Review):</strong> <a href=\"([^\"]+)\">", html)
    assert len(items) == len(RECORDED)
    assert all(not href.endswith(".md") for _, href in items), "links are to built pages"
    assert 'href="../../feed.xml"' in html


def test_the_feed_is_atom_with_one_entry_per_change(built_site: pathlib.Path) -> None:
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(RECORDED)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry, update in zip(entries, RECORDED, strict=True):
        assert entry.findtext(f"{ATOM}summary") == update.summary
        assert entry.find(f"{ATOM}link").get("href").startswith("http://127.0.0.1:8000/")
        assert entry.findtext(f"{ATOM}updated") == f"{update.date.isoformat()}T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://127.0.0.1:8000/feed.xml"
    head = (built_site / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert 'rel="alternate" type="application/atom+xml"' in head


def test_feed_entry_ids_do_not_change_between_builds(built_site: pathlib.Path, tmp_path: pathlib.Path) -> None:
    result = run_mkdocs_build(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    ids = [[e.findtext(f"{ATOM}id") for e in ET.parse(site / "feed.xml").getroot().findall(f"{ATOM}entry")]
           for site in (built_site, tmp_path / "site")]
    assert ids[0] == ids[1]


def test_listing_and_feed_of_no_changes() -> None:
    assert updates.listing_markdown([], str) == "No corrections or updates have been recorded yet.\n"
    feed = ET.fromstring(updates.atom([], feed_url="https://x/feed.xml", site_url="https://x/", site_name="X",
                                      listing_url="https://x/u/", page_url=str))
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated")


def test_hostile_summaries_are_text_in_the_feed() -> None:
    hostile = updates.Update(dt.date(2026, 12, 3), "correction", "a & b ]]> </summary>", "a.md", "Title & more")
    feed = updates.atom([hostile], feed_url="https://x/feed.xml", site_url="https://x/", site_name="X",
                        listing_url="https://x/u/", page_url=lambda src: "https://x/a/")
    entry = ET.fromstring(feed).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}summary") == "a & b ]]> </summary>"
    assert entry.findtext(f"{ATOM}title") == "Correction: Title & more"
    listing = updates.listing_markdown([hostile], lambda src: src)
    assert "[Title &amp; more](a.md)" in listing
