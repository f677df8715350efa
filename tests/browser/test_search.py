"""Search quality and search features, as readers use them.

Each query is written the way a reader would type it (not a page title) and must bring the page that
answers it into the first three results. When one misses, improve the site (Material's search separator,
`search: boost:` in the page's front matter, the words the page uses), never the expectation.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus, urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.browser import close_search, goto, open_search, search
from tests.support.search_queries import QUERIES

TOP = 3

NO_MATCH_QUERY = "xylophone quasar"


@pytest.fixture(scope="module")
def search_page(module_context):
    """One page with the search overlay open, shared by the query table (the worker indexes once)."""
    context, _ = module_context
    page = context.new_page()
    goto(page, "/")
    open_search(page)
    yield page
    page.close()


def _titles(page) -> list[str]:
    return page.locator(".md-search-result__list > .md-search-result__item").evaluate_all(
        "items => items.map(i => (i.querySelector(':scope > a h1') || {}).textContent?.trim() || '?')"
    )


def test_queries_target_existing_pages(site):
    missing = sorted({expected for _, expected in QUERIES} - set(site.paths))
    assert not missing, f"the query table expects pages the site does not have: {missing}"
    assert len(QUERIES) >= 20


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[query for query, _ in QUERIES])
def test_reader_query_finds_the_right_page(search_page, query, expected):
    meta, paths = search(search_page, query, every_key=False)
    top = paths[:TOP]
    if expected not in top:
        listing = "\n".join(
            # strict=False: titles are read after the paths and may differ in number; this message must not raise
            f"  {rank}. {path}  {title}"
            for rank, (path, title) in enumerate(zip(paths, _titles(search_page), strict=False), 1)
        )
        pytest.fail(
            f"{query!r}: expected {expected} in the first {TOP} results; got ({meta}):\n{listing or '  (none)'}",
            pytrace=False,
        )


def test_no_match_says_so(search_page):
    meta, paths = search(search_page, NO_MATCH_QUERY)
    assert paths == []
    assert meta == "No matching documents", f"the no-match message reads {meta!r}"


def test_result_opens_with_query_highlighted(new_context, site):
    query, expected = "side effects of ketamine", "/ketamine/safety/"
    context, _ = new_context()
    page = context.new_page()
    goto(page, "/")
    open_search(page)
    _, paths = search(page, query)
    assert expected in paths, f"{expected} not among the results for {query!r}"
    index = paths.index(expected)
    page.locator(".md-search-result__list > .md-search-result__item > a.md-search-result__link").nth(index).click()
    page.wait_for_url(re.compile(re.escape(site.url(expected)) + r"\?h="))
    marks = page.locator(".md-content article mark")
    expect(marks.first, "search.highlight marks the query words on the opened page").to_be_attached()
    words = {word.lower() for word in marks.all_inner_texts()}
    assert words & {"side", "effects", "ketamine"}, f"highlighted words {sorted(words)} are not the query's"
    assert not page.locator("#__search").is_checked(), "the search overlay stayed open over the page"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_share_link_reopens_the_search(new_context, site, device):
    """The share button copies a link that reopens the search with the whole query.

    Desktop: a mouse click held for 100 ms as a person does. Phone: a tap, where the browser fires
    mousedown, mouseup and click together (Material 9.8.1 then copies the link of the previous
    keystroke: it sets data-clipboard-text from the old href before updating it, and only a focus
    change in between refreshes it).
    """
    query = "ketamine bladder"
    phone = device == "phone"
    context, _ = new_context(phone=phone, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    goto(page, "/")
    open_search(page)
    search(page, query)
    share = page.locator('[data-md-component="search-share"]')
    if phone:
        share.tap()
    else:
        share.click(delay=100)
    expect(page.locator(".md-dialog"), "a confirmation shows after copying").to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.endswith("?q=" + quote_plus(query)), (
        f"the share button ({'tap' if phone else 'click'}) copied {link!r}, not the link for the whole "
        f"query {query!r}"
    )
    assert urlsplit(link).netloc == urlsplit(site.origin).netloc, f"the shared link {link!r} leaves the site"
    close_search(page)

    shared = context.new_page()
    shared.goto(link)
    expect(shared.locator("input.md-search__input")).to_have_value(query)
    expect(shared.locator(".md-search-result__item").first).to_be_visible()
    assert shared.locator("#__search").is_checked(), "the shared link does not open the search"
