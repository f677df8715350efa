"""The real content: citations resolve, the bibliography is valid and fully used, every page is
in the navigation and cites a source, every abbreviation is in the glossary, the reading-level
report covers every page, and the built pages show numbered citations linked to their sources."""
from __future__ import annotations

import datetime as dt
import pathlib
import re
import subprocess
import sys

import pytest

from kb import citations, glossary, readability
from kb.citations import bibliography
from kb.core import site
from tests.support.helpers import ROOT, nav_sources, output_path

DOCS = ROOT / "docs"
SITE = site.load(ROOT)
BIB = bibliography.load(ROOT / "data" / "references.yml", display_path="data/references.yml")
PAGES = citations.scan(SITE)
CITED = {path: citations.cited_keys(found) for path, found in PAGES.items()}

NOT_IN_NAV: dict[str, str] = {}
"""Pages deliberately left out of the navigation (docs-relative path → why). Keep it short."""

NOT_CONTENT = ("index.md", "reference/", "about/", "contributing/")
"""Pages that need not cite a source: home and section index pages, reference and about pages."""


def html_of(site: pathlib.Path, src: str) -> str:
    return (site / output_path(src)).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ sources


def test_every_citation_key_resolves() -> None:
    problems = [p for p in citations.check_pages(PAGES, BIB) if p.code in ("CIT001", "CIT002")]
    assert not problems, "\n".join(map(str, problems))


def test_bibliography_entries_are_valid() -> None:
    assert BIB.lines, "data/references.yml has no entries"
    assert not BIB.problems, "\n".join(map(str, BIB.problems))


@pytest.mark.parametrize("key", sorted(BIB.entries))
def test_entry_has_a_doi_or_pmid_in_valid_form(key: str) -> None:
    entry = BIB.entries[key]
    if entry.doi is not None:
        assert re.fullmatch(r"10\.\d{4,9}/\S+", entry.doi), entry.doi
    if entry.pmid is not None:
        assert re.fullmatch(r"[1-9]\d{0,8}", entry.pmid), entry.pmid
    if entry.doi is None and entry.pmid is None:
        assert entry.type in bibliography.URL_ONLY_TYPES, f"{key}: a {entry.type} needs a doi or pmid"
        assert entry.url and entry.url.startswith("https://"), f"{key}: needs an https url"


def test_every_bibliography_entry_is_cited() -> None:
    unused = [p for p in citations.check_pages(PAGES, BIB) if p.code == "CIT003"]
    assert not unused, "\n".join(map(str, unused))


# ------------------------------------------------------------------------------------------- pages


def test_every_page_is_in_the_nav() -> None:
    in_nav = set(nav_sources())
    on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert sorted(on_disk - in_nav - set(NOT_IN_NAV)) == []
    assert sorted(set(NOT_IN_NAV) - on_disk) == [], "NOT_IN_NAV names a page that no longer exists"
    assert sorted(in_nav - on_disk) == []


def test_at_least_15_content_pages_in_the_nav_and_each_cites_a_source() -> None:
    content = [src for src in nav_sources() if not any(src == n or src.startswith(n) or src.endswith("/" + n)
                                                       for n in NOT_CONTENT)]
    uncited = [src for src in content if not CITED.get(f"docs/{src}")]
    assert uncited == [], "content pages that cite no source"
    cited_pages = [src for src in nav_sources() if CITED.get(f"docs/{src}")]
    assert len(cited_pages) >= 15, cited_pages


def test_every_abbreviation_used_is_in_the_glossary() -> None:
    problems = glossary.check_site(SITE, dt.date.today()).problems
    assert not problems, "\n".join(map(str, problems))


READER_PAGES = [src for src in SITE.pages()
                if readability.is_for_readers((DOCS / src).read_text(encoding="utf-8"))]


def test_reader_pages_are_the_pages_for_patients_and_families() -> None:
    assert {"index.md", "ketamine/safety.md", "checking-the-source.md",
            "about/editorial-policy.md"} <= set(READER_PAGES)
    assert not [src for src in READER_PAGES if src.startswith("contributing/")]


def test_readability_report_covers_every_reader_page_and_meets_the_targets() -> None:
    result = subprocess.run([sys.executable, "-m", "kb.readability"], cwd=ROOT, capture_output=True, text=True)
    reported = {line.split()[0] for line in result.stdout.splitlines()[1:-1]}
    assert reported == {f"docs/{src}" for src in READER_PAGES}
    grades = readability.report(SITE)
    median = readability.median(grades)
    assert median is not None and median <= readability.TARGET_GRADE
    assert max(g.grade for g in grades if g.grade is not None) <= readability.MAX_GRADE
    assert result.returncode == 0, result.stdout + result.stderr


# -------------------------------------------------------------------------------------- built site

CITING = sorted(src.removeprefix("docs/") for src, keys in CITED.items() if keys)


@pytest.mark.parametrize("src", CITING)
def test_built_page_has_numbered_citations_linked_to_its_reference_list(built_site: pathlib.Path, src: str) -> None:
    html = html_of(built_site, src)
    keys = CITED[f"docs/{src}"]
    numbers = dict(re.findall(r'<a (?:aria-label="[^"]*" )?class="footnote-ref" href="#fn:([^"]+)">(\d+)</a>', html))
    assert numbers == {key: str(n) for n, key in enumerate(keys, 1)}, "numbered in order of first citation"
    assert re.search(r'<h2 (?:aria-label="[^"]*" )?id="references">References', html)
    items = dict(re.findall(r'<li id="fn:([^"]+)">\s*<p>(.*?)</p>\s*</li>', html, re.S))
    assert list(items) == keys
    for key in keys:
        entry = BIB.entries[key]
        if entry.doi:
            assert f'href="{bibliography.doi_url(entry.doi)}"' in items[key]
        if entry.pmid:
            assert f'href="{bibliography.pubmed_url(entry.pmid)}"' in items[key]
    assert "[@" not in re.sub(r"<code>.*?</code>", "", html, flags=re.S), "a citation was left unrendered"


@pytest.mark.parametrize("src", sorted(set(nav_sources()) - set(CITING)))
def test_page_citing_nothing_has_no_references_heading(built_site: pathlib.Path, src: str) -> None:
    assert not re.search(r'<h2 [^>]*id="references"', html_of(built_site, src))


def test_references_page_lists_the_whole_bibliography_with_back_links(built_site: pathlib.Path) -> None:
    html = html_of(built_site, "reference/references.md")
    ids = re.findall(r'<li id="([^"]+)">', html)
    assert ids == [e.key for e in sorted(BIB.entries.values(), key=bibliography.sort_key)]
    for key in ids:
        item = re.search(rf'<li id="{key}">(.*?)</li>', html, re.S).group(1)
        citing = [src for src, keys in CITED.items() if key in keys]
        assert item.count(f'#fn:{key}">') == len(citing), f"{key}: one link back to each citing page"
        assert bibliography.TYPE_LABELS[BIB.entries[key].type] in item
    assert "<!-- bibliography -->" not in html


@pytest.mark.parametrize("src", nav_sources())
def test_no_page_in_the_navigation_is_a_placeholder(built_site: pathlib.Path, src: str) -> None:
    html = html_of(built_site, src)
    assert "This page is a draft" not in html and "Draft page of" not in html


def test_tags_page_lists_every_page_under_each_of_its_tags(built_site: pathlib.Path) -> None:
    import posixpath

    import yaml
    from mkdocs.utils.meta import get_data

    html = html_of(built_site, "reference/tags.md")
    vocabulary = set(yaml.safe_load((ROOT / "data/tags.yml").read_text(encoding="utf-8")))
    for src in nav_sources():
        if src == "reference/tags.md":
            continue  # the page holding the listing is not listed in it
        _, meta = get_data((DOCS / src).read_text(encoding="utf-8"))
        url = posixpath.normpath("/" + posixpath.dirname(output_path(src))).rstrip("/") + "/"
        for tag in meta.get("tags") or []:
            assert tag in vocabulary
            section = re.search(rf'<h2 (?:aria-label="[^"]*" )?id="tag:{re.escape(tag)}">.*?(?=<h2 |</article>)',
                                html, re.S)
            assert section, f"tag {tag!r} of {src} has no section on the tags page"
            targets = {posixpath.normpath(posixpath.join("/reference/tags/", href)).rstrip("/") + "/"
                       for href in re.findall(r'href="([^"#]+)"', section.group(0))}
            assert url in targets, f"{src} is not listed under {tag!r}"
