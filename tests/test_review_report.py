"""`make review-report`: pages by next review date, overdue first, with the end dates of their facts."""
from __future__ import annotations

import json
import pathlib

from tests.support.helpers import ROOT
from tests.support.repository_copy import make, python

REVIEW_PAGES = {  # file -> front matter lines after title
    "a/fresh.md": "last_reviewed: 2026-11-01\nreview_interval_months: 12",
    "a/six-months.md": "last_reviewed: 2026-03-01\nreview_interval_months: 6",    # due 2026-09-01
    "b/old.md": "last_reviewed: 2024-05-10\nreview_interval_months: 12",          # due 2025-05-10
    "b/soon.md": "last_reviewed: 2025-12-20\nreview_interval_months: 12",         # due 2026-12-20
    "c/no-date.md": "last_reviewed: 2026/01/05\nreview_interval_months: 12",
    "c/yearly.md": "last_reviewed: 2026-06-30\nreview_interval_months: 12",       # due 2027-06-30
}


def test_review_report_lists_overdue_pages_first(tmp_path: pathlib.Path) -> None:
    for name, lines in REVIEW_PAGES.items():
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {name}\n{lines}\n---\n\n# {name}\n", encoding="utf-8")
    result = python(ROOT, "-m", "kb.tools.review_report", str(tmp_path / "docs"),
                    "--format", "json", "--today", "2026-11-27")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    order = [pathlib.PurePosixPath(p["path"]).relative_to(tmp_path.as_posix() + "/docs").as_posix()
             for p in report["pages"]]
    assert order == ["c/no-date.md", "b/old.md", "a/six-months.md", "b/soon.md", "c/yearly.md", "a/fresh.md"]
    statuses = {p["path"].rsplit("/docs/", 1)[1]: (p["status"], p["next_review"]) for p in report["pages"]}
    assert statuses["a/six-months.md"] == ("overdue", "2026-09-01")
    assert statuses["b/soon.md"] == ("due-soon", "2026-12-20")
    assert statuses["c/yearly.md"] == ("ok", "2027-06-30")
    assert report["summary"] == {"no-date": 1, "overdue": 2, "due-soon": 1, "ok": 2}

    text = python(ROOT, "-m", "kb.tools.review_report", str(tmp_path / "docs"), "--today", "2026-11-27").stdout
    rows = [line.split()[0] for line in text.splitlines() if line.startswith(("NO DATE", "OVERDUE", "due soon", "ok "))]
    assert rows == ["NO", "OVERDUE", "OVERDUE", "due", "ok", "ok"]
    assert "2 overdue" in text


ENDING_PAGES = {  # file -> front matter lines after title; the report's day is 2026-11-27
    "a/rule.md": "last_reviewed: 2026-11-01\nreview_interval_months: 12\nexpires:\n"
                 "  - date: 2026-11-20\n    reason: the temporary rule ends (90 FR 61301)",    # due 2026-11-20
    "b/interval.md": "last_reviewed: 2025-11-25\nreview_interval_months: 12",              # due 2026-11-25
    "c/soon.md": "last_reviewed: 2026-11-01\nreview_interval_months: 12\nexpires:\n"
                 "  - date: 2027-01-10\n    reason: a label change takes effect",          # due 2027-01-10
    "d/later.md": "last_reviewed: 2026-11-01\nreview_interval_months: 12\nexpires:\n"
                  "  - date: 2028-01-01\n    reason: a rule ends after the next review",   # due 2027-11-01
}


def test_review_report_gives_the_end_date_of_facts_and_why(tmp_path: pathlib.Path) -> None:
    for name, lines in ENDING_PAGES.items():
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {name}\n{lines}\n---\n\n# {name}\n", encoding="utf-8")
    docs = str(tmp_path / "docs")
    result = python(ROOT, "-m", "kb.tools.review_report", docs, "--format", "json", "--today", "2026-11-27")
    report = json.loads(result.stdout)
    rows = [(p["path"].rsplit("/docs/", 1)[1], p["status"], p["next_review"], p["why"]) for p in report["pages"]]
    assert rows == [("a/rule.md", "overdue", "2026-11-20", "the temporary rule ends (90 FR 61301)"),
                    ("b/interval.md", "overdue", "2026-11-25", ""),
                    ("c/soon.md", "due-soon", "2027-01-10", "a label change takes effect"),
                    ("d/later.md", "ok", "2027-11-01", "")]
    assert report["ending_soon"] == 1

    text = python(ROOT, "-m", "kb.tools.review_report", docs, "--today", "2026-11-27").stdout
    first = next(line for line in text.splitlines() if line.startswith("OVERDUE"))
    assert "a/rule.md" in first and first.endswith("(facts end: the temporary rule ends (90 FR 61301))")

    issue = python(ROOT, "-m", "kb.tools.review_report", docs, "--format", "markdown", "--today", "2026-11-27").stdout
    assert "a/rule.md` a/rule.md: due 2026-11-20 because its facts end: the temporary rule ends (90 FR 61301);" in issue
    assert "b/interval.md` b/interval.md: due 2026-11-25; last reviewed 2025-11-25" in issue
    soon = issue.split("Pages whose facts end within 60 days", 1)[1]
    assert "c/soon.md` c/soon.md: due 2027-01-10 because its facts end: a label change takes effect" in soon
    assert "d/later.md" not in issue


def test_review_report_make_target_and_bad_folder() -> None:
    result = make(ROOT, "-s", "review-report", "FORMAT=json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["pages"]) == len(list((ROOT / "docs").rglob("*.md")))
    bad = python(ROOT, "-m", "kb.tools.review_report", "no-such-folder")
    assert bad.returncode == 2 and "no-such-folder is not a folder of pages" in bad.stderr
