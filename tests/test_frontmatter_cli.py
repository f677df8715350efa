"""``python -m kb.check --only "front matter"`` on every bad-input case: code, line, field and fix, in all
three formats.

Each file in tests/fixtures/frontmatter/bad/ holds one mistake; CASES says what a contributor must see.
The fixtures are copied into the docs folder of a small site (the check reads a site, as `make check` and
the pre-commit hook do). The command runs once per format over a site of every bad fixture (it must report
every problem of every file in one run) and once per case for the exit status.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.check import main
from tests.support.frontmatter_cases import CASES, FIXTURES, NOTICES, TODAY

ROOT = Path(__file__).resolve().parent.parent
GOOD = sorted(path.name for path in (FIXTURES / "good").iterdir())
ONLY = ("--only", "front matter")


def make_site(root: Path, pages: dict[str, bytes]) -> Path:
    """A site of ``pages`` (docs-relative path -> content) with the repository's tag vocabulary and no nav."""
    (root / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "tags.yml", root / "data" / "tags.yml")
    (root / "mkdocs.yml").write_text("site_name: Front matter test\ntheme: {name: material, font: false}\n",
                                     encoding="utf-8")
    for src, content in pages.items():
        (root / "docs" / src).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / src).write_bytes(content)
    return root


def fixtures(kind: str, *names: str) -> dict[str, bytes]:
    """Fixture files as pages of a site, under docs/bad/ or docs/good/ as they lie under tests/fixtures."""
    return {f"{kind}/{name}": (FIXTURES / kind / name).read_bytes() for name in names}


def cli(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kb.check", *ONLY, *args], cwd=site, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory) -> Path:
    return make_site(tmp_path_factory.mktemp("bad-site"), fixtures("bad", *CASES))


@pytest.fixture(scope="module")
def runs(bad_site: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    return {fmt: cli(bad_site, "--format", fmt, "--today", TODAY) for fmt in ("text", "github", "json")}


def test_every_bad_fixture_has_a_case() -> None:
    assert sorted(path.name for path in (FIXTURES / "bad").iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_names_file_line_field_and_fix(runs, name: str) -> None:
    code, line, field, phrase = CASES[name]
    severity = "notice" if name in NOTICES else "error"
    subject = f" {field}" if field else ""
    prefix = f"docs/bad/{name}:{line}:"
    lines = [text for text in runs["text"].stdout.splitlines() if text.startswith(prefix)]
    assert any(f" {code} {severity}{subject}: " in text for text in lines), runs["text"].stdout
    hit = next(text for text in lines if f" {code} " in text)
    assert phrase in hit
    assert re.search(r"\. Fix: \S", hit), "every problem says how to fix it"


def checked(output: str) -> dict:
    """The front matter check's part of a JSON report."""
    return json.loads(output)["checks"]["front matter"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_has_code_line_and_field(runs, name: str) -> None:
    code, line, field, _ = CASES[name]
    report = checked(runs["json"].stdout)
    found = [p for p in report["problems"] if p["path"].endswith(f"/bad/{name}") and p["code"] == code]
    assert found and found[0]["line"] == line and found[0]["field"] == field
    assert found[0]["column"] >= 1 and found[0]["fix"] and found[0]["title"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_github_annotation(runs, name: str) -> None:
    code, line, _, _ = CASES[name]
    severity = "notice" if name in NOTICES else "error"
    pattern = re.compile(rf"^::{severity} file=docs/bad/{re.escape(name)},line={line},"
                         rf"col=\d+,title={code} [^:]+::\S", re.M)
    assert pattern.search(runs["github"].stdout), runs["github"].stdout


@pytest.mark.parametrize("name", sorted(CASES))
def test_exit_status_per_case(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same entry point in-process (a subprocess per case would cost a second each on a busy machine)."""
    site = make_site(tmp_path, fixtures("bad", name))
    status = main([str(site), *ONLY, "--today", TODAY])
    out, err = capsys.readouterr()
    assert status == (0 if name in NOTICES else 1), out
    assert err == "" and f"bad/{name}:{CASES[name][1]}:" in out


def test_one_run_reports_every_file(runs) -> None:
    assert runs["text"].returncode == runs["github"].returncode == runs["json"].returncode == 1
    report = checked(runs["json"].stdout)
    assert report["files checked"] == len(CASES)
    assert {Path(p["path"]).name for p in report["problems"]} == set(CASES)
    notices = len(NOTICES)
    assert report["notices"] == notices and report["errors"] == len(report["problems"]) - notices
    assert runs["text"].stdout.rstrip().endswith(
        f"front matter: {len(CASES)} files checked, {len(CASES)} with problems, {len(CASES) - notices} errors, "
        f"0 warnings, {notices} notices")


@pytest.mark.parametrize("name", GOOD)
def test_valid_variants_are_accepted(name: str, tmp_path: Path) -> None:
    """BOM, CRLF, ``...`` as closing fence and & or ' in values are valid front matter."""
    result = cli(make_site(tmp_path, fixtures("good", name)), "--today", TODAY)
    assert result.returncode == 0 and "no problems" in result.stdout, result.stdout


def test_the_real_docs_pass() -> None:
    result = cli(ROOT)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout


def test_no_code_runs_from_a_python_tag(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    page = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n".encode()
    result = cli(make_site(tmp_path / "site", {"page.md": page}))
    assert result.returncode == 1 and "FM009" in result.stdout
    assert not marker.exists()


def test_duplicate_titles_across_files(tmp_path: Path) -> None:
    plain = (FIXTURES / "good" / "plain.md").read_bytes()
    result = cli(make_site(tmp_path, {"one.md": plain, "two.md": plain}), "--today", TODAY, "--format", "json")
    problems = checked(result.stdout)["problems"]
    assert result.returncode == 1
    assert {(Path(p["path"]).name, p["code"], p["line"]) for p in problems} == {("one.md", "FM023", 2),
                                                                              ("two.md", "FM023", 2)}
    assert "two.md" in problems[0]["message"]


@pytest.mark.parametrize("args, message", [
    (["no/such/folder"], "cannot read folder"),
    (["--format", "xml"], "invalid choice"),
    (["--today", "2024/01/05"], "expected a date"),
])
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = cli(ROOT, *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_sources_are_not_modified(bad_site: Path) -> None:
    before = {path: path.read_bytes() for path in bad_site.rglob("*.md")}
    cli(bad_site, "--today", TODAY)
    assert {path: path.read_bytes() for path in bad_site.rglob("*.md")} == before
