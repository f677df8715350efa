"""Navigation as a desktop reader meets it: tabs, breadcrumbs, previous/next links, instant navigation."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.support.browser import goto

LINK_PATHS = "els => els.filter(e => e.offsetParent !== null).map(e => new URL(e.href).pathname)"


def test_tabs_lead_to_their_sections(new_context, site):
    context, _ = new_context()
    page = context.new_page()
    goto(page, "/")
    tabs = page.locator(".md-tabs__link")
    assert tabs.first.is_visible(), "navigation tabs are not shown at 1280 px"
    labels = [label.strip() for label in tabs.all_inner_texts()]
    assert labels == [section.title for section in site.nav], "tabs differ from the top level of mkdocs.yml nav"

    for index, section in enumerate(site.nav):
        tabs.nth(index).click()
        page.wait_for_url(site.url(section.paths[0]))
        expect(page.locator(".md-tabs__item--active"), f"active tab after clicking {section.title!r}").to_have_text(
            section.title
        )
        if not section.is_group:
            continue
        sidebar = set(page.locator(".md-sidebar--primary a.md-nav__link[href]").evaluate_all(LINK_PATHS))
        missing = [path for path in section.paths if path not in sidebar]
        assert not missing, f"the {section.title!r} tab's sidebar lacks {missing}"
        others = sorted(
            path for other in site.nav if other is not section and other.is_group for path in other.paths
        )
        leaked = sorted(sidebar & set(others))
        assert not leaked, f"the {section.title!r} tab's sidebar shows pages of other tabs: {leaked}"


def test_walk_every_page_with_next_links_breadcrumbs_and_back_button(every_page):
    """Follow "Next" from Home through the whole nav with instant navigation, then go back with the back button.

    On each page: the breadcrumbs name its section, and previous/next point at its neighbours in the nav.
    A marker set on window at the start must survive: a full reload would wipe it. The navigation pass
    of tests/support/page_walk.py does the walking.
    """
    walk = every_page.navigation
    assert not walk.problems, "navigation problems:\n" + "\n".join(walk.problems)
    walk.completed()
    assert walk.marker_after_next == "still here", "a Next link caused a full page reload"
    assert walk.marker_after_back == "still here", "the back button caused a full page reload"


def test_instant_navigation_swaps_content_without_reload(new_context, site):
    context, recorder = new_context()
    page = context.new_page()
    goto(page, "/")
    page.evaluate("window.__instantMarker = 42")
    before = len(recorder.requests)
    target = next(section for section in site.nav if section.is_group)
    page.locator(".md-tabs__link").nth(site.nav.index(target)).click()
    page.wait_for_url(site.url(target.paths[0]))
    page.wait_for_function("() => document.querySelector('.md-content h1') !== null")
    assert page.evaluate("window.__instantMarker") == 42, "clicking a tab reloaded the whole page"
    # Instant navigation fetches the new page with fetch/XHR; a top-level document request means a reload.
    kinds = {kind for _, kind, url in recorder.requests[before:] if urlsplit(url).path == target.paths[0]}
    assert kinds and "document" not in kinds, (
        f"the new page was requested as {sorted(kinds)}, not by instant navigation")
    page.go_back()
    page.wait_for_url(site.url("/"))
    assert page.evaluate("window.__instantMarker") == 42, "the back button reloaded the whole page"
