"""`make serve` (the README's first command) answers on 127.0.0.1 with the live-reloading site, and an
edited page is served anew."""
from __future__ import annotations

import os
import pathlib
import signal
import socket
import subprocess
import time
import urllib.request

from tests.support.helpers import ROOT


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
        server.communicate(timeout=20)  # waits, and closes the output pipe


def test_an_edit_shows_after_the_rebuild(tmp_path: pathlib.Path) -> None:
    """Plain `mkdocs serve`: saving a page rebuilds the site, and the page is served with the new text."""
    from tests.support.repository_copy import VENV, copy_repo

    repo = copy_repo(tmp_path / "repo")
    port = free_port()
    url = f"http://127.0.0.1:{port}/ketamine/safety/"
    server = subprocess.Popen(["make", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.installed", "serve",
                               f"PORT={port}"], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None and not fetch(url):
            time.sleep(0.5)
        assert server.poll() is None and fetch(url), "the server did not start"
        page = repo / "docs" / "ketamine" / "safety.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added while serving.\n", encoding="utf-8")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "A sentence added while serving." not in (fetch(url) or ""):
            time.sleep(0.3)
        assert "A sentence added while serving." in (fetch(url) or ""), "the edit never showed"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=20)[0]
    assert "Traceback" not in output, output
