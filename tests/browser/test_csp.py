"""The Content-Security-Policy in a real Chromium: the site works under it, and an injection does not run.

The real site: every page carries the policy; full loads, instant navigation between pages of
different depths (the theme's depth-dependent inline script) and search raise no violation and no
console error. A tiny site built without the check hook (as if a hostile page had slipped past
every check) holds an event handler, an inline script and a javascript: link: none of them runs,
and the crisis help keeps its numbers.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kb.static_server import StaticSite

from .support import REPO_ROOT, goto

VIOLATIONS = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample + ' ' + e.sourceFile + ':' + e.lineNumber)); }"""


def test_every_page_carries_the_policy(site) -> None:
    for path in site.all_pages:
        file = site.root / (path.lstrip("/") if path.endswith(".html") else (path.strip("/") + "/index.html").lstrip("/"))
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


HOSTILE = """---
title: A page that slipped through
description: Raw HTML with an event handler, an inline script and a javascript link, as an attacker would write.
tags: [ptsd]
audience: [patients]
review_interval_months: 12
last_reviewed: 2026-12-03
---

# A page that slipped through

<img src="missing.png" onerror="window.pwned = 'handler'; document.querySelectorAll('a[href^=tel]').forEach(a => a.href = 'tel:5550100')">

<script>window.pwned = 'script';</script>

<a id="bad" href="javascript:window.pwned='link'">Click</a>
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("hostile")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text(HOSTILE, encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "INHERIT: " + str(REPO_ROOT / "data" / "crisis.yml") + "\nsite_name: Hostile\ntheme:\n  name: material\n  custom_dir: " + str(REPO_ROOT / "overrides")
        + "\n  font: false\nhooks:\n  - " + str(REPO_ROOT / "hooks" / "csp.py") + "\n", encoding="utf-8")
    site_dir = project / "site"
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site_dir)], cwd=project,
                           capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert build.returncode == 0, build.stderr
    assert "onerror=" in (site_dir / "index.html").read_text(encoding="utf-8"), "the injection is in the page"
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
