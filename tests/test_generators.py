"""The same site from three generators, and the reader features that do not depend on hooks.

- ProperDocs (the maintained fork of MkDocs 1.x) builds pages equal to MkDocs' apart from the
  generator tag.
- Zensical (Material's successor; it ignores hooks) renders every citation and the review line
  on every page, and the JSON-LD, from the Markdown extensions and the templates alone.
- The review dates the templates compute agree with kb.frontmatter.review for every kind of date, end dates
  of a page's facts (front matter expires) and their reasons included.
- With the build date moved past a page's review date, the strict build passes and the page
  shows its overdue notice; moved just past the end date of some facts, the page says why, and
  `make review-report` lists it first.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.frontmatter import review
from kb.frontmatter.load import load_path
from tests.support.helpers import ROOT, nav_sources, output_path, run_mkdocs_build

BIN = pathlib.Path(sys.executable).parent
GENERATOR_TAG = re.compile(r'<meta name="generator" content="[^"]*">')


def run(command: list[str], cwd: pathlib.Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env})


def pages_of(site: pathlib.Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_properdocs_builds_the_same_site(built_site: pathlib.Path, tmp_path: pathlib.Path) -> None:
    result = run([str(BIN / "properdocs"), "build", "--strict", "--site-dir", str(tmp_path / "site")], ROOT)
    assert result.returncode == 0, result.stderr
    mkdocs, properdocs = pages_of(built_site), pages_of(tmp_path / "site")
    assert sorted(mkdocs) == sorted(properdocs)
    differ = []
    for name, content in mkdocs.items():
        if name.endswith(".gz"):
            continue  # the compressed sitemap carries its own timestamp
        if name.endswith(".html"):
            ours, theirs = (GENERATOR_TAG.sub("", c.decode("utf-8")) for c in (content, properdocs[name]))
            if ours != theirs:
                differ.append(name)
        elif content != properdocs[name]:
            differ.append(name)
    assert differ == [], f"ProperDocs differs from MkDocs beyond the generator tag: {differ}"
    assert b"ProperDocs" in properdocs["index.html"]


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    project = tmp_path_factory.mktemp("zensical")
    for name in ("docs", "data", "includes", "overrides", "schema", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    result = run([str(BIN / "zensical"), "build"], project, NO_COLOR="1")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def prose(html: str) -> str:
    """A page's HTML without code (where contributors' docs show the syntax itself)."""
    return re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S)


def test_zensical_renders_citations_review_line_and_structured_data(zensical_site: pathlib.Path) -> None:
    pages = sorted(p for p in zensical_site.rglob("index.html"))
    assert len(pages) >= 30
    for path in pages:
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(zensical_site).as_posix()
        assert "[@" not in prose(html), f"{name}: a citation was left as written"
        assert html.count('class="kb-review"') == 1, f"{name}: no review line"
        assert "Last reviewed <time" in html and "Next review due <time" in html, name
        assert 'type="application/ld+json"' in html, f"{name}: no structured data"
        assert 'aria-label="Crisis help"' in html and 'href="tel:988"' in html, f"{name}: no crisis help"
        # The site's light and dark toggle, not the theme's palette component.
        assert "<form class=\"md-header__option\" data-kb-palette>" in html and "__kb_palette(i)" in html, name
        assert 'data-md-component="palette"' not in html and "javascripts/palette.js" in html, name
    safety = (zensical_site / "ketamine" / "safety" / "index.html").read_text(encoding="utf-8")
    assert 'class="footnote-ref"' in safety and '<abbr' in safety


def front_matter(src: str) -> dict:
    return load_path(ROOT / "docs" / src, src).data or {}


REVIEW_LINE = re.compile(r'<p class="kb-review">(.*?)</p>', re.S)


def test_zensical_puts_the_review_line_under_the_title_with_the_reason(zensical_site: pathlib.Path) -> None:
    """Zensical renders the review line from the templates alone: directly after the h1, with the end
    date's reason when that sets the next review, and the link to "What changed"."""
    expiring = []
    for src in nav_sources():
        meta = front_matter(src)
        if not meta.get("last_reviewed"):
            continue
        html = (zensical_site / output_path(src)).read_text(encoding="utf-8")
        assert re.search(r'</h1>\s*<p class="kb-review">', html), f"{src}: the review line is not right after the h1"
        assert html.count("<h1") == 1, f"{src}: more than one h1"
        line = " ".join(re.sub(r"<[^>]+>", "", REVIEW_LINE.search(html).group(1)).split())
        due = review.due(meta)
        assert f'<time datetime="{due.date.isoformat()}">' in html, src
        assert line.endswith("· What changed") == bool(meta.get("changes")), f"{src}: {line}"
        if meta.get("changes"):
            assert 'href="#kb-what-changed"' in html and 'id="kb-what-changed"' in html, src
        if due.reasons:
            expiring.append(src)
            assert f": {due.why}" in line, f"{src}: the reason is not given: {line}"
    assert "ketamine/what-is-ketamine.md" in expiring


def test_zensical_renders_crisis_help_from_the_data_file(zensical_site: pathlib.Path) -> None:
    """Zensical merges data/crisis.yml through INHERIT as MkDocs does: every place shows its numbers."""
    from tests.support.built_html import parse
    from tests.support.crisis_links import crisis_links, expected_links
    get_help = parse((zensical_site / "get-help" / "index.html").read_text(encoding="utf-8"))
    assert set(crisis_links(get_help.find("div", id="kb-help-numbers"))) == expected_links()
    for path in sorted(zensical_site.rglob("index.html")):
        doc = parse(path.read_text(encoding="utf-8"))
        name = path.relative_to(zensical_site).as_posix()
        assert set(crisis_links(doc.find("nav", cls="kb-footer-crisis"))) == expected_links(), name
        assert set(crisis_links(doc.find("section", id="kb-search-crisis"))) == expected_links(), name
        assert len(doc.find_all("a", cls="kb-help-now__link")) == 1, name


MACROS = (ROOT / "overrides" / "partials" / "kb-dates.html").read_text(encoding="utf-8")
TEMPLATES = jinja2.Environment(loader=jinja2.DictLoader({"dates": MACROS}))


def template_next_review(last: dt.date, months: int) -> str:
    source = '{% from "dates" import add_months %}{{ add_months(day, months) }}'
    return TEMPLATES.from_string(source).render(day=last.isoformat(), months=months)


@settings(max_examples=400, deadline=None)
@given(st.dates(min_value=dt.date(1999, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(1, 36))
def test_templates_compute_review_dates_as_kb_review_does(last: dt.date, months: int) -> None:
    assert template_next_review(last, months) == review.next_review(last, months).isoformat()


REASONS = ("the temporary rule ends", "a label change takes effect")


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(1999, 1, 1), max_value=dt.date(2097, 12, 31)), st.integers(1, 36),
       st.lists(st.tuples(st.integers(-400, 1200), st.sampled_from(REASONS)), max_size=3))
def test_templates_compute_due_dates_and_reasons_as_kb_review_does(last: dt.date, months: int,
                                                                    ends: list[tuple[int, str]]) -> None:
    """The earlier of the interval and the first end date, and on that date its reasons,
    as kb.frontmatter.review.due."""
    expires = [{"date": last + dt.timedelta(days=offset), "reason": reason} for offset, reason in ends]
    due = review.due({"last_reviewed": last, "review_interval_months": months, "expires": expires})
    source = ('{% from "dates" import due_date, due_reasons %}{% set due = due_date(day, months, expires) ~ "" %}'
              '{{ due }}|{{ due_reasons(due, expires) }}')
    rendered = TEMPLATES.from_string(source).render(day=last.isoformat(), months=months, expires=expires)
    assert rendered == f"{due.date.isoformat()}|{due.why}"


@pytest.mark.parametrize(("day", "expected"), [("2026-01-31", "31 January 2026"), ("2024-02-29", "29 February 2024"),
                                                ("2026-12-03", "3 December 2026")])
def test_templates_write_dates_as_readers_read_them(day: str, expected: str) -> None:
    source = '{% from "dates" import spoken %}{{ spoken(day) }}'
    assert TEMPLATES.from_string(source).render(day=day) == expected


def test_past_the_review_date_the_strict_build_passes_and_readers_are_told(tmp_path: pathlib.Path) -> None:
    later = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    result = run_mkdocs_build(tmp_path / "site", env={"SOURCE_DATE_EPOCH": str(int(later.timestamp()))})
    assert result.returncode == 0, result.stderr
    assert "FM015 notice" in result.stderr  # reported, not failing
    html = (tmp_path / "site" / "ketamine" / "safety" / "index.html").read_text(encoding="utf-8")
    assert 'class="admonition warning kb-overdue"' in html and "This page is due for review" in html
    checked = run([sys.executable, "-m", "kb.check", "--today", "2030-01-01"], ROOT)
    assert checked.returncode == 0 and "FM015 notice" in checked.stdout


def test_past_the_end_date_of_some_facts_readers_are_told_why_and_the_report_lists_the_page_first(
        tmp_path: pathlib.Path) -> None:
    """The build date moved to the day after the first end date in any page's expires: that page shows the
    notice with the reason, a page due later shows none, and review-report puts the page first."""
    ending = sorted((review.due(meta).date, src, review.due(meta)) for src in nav_sources()
                    if (meta := front_matter(src)) and review.due(meta) and review.due(meta).reasons)
    assert ending, "no page records an end date of its facts (front matter expires)"
    day, src, due = ending[0]
    after = day + dt.timedelta(days=1)
    moment = dt.datetime(after.year, after.month, after.day, 12, tzinfo=dt.UTC)
    result = run_mkdocs_build(tmp_path / "site", env={"SOURCE_DATE_EPOCH": str(int(moment.timestamp()))})
    assert result.returncode == 0, result.stderr
    assert f"{src}:" in result.stderr and f"due for review on {day.isoformat()} (the end date" in result.stderr
    html = (tmp_path / "site" / output_path(src)).read_text(encoding="utf-8")
    notice = re.search(r'<div class="admonition warning kb-overdue".*?</div>', html, re.S)
    assert notice, f"{src}: no overdue notice on {after}"
    said = " ".join(re.sub(r"<[^>]+>", "", notice.group(0)).split())
    spoken = f"{day.day} {day.strftime('%B')} {day.year}"
    assert f"Some of its facts held only until {spoken}: {due.why}." in said, said
    key_points = re.search(r'<div[^>]*class="admonition abstract"', html).start()
    assert html.index('class="kb-review"') < html.index("kb-overdue") < key_points
    later = next(s for s in nav_sources() if review.due(front_matter(s)) and review.due(front_matter(s)).date > after)
    assert "kb-overdue" not in (tmp_path / "site" / output_path(later)).read_text(encoding="utf-8")

    report = run([sys.executable, "-m", "kb.tools.review_report",
                  "--format", "json", "--today", after.isoformat()], ROOT)
    first = json.loads(report.stdout)["pages"][0]
    assert first["path"] == f"docs/{src}"
    assert (first["status"], first["next_review"], first["why"]) == ("overdue", day.isoformat(), due.why)
    text = run([sys.executable, "-m", "kb.tools.review_report", "--today", after.isoformat()], ROOT).stdout
    rows = [row for row in text.splitlines() if row.startswith(("OVERDUE", "due soon", "ok "))]
    assert rows[0].startswith("OVERDUE") and f"(facts end: {due.why})" in rows[0]
