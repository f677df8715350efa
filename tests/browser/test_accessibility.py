"""axe-core (pinned in package.json) on every page, in light and in dark mode: zero WCAG 2.2 A/AA violations.

The desktop pass of the page walk (tests/support/page_walk.py) loads every page once: axe runs in the
palette the page opened with, then the reader's toggle switches light/dark and axe runs again, so each
page is checked in both modes without a second load.
"""

from __future__ import annotations

import pytest

from tests.support.browser import AXE_TAGS, format_violations


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_page_has_no_axe_violations(every_page, site, mode):
    checked = every_page.desktop.completed().axe[mode]
    assert sorted(checked) == sorted(site.all_pages), f"{mode} mode was not checked on every page"
    failing = {path: violations for path, violations in checked.items() if violations}
    assert not failing, (
        f"axe-core ({', '.join(AXE_TAGS)}) found violations on {len(failing)} of {len(checked)} pages "
        f"in {mode} mode:\n" + format_violations(failing)
    )
