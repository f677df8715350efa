"""A temporary copy of the repository, and `make` or Python run in it with this test run's virtualenv.

For tests of what a contributor's command does to the files of a checkout, never to the real one."""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

from tests.support.helpers import ROOT

VENV = pathlib.Path(sys.executable).parent.parent
COPY = ("docs", "data", "includes", "schema", "kb", "hooks", "overrides", "mkdocs.yml", "Makefile",
        "README.md", "requirements.txt", "requirements-test.txt", "constraints.txt", "scripts")


def copy_repo(dest: pathlib.Path) -> pathlib.Path:
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, dest / name)
    return dest


def make(repo: pathlib.Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``make ARGS`` in ``repo`` with this test run's virtualenv, never reinstalling it."""
    return subprocess.run(
        ["make", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.installed", *args],
        cwd=repo, input=stdin if stdin is not None else "", capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def python(repo: pathlib.Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=repo, input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
