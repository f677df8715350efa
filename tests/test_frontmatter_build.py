"""The check hook in real MkDocs runs of small temporary sites that use it.

One site holds every bad fixture (one build reports them all), one only valid pages, one a page
overdue for review (a notice: fails nothing, and `make check` agrees), and one is served with
``mkdocs serve``.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.frontmatter_cases import CASES, FIXTURES, NOTICES

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "hooks" / "checks.py"
FIXTURE_DAY = b"2026-11-27"


def make_site(root: Path, pages: dict[str, bytes], strict: bool = False) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "data").mkdir()
    shutil.copy(ROOT / "data" / "tags.yml", root / "data" / "tags.yml")
    (root / "mkdocs.yml").write_text(
        f"site_name: Front matter test\ntheme: {{name: material, font: false}}\n"
        f"strict: {'true' if strict else 'false'}\n"
        f"markdown_extensions: [admonition]\nhooks:\n  - {HOOK}\n", encoding="utf-8")
    today = dt.date.today().isoformat().encode()
    for name, content in pages.items():
        # Fixture pages were reviewed on the fixtures' day; keep them fresh whenever the test runs.
        (root / "docs" / name).write_bytes(content.replace(FIXTURE_DAY, today))
    return root


def build(site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra, "--site-dir", str(site / "site")],
                          cwd=site, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def snapshot(site: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in (site / "docs").iterdir()}


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory) -> tuple[Path, dict[str, bytes], subprocess.CompletedProcess[str]]:
    pages = {name: (FIXTURES / "bad" / name).read_bytes() for name in CASES}
    pages["index.md"] = (FIXTURES / "good" / "plain.md").read_bytes()
    site = make_site(tmp_path_factory.mktemp("bad-site"), pages)
    before = snapshot(site)
    return site, before, build(site, "--strict")


def test_bad_build_aborts_without_traceback(bad_build) -> None:
    site, before, result = bad_build
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    errors = len(CASES) - len(NOTICES)
    assert f"{errors} front matter errors" in output  # one PluginError listing every problem
    assert snapshot(site) == before, "a source file changed"
    assert not (Path("/tmp") / "frontmatter-pwned").exists()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_build_names_path_line_and_code(bad_build, name: str) -> None:
    _, _, result = bad_build
    code, line, field, _ = CASES[name]
    subject = f" {field}" if field else ""
    assert re.search(rf"^((WARNING|INFO) +-  )?docs/{re.escape(name)}:{line}:\d+: "
                     rf"{code} \w+{re.escape(subject)}: .+\. Fix: ",
                     result.stderr, re.M), result.stderr


def test_valid_site_builds_strict(tmp_path: Path) -> None:
    pages = {path.name: path.read_bytes() for path in (FIXTURES / "good").iterdir()}
    pages["index.md"] = pages.pop("plain.md")
    site = make_site(tmp_path, pages)
    before = snapshot(site)
    result = build(site, "--strict")
    assert result.returncode == 0, result.stderr
    assert snapshot(site) == before
    html = (site / "site" / "ampersand-in-values" / "index.html").read_text(encoding="utf-8")
    assert "Risks & benefits" in html and "---" not in html.split("<body", 1)[1]  # front matter consumed


def check(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kb.check", "--only", "front matter"], cwd=site,
                          capture_output=True, text=True, timeout=60)


def test_overdue_is_a_notice_that_fails_neither_the_build_nor_the_check(tmp_path: Path) -> None:
    pages = {"index.md": (FIXTURES / "good" / "plain.md").read_bytes(),
             "overdue.md": (FIXTURES / "bad" / "overdue.md").read_bytes()}
    site = make_site(tmp_path, pages)
    strict, checked = build(site, "--strict"), check(site)
    assert strict.returncode == 0, strict.stderr
    assert "INFO    -  docs/overdue.md:5:1: FM015 notice last_reviewed" in strict.stderr
    assert checked.returncode == 0 and "docs/overdue.md:5:1: FM015 notice last_reviewed" in checked.stdout
    html = (site / "site" / "overdue" / "index.html").read_text(encoding="utf-8")
    assert 'class="admonition warning kb-overdue"' not in html  # this small site has no theme overrides


def test_an_unknown_key_fails_the_build_and_the_check_alike(tmp_path: Path) -> None:
    pages = {"index.md": (FIXTURES / "good" / "plain.md").read_bytes(),
             "unknown-key.md": (FIXTURES / "bad" / "unknown-key.md").read_bytes()}
    site = make_site(tmp_path, pages)
    strict, lenient, checked = build(site, "--strict"), build(site), check(site)
    line = "docs/unknown-key.md:6:1: FM016 error last_review: did you mean last_reviewed?"
    assert strict.returncode == lenient.returncode == checked.returncode == 1
    assert line in strict.stderr and line in lenient.stderr and line in checked.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_stays_up_and_shows_the_problem_on_the_page(tmp_path: Path) -> None:
    pages = {"index.md": (FIXTURES / "good" / "plain.md").read_bytes(),
             "slash-date.md": (FIXTURES / "bad" / "slash-date.md").read_bytes()}
    site = make_site(tmp_path, pages, strict=True)  # even with strict: true the server must stay usable
    before = snapshot(site)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
                              cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        html = None
        deadline = time.monotonic() + 60
        while html is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/slash-date/", timeout=5) as response:
                    html = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)
        assert server.poll() is None, server.stdout.read()
        assert html is not None
        assert 'class="admonition failure"' in html
        assert "FM012" in html and "write 2024-01-05" in html
        assert 'id="fm012"' not in html  # the notice is on the page with the problem only
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=20)[0]
    assert "docs/slash-date.md:5:1: FM012 error last_reviewed" in output
    assert "Traceback" not in output
    assert snapshot(site) == before


def test_serve_notice_shows_contributor_text_literally() -> None:
    """Values quoted in a problem (here HTML and Markdown) appear as text in the notice, never as markup."""
    import importlib.util
    from types import SimpleNamespace

    import markdown

    from kb.core.problems import Problem
    from kb.frontmatter import codes  # noqa: F401  (registers the FM codes)

    spec = importlib.util.spec_from_file_location("checks_hook_under_test", HOOK)
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    problem = Problem("docs/a.md", 2, 1, "FM018", 'expected text, got "<b>bold</b> *x* [l](u)"', "title", "quote it")
    hook._errors_by_page["a.md"] = [problem]  # what on_files keeps under `mkdocs serve`
    page = SimpleNamespace(file=SimpleNamespace(src_uri="a.md"))
    html = markdown.markdown(hook.on_page_markdown("# A\n", page=page, config=None, files=None),
                             extensions=["admonition"])
    assert 'class="admonition failure"' in html
    assert "<b>" not in html and "<em>" not in html and "<a " not in html
    assert "&lt;b&gt;bold&lt;/b&gt; *x* [l](u)" in html
    assert hook.on_page_markdown("# B\n", page=SimpleNamespace(file=SimpleNamespace(src_uri="b.md")),
                                 config=None, files=None) is None
