"""Property: whatever the front matter holds, the validator reports coded problems and never raises."""
from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.core import report
from kb.frontmatter.codes import BY_CODE
from kb.frontmatter.load import load_bytes, load_text
from kb.frontmatter.validate import TAGS_FILE, check_page, check_titles, load_vocabulary

VOCABULARY, _ = load_vocabulary(TAGS_FILE, "data/tags.yml")
TODAY = dt.date(2026, 11, 27)

KEYS = st.sampled_from(["title", "description", "tags", "last_reviewed", "review_interval_months", "audience",
                        "search", "boost", "hide", "Title", "last_review", "ti\u200btle", "\u00a0tags", "1", "yes",
                        "? [a]", "<<", "&a k", "*a", "!!python/name:os.system", ""])
VALUES = st.sampled_from([
    "", "yes", "no", "1.10", "0777", "1e3", "2026-02-30", "2024-01-05", "2099-01-01", "05/01/2024", "20240105",
    '"2024-01-05"', "[ptsd, ketamine]", "[PTSD]", "[ptsd", "{a: 1}", "&a [x, x]", "*a", "*undefined",
    "!!python/object/apply:os.system [ls]", "!custom x", "A: B", "\t", "'unclosed", "<b>html</b>", "~", "null",
    "- a", "|\n  block", ">\n  folded", "2024-01-05 10:00:00", "-1", "9" * 30, "\u200b", "---", "...",
    "[" * 500 + "]" * 500,
    "{a: " * 200 + "1" + "}" * 200, "<<: {title: x}",
])
LINES = st.lists(st.tuples(st.sampled_from(["", "  ", "\t", "- "]), KEYS, st.sampled_from([": ", ":", " : "]),
                           VALUES).map("".join), max_size=12)
SAFE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_well_formed(problems) -> None:
    for problem in problems:
        assert problem.code in BY_CODE
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message and problem.fix
    results = [report.CheckResult("front matter", tuple(problems), {"files checked": 1})]
    json.loads(report.as_json(results))
    report.text(results)
    report.github(results)


def run(text: str) -> None:
    page = load_text(text, "docs/page.md")
    problems = page.problems + check_page(page, VOCABULARY, TODAY) + check_titles([page, page])
    assert_well_formed(problems)


@SAFE
@given(LINES)
def test_yaml_like_front_matter_never_raises(lines: list[str]) -> None:
    run("---\n" + "\n".join(lines) + "\n---\n# Page\n")


@SAFE
@given(st.text(max_size=400))
def test_any_text_in_the_block_never_raises(block: str) -> None:
    run("---\n" + block.replace("\r", "\n") + "\n---\n")


@SAFE
@given(st.text(max_size=200))
def test_any_text_as_a_page_never_raises(text: str) -> None:
    run(text)


@SAFE
@given(st.binary(max_size=300))
def test_any_bytes_never_raise(raw: bytes) -> None:
    page = load_bytes(b"---\n" + raw, "docs/page.md")
    assert_well_formed(page.problems + check_page(page, VOCABULARY, TODAY))
