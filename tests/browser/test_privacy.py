"""Privacy and health of every page: no request leaves the local server, no cookie, no console error."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.support.browser import goto, open_search, search


def test_every_page_stays_on_the_local_server(new_context, site):
    context, recorder = new_context()
    page = context.new_page()
    for path in site.all_pages:
        goto(page, path)
        # Scroll to the end so anything loaded lazily is requested too.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    # The search worker fetches the index; instant navigation prefetches: let both finish.
    open_search(page)
    search(page, "ketamine")
    page.wait_for_load_state("networkidle")

    documents = {urlsplit(url).path for _, kind, url in recorder.requests if kind == "document"}
    missed = sorted(set(site.all_pages) - documents)
    assert not missed, f"the recording missed these page loads: {missed}"
    assert any(url.endswith("/search/search_index.json") for _, _, url in recorder.requests), (
        "the search index request was not seen: the recording misses worker requests"
    )
    foreign = recorder.foreign_requests()
    assert not foreign, f"{len(foreign)} request(s) to another host:\n" + "\n".join(sorted(set(foreign)))
    assert not recorder.failures, "failed requests:\n" + "\n".join(recorder.failures)
    assert context.cookies() == [], f"cookies were set: {context.cookies()}"
    assert not recorder.console_errors, "console errors:\n" + "\n".join(recorder.console_errors)
