"""Dark mode: the palette toggle switches to dark, and the choice stays across pages and reloads.

The site's own toggle (assets/javascripts/palette.js, with the script of
overrides/partials/javascripts/palette.html) stands in for Material's palette component: a reader
whose system is dark gets the dark palette before any content is drawn, under the real
Content-Security-Policy; the toggle works from the keyboard; "follow the system" follows a change of
the system's setting without a reload; the window's scrollbar and the phone toolbar follow the palette.
"""

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


# Recorded while the page is parsed: the body's palette when the first content element arrives.
SCHEME_AT_FIRST_CONTENT = """() => {
  window.__schemeAtContent = null;
  new MutationObserver((records, observer) => {
    if (document.querySelector('.md-content')) {
      window.__schemeAtContent = document.body.getAttribute('data-md-color-scheme');
      observer.disconnect();
    }
  }).observe(document, {childList: true, subtree: true});
}"""


def test_a_dark_system_gets_dark_before_the_content_is_drawn(new_context):
    context, recorder = new_context(dark=True, bypass_csp=False)  # the real policy: the inline script must be allowed
    context.add_init_script(f"({SCHEME_AT_FIRST_CONTENT})()")
    page = context.new_page()
    goto(page, "/ketamine/safety/")
    assert page.evaluate("window.__schemeAtContent") == "slate", "the page was drawn light first"
    assert page.evaluate(SCHEME) == "slate"
    assert page.evaluate(BACKGROUND_LUMINANCE) < 0.2
    # The window's scrollbar and form controls are dark too, and the phone toolbar takes the header's colour.
    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "dark"
    expect(page.locator('meta[name="theme-color"]')).to_have_attribute("content", "#4051b5")
    # The toggle shown is the one of the choice in force ("follow the system"), and only that one.
    visible = page.locator(".md-header__option label.md-header__button:not([hidden])")
    expect(visible).to_have_count(1)
    assert visible.get_attribute("for") == "__palette_1"
    assert not [e for e in recorder.console_errors if "Content Security Policy" in e], recorder.console_errors


def test_the_toggle_works_from_the_keyboard(new_context):
    context, _ = new_context()
    page = context.new_page()
    goto(page, "/")
    shown = page.locator(".md-header__option label.md-header__button:not([hidden])")
    expect(shown).to_have_attribute("for", "__palette_1")  # "follow the system" is in force
    page.locator("#__palette_0").focus()  # the radio behind the toggle, as Tab reaches it
    # Enter moves on: light, then dark, then "follow the system" again; the focus moves with it.
    for shows, scheme, focused in (("__palette_2", "default", "__palette_1"),
                                   ("__palette_0", "slate", "__palette_2"),
                                   ("__palette_1", "default", "__palette_0")):
        page.keyboard.press("Enter")
        expect(shown).to_have_attribute("for", shows)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
        assert page.evaluate("document.activeElement.id") == focused


def test_following_the_system_follows_a_change_without_a_reload(new_context):
    context, _ = new_context()
    page = context.new_page()
    goto(page, "/")
    page.evaluate("window.__sameDocument = true")
    assert page.evaluate(SCHEME) == "default"
    page.emulate_media(color_scheme="dark")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.emulate_media(color_scheme="light")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    # A chosen palette does not follow the system.
    _toggle_until(page, "slate")
    page.emulate_media(color_scheme="light")
    page.wait_for_timeout(200)
    assert page.evaluate(SCHEME) == "slate"
    assert page.evaluate("window.__sameDocument") is True
