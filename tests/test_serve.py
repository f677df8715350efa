"""`make serve` (the README's first command) answers on 127.0.0.1 with the live-reloading site, and its
rebuilds of edited pages leave the rest of the site right."""
from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def test_make_serve_answers_with_the_home_page() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(["make", "--no-print-directory", "serve", f"PORT={port}"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        html = None
        while time.monotonic() < deadline and server.poll() is None:
            html = fetch(url)
            if html:
                break
            time.sleep(0.5)
        assert server.poll() is None, server.stdout.read()
        assert html is not None, f"nothing answered on {url} within 120 s"
        assert "<title>" in html and "Ketamine" in html
        assert "livereload" in html, "the served page has no live-reload script"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def _title(src: pathlib.Path) -> str:
    return re.search(r"(?m)^title: '?(.*?)'?$", src.read_text(encoding="utf-8"))[1]


def test_serve_dirty_keeps_navigation_search_and_listings_whole(tmp_path: pathlib.Path) -> None:
    """`make serve` rebuilds only edited pages; the rest of the site must not go stale.

    On a synthetic 8-page site with the project's config and hooks: a body edit shows on the page,
    whose sidebar still names its siblings, and the search index still covers every page; a new
    citation shows in the bibliography page's "Cited in" links; a tag change shows on the tags page.
    """
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    config = generate(8, tmp_path)
    docs = tmp_path / "docs"
    shutil.copy(ROOT / "docs/reference/tags.md", docs / "reference/tags.md")  # listings for the tag check
    page = docs / "s001/p002.md"
    cited = set(re.findall(r"\[@([\w:.-]+)\]", page.read_text(encoding="utf-8")))
    new_key = next(k for k in re.findall(r"(?m)^([a-z][\w]*):\s*$", (ROOT / "data/references.yml").read_text())
                   if k not in cited)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-f", str(config),
                               "-a", f"127.0.0.1:{port}"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, start_new_session=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    def edit(change) -> None:
        """Change the page's source and return once the rebuilt site is served (live reload)."""
        epoch = re.search(r"livereload\((\d+),", fetch(base + "s001/p002/"))[1]
        time.sleep(1.1)  # a later modification time than the last build's, so --dirty sees it
        page.write_text(change(page.read_text(encoding="utf-8")), encoding="utf-8")
        assert fetch(base + f"livereload/{epoch}/1", timeout=120) is not None

    try:
        deadline = time.monotonic() + 120
        while fetch(base + "s001/p002/") is None:
            assert server.poll() is None and time.monotonic() < deadline, "mkdocs serve did not start"
            time.sleep(0.5)

        edit(lambda text: text + "\nA sentence about zebrafinches, added while serving.\n")
        html = fetch(base + "s001/p002/")
        assert "zebrafinches" in html
        assert _title(docs / "s001/p003.md") in html, "the rebuilt page's sidebar lost a sibling's title"
        index = json.loads(fetch(base + "search/search_index.json"))
        assert {d["location"].split("#")[0] for d in index["docs"]} >= {"s001/p001/", "s001/p003/", "s001/p005/"}
        assert any("zebrafinches" in d["text"] for d in index["docs"])

        edit(lambda text: text + f"\nA claim with a new source [@{new_key}].\n")
        references = fetch(base + "reference/references/")
        item = re.search(rf'<li id="{new_key}">(.*?)</li>', references, re.S)[1]
        assert f'href="../../s001/p002/#fn:{new_key}"' in item, "the bibliography page did not list the new citation"

        edit(lambda text: re.sub(r"(?m)^tags:\n(- .*\n)+", "tags:\n- families\n", text, count=1))
        tags = fetch(base + "reference/tags/")
        section = re.search(r'<h2 id="tag:families">.*?(?=<h2 |</article>)', tags, re.S)
        assert section and "../../s001/p002/" in section[0], "the tags page did not list the page under its new tag"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
