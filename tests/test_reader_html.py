"""What a reader gets on every page, checked in the built HTML.

Every page of the real site: review dates, crisis help, description, canonical URL, Open Graph,
JSON-LD (parsed), footer disclaimer with the editorial policy link, the "Report an error" link,
focusable glossary terms and a named search dialog. A tiny site built from temporary pages
checks escaping of hostile front matter and the overdue notice. The offline copy has its own
tests in tests/test_offline.py.
"""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import shutil
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from mkdocs.utils import yaml_load
from mkdocs.utils.meta import get_data

from kb import citations
from kb.citations import bibliography, structured_data
from kb.frontmatter import review
from tests.support.built_html import Element, parse
from tests.support.helpers import ROOT, doc_sources, output_path, run_mkdocs_build

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def format_date(day: dt.date) -> str:
    """``27 November 2026``, as the templates write dates for readers."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

DOCS = ROOT / "docs"
SITE_URL = "http://127.0.0.1:8000/"
with open(ROOT / "mkdocs.yml", encoding="utf-8") as _f:
    CONFIG = yaml_load(_f)
ISSUES_URL = CONFIG["extra"]["issues_url"]
SOURCES = doc_sources()
AUDIENCE_TYPES = {"patients": ("Patient", None), "families": ("MedicalAudience", "Caregiver"),
                  "clinicians": ("MedicalAudience", "Clinician")}


# ----------------------------------------------------------------------------- helpers

def front_matter(src: str) -> dict:
    return get_data((DOCS / src).read_text(encoding="utf-8-sig"))[1]


def page_url(src: str, base: str = SITE_URL) -> str:
    return urljoin(base, output_path(src).removesuffix("index.html"))


def meta_content(doc: Element, **attrs: str) -> list[str]:
    return [m.attrs.get("content", "") for m in doc.find_all("meta", **attrs)]


def json_ld(doc: Element) -> list[dict]:
    return [json.loads("".join(c for c in s.children if isinstance(c, str)))
            for s in doc.find_all("script", type="application/ld+json")]


def page_node(doc: Element) -> dict:
    """The page's one schema.org node: its JSON-LD blocks (an object, or an array of them) share one
    ``@id`` and merge into it."""
    blocks = [node for block in json_ld(doc) for node in (block if isinstance(block, list) else [block])]
    assert {block["@id"] for block in blocks} == {structured_data.PAGE_ID}, "blocks of more than one node"
    merged: dict = {}
    for block in blocks:
        merged.update(block)
    return merged


@pytest.fixture(scope="module")
def pages(built_site: pathlib.Path) -> dict[str, tuple[str, Element]]:
    out = {}
    for src in SOURCES:
        html = (built_site / output_path(src)).read_text(encoding="utf-8")
        out[src] = (html, parse(html))
    return out


@pytest.fixture(scope="module")
def bib() -> bibliography.Bibliography:
    return bibliography.load(ROOT / "data" / "references.yml")


# ----------------------------------------------------------------------------- every page

def test_every_docs_page_is_checked() -> None:
    assert len(SOURCES) >= 15 and "index.md" in SOURCES


@pytest.mark.parametrize("src", SOURCES)
def test_review_dates_line(pages, src: str) -> None:
    meta = front_matter(src)
    last = meta["last_reviewed"]
    due = review.due(meta)
    lines = pages[src][1].find_all("p", cls="kb-review")
    assert len(lines) == 1, f"{src}: expected one review dates line"
    expected = f"Last reviewed {format_date(last)} · Next review due {format_date(due.date)}"
    expected += f": {due.why}" if due.reasons else ""
    expected += " · What changed" if meta.get("changes") else ""
    assert lines[0].text() == expected
    times = [t.attrs["datetime"] for t in lines[0].find_all("time")]
    assert times == [last.isoformat(), due.date.isoformat()]
    links = [a.attrs["href"] for a in lines[0].find_all("a")]
    assert links == (["#kb-what-changed"] if meta.get("changes") else [])
    if links:
        assert pages[src][1].find("h2", id="kb-what-changed").text() == "What changed"
    overdue = pages[src][1].find("div", cls="kb-overdue")
    assert (overdue is not None) == due.overdue(dt.date.today()), f"{src}: overdue notice does not match {due}"


def next_element(node: Element) -> Element | None:
    siblings = node.parent.children
    return next((c for c in siblings[siblings.index(node) + 1:] if isinstance(c, Element)), None)


@pytest.mark.parametrize("src", SOURCES)
def test_review_line_is_directly_under_the_title(pages, src: str) -> None:
    """Readers see when the facts were checked before reading them, not after the reference list."""
    assert front_matter(src).get("last_reviewed")
    article = pages[src][1].find("article")
    headings = article.find_all("h1")
    assert len(headings) == 1, f"{src}: {len(headings)} h1 elements"
    after = next_element(headings[0])
    assert after is not None and after.tag == "p" and "kb-review" in after.classes, \
        f"{src}: the h1 is followed by {after.tag if after else 'nothing'} {after.attrs if after else ''}"


@pytest.mark.parametrize("src", [*SOURCES, "404"])
def test_crisis_help(built_site: pathlib.Path, pages, src: str) -> None:
    doc = parse((built_site / "404.html").read_text(encoding="utf-8")) if src == "404" else pages[src][1]
    banners = doc.find_all("p", cls="kb-crisis")
    assert len(banners) == 1
    text = banners[0].text()
    for needle in ("In crisis?", "United States", "911", "988", "United Kingdom", "999", "Samaritans", "116 123",
                   "NHS 111", "112", "local emergency number", "Get help now"):
        assert needle in text, f"{src}: crisis help lacks {needle!r}: {text}"
    hrefs = {a.attrs["href"] for a in banners[0].find_all("a")}
    assert {"tel:911", "tel:988", "sms:988", "tel:999", "tel:116123", "tel:111", "tel:112"} <= hrefs
    here = "https://x.org/" + ("404.html" if src == "404" else output_path(src))
    assert "https://x.org/get-help/" in {urljoin(here, href) for href in hrefs}, f"{src}: no link to Get help now"
    # Never dismissable: no close button inside the banner
    assert not banners[0].parent.parent.find_all("button")
    # A named landmark, so a screen reader's list of landmarks says what it is
    aside = banners[0].parent.parent
    assert (aside.tag, aside.attrs.get("aria-label")) == ("aside", "Crisis help")


@pytest.mark.parametrize("src", SOURCES)
def test_description_canonical_and_open_graph(pages, src: str) -> None:
    meta, doc = front_matter(src), pages[src][1]
    assert meta_content(doc, name="description") == [meta["description"]]
    canonical = [link.attrs["href"] for link in doc.find_all("link", rel="canonical")]
    assert canonical == [page_url(src)]
    og = {m.attrs["property"]: m.attrs.get("content") for m in doc.find_all("meta") if "property" in m.attrs}
    assert og["og:title"] == meta["title"]
    assert og["og:description"] == meta["description"]
    assert og["og:url"] == page_url(src)
    assert og["og:type"] == ("website" if src == "index.md" else "article")
    assert og["og:site_name"] == CONFIG["site_name"]


@pytest.mark.parametrize("src", SOURCES)
def test_json_ld_medical_web_page(pages, bib, src: str) -> None:
    meta, (_, doc) = front_matter(src), pages[src]
    data = page_node(doc)
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["name"] == meta["title"]
    assert data["description"] == meta["description"]
    assert data["lastReviewed"] == meta["last_reviewed"].isoformat()
    assert data["url"] == page_url(src)
    conditions = [a for a in data["about"] if a["@type"] == "MedicalCondition"]
    assert [c["alternateName"] for c in conditions] == ["PTSD"]
    expected = {AUDIENCE_TYPES[a] for a in meta["audience"] if a in AUDIENCE_TYPES}
    assert {(a["@type"], a.get("audienceType")) for a in data["audience"]} == expected
    source = (DOCS / src).read_text(encoding="utf-8")
    cited = [k for k in citations.cited_keys(citations.find_citations(source, front_matter=True)) if k in bib.entries]
    assert [c["identifier"] for c in data.get("citation", [])] == cited
    for work in data.get("citation", []):
        assert work["name"] == bib.entries[work["identifier"]].title
        assert work["url"].startswith("https://")
        authors = bib.entries[work["identifier"]].authors
        names = [a["name"] for a in work["author"]]
        assert {a["@type"] for a in work["author"]} in ({"Person"}, {"Organization"})
        if work["author"][0]["@type"] == "Person":  # "Feder A, Costi S, et al." -> one Person per name
            assert ", ".join(names) == authors.removesuffix(", et al.")
        else:  # an agency or a panel, whole
            assert names == [authors]


@pytest.mark.parametrize(("authors", "expected"), [
    ("Feder A, Costi S, et al.", [("Person", "Feder A"), ("Person", "Costi S")]),
    ("Almeida TM, Lacerda da Silva UR", [("Person", "Almeida TM"), ("Person", "Lacerda da Silva UR")]),
    ("Canady VA", [("Person", "Canady VA")]),
    ("Janssen Pharmaceuticals", [("Organization", "Janssen Pharmaceuticals")]),
    ("Guideline Development Panel for the Treatment of PTSD in Adults, American Psychological Association",
     [("Organization", "Guideline Development Panel for the Treatment of PTSD in Adults, "
                       "American Psychological Association")]),
])
def test_reference_authors_become_people_or_one_organization(authors: str, expected: list) -> None:
    from kb.citations.structured_data import authors_of

    assert [(a["@type"], a["name"]) for a in authors_of(authors)] == expected


def test_some_page_has_json_ld_citations(pages) -> None:
    """The citation check above must not pass only because no page cites anything."""
    assert any(page_node(doc).get("citation") for _, doc in pages.values())


@pytest.mark.parametrize("src", SOURCES)
def test_footer_disclaimer_and_editorial_policy(pages, src: str) -> None:
    doc = pages[src][1]
    footer = doc.find("footer", cls="md-footer")
    disclaimer = footer.find("p", cls="kb-disclaimer")
    assert disclaimer is not None and "not medical advice" in disclaimer.text()
    assert "clinician" in disclaimer.text()
    links = [urljoin(page_url(src), a.attrs["href"]) for a in disclaimer.find_all("a")]
    assert page_url("about/editorial-policy.md") in links


@pytest.mark.parametrize("src", SOURCES)
def test_report_an_error_link(pages, src: str) -> None:
    meta, doc = front_matter(src), pages[src][1]
    links = doc.find_all("a", cls="kb-report")
    assert len(links) == 1 and links[0].text() == "Report an error"
    # Beside the edit button, in the same group of page actions
    edit = doc.find("a", rel="edit")
    assert edit is not None and edit.parent is links[0].parent
    href = links[0].attrs["href"]
    assert href.startswith(ISSUES_URL + "?")
    query = parse_qs(urlsplit(href).query)
    assert query["template"] == ["report-error.yml"]
    assert query["page"] == [src]
    assert meta["title"] in query["title"][0]
    assert page_url(src) in query["body"][0]
    assert " " not in href and "\n" not in href


@pytest.mark.parametrize("src", SOURCES)
def test_glossary_terms_are_keyboard_focusable(pages, src: str) -> None:
    content = pages[src][1].find("article")
    for abbr in content.find_all("abbr"):
        if any(a.tag in {"button", "summary", "label"} for a in abbr.ancestors()):
            assert "tabindex" not in abbr.attrs, "a focusable term inside a control is a nested control"
            continue
        assert abbr.attrs.get("title"), f"{src}: abbreviation {abbr.text()!r} has no explanation"
        assert abbr.attrs.get("tabindex") == "0", f"{src}: {abbr.text()!r} cannot be reached by keyboard"


def test_some_page_has_glossary_terms(pages) -> None:
    assert any(doc.find("abbr", tabindex="0") for _, doc in pages.values())


@pytest.mark.parametrize("src", SOURCES)
def test_search_dialog_has_a_name(pages, src: str) -> None:
    dialog = pages[src][1].find("div", cls="md-search")
    assert dialog.attrs.get("role") == "dialog" and dialog.attrs.get("aria-label")


@pytest.mark.parametrize("src", [*SOURCES, "404"])
def test_skip_link_leads_to_the_content(built_site: pathlib.Path, pages, src: str) -> None:
    doc = parse((built_site / "404.html").read_text(encoding="utf-8")) if src == "404" else pages[src][1]
    skips = doc.find_all("a", cls="md-skip")
    assert len(skips) == 1
    target = skips[0].attrs["href"].rsplit("#", 1)[-1]
    heading = doc.find("article").find("h1")
    assert heading is not None and heading.attrs.get("id") == target
    first_link = next(a for a in doc.find_all("a") if a.attrs.get("href"))
    assert first_link is skips[0], "the skip link must be the first link on the page"


def test_404_page_offers_search_and_sections(built_site: pathlib.Path) -> None:
    doc = parse((built_site / "404.html").read_text(encoding="utf-8"))
    assert doc.find("h1").text() == "Page not found"
    form = doc.find("form", cls="kb-search-form")
    assert form is not None and form.find("input", name="q") is not None
    sections = [a.text() for a in doc.find("ul", cls="kb-sections").find_all("a")]
    top_level = [next(iter(item)) if isinstance(item, dict) else item for item in CONFIG["nav"]]
    assert sections == top_level
    assert doc.find("p", cls="kb-disclaimer") is not None


# ----------------------------------------------------------------------------- structured data

def test_safe_json_cannot_end_a_script() -> None:
    text = structured_data.safe_json({"name": "</script><script>x()</script> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": "</script><script>x()</script> & \u2028"}


# ----------------------------------------------------------------------------- a tiny site

TINY_CONFIG = """\
INHERIT: {root}/data/crisis.yml
site_name: Tiny site
site_url: https://example.org/kb/
edit_uri: https://example.org/repo/edit/main/docs/
theme:
  name: material
  custom_dir: overrides
  font: false
  features: [content.action.edit]
extra:
  issues_url: https://example.org/repo/issues/new?labels=error
  generator: false
hooks:
  - {root}/hooks/checks.py
markdown_extensions: [abbr]
"""
AMPERSAND_TITLE = "Risks & benefits of 'ketamine' today"
AMPERSAND_DESCRIPTION = "Shows & and 'quotes' as plain text in every place the page title and description appear."
HOSTILE_TITLE = '<script>alert("title")</script> & "friends"'


def tiny_page(title: str, description: str, last_reviewed: str, body: str, interval: int = 12,
              audience: str = "[patients]") -> str:
    return (f"---\ntitle: {json.dumps(title)}\ndescription: {json.dumps(description)}\ntags: [ptsd]\n"
            f"audience: {audience}\nreview_interval_months: {interval}\nlast_reviewed: {last_reviewed}\n"
            f"---\n\n{body}\n")


def tiny_project(root: pathlib.Path, pages: dict[str, str]) -> pathlib.Path:
    (root / "docs").mkdir()
    (root / "data").mkdir()
    (root / "data" / "tags.yml").write_text((ROOT / "data" / "tags.yml").read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "overrides", root / "overrides")  # a theme folder outside the project is refused
    (root / "mkdocs.yml").write_text(TINY_CONFIG.format(root=ROOT.as_posix()), encoding="utf-8")
    for name, text in pages.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    today = dt.date.today().isoformat()
    project = tiny_project(tmp_path_factory.mktemp("tiny"), {
        "index.md": tiny_page("Home", "A page reviewed today, which is not overdue, on a tiny test site.", today,
                              "# Home\n\nHello."),
        "ampersand.md": tiny_page(AMPERSAND_TITLE, AMPERSAND_DESCRIPTION, today,
                                  "Text about PTSD.\n\n*[PTSD]: Post-traumatic stress disorder",
                                  audience="[clinicians]"),
        "old.md": tiny_page("Old page", "A page last checked long ago, with a one-month interval between reviews.",
                            "2020-01-31", "# Old page\n\nOld facts.", interval=1),
        "no-interval.md": tiny_page("No interval", "A page whose review interval is missing, built without the check "
                                    "hook.", today, "# No interval\n\nText.").replace(
            "review_interval_months: 12\n", ""),
        # Markup in an end date's reason: refused by the checks, and text in a build without them.
        "ends.md": tiny_page("Ends", "A page with facts that end soon, whose reason holds markup the checks refuse.",
                             today, "# Ends\n\nText.").replace(
            "\n---\n", f"\nexpires:\n  - date: {ENDS.isoformat()}\n    reason: {json.dumps(ENDS_REASON)}\n---\n", 1),
    })
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # The last page breaks the contract: build without the check hook, as a generator that ignores hooks would.
    (project / "mkdocs.yml").write_text(config.replace(f"hooks:\n  - {ROOT.as_posix()}/hooks/checks.py\n", ""))
    result = run_mkdocs_build(project / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return project / "site"


ENDS = dt.date.today() + dt.timedelta(days=10)
ENDS_REASON = "<b>Bold</b> & 'quoted' rule ends"


def test_the_reason_a_page_is_due_is_shown_as_text(tiny_site: pathlib.Path) -> None:
    html = (tiny_site / "ends" / "index.html").read_text(encoding="utf-8")
    line = parse(html).find("p", cls="kb-review")
    assert line.text() == f"Last reviewed {format_date(dt.date.today())} · Next review due {format_date(ENDS)}: " \
                          f"{ENDS_REASON}"
    assert "<b>Bold" not in html and "&lt;b&gt;Bold&lt;/b&gt; &amp; &#39;quoted&#39; rule ends" in html


def test_a_page_without_an_h1_gets_the_review_line_under_its_generated_title(tiny_site: pathlib.Path) -> None:
    doc = parse((tiny_site / "ampersand" / "index.html").read_text(encoding="utf-8"))
    title = doc.find("article").find("h1")
    assert title.text() == AMPERSAND_TITLE and "kb-review" in next_element(title).classes


def test_title_and_description_are_shown_as_text(tiny_site: pathlib.Path) -> None:
    html = (tiny_site / "ampersand" / "index.html").read_text(encoding="utf-8")
    doc = parse(html)
    assert doc.find("title").text().startswith(AMPERSAND_TITLE)
    assert doc.find("article").find("h1").text() == AMPERSAND_TITLE
    assert meta_content(doc, name="description") == [AMPERSAND_DESCRIPTION]
    assert meta_content(doc, property="og:title") == [AMPERSAND_TITLE]
    assert meta_content(doc, property="og:description") == [AMPERSAND_DESCRIPTION]
    assert '<meta property="og:title" content="Risks &amp; benefits of &#39;ketamine&#39; today">' in html
    # JSON-LD: parses, holds the raw values, and its text has no "<" that could end the script
    script = doc.find("script", type="application/ld+json")
    raw = "".join(c for c in script.children if isinstance(c, str))
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = json.loads(raw)
    assert data["name"] == AMPERSAND_TITLE and data["description"] == AMPERSAND_DESCRIPTION
    assert data["audience"] == [{"@type": "MedicalAudience", "audienceType": "Clinician"}]


def test_markup_in_a_title_stops_the_build_naming_file_and_line(tmp_path: pathlib.Path) -> None:
    """Material prints titles and descriptions as HTML, so the contract allows no markup in them."""
    today = dt.date.today().isoformat()
    project = tiny_project(tmp_path, {
        "index.md": tiny_page("Home", "A page reviewed today, which is not overdue, on a tiny test site.", today,
                              "# Home"),
        "hostile.md": tiny_page(HOSTILE_TITLE,
                                "A description with a right-to-left override \u202e in the middle of it.",
                                today, "Text.")})
    before = {p: p.read_bytes() for p in (project / "docs").iterdir()}
    result = run_mkdocs_build(project / "site", project / "mkdocs.yml")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'docs/hostile.md:2:1: FM030 error title: "<" is not allowed in plain text' in result.stderr
    assert "docs/hostile.md:3:1: FM030 error description: U+202E right-to-left override is not allowed" in result.stderr
    assert not (project / "site" / "hostile").exists()
    assert {p: p.read_bytes() for p in (project / "docs").iterdir()} == before


def test_report_link_keeps_the_query_and_encodes_the_title(tiny_site: pathlib.Path) -> None:
    doc = parse((tiny_site / "ampersand" / "index.html").read_text(encoding="utf-8"))
    href = doc.find("a", cls="kb-report").attrs["href"]
    assert href.startswith("https://example.org/repo/issues/new?labels=error&template=report-error.yml&")
    query = parse_qs(urlsplit(href).query)
    assert query["title"] == [f"Error on page: {AMPERSAND_TITLE}"]
    assert query["page"] == ["ampersand.md"] and query["labels"] == ["error"]
    assert "https://example.org/kb/ampersand/" in query["body"][0]
    assert " " not in href and "\n" not in href and "'" not in href


def test_overdue_page_shows_a_notice(tiny_site: pathlib.Path) -> None:
    doc = parse((tiny_site / "old" / "index.html").read_text(encoding="utf-8"))
    notice = doc.find("div", cls="kb-overdue")
    assert notice is not None
    assert "due for review" in notice.text()
    assert "31 January 2020" in notice.text() and "29 February 2020" in notice.text()
    assert doc.find("p", cls="kb-review").text() == "Last reviewed 31 January 2020 · Next review due 29 February 2020"
    assert page_node(doc)["lastReviewed"] == "2020-01-31"


def test_page_reviewed_today_has_no_notice(tiny_site: pathlib.Path) -> None:
    doc = parse((tiny_site / "index.html").read_text(encoding="utf-8"))
    assert doc.find("div", cls="kb-overdue") is None
    assert doc.find("p", cls="kb-review") is not None


def test_without_an_interval_only_the_last_review_shows(tiny_site: pathlib.Path) -> None:
    doc = parse((tiny_site / "no-interval" / "index.html").read_text(encoding="utf-8"))
    assert doc.find("p", cls="kb-review").text() == f"Last reviewed {format_date(dt.date.today())}"
    assert doc.find("div", cls="kb-overdue") is None
