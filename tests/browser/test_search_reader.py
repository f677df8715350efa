"""Search as a worried reader or a family member uses it, on a phone and on a desktop.

Queries come from tests/support/search_queries.py (typos, US and UK spellings, slang, brand names,
whole questions): the page that answers each is among the first three results, and starts within two
phone screens of the top of the result list, so a reader sees it without scrolling far. A search that
finds nothing offers a way on instead of a dead end.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import AXE_TAGS, goto, new_recorded_context, open_search, search
from tests.support.search_queries import QUERIES, READER_QUERIES, TWO_SCREENS_PX, measure

TOP = 3
# Pages for contributors and the long reference listings: never among a reader's first results.
NOT_FOR_READERS = ("/contributing/", "/reference/references/", "/reference/glossary/")


def _reader_page(browser, site, phone: bool):
    context, recorder = new_recorded_context(browser, site, phone=phone)
    page = context.new_page()
    goto(page, "/")
    open_search(page)
    yield page
    assert not recorder.console_errors, f"console errors while searching: {recorder.console_errors}"
    context.close()


@pytest.fixture(scope="module")
def phone_page(browser, site):
    yield from _reader_page(browser, site, phone=True)


@pytest.fixture(scope="module")
def desktop_page(browser, site):
    yield from _reader_page(browser, site, phone=False)


def _listing(result: dict) -> str:
    return "\n".join(f"  {rank}. {path}" for rank, path in enumerate(result["paths"][:8], 1)) or "  (none)"


def test_reader_queries_are_new_and_many(site):
    assert len(READER_QUERIES) >= 40
    assert not {query for query, _ in READER_QUERIES} & {query for query, _ in QUERIES}
    missing = sorted({expected for _, expected in READER_QUERIES} - set(site.paths))
    assert not missing, f"the reader queries expect pages the site does not have: {missing}"


def _check(page, query: str, expected: str) -> None:
    result = measure(page, query, expected, top=TOP)
    if not 0 < result["rank"] <= TOP:
        pytest.fail(f"{query!r}: expected {expected} in the first {TOP} results; got ({result['meta']}):\n"
                    f"{_listing(result)}", pytrace=False)
    assert result["first"] is not None and result["first"] < TWO_SCREENS_PX
    assert result["offset"] < TWO_SCREENS_PX, (
        f"{query!r}: {expected} is result {result['rank']} but starts {result['offset']} px below the top of "
        f"the results, more than two phone screens ({TWO_SCREENS_PX} px):\n{_listing(result)}")
    crowding = [path for path in result["paths"][:TOP] if path.startswith(NOT_FOR_READERS)]
    assert not crowding, f"{query!r}: contributor or reference pages among the first results: {crowding}"


@pytest.mark.parametrize(("query", "expected"), READER_QUERIES + QUERIES,
                         ids=[query for query, _ in READER_QUERIES + QUERIES])
def test_phone_answer_is_in_the_top_three_within_two_screens(phone_page, query, expected):
    """390 x 844: the reader queries and test_search.py's queries."""
    _check(phone_page, query, expected)


@pytest.mark.parametrize(("query", "expected"), READER_QUERIES, ids=[query for query, _ in READER_QUERIES])
def test_desktop_answer_is_in_the_top_three(desktop_page, query, expected):
    """1280 x 900 (test_search.py covers its own queries on a desktop)."""
    _check(desktop_page, query, expected)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_no_result_offers_a_way_on(request, device, site, axe_source):
    page = request.getfixturevalue(f"{device}_page")
    help_box = page.locator(".kb-search-help")
    meta, paths = search(page, "xylophone quasar")
    assert paths == [] and meta == "No matching documents"
    expect(help_box, "a search with no result shows what to try next").to_be_visible()
    text = help_box.inner_text()
    assert "Try another spelling" in text
    topics = [label.strip() for label in help_box.locator(".kb-search-help__topics a").all_inner_texts()]
    sections = [section.title for section in site.nav if section.title != "Home"]
    assert topics == sections, f"the main topics offered {topics} are not the navigation's {sections}"
    crisis = help_box.locator(".kb-search-help__crisis a")
    expect(crisis).to_have_count(1)
    href = crisis.get_attribute("href") or ""
    assert href.endswith(("get-help/", "#if-you-need-help-now")), f"the help-now link goes to {href!r}"
    box = help_box.locator(".kb-search-help__crisis").bounding_box()
    assert box and box["y"] + box["height"] <= page.viewport_size["height"], (
        "the help-now pointer is below the first screen")

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async (tags) => (await axe.run('.kb-search-help', {runOnly: {type: 'tag', values: tags},
                                                               resultTypes: ['violations']})).violations
            .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)""",
        AXE_TAGS,
    )
    assert not violations, "axe finds problems in the no-result help:\n" + "\n".join(violations)

    # An example search runs in place and finds pages; the help goes away.
    help_box.locator("a[href*='?q=']").first.click()
    expect(page.locator("input.md-search__input")).to_have_value("ketamine side effects")
    expect(page.locator(".md-search-result__item").first, "the example search finds pages").to_be_visible()
    expect(help_box).to_be_hidden()

    # Typing again after a dead end: the help hides as soon as something matches.
    search(page, "xylophone")
    expect(help_box).to_be_visible()
    search(page, "bladder")
    expect(help_box).to_be_hidden()


def test_changed_words_are_shown_above_the_results(phone_page):
    """When a typo is corrected or another name used, the reader sees what was searched for instead."""
    instead = phone_page.locator(".kb-search-instead")
    _, paths = search(phone_page, "sertaline")
    assert "/treatment/recommended/" in paths[:3]
    expect(instead).to_be_visible()
    expect(instead).to_have_text("Showing results for sertraline")
    search(phone_page, "ketamine bladder")
    expect(instead).to_be_hidden()
