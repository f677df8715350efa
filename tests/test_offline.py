"""The offline copy (`make offline`): the zip is built once with scripts/build-offline.sh and checked
for its search index, the local iframe-worker shim, no resource from another host, links between
.html files, and search that works in Chromium from file:// with no network."""
from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import zipfile

import pytest

from tests.support.built_html import ResourceCollector, css_urls, parse
from tests.support.helpers import ROOT, doc_sources


@pytest.fixture(scope="module")
def offline_zip(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("offline")
    result = subprocess.run([str(ROOT / "scripts" / "build-offline.sh"), str(out / "site"), str(out / "kb.zip")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return zipfile.ZipFile(out / "kb.zip")


def test_offline_zip_has_search_index_and_local_shim(offline_zip: zipfile.ZipFile) -> None:
    names = set(offline_zip.namelist())
    index = offline_zip.read("kb/search/search_index.js").decode()
    assert index.startswith("var __index = ")
    docs = json.loads(index.removeprefix("var __index = "))["docs"]
    assert {d["location"].split("#")[0] for d in docs} >= {"ketamine/safety.html", "index.html"}
    assert "kb/assets/javascripts/iframe-worker/shim.js" in names
    assert b"IFrameWorker" in offline_zip.read("kb/assets/javascripts/iframe-worker/shim.js")
    for src in doc_sources():
        name = "kb/" + re.sub(r"\.md$", ".html", src)
        assert name in names, f"{name} missing from the offline zip"


def test_offline_pages_load_nothing_from_another_host(offline_zip: zipfile.ZipFile) -> None:
    offenders = []
    for name in offline_zip.namelist():
        if name.endswith(".html"):
            html = offline_zip.read(name).decode("utf-8")
            collector = ResourceCollector()
            collector.feed(html)
            offenders += [f"{name}: {kind} {url}" for kind, url in collector.urls
                          if re.match(r"(?i)^(https?:)?//", url)]
            shims = re.findall(r'<script src="([^"]*iframe-worker[^"]*)"', html)
            if "<script" in html and "assets/javascripts/bundle" in html:
                assert len(shims) == 1 and shims[0].endswith("assets/javascripts/iframe-worker/shim.js"), name
        elif name.endswith(".css"):
            offenders += [f"{name}: url({u})" for u in css_urls(offline_zip.read(name).decode("utf-8"))
                          if re.match(r"(?i)^(https?:)?//", u)]
    assert not offenders, "\n".join(offenders)


@pytest.mark.browser
def test_offline_search_works_from_disk(offline_zip: zipfile.ZipFile, tmp_path: pathlib.Path, browser) -> None:
    """Open the unzipped copy from file:// in Chromium, search, and see results with no network."""
    offline_zip.extractall(tmp_path)
    start = (tmp_path / "kb" / "ketamine" / "safety.html").as_uri()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(start, wait_until="load")
        box = page.locator("input.md-search__input")
        box.focus()
        box.press_sequentially("ketamine", delay=30)
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        assert page.locator(".md-search-result__item").count() > 0
        first = page.locator(".md-search-result__item a").first.get_attribute("href")
        assert first and first.startswith("file://") and ".html" in first
        # The query rewriting works from disk too: a misspelt drug name finds the page that names it.
        box.press("Control+a")
        box.press_sequentially("sertaline", delay=30)
        page.wait_for_function("(window.kbSearch || {}).query === 'sertaline'", timeout=15_000)
        page.wait_for_selector(".md-search-result__item a[href*='treatment/recommended.html']", timeout=15_000)
    finally:
        context.close()
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))] == []


def test_offline_links_are_file_links(offline_zip: zipfile.ZipFile) -> None:
    doc = parse(offline_zip.read("kb/ketamine/safety.html").decode("utf-8"))
    policy = [a.attrs["href"] for a in doc.find("p", cls="kb-disclaimer").find_all("a")]
    assert policy == ["../get-help.html", "../about/editorial-policy.html"]
