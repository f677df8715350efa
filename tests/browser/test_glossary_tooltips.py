"""Glossary tooltips: an abbreviation explains itself on hover and on keyboard focus."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import goto

CONTENT_ABBR = re.compile(r'<abbr\b[^>]*\btitle="[^"]+"')
MAX_TABS = 400
ABBRS = ".md-content article abbr"


@pytest.fixture(scope="module")
def abbr_page(site) -> str:
    """The first page in nav order whose content uses a glossary term."""
    for path in site.nav_order:
        html = (site.root / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        article = html.split('<article class="md-content__inner', 1)[-1].split("</article>", 1)[0]
        if CONTENT_ABBR.search(article):
            return path
    pytest.fail("no page uses a glossary term (includes/abbreviations.md adds them to every page)", pytrace=False)


def _tooltip(page):
    return page.locator("#kb-tooltip")


def test_tooltip_on_hover(new_context, abbr_page):
    context, _ = new_context()
    page = context.new_page()
    goto(page, abbr_page)
    abbr = page.locator(".md-content article abbr[title]").first
    definition = abbr.get_attribute("title")
    abbr.hover()
    expect(_tooltip(page), f"hovering {abbr.inner_text()!r} on {abbr_page}").to_be_visible()
    expect(_tooltip(page)).to_contain_text(definition)
    page.mouse.move(0, 0)
    expect(_tooltip(page)).to_be_hidden()


def test_tooltip_on_keyboard_focus(new_context, abbr_page):
    """Tab from the top of the page until focus reaches an abbreviation; its definition must show."""
    context, _ = new_context()
    page = context.new_page()
    goto(page, abbr_page)
    # An abbreviation inside a link or button takes focus with it (nested focus targets are an error).
    not_focusable = page.locator(".md-content article abbr[title]").evaluate_all(
        "els => els.filter(e => e.tabIndex < 0 && !e.parentElement.closest('a, button, summary, label'))"
        ".map(e => e.textContent)"
    )
    assert not not_focusable, (
        f"abbreviations on {abbr_page} cannot be reached with the keyboard (no tabindex): {sorted(set(not_focusable))}"
    )
    definitions = page.locator(ABBRS).evaluate_all("els => els.map(e => e.getAttribute('title'))")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement?.matches({ABBRS!r})"):
            break
    else:
        pytest.fail(f"{MAX_TABS} presses of Tab never reached an abbreviation on {abbr_page}", pytrace=False)
    # The title moves into the tooltip when it shows: read the definition noted beforehand.
    focused = page.evaluate(f"[...document.querySelectorAll({ABBRS!r})].indexOf(document.activeElement)")
    definition = definitions[focused]
    expect(_tooltip(page), "focusing an abbreviation shows its definition").to_be_visible()
    expect(_tooltip(page)).to_contain_text(definition)
