"""The real site builds strictly, renders every page of the navigation, indexes every page
for search, and makes a reader's browser load nothing from another host."""
from __future__ import annotations

import json
import pathlib
import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.support.built_html import ResourceCollector, css_urls
from tests.support.helpers import nav_sources, output_path

SITE_URL = "http://127.0.0.1:8000/"


def test_strict_build_passes_without_warnings(build_result) -> None:
    site, result = build_result
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    assert (site / "index.html").is_file()


def test_navigation_lists_the_planned_sections() -> None:
    sources = nav_sources()
    assert len(sources) >= 15
    assert len(sources) == len(set(sources)), "a page appears twice in the nav"


@pytest.mark.parametrize("src", nav_sources())
def test_every_nav_page_is_rendered(built_site: pathlib.Path, src: str) -> None:
    html = (built_site / output_path(src)).read_text(encoding="utf-8")
    assert '<article class="md-content__inner md-typeset">' in html
    assert re.search(r"<h1[^>]*>", html), f"{src} has no heading"


def test_search_index_holds_every_page(built_site: pathlib.Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    excluded = {"reference/glossary.md", "reference/references.md"}  # search: exclude: true, on purpose
    for src in nav_sources():
        location = output_path(src).removesuffix("index.html")
        if src in excluded:
            assert location not in locations, f"{src} is excluded from search but is in the index"
            continue
        assert location in locations, f"{src} ({location!r}) is missing from the search index"


def is_other_host(base: str, url: str) -> bool:
    if url.startswith(("data:", "#", "blob:")):
        return False
    absolute = urlsplit(urljoin(base, url))
    return absolute.scheme not in ("", "data") and absolute.netloc != urlsplit(SITE_URL).netloc


def test_no_page_loads_anything_from_another_host(built_site: pathlib.Path) -> None:
    offenders = []
    for page in sorted(built_site.rglob("*.html")):
        collector = ResourceCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        base = urljoin(SITE_URL, str(page.relative_to(built_site)))
        offenders += [f"{page.relative_to(built_site)}: {kind} {url}"
                      for kind, url in collector.urls if is_other_host(base, url)]
    for sheet in sorted(built_site.rglob("*.css")):
        base = urljoin(SITE_URL, str(sheet.relative_to(built_site)))
        offenders += [f"{sheet.relative_to(built_site)}: url({url})"
                      for url in css_urls(sheet.read_text(encoding="utf-8")) if is_other_host(base, url)]
    assert not offenders, "resources from another host:\n" + "\n".join(offenders)


def test_collector_sees_third_party_resources() -> None:
    """The privacy check above must be able to fail: feed it what Material does by default."""
    collector = ResourceCollector()
    collector.feed('<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>'
                   '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
                   '<script src="https://unpkg.com/x.js"></script><img src="//cdn.example/x.png">'
                   '<div style="background:url(https://t.example/p.gif)"></div><a href="https://doi.org/10.1/x">ok</a>'
                   '<link rel="canonical" href="https://example.org/">')
    flagged = [url for _, url in collector.urls if is_other_host(SITE_URL, url)]
    assert flagged == ["https://fonts.gstatic.com", "https://fonts.googleapis.com/css?family=Roboto",
                       "https://unpkg.com/x.js", "//cdn.example/x.png", "https://t.example/p.gif"]
