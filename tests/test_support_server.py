"""The local server behind the browser tests and benchmarks: directory pages, and gzip only when asked."""
from __future__ import annotations

import gzip
import pathlib
import urllib.request

import pytest

from tests.support.static_server import StaticSite


def get(url: str, method: str = "GET") -> tuple[bytes, str | None, str | None]:
    request = urllib.request.Request(url, method=method, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read(), response.headers.get("Content-Encoding"), response.headers.get("Content-Length")


@pytest.mark.parametrize("compress", [False, True])
def test_serves_directory_pages_compressed_only_when_asked(tmp_path: pathlib.Path, compress: bool) -> None:
    page = "<p>ketamine</p>" * 40
    (tmp_path / "safety").mkdir()
    (tmp_path / "safety" / "index.html").write_text(page, encoding="utf-8")
    with StaticSite(tmp_path, compress=compress) as site:
        body, encoding, length = get(f"{site.origin}/safety/")
        head, _, head_length = get(f"{site.origin}/safety/", method="HEAD")
    assert encoding == ("gzip" if compress else None)
    assert (gzip.decompress(body) if compress else body).decode() == page
    assert head == b"" and head_length == length == str(len(body))
    assert compress is False or len(body) < len(page)
