"""The Content-Security-Policy in a real Chromium: the site works under it, and an injection does not run.

The real site: every page carries the policy; full loads, instant navigation between pages of
different depths (the theme's depth-dependent inline script) and search raise no violation and no
console error. A script in the content of a citing page, put in after the build (as if it had slipped
past every check and the policy hook), does not run under that page's real policy. A tiny site built
without the check hook holds an event handler and a javascript: link, and a script put in after the
build: none of them runs, and the crisis help keeps its numbers; with the script in its source, that
site does not build at all.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.browser import REPO_ROOT, goto
from tests.support.static_server import StaticSite

VIOLATIONS = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample + ' ' + e.sourceFile + ':' + e.lineNumber)); }"""


def test_every_page_carries_the_policy(site) -> None:
    for path in site.all_pages:
        relative = path.lstrip("/") if path.endswith(".html") else (path.strip("/") + "/index.html").lstrip("/")
        file = site.root / relative
        html = file.read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        assert head.count('http-equiv="Content-Security-Policy"') == 1, path
        assert head.index("Content-Security-Policy") < head.index("<script"), f"{path}: the policy must come first"
        assert "'unsafe-inline'" not in head and "'unsafe-eval'" not in head


def test_reading_navigating_and_searching_break_no_rule(new_context, site) -> None:
    context, recorder = new_context(bypass_csp=False)
    context.add_init_script(f"({VIOLATIONS})()")
    page = context.new_page()
    goto(page, "/ketamine/safety/")
    page.locator(".md-tabs__link", has_text="Understanding PTSD").click()  # a section index, one level up
    page.wait_for_url("**/ptsd/")
    page.locator(".md-content a[href$='what-is-ptsd/']").first.click()
    page.wait_for_url("**/ptsd/what-is-ptsd/")
    page.locator(".md-header__button.md-logo").click()  # the home page: no folder at all
    page.wait_for_url(site.url("/"))
    page.locator("input.md-search__input").click()  # no open_search(): its wait evaluates a string
    page.locator("input.md-search__input").press_sequentially("ketamine safety", delay=20)
    page.wait_for_selector(".md-search-result__item", state="attached")
    assert page.locator(".md-search-result__item").count() > 0
    assert page.evaluate("window.__violations") == []
    assert not [e for e in recorder.console_errors if "Content Security Policy" in e], recorder.console_errors
    assert not recorder.console_errors, recorder.console_errors


def test_a_content_script_in_a_citing_page_does_not_run_under_its_real_policy(browser, site, tmp_path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site.root, copy)
    page_file = copy / "ketamine" / "safety" / "index.html"
    html = page_file.read_text(encoding="utf-8")
    marker = '<article class="md-content__inner md-typeset">'
    assert html.count(marker) == 1 and 'type="application/ld+json"' in html, "a citing page, JSON-LD and all"
    page_file.write_text(html.replace(marker, marker + "<script>window.pwned = 'content';</script>", 1),
                         encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(f"({VIOLATIONS})()")
    try:
        with StaticSite(copy) as server:
            page = context.new_page()
            page.goto(server.origin + "/ketamine/safety/", wait_until="load")
            page.wait_for_timeout(300)
            assert page.evaluate("window.pwned") is None
            violations = page.evaluate("window.__violations")
            line = html[:html.index(marker)].count("\n") + 1
            assert [v for v in violations if v.startswith("script-src")] == [
                f"script-src-elem inline  {server.origin}/ketamine/safety/:{line}"], violations
            assert page.evaluate("typeof __md_get") == "function", "the theme's reviewed scripts ran"
    finally:
        context.close()


HOSTILE = """---
title: A page that slipped through
description: Raw HTML with an event handler, an inline script and a javascript link, as an attacker would write.
tags: [ptsd]
audience: [patients]
review_interval_months: 12
last_reviewed: 2026-12-03
---

# A page that slipped through

<img src="missing.png" onerror="window.pwned = 'handler'; \
document.querySelectorAll('a[href^=tel]').forEach(a => a.href = 'tel:5550100')">

<a id="bad" href="javascript:window.pwned='link'">Click</a>
"""


SCRIPT = "<script>window.pwned = 'script';</script>"


def build_tiny(project: Path, markdown: str) -> subprocess.CompletedProcess[str]:
    (project / "docs").mkdir(exist_ok=True)
    (project / "docs" / "index.md").write_text(markdown, encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "INHERIT: " + str(REPO_ROOT / "data" / "crisis.yml")
        + "\nsite_name: Hostile\ntheme:\n  name: material\n  custom_dir: " + str(REPO_ROOT / "overrides")
        + "\n  font: false\nhooks:\n  - " + str(REPO_ROOT / "hooks" / "csp.py") + "\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")], cwd=project,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_a_script_in_the_source_stops_even_a_build_without_the_checks(tmp_path) -> None:
    build = build_tiny(tmp_path, HOSTILE + "\n" + SCRIPT + "\n")
    assert build.returncode != 0
    assert "docs/index.md: 1 inline script(s) not in the reviewed list kb/csp-theme-scripts.txt" in build.stderr
    assert "Traceback" not in build.stderr


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("hostile")
    build = build_tiny(project, HOSTILE)
    assert build.returncode == 0, build.stderr
    site_dir = project / "site"
    page = site_dir / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "onerror=" in html, "the injection is in the page"
    page.write_text(html.replace("</article>", SCRIPT + "</article>", 1), encoding="utf-8")
    with StaticSite(site_dir) as server:
        yield server.origin, site_dir


def test_an_injected_handler_script_and_link_do_not_run(browser, hostile_site) -> None:
    origin, _ = hostile_site
    context = browser.new_context()
    context.add_init_script(f"({VIOLATIONS})()")
    try:
        page = context.new_page()
        page.goto(origin + "/", wait_until="load")
        page.wait_for_timeout(300)
        page.locator("#bad").click()
        page.wait_for_timeout(300)
        assert page.evaluate("window.pwned") is None
        banner = "[...document.querySelectorAll('.kb-crisis a[href^=tel]')].map(a => a.getAttribute('href'))"
        assert page.evaluate(banner) == ["tel:911", "tel:988", "tel:999", "tel:116123", "tel:111", "tel:112"]
        violations = page.evaluate("window.__violations")
        assert any(v.startswith("script-src") for v in violations), violations
        # The theme still works under the policy: its own scripts ran (Material marks the body).
        assert page.evaluate("typeof document$") == "object"
    finally:
        context.close()


def test_the_policy_is_also_written_for_hosts_that_send_headers(hostile_site) -> None:
    _, site_dir = hostile_site
    headers = (site_dir / "_headers").read_text(encoding="utf-8")
    assert headers.startswith("/*\n  Content-Security-Policy: default-src 'self'; script-src 'self' 'sha256-")
    policy = Path(site_dir / "index.html").read_text(encoding="utf-8").split('content="', 2)[1].split('"')[0]
    assert set(re.findall(r"'sha256-[^']+'", policy)) <= set(re.findall(r"'sha256-[^']+'", headers))
