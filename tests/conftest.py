"""Fixtures shared by the whole suite: one strict build of the real site per session."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]


def run_mkdocs_build(site_dir: pathlib.Path, config: pathlib.Path = ROOT / "mkdocs.yml",
                     env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` in a subprocess, as a contributor would."""
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", str(config), "--site-dir", str(site_dir)],
        cwd=config.parent, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


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
