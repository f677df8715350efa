"""Property: whatever a pull request puts in a page, an include, front matter or a data file, the checks
(:func:`kb.check.run`, what `make check` and the build's hook run) report coded problems with a file and
a line, or pass, and never raise, within a time bound."""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
import shutil
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import check
from kb.core import report
from kb.core.site import ConfigError, load
from tests.support.helpers import ROOT, with_front_matter

TODAY = dt.date(2026, 12, 6)
SECONDS = 10.0  # one run of every check on a two-page site; a stall takes minutes
SETTINGS = settings(max_examples=10, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

FRAGMENTS = st.sampled_from([
    "text", " ", "\n", "\n\n", "[", "]", "(", ")", "](", "[@feder2021]", "`", "```\n", "<div>\n", "</div>\n",
    "<div markdown>\n", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!--", "-->", "> ", "- ",
    "    ", "1. ", "{: onclick=\"x\" }", "*", "_", "\\", "&#x3C;", "<", ">", '--8<-- "part.md"\n',
    '--8<-- "part.md:1:2"\n', "--8<-- \"it's.md\"\n", '--8<-- "../mkdocs.yml"\n', "-8<-\npart.md\n-8<-\n",
    ";--8<-- \"part.md\"\n", "[" * 40, "(" * 20, "> " * 12, "\u0000", "\uffff", "\u202e", "PTSD", "*[X]: y\n",
])
MARKDOWN = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=40).map("".join)
SUMMARY = st.text(min_size=0, max_size=60)
TAGS_YAML = st.one_of(
    st.lists(st.sampled_from(["ptsd: PTSD\n", "a: &a [x, x]\n", "b: [*a, *a]\n", "c: *a\n", "- x\n", "d: {e: [f]}\n",
                              "[[[[\n", "!!python/name:os.system\n", "e: !!binary aGk=\n", "\t", "f: \"\\uffff\"\n"]),
             max_size=12).map("".join),
    st.text(max_size=80),
)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("fuzz")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config[: config.index("\nnav:")] + "\nnav:\n  - index.md\n  - page.md\n",
                                     encoding="utf-8")
    shutil.copytree(ROOT / "data", root / "data")
    (root / "includes").mkdir()
    shutil.copy2(ROOT / "includes" / "abbreviations.md", root / "includes" / "abbreviations.md")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(with_front_matter("# Home\n\nA short page.\n"), encoding="utf-8")
    return root


def run_checks(root: pathlib.Path) -> None:
    """Every check, as `make check` runs them: problems well formed, or a located configuration error."""
    started = time.monotonic()
    try:
        results = check.run(load(root / "mkdocs.yml"), TODAY)
    except ConfigError as error:
        assert ": CFG007 error: " in str(error)
        return
    assert time.monotonic() - started < SECONDS
    for result in results:
        for problem in result.problems:
            assert problem.path and problem.line >= 1 and problem.col >= 1, problem
            assert problem.severity in report.SEVERITIES and re.fullmatch(r"[A-Z]{2,3}\d{3}", problem.code), problem
    json.loads(report.as_json(results))
    report.text(results)


@SETTINGS
@given(page=MARKDOWN, part=MARKDOWN)
def test_any_markdown_and_include_is_reported_or_passes(site_dir: pathlib.Path, page: str, part: str) -> None:
    (site_dir / "docs" / "page.md").write_text(with_front_matter("# A page\n\n" + page), encoding="utf-8")
    (site_dir / "includes" / "part.md").write_text(part, encoding="utf-8")
    run_checks(site_dir)


@SETTINGS
@given(title=SUMMARY, summary=SUMMARY)
def test_any_front_matter_text_is_reported_or_passes(site_dir: pathlib.Path, title: str, summary: str) -> None:
    text = (f"---\ntitle: {json.dumps(title)}\ndescription: A page of a small test site.\ntags: [ptsd]\n"
            f"audience: [clinicians]\nreview_interval_months: 12\nlast_reviewed: 2026-12-01\nchanges:\n"
            f"  - date: 2026-12-01\n    kind: correction\n    summary: {json.dumps(summary)}\n---\n\n# A page\n")
    (site_dir / "docs" / "page.md").write_text(text, encoding="utf-8")
    (site_dir / "includes" / "part.md").write_text("", encoding="utf-8")
    run_checks(site_dir)
    from kb.frontmatter.load import load_text
    from kb.updates import Update, atom
    page = load_text(text, "page.md")
    summaries = [c["summary"] for c in (page.data or {}).get("changes", []) if isinstance(c, dict)]
    if summaries:  # what the checks let through, the feed can carry
        import xml.dom.minidom
        xml.dom.minidom.parseString(atom([Update(TODAY, "correction", summaries[0], "page.md", "A page")],
                                         feed_url="https://x/feed.xml", site_url="https://x/", site_name="X",
                                         listing_url="https://x/u/", page_url=lambda src: "https://x/p/"))


@SETTINGS
@given(tags=TAGS_YAML, crisis=TAGS_YAML)
def test_any_data_file_is_reported_or_passes(site_dir: pathlib.Path, tags: str, crisis: str) -> None:
    (site_dir / "docs" / "page.md").write_text(with_front_matter("# A page\n\nText.\n"), encoding="utf-8")
    (site_dir / "data" / "tags.yml").write_text(tags, encoding="utf-8")
    (site_dir / "data" / "crisis.yml").write_text(crisis, encoding="utf-8")
    try:
        run_checks(site_dir)
    finally:
        shutil.copy2(ROOT / "data" / "tags.yml", site_dir / "data" / "tags.yml")
        shutil.copy2(ROOT / "data" / "crisis.yml", site_dir / "data" / "crisis.yml")
