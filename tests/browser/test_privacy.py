"""Privacy and health of every page: no request leaves the local server, no cookie, no console error.

The requests are those of the page walk's desktop pass (tests/support/page_walk.py): every page loaded,
in light and dark, scrolled to its end, then a search.
"""

from __future__ import annotations

from urllib.parse import urlsplit


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
