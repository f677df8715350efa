"""Fixtures for the real-browser suite.

One strict build and one HTTP server per session, one Chromium for the whole suite, a fresh browser
context per test (or per module for the search queries) that records every request and every console
error. The site is built with ``SITE_URL`` set to the port the server listens on, so Material's instant
navigation runs at the ``site_url`` origin as readers get it; the shared ``built_site`` build uses the
default origin (port 8000, a developer's ``make serve``), so this suite builds its own copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.browser import REPO_ROOT, Recorder, Site, new_recorded_context, read_nav, read_sitemap
from tests.support.page_walk import PageWalk
from tests.support.static_server import StaticSite

AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Build the site once with --strict and serve it on a free port at its own site_url origin."""
    root = tmp_path_factory.mktemp("browser-site")
    # Bind first (any free port), then build for that origin: no race for the port.
    server = StaticSite(root)
    origin = server.origin
    env = {**os.environ, "SITE_URL": f"{origin}/", "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(root)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        server.stop()
        pytest.fail(
            f"mkdocs build --strict failed (exit {build.returncode}):\n{build.stderr}{build.stdout}",
            pytrace=False,
        )
    server.start()
    try:
        yield Site(origin=origin, root=root, paths=read_sitemap(root, origin), nav=read_nav())
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The pinned axe-core build from node_modules (installed by `npm ci`)."""
    if not AXE_PATH.is_file():
        pytest.fail(
            f"{AXE_PATH.relative_to(REPO_ROOT)} is missing: run `npm ci` at the repository root "
            "(package.json pins axe-core; `make test` does this when node_modules is missing or stale).",
            pytrace=False,
        )
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def every_page(browser, site: Site, axe_source: str) -> PageWalk:
    """Every page visited once per viewport and palette, and once by Next links; each pass runs when first read."""
    return PageWalk(browser, site, axe_source)


ContextFactory = Callable[..., tuple[object, Recorder]]


@pytest.fixture
def new_context(browser, site: Site) -> Iterator[ContextFactory]:
    """Factory for fresh browser contexts (desktop by default), closed at the end of the test."""
    contexts = []

    def factory(**kwargs):
        context, recorder = new_recorded_context(browser, site, **kwargs)
        contexts.append(context)
        return context, recorder

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def module_context(browser, site: Site) -> Iterator[tuple[object, Recorder]]:
    """A desktop context shared by the tests of one module (for long tables of cheap checks)."""
    context, recorder = new_recorded_context(browser, site)
    yield context, recorder
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = REPO_ROOT / "test-artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser` (registered in pyproject.toml), new files included."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
