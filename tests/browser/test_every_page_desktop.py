"""Every page on a desktop, from one pass of the page walk (tests/support/page_walk.py).

The desktop pass loads every page once: axe-core (pinned in package.json) runs in the palette the page
opened with, then the reader's toggle switches light/dark and axe runs again, so each page is checked
in both modes without a second load; then the page is scrolled to its end, and a search is run.
What it finds:
- accessibility: zero WCAG 2.2 A/AA violations in light and in dark mode;
- privacy and health: no request leaves the local server, no cookie, no console error.

Every test that reads the desktop pass lives in this file, so that `make test`, which shares whole
files out between processes, walks every page once.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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


def test_every_page_stays_on_the_local_server(every_page, site):
    walk = every_page.desktop.completed()
    recorder = walk.recorder

    documents = {urlsplit(url).path for _, kind, url in recorder.requests if kind == "document"}
    missed = sorted(set(site.all_pages) - documents)
    assert not missed, f"the recording missed these page loads: {missed}"
    assert any(url.endswith("/search/search_index.json") for _, _, url in recorder.requests), (
        "the search index request was not seen: the recording misses worker requests"
    )
    foreign = recorder.foreign_requests()
    assert not foreign, f"{len(foreign)} request(s) to another host:\n" + "\n".join(sorted(set(foreign)))
    assert not recorder.failures, "failed requests:\n" + "\n".join(recorder.failures)
    assert walk.cookies == [], f"cookies were set: {walk.cookies}"
    assert not recorder.console_errors, "console errors:\n" + "\n".join(recorder.console_errors)
