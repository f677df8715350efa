"""axe-core (pinned in package.json) on every page, in light and in dark mode: zero WCAG 2.2 A/AA violations.

One walk loads every page once: axe runs in the palette the page opened with, then the reader's toggle
switches light/dark and axe runs again, so each page is checked in both modes without a second load.
"""

from __future__ import annotations

import pytest

from tests.support.browser import AXE_TAGS, format_violations, goto, new_recorded_context, run_axe

SCHEME = "document.body.getAttribute('data-md-color-scheme')"
MODES = {"default": "light", "slate": "dark"}


def _switch_palette(page, scheme: str) -> None:
    for _ in range(4):
        if page.evaluate(SCHEME) == scheme:
            # Let colour transitions settle before axe measures contrast.
            page.wait_for_timeout(150)
            return
        page.locator(".md-header__option label.md-header__button:not([hidden])").click()
    raise AssertionError(f"the palette toggle never reached {scheme!r}")


@pytest.fixture(scope="module")
def axe_results(browser, site, axe_source) -> dict[str, dict[str, list[dict]]]:
    """{mode: {page path: violations}} for every page of the sitemap in both modes."""
    context, _ = new_recorded_context(browser, site)
    context.add_init_script(script=axe_source)
    page = context.new_page()
    results: dict[str, dict[str, list[dict]]] = {"light": {}, "dark": {}}
    try:
        for path in site.all_pages:
            goto(page, path)
            first = page.evaluate(SCHEME)
            assert first in MODES, f"{path}: unknown palette {first!r}"
            for scheme in (first, *(other for other in MODES if other != first)):
                _switch_palette(page, scheme)
                results[MODES[scheme]][path] = run_axe(page, axe_source)
    finally:
        context.close()
    return results


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_page_has_no_axe_violations(axe_results, site, mode):
    checked = axe_results[mode]
    assert sorted(checked) == sorted(site.all_pages), f"{mode} mode was not checked on every page"
    failing = {path: violations for path, violations in checked.items() if violations}
    assert not failing, (
        f"axe-core ({', '.join(AXE_TAGS)}) found violations on {len(failing)} of {len(checked)} pages "
        f"in {mode} mode:\n" + format_violations(failing)
    )
