"""Dark mode: the palette toggle switches to dark, and the choice stays across pages and reloads."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.support.browser import goto

SCHEME = "document.body.getAttribute('data-md-color-scheme')"
# Luminance of the body background, 0 (black) to 1 (white).
BACKGROUND_LUMINANCE = """() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def _toggle_until(page, scheme: str) -> None:
    for _ in range(4):
        if page.evaluate(SCHEME) == scheme:
            return
        page.locator(".md-header__option label.md-header__button:not([hidden])").click()
    raise AssertionError(f"the palette toggle never reached the {scheme!r} scheme")


def _stored_scheme(page) -> str | None:
    stored = page.evaluate(
        "Object.keys(localStorage).filter(k => k.endsWith('__palette')).map(k => localStorage.getItem(k))"
    )
    assert len(stored) == 1, f"expected one stored palette choice, found {stored}"
    return json.loads(stored[0])["color"]["scheme"]


def test_dark_mode_toggles_and_stays_chosen(new_context, site):
    context, _ = new_context()  # the system asks for light
    page = context.new_page()
    goto(page, "/")
    assert page.evaluate(SCHEME) == "default"
    assert page.evaluate(BACKGROUND_LUMINANCE) > 0.8, "light mode should have a light background"

    _toggle_until(page, "slate")
    assert page.evaluate(BACKGROUND_LUMINANCE) < 0.2, "dark mode did not darken the page"
    assert _stored_scheme(page) == "slate"

    groups = [section for section in site.nav if section.is_group]
    # Instant navigation (a tab), a full page load, and a reload all keep the choice.
    page.locator(".md-tabs__link").nth(site.nav.index(groups[0])).click()
    page.wait_for_url(site.url(groups[0].paths[0]))
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    goto(page, groups[-1].paths[-1])
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert page.evaluate(BACKGROUND_LUMINANCE) < 0.2

    # And back to light, which also stays.
    _toggle_until(page, "default")
    goto(page, "/")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    assert _stored_scheme(page) == "default"
