"""One walk over every page of the served site, recording what the per-page browser tests assert.

Loading every page is the slow part of the browser suite, so each kind of visit happens once and
the tests read what it recorded:

- ``desktop`` (1280 x 900): every page loads once; axe-core runs in the palette the page opened
  with, the reader's toggle switches light/dark and axe runs again; then the page scrolls to its end
  so anything loaded lazily is requested. The context records every request, failure, console error
  and cookie (tests/browser/test_every_page_desktop.py).
- ``phone`` (390 x 844): every page loads once and its width is measured (test_phone.py).
- ``navigation`` (desktop): from Home, "Next" through the whole nav with instant navigation, then the
  back button; this pass follows links instead of loading pages, which is what it checks
  (test_navigation.py).

Each pass runs the first time a test asks for it, so one test file run alone walks only what it
needs. A pass that stops keeps the exception, and every test that reads the pass raises it.
`make test` runs whole test files in separate processes, each with its own walk: the readers of one
pass belong in one file, or the pass runs once per process that reads it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import urlsplit

from tests.support.browser import (
    Recorder,
    Site,
    goto,
    h1,
    nav_trail,
    new_recorded_context,
    open_search,
    run_axe,
    search,
)

SCHEME = "document.body.getAttribute('data-md-color-scheme')"
MODES = {"default": "light", "slate": "dark"}

OVERFLOWING = """() => {
    const width = window.innerWidth;
    return [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'fixed')
        .filter(e => !e.closest('.md-sidebar, .md-search, .md-typeset__scrollwrap, .md-typeset__table, pre'))
        .slice(0, 5)
        .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
                  ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                  + ' right=' + Math.round(e.getBoundingClientRect().right));
}"""


@dataclass
class Pass:
    """What one pass recorded; ``error`` is the exception that stopped it, if one did."""

    error: BaseException | None = None

    def completed(self) -> Self:
        """This pass, if it walked to the end; otherwise its exception is raised here."""
        if self.error is not None:
            raise self.error
        return self


@dataclass
class DesktopPass(Pass):
    axe: dict[str, dict[str, list[dict]]] = field(default_factory=lambda: {"light": {}, "dark": {}})
    """{mode: {page path: axe violations}}"""
    recorder: Recorder | None = None
    cookies: list[dict] = field(default_factory=list)


@dataclass
class PhonePass(Pass):
    wide: list[str] = field(default_factory=list)
    """One line for each page wider than the phone's viewport, with the elements that stick out."""


@dataclass
class NavigationPass(Pass):
    problems: list[str] = field(default_factory=list)
    marker_after_next: object = None
    """``window.__walkMarker`` after the last Next click: still set unless a click reloaded the page."""
    marker_after_back: object = None


def _switch_palette(page, scheme: str) -> None:
    for _ in range(4):
        if page.evaluate(SCHEME) == scheme:
            # Let colour transitions settle before axe measures contrast.
            page.wait_for_timeout(150)
            return
        page.locator(".md-header__option label.md-header__button:not([hidden])").click()
    raise AssertionError(f"the palette toggle never reached {scheme!r}")


def _crumbs(page) -> list[tuple[str, str]]:
    pairs = page.locator(".md-content .md-path a.md-path__link").evaluate_all(
        "els => els.map(a => [a.textContent.trim(), new URL(a.href).pathname])"
    )
    return [tuple(pair) for pair in pairs]


def _footer(page, kind: str) -> str | None:
    link = page.locator(f".md-footer a.md-footer__link--{kind}")
    if link.count() == 0:
        return None
    return urlsplit(link.evaluate("a => a.href")).path


def walk_desktop(browser, site: Site, axe_source: str, walk: DesktopPass) -> None:
    context, recorder = new_recorded_context(browser, site)
    walk.recorder = recorder
    try:
        context.add_init_script(script=axe_source)
        page = context.new_page()
        for path in site.all_pages:
            goto(page, path)
            first = page.evaluate(SCHEME)
            assert first in MODES, f"{path}: unknown palette {first!r}"
            for scheme in (first, *(other for other in MODES if other != first)):
                _switch_palette(page, scheme)
                walk.axe[MODES[scheme]][path] = run_axe(page, axe_source)
            # Scroll to the end so anything loaded lazily is requested too (after axe: Material hides
            # the tabs once the page scrolls, and axe should see them).
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        # The search worker fetches the index; instant navigation prefetches: let both finish.
        open_search(page)
        search(page, "ketamine")
        page.wait_for_load_state("networkidle")
        walk.cookies = context.cookies()
    finally:
        context.close()


def walk_phone(browser, site: Site, walk: PhonePass) -> None:
    context, _ = new_recorded_context(browser, site, phone=True)
    try:
        page = context.new_page()
        for path in site.all_pages:
            goto(page, path)
            scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll_width > inner_width:
                walk.wide.append(
                    f"{path}: {scroll_width} px wide in a {inner_width} px viewport; {page.evaluate(OVERFLOWING)}")
    finally:
        context.close()


def walk_navigation(browser, site: Site, walk: NavigationPass) -> None:
    """Follow "Next" from Home through the whole nav with instant navigation, then go back with the back button.

    On each page: the breadcrumbs name its section, and previous/next point at its neighbours in the nav.
    A marker set on window at the start must survive: a full reload would wipe it.
    """
    context, _ = new_recorded_context(browser, site)
    try:
        page = context.new_page()
        order = site.nav_order
        assert order[0] == "/", "the first nav entry should be the home page"
        goto(page, order[0])
        page.evaluate("window.__walkMarker = 'still here'")

        titles = []
        for position, path in enumerate(order):
            assert urlsplit(page.url).path == path, f"expected to be on {path}, at {page.url}"
            titles.append(h1(page))
            trail = nav_trail(path)
            expected_crumbs = [(site.nav[0].title, "/"), *trail] if trail else []
            if _crumbs(page) != expected_crumbs:
                walk.problems.append(f"{path}: breadcrumbs {_crumbs(page)}, expected {expected_crumbs}")
            previous = order[position - 1] if position > 0 else None
            following = order[position + 1] if position + 1 < len(order) else None
            if _footer(page, "prev") != previous:
                walk.problems.append(f"{path}: previous link {_footer(page, 'prev')}, expected {previous}")
            if _footer(page, "next") != following:
                walk.problems.append(f"{path}: next link {_footer(page, 'next')}, expected {following}")
            if following is None:
                break
            page.locator(".md-footer a.md-footer__link--next").click()
            page.wait_for_url(site.url(following))
            page.wait_for_function("t => document.querySelector('.md-content h1')?.textContent.trim() !== t",
                                   arg=titles[-1])
        walk.marker_after_next = page.evaluate("window.__walkMarker")

        # Back button: three steps back, each restoring the earlier page, still without a reload.
        for steps in range(1, 4):
            page.go_back(wait_until="commit")
            expected = order[-1 - steps]
            page.wait_for_url(site.url(expected))
            page.wait_for_function(
                "t => document.querySelector('.md-content h1')?.textContent.trim() === t", arg=titles[-1 - steps]
            )
        walk.marker_after_back = page.evaluate("window.__walkMarker")
    finally:
        context.close()


class PageWalk:
    """The passes over every page, each run once, the first time a test reads it."""

    def __init__(self, browser, site: Site, axe_source: str) -> None:
        self.browser, self.site, self.axe_source = browser, site, axe_source

    @staticmethod
    def _run(walk: Pass, step, *args) -> Pass:
        try:
            step(*args, walk)
        except Exception as error:  # kept for every test that reads this pass  # noqa: BLE001
            walk.error = error
        return walk

    @functools.cached_property
    def desktop(self) -> DesktopPass:
        return self._run(DesktopPass(), walk_desktop, self.browser, self.site, self.axe_source)

    @functools.cached_property
    def phone(self) -> PhonePass:
        return self._run(PhonePass(), walk_phone, self.browser, self.site)

    @functools.cached_property
    def navigation(self) -> NavigationPass:
        return self._run(NavigationPass(), walk_navigation, self.browser, self.site)
