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

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "frontmatter"
TODAY = "2026-11-27"  # the fixtures' reference day; review dates are checked as of it

# file → (code, line, field, a phrase the message or fix must contain)
CASES: dict[str, tuple[str, int, str, str]] = {
    "colon-in-value.md": ("FM006", 2, "", "double quotes"),
    "tab-indent.md": ("FM006", 7, "", "spaces, not tabs"),
    "unclosed-list.md": ("FM006", 5, "", "starts on line 4"),
    "unclosed-quote.md": ("FM006", 6, "", "close the quote"),
    "duplicate-key.md": ("FM007", 6, "title", "first on line 2"),
    "list-not-mapping.md": ("FM008", 2, "", "a list"),
    "scalar-not-mapping.md": ("FM008", 2, "", "single value"),
    "empty.md": ("FM005", 1, "", "holds no keys"),
    "empty-comment-only.md": ("FM005", 1, "", "holds no keys"),
    "no-closing-fence.md": ("FM004", 1, "", "never closed"),
    "closing-fence-at-eof.md": ("FM004", 3, "", "line break"),
    "no-front-matter.md": ("FM002", 1, "", "no front matter"),
    "multimarkdown.md": ("FM003", 1, "", "MultiMarkdown"),
    "utf16.md": ("FM001", 1, "", "UTF-16"),
    "utf16-no-bom.md": ("FM001", 1, "", "UTF-16"),
    "invalid-utf8.md": ("FM001", 6, "", "0xe9"),
    "yes-as-title.md": ("FM018", 2, "title", 'got a boolean (YAML reads yes as true'),
    "no-as-subtitle.md": ("FM018", 6, "subtitle", 'put the text in quotes: subtitle: "no"'),
    "version-number.md": ("FM018", 6, "subtitle", 'YAML reads 1.10 as a number'),
    "impossible-date.md": ("FM013", 5, "last_reviewed", "2026-02-30"),
    "ambiguous-date.md": ("FM012", 5, "last_reviewed", "write 2024-01-05 for 5 January 2024 or 2024-05-01"),
    "slash-date.md": ("FM012", 5, "last_reviewed", 'got "2024/01/05". Fix: write 2024-01-05'),
    "unpadded-date.md": ("FM012", 5, "last_reviewed", "write 2024-01-05"),
    "integer-date.md": ("FM012", 5, "last_reviewed", "the number 20240105. Fix: write 2024-01-05"),
    "quoted-date.md": ("FM012", 5, "last_reviewed", "remove the quotes"),
    "future-date.md": ("FM014", 5, "last_reviewed", "in the future"),
    "overdue.md": ("FM015", 5, "last_reviewed", "due for review on 2025-01-05"),
    "python-tag.md": ("FM009", 6, "subtitle", "!!python/object/apply:os.system"),
    "custom-tag.md": ("FM009", 6, "subtitle", "!include"),
    "alias-bomb.md": ("FM010", 7, "", "aliases"),
    "huge.md": ("FM010", 1, "", "the limit is 16,384"),
    "deep-nesting.md": ("FM010", 6, "", "levels deep"),
    "non-string-key.md": ("FM011", 6, "2024", "read as a number"),
    "zero-width-key.md": ("FM011", 4, "tags", "U+200B"),
    "nbsp-key.md": ("FM011", 5, "last_reviewed", "U+00A0"),
    "unknown-key.md": ("FM016", 6, "last_review", "did you mean last_reviewed?"),
    "missing-key.md": ("FM017", 7, "description", "add a line"),
    "unknown-tag.md": ("FM021", 4, "tags", "did you mean ketamine?"),
    "uppercase-tag.md": ("FM022", 4, "tags", "write ptsd"),
    "title-too-long.md": ("FM019", 2, "title", "shorten it by 9"),
    "bad-audience.md": ("FM020", 6, "audience", '"doctors" is not allowed'),
    "string-not-list.md": ("FM018", 4, "tags", "write a list: tags: [ptsd]"),
    "markup-in-values.md": ("FM030", 2, "title", '"<" is not allowed in plain text'),
    # What a hostile or careless pull request tried (each passed the check, or crashed the build, before):
    "rtl-title.md": ("FM030", 2, "title", "U+202E right-to-left override"),
    "nan-boost.md": ("FM018", 9, "search.boost", "not-a-number"),
    "template-outside.md": ("FM020", 8, "template", "is not allowed; the allowed values are "),
    "unknown-icon.md": ("FM031", 8, "icon", "is not a file of the theme's icons"),
    "undeclared-status.md": ("FM020", 8, "status", "not a status the site declares"),
    "tab-after-colon.md": ("FM006", 8, "", "a tab follows the colon"),
    "nul-after-4k.md": ("FM001", 13, "", "NUL bytes"),
    # The record of changes readers see is checked like every other key.
    "changes-bad-kind.md": ("FM020", 10, "changes.kind", '"fix" is not allowed'),
    "changes-future-date.md": ("FM014", 9, "changes.date", "in the future"),
    # End dates of a page's facts (expires): a date and a reason for readers, not before the last review.
    "expires-before-review.md": ("FM032", 9, "expires.date", "2026-10-31 is before last_reviewed (2026-11-27)"),
    "expires-quoted-date.md": ("FM012", 9, "expires.date", "remove the quotes: date: 2026-12-31"),
    "expires-impossible-date.md": ("FM013", 9, "expires.date", '"2026-12-32" is not a real date'),
    "expires-no-reason.md": ("FM017", 9, "expires.reason", 'Fix: add "reason: '),
    "expires-short-reason.md": ("FM019", 10, "expires.reason", "the limit is 10-160 characters"),
    "expires-reason-markup.md": ("FM030", 10, "expires.reason", '"<" is not allowed in plain text'),
    "expires-not-a-list.md": ("FM018", 8, "expires", "write a list, for example expires: [{date: "),
    "expires-passed.md": ("FM015", 5, "last_reviewed", "due for review on 2026-11-20 (the end date of some of its "
                                                       "facts in expires: The temporary rule for online"),
}
NOTICES = {"overdue.md", "expires-passed.md"}
"""Cases that are reported but fail nothing: a page past its review date."""
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
