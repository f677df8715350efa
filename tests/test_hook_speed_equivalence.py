"""The faster citation scanning, report links, structured data and schema check give what the
straightforward versions gave.

``reference_*`` below are the earlier implementations (kb.citations: per-match string rebuilding, a
search over the whole text for the trailing space; kb.page_data: urlencode of the whole report
form); the current ones must agree with them on every page under docs/ and on generated input
full of the constructs they treat specially.
"""
from __future__ import annotations

import pathlib
import re
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, event, given, settings
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


def test_json_ld_text_writes_what_safe_json_writes() -> None:
    """Cited works' JSON is written once per build and spliced in: the text is that of the whole object."""
    from kb import bibliography

    bib = bibliography.load(ROOT / "data" / "references.yml")
    spliced = 0
    for page in DOCS:
        source = page.read_text(encoding="utf-8")
        keys = citations.cited_keys(citations.page_citations(source))
        meta = {"title": 'A <b> & "quoted" title', "last_reviewed": "2026-01-02", "tags": ["ketamine"]}
        data = page_data.page_data(meta, src_uri=page.name, url="https://example.org/a/", title=meta["title"],
                                   site_name="KB", site_url="https://example.org/",
                                   references=[(key, bib.entries[key]) for key in keys if key in bib.entries])
        assert data.json_ld_text == page_data.safe_json(data.json_ld), page
        assert ("citation" in data.json_ld) == bool(data.citation_json), page
        spliced += bool(data.citation_json)
    assert spliced > 10


# The compiled schema check (kb.frontmatter.validate._fast_check) must refuse exactly what jsonschema refuses:
# a page it passed is never checked by jsonschema.

_SCALARS = st.one_of(st.text(max_size=200), st.integers(-5, 40), st.booleans(), st.none(), st.floats(allow_nan=False))
_VALUES = st.one_of(_SCALARS, st.lists(st.one_of(st.sampled_from(["ketamine", "ptsd", "safety", "x"]), _SCALARS),
                                       max_size=4),
                    st.dictionaries(st.sampled_from(["toc", "navigation", "boost", "exclude"]), _SCALARS, max_size=2))


def _schema_keys() -> list[str]:
    from kb.frontmatter import validate

    return [*validate.schema()["properties"], "unknown_key"]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_compiled_schema_refuses_what_jsonschema_refuses(data) -> None:
    from kb.frontmatter import validate

    valid = {"title": "A title", "description": "d" * 60, "tags": ["ketamine"], "last_reviewed": "2026-01-02"}
    instance = dict(valid)
    properties = validate.schema()["properties"]
    _vary(data, instance, properties, _schema_keys(), _VALUES)
    _same_verdict(validate._validator(), validate._fast_check(), instance)


def _vary(data, instance: dict, properties: dict, keys: list[str], values) -> None:
    """Remove up to four of ``keys`` from ``instance`` or give them ``values`` or what the schema
    documents for them (examples, allowed values)."""
    for key in data.draw(st.lists(st.sampled_from(keys), max_size=4)):
        spec = properties.get(key, {})
        documented = [*spec.get("examples", []), *spec.get("enum", []), *spec.get("items", {}).get("enum", [])]
        if data.draw(st.booleans()):
            instance[key] = data.draw(st.one_of(values, st.sampled_from(documented)) if documented else values)
        else:
            instance.pop(key, None)


def _same_verdict(validator, fast_check, instance: dict) -> bool:
    """The compiled check passes ``instance`` exactly when jsonschema finds no error; which it was."""
    from fastjsonschema import JsonSchemaValueException

    refused = any(True for _ in validator.iter_errors(instance))
    try:
        fast_check(dict(instance))
        passed = True
    except JsonSchemaValueException:
        passed = False
    assert passed != refused, instance
    event("passed" if passed else "refused")
    return passed


_SEARCH_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from(["\ud800", "\u2028", '"', "\\", "\x00", "<"]))
_SEARCH_ENTRY = st.fixed_dictionaries(
    {"location": _SEARCH_TEXT, "title": _SEARCH_TEXT, "text": _SEARCH_TEXT},
    optional={"boost": st.floats(allow_nan=False, allow_infinity=False) | st.integers(-2**80, 2**80), "tags": st.lists(_SEARCH_TEXT)})


@settings(max_examples=300, deadline=None)
@given(st.lists(_SEARCH_ENTRY, max_size=4))  # finite numbers: JSON has no infinity (Node refuses the json module's "Infinity")
def test_search_entries_reach_node_as_the_json_module_writes_them(entries: list[dict]) -> None:
    import json

    from kb import search_prebuild

    line = search_prebuild._line(entries)
    assert line.endswith(b"\n") and line.count(b"\n") == 1  # one page's entries per line
    assert json.loads(line) == json.loads(json.dumps(entries, default=str))


# The same for the bibliography's compiled schema (kb.bibliography._fast_check): entries of
# data/references.yml with fields removed or replaced by the values above, the schema's examples
# and enums, and strings shaped like (or almost like) DOIs, PMIDs and URLs.
_BIB_STRINGS = st.sampled_from(["10.1176/appi.ajp.2020.20050596", "10.1/x", "doi:10.1000/1", "33302741", "0123",
                                "https://example.org/a", "http://x", "ftp://x", "https://a b", "", "A", "AB"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_compiled_bibliography_schema_refuses_what_jsonschema_refuses(data) -> None:
    import yaml

    from kb import bibliography

    entries = list(yaml.safe_load((ROOT / "data" / "references.yml").read_text(encoding="utf-8")).values())
    entry = dict(data.draw(st.sampled_from(entries)))
    properties = bibliography._schema()["properties"]
    _vary(data, entry, properties, [*properties, "unknown_field"],
          st.one_of(_VALUES, _BIB_STRINGS, st.integers(1800, 2100)))
    passed = _same_verdict(bibliography.validator(), bibliography._fast_check(), entry)
    assert bool(bibliography.schema_errors(entry)) != passed
