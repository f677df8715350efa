"""The faster citation scanning and report links give exactly what the straightforward versions gave.

``reference_*`` below are the earlier implementations (kb.citations: per-match string rebuilding, a
search over the whole text for the trailing space; kb.page_data: urlencode of the whole report
form); the current ones must agree with them on every page under docs/ and on generated input
full of the constructs they treat specially.
"""
from __future__ import annotations

import pathlib
import re
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import citations, page_data

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").rglob("*.md"))


def reference_blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def reference_mask_code(text: str, front_matter: bool = False) -> str:
    if front_matter and (m := citations._FRONT_MATTER.match(text)):
        text = reference_blank(text, 0, m.end())
    # Fenced code: the same line-by-line pass as before (not rewritten), but run on every text, with
    # no check for a fence marker first, so the markers mask_code now checks are tested here too.
    text = citations._blank_fences(text)
    for pattern in (citations._HTML_COMMENT, citations._INLINE_CODE):
        for m in list(pattern.finditer(text)):
            text = reference_blank(text, m.start(), m.end())
    return text


def reference_find_citations(text: str, front_matter: bool = False) -> list[citations.Citation]:
    masked = reference_mask_code(text, front_matter=front_matter)
    found = []
    for m in citations._CANDIDATE.finditer(masked):
        line_start = masked.rfind("\n", 0, m.start()) + 1
        if masked.startswith(":", m.end()) and citations._LINK_DEFINITION_START.fullmatch(masked[line_start:m.start()]):
            continue
        if citations._BLANK_LINE.search(m.group("body")):
            continue
        keys, why = citations._parse_body(m.group("body"))
        line = masked.count("\n", 0, m.start()) + 1
        found.append(citations.Citation(line, m.start() - line_start + 1, m.start(), m.end(), keys, why))
    return found


_TRAILING_SPACE = re.compile(r"(?<=\S)[ \t]*(?:\n[ \t]*)?\Z")


def reference_attach(before: str) -> str:
    m = _TRAILING_SPACE.search(before)
    if not m:
        return before
    if "\n" in m.group(0):
        previous = before[before.rfind("\n", 0, m.start()) + 1:m.start()].lstrip()
        if previous.startswith(("#", "|")) or previous.endswith("|"):
            return before
    return before[:m.start()]


PIECES = st.sampled_from([
    "---\n", "title: x\n", "...\n", "word", " ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "\u2028", "\u00a0",
    "`", "``", "```", "````\n", "~~~\n", "> ```\n", "    ", "<!--", "-->", "[@a]", "[@a; @b]", "[@a, @b]",
    "[@", "]", "[", "(url)", ": url", "[@a]:", "# Heading ", "| cell |", "|", "@b", ";", "x.", "é",
])
TEXTS = st.lists(PIECES, max_size=40).map("".join)
SAFE = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_docs_pages_scan_as_before() -> None:
    assert DOCS
    for path in DOCS:
        text = path.read_text(encoding="utf-8-sig")
        for front_matter in (False, True):
            assert citations.mask_code(text, front_matter) == reference_mask_code(text, front_matter), path
            assert citations.find_citations(text, front_matter) == reference_find_citations(text, front_matter), path
        assert list(citations.page_citations(text)) == reference_find_citations(text, True), path


@SAFE
@given(TEXTS, st.booleans())
def test_generated_markdown_scans_as_before(text: str, front_matter: bool) -> None:
    assert citations.mask_code(text, front_matter) == reference_mask_code(text, front_matter)
    assert citations.find_citations(text, front_matter) == reference_find_citations(text, front_matter)


FRONT_MATTER = st.sampled_from(["", "---\n", "---\ntitle: x\n---\n", "--- \t\na: `b`\n...\n", "---\n[@a]\n---",
                                "---\n```\n---\n", "---\n<!--\n---\n\n\n", "---\r\nx: y\r\n---\r\n"])


@SAFE
@given(FRONT_MATTER, TEXTS)
def test_generated_pages_scan_as_before(front_matter: str, text: str) -> None:
    page = front_matter + text
    assert list(citations.page_citations(page)) == reference_find_citations(page, front_matter=True)
    assert list(citations.text_citations(page)) == reference_find_citations(page)


@SAFE
@given(TEXTS)
def test_attach_drops_the_same_space(text: str) -> None:
    assert citations._attach(text) == reference_attach(text)


def test_page_citations_follow_the_text() -> None:
    first = citations.page_citations("---\ntitle: x\n---\nA [@a].\n")
    edited = citations.page_citations("---\ntitle: x\n---\nA [@b].\n")
    assert [c.keys for c in first] == [("a",)] and [c.keys for c in edited] == [("b",)]


def reference_report_url(issues_url: str, src_uri: str, title: str, url: str) -> str:
    query = urlencode({
        "template": page_data.REPORT_TEMPLATE,
        "page": src_uri,
        "title": f"Error on page: {title}",
        "body": page_data.REPORT_BODY.format(url=url, src=src_uri),
    }, quote_via=quote)
    return f"{issues_url}{'&' if '?' in issues_url else '?'}{query}"


@SAFE
@given(st.sampled_from(["https://github.com/o/r/issues/new", "https://example.org/issues/new?labels=error"]),
       st.text(), st.text(), st.text())
def test_report_url_encodes_as_urlencode(issues_url: str, src_uri: str, title: str, url: str) -> None:
    assert page_data.report_url(issues_url, src_uri, title, url) == reference_report_url(issues_url, src_uri, title, url)
