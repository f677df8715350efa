"""`make check` runs every content check even when an earlier one fails, in one report."""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys

from kb.check import CHECKS
from tests.support.helpers import ROOT

PAGE = """---
title: A page with two kinds of mistake
description: It has a misspelt front matter key and cites a source that the bibliography lacks.
tags: [ptsd]
last_reviewd: 2026-01-05
audience: [clinicians]
review_interval_months: 12
---

# A page

Ketamine was tested in a trial [@nobody1999].
"""


CONFIG = """\
site_name: Check test
nav: [page.md]
markdown_extensions:
  - kb.glossary.extension:
      glossary: includes/abbreviations.md
  - kb.citations.extension:
      bibliography: data/references.yml
"""


def run_check(tmp_path: pathlib.Path, fmt: str) -> subprocess.CompletedProcess[str]:
    for folder in ("data", "includes"):
        shutil.copytree(ROOT / folder, tmp_path / folder, dirs_exist_ok=True)
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "page.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kb.check", "--format", fmt], cwd=tmp_path,
                          capture_output=True, text=True)


def test_a_front_matter_error_does_not_hide_a_citation_error(tmp_path: pathlib.Path) -> None:
    result = run_check(tmp_path, "text")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "docs/page.md:5:1: FM016 error last_reviewd:" in result.stdout
    assert "did you mean last_reviewed?" in result.stdout
    assert "docs/page.md:12:32: CIT001 error: unknown citation key 'nobody1999'" in result.stdout
    assert "Traceback" not in result.stderr


def test_json_is_one_document_with_every_check(tmp_path: pathlib.Path) -> None:
    result = run_check(tmp_path, "json")
    report = json.loads(result.stdout)
    assert result.returncode == report["status"] == 1
    assert list(report["checks"]) == list(CHECKS)
    codes = {p["code"] for check in report["checks"].values() for p in check.get("problems", [])}
    assert {"FM016", "FM017", "CIT001"} <= codes


def test_github_annotations_point_at_the_lines(tmp_path: pathlib.Path) -> None:
    lines = run_check(tmp_path, "github").stdout.splitlines()
    assert any(line.startswith("::error file=docs/page.md,line=5,col=1,title=FM016") for line in lines)
    assert any(line.startswith("::error file=docs/page.md,line=12,col=32,title=CIT001") for line in lines)
