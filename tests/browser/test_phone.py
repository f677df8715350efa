"""A phone (390 x 844): the menu drawer opens and navigates, search works, nothing scrolls sideways."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.support.browser import goto, h1, open_search, search


def _drawer_link(page, path: str):
    """The link to `path` in the drawer, opening the nested panel that holds it when needed."""
    links = page.locator(".md-sidebar--primary a.md-nav__link")
    hrefs = links.evaluate_all("els => els.map(a => new URL(a.href).pathname)")
    assert path in hrefs, f"the drawer has no link to {path}; it has {hrefs}"
    return links.nth(hrefs.index(path))


def _open_drawer(page) -> None:
    page.locator('label.md-header__button[for="__drawer"]').click()
    expect(page.locator("#__drawer")).to_be_checked()
    expect(page.locator(".md-sidebar--primary")).to_be_in_viewport()


def test_drawer_opens_and_navigates(new_context, site):
    context, _ = new_context(phone=True)
    page = context.new_page()
    goto(page, "/")
    assert not page.locator(".md-tabs").is_visible(), "tabs should give way to the drawer on a phone"
    groups = [section for section in site.nav if section.is_group and len(section.paths) > 1]
    assert groups, "no section with pages under it in the nav"
    section = groups[-1]

    # Home -> the section's index page -> a page inside it, each time through the drawer.
    for path in (section.paths[0], section.paths[-1]):
        _open_drawer(page)
        link = _drawer_link(page, path)
        if not link.is_visible():
            # The section's pages sit in a nested panel: open it with its toggle.
            page.locator(".md-sidebar--primary .md-nav__item--active > label.md-nav__link").first.click()
        link.click()
        page.wait_for_url(site.url(path))
        expect(page.locator("#__drawer")).not_to_be_checked()
        assert h1(page), f"{path} shows no title after navigating from the drawer"


def test_search_works_on_a_phone(new_context, site):
    context, _ = new_context(phone=True)
    page = context.new_page()
    goto(page, "/")
    expect(page.locator('label.md-header__button[for="__search"]'), "the search icon in the header").to_be_visible()
    open_search(page)
    _, paths = search(page, "ketamine")
    assert paths, "no result for 'ketamine' on a phone"
    first = page.locator(".md-search-result__list > .md-search-result__item > a.md-search-result__link").first
    expect(first).to_be_in_viewport()
    first.click()
    page.wait_for_url(lambda url: urlsplit(url).path == paths[0])
    expect(page.locator("#__search")).not_to_be_checked()


def test_no_page_scrolls_sideways(every_page):
    wide = every_page.phone.completed().wide
    assert not wide, "pages that scroll sideways on a phone:\n" + "\n".join(wide)
