"""`make serve` (the README's first command) answers on 127.0.0.1 with the live-reloading site."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
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
