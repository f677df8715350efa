"""Fixtures shared by the whole suite: one strict build of the real site and one Chromium per test process.

`make test` shares the test files out between processes (pytest-xdist, ``--dist loadfile``), each with
its own session fixtures; the tests of one file always share a process.
"""
from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

from tests.support import chromium
from tests.support.helpers import run_mkdocs_build


@pytest.fixture(scope="session")
def build_result(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, subprocess.CompletedProcess[str]]:
    site = tmp_path_factory.mktemp("site")
    return site, run_mkdocs_build(site)


@pytest.fixture(scope="session")
def built_site(build_result) -> pathlib.Path:
    """The real site, built once with ``--strict``; fails every dependent test if the build fails."""
    site, result = build_result
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium, driven through Playwright's sync API, for the whole test process.

    Playwright's sync API allows one instance per process, so every test that needs a browser
    (tests/browser/ and the offline copy's search) shares this one. Never skipped: without
    Chromium the tests fail, saying how to get it.
    """
    from playwright.sync_api import sync_playwright

    executable = chromium.executable()
    if executable is None:
        where = "CI" if os.environ.get("CI") else "this machine"
        pytest.fail(f"no Chromium on {where} for the browser tests. {chromium.HOW_TO_GET_ONE}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=chromium.FLAGS)
        try:
            yield launched
        finally:
            launched.close()
