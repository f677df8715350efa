"""Trial results: data/trials.yml checked with lines and codes, rendered as the clinician table and
the chart, the comparison page as built, and hostile values kept as text."""
from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import markdown
import pytest

from kb import trials
from kb.citations import bibliography
from kb.core import yaml_bounds
from tests.support.helpers import ROOT

GOOD = textwrap.dedent("""\
    feder2021:
      label: Ketamine vs midazolam
      treatment: Ketamine
      comparison: Midazolam
      design: Randomised trial
      people: Adults with PTSD
      n: 30
      outcome: CAPS-5 at 2 weeks
      effect: {measure: smd, estimate: 1.13, low: 0.36, high: 1.91}
      result: Better with ketamine
      follow_up: 2 weeks
      cite: feder2021
    """)


def load_text(tmp_path: pathlib.Path, text: str, known=("feder2021", "abdallah2022")) -> trials.Trials:
    path = tmp_path / "trials.yml"
    path.write_text(text, encoding="utf-8")
    return trials.load(path, "data/trials.yml", known)


def test_the_site_data_has_no_problems_and_every_result_cites_the_bibliography() -> None:
    bib = bibliography.load(ROOT / "data" / "references.yml")
    data = trials.load(ROOT / "data" / "trials.yml", "data/trials.yml", bib.lines.keys())
    assert data.problems == []
    assert len(data.results) >= 10
    assert {"feder2021", "abdallah2022", "borgogna2024", "sloan2023"} <= set(data.results)


BIBLIOGRAPHIES = {
    "the site's": (ROOT / "data" / "references.yml").read_text(encoding="utf-8"),
    "bad entries, a duplicate, odd keys": "feder2021: {title: x}\nfeder2021: {}\nBad Key: 1\n2021: x\n",
    "not a mapping": "- feder2021\n",
    "not YAML": "feder2021: [\n",
    "past the alias limit": "a: &a [1]\nb: [" + ", ".join(["*a"] * 21) + "]\n",
}


@pytest.mark.parametrize("text", list(BIBLIOGRAPHIES.values()), ids=list(BIBLIOGRAPHIES))
def test_results_may_cite_exactly_the_keys_the_bibliography_loader_finds(tmp_path: pathlib.Path, text: str) -> None:
    """The trials read the bibliography's keys without its loader, and find the same ones."""
    path = tmp_path / "references.yml"
    path.write_text(text, encoding="utf-8")
    keys = yaml_bounds.mapping_keys(path, yaml_bounds.LIMITS["data/references.yml"])
    assert keys == set(bibliography.load(path).lines)
    assert ("abdallah2022" in keys) == (text == BIBLIOGRAPHIES["the site's"])
    missing = tmp_path / "missing.yml"
    assert yaml_bounds.mapping_keys(missing, yaml_bounds.LIMITS["data/references.yml"]) == set() == set(
        bibliography.load(missing).lines)


def test_a_good_entry_loads(tmp_path: pathlib.Path) -> None:
    data = load_text(tmp_path, GOOD)
    assert data.problems == []
    result = data.results["feder2021"]
    assert (result.n, result.effect.estimate, result.effect.low, result.line) == (30, 1.13, 0.36, 1)


@pytest.mark.parametrize(("text", "code", "line", "words"), [
    (GOOD.replace("label: Ketamine vs midazolam", "label: <script>alert(1)</script>"), "TRI002", 1,
     "plain text only"),
    (GOOD.replace("  n: 30\n", "  n: thirty\n"), "TRI002", 1, "n: 'thirty'"),
    (GOOD.replace("  cite: feder2021\n", "  cite: feder2021\n  dose: 0.5\n"), "TRI002", 1, "unknown field"),
    (GOOD.replace("low: 0.36", "low: 1.5"), "TRI004", 1, "does not hold the estimate"),
    (GOOD.replace("cite: feder2021", "cite: nobody2020"), "TRI005", 1, "not in the bibliography"),
    (GOOD + GOOD, "TRI003", 13, "given twice"),
    ("feder2021: [unclosed\n", "TRI001", 2, "invalid YAML"),
    ("- a list\n", "TRI001", 1, "mapping of key: result"),
    ("a: &x {label: x}\nb: *x\n", "TRI001", 1, "aliases"),
])
def test_each_problem_has_its_code_line_and_words(tmp_path: pathlib.Path, text: str, code: str, line: int,
                                                   words: str) -> None:
    problem = next(p for p in load_text(tmp_path, text).problems if p.code == code)
    assert (problem.path, problem.line) == ("data/trials.yml", line)
    assert words in problem.message


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path: pathlib.Path) -> None:
    (problem,) = load_text(tmp_path, "# " + "x" * trials.MAX_BYTES + "\n").problems
    assert problem.code == "TRI001" and "larger than" in problem.message


def test_the_table_and_chart_escape_what_they_show() -> None:
    hostile = trials.Result(key="x", label="A & B <b>", treatment="t", comparison="c | d", design="d",
                            people="p", n=None, outcome="o", effect=trials.Effect("smd", 0.5, 0.1, 0.9),
                            result="r", follow_up="f", cite="x", line=1)
    table = trials.table_markdown([hostile])
    assert "<b>" not in table and "&lt;b&gt;" in table and "c &#124; d" in table
    assert table.count("\n") == 2  # the header, the rule, one row: the | did not add a column
    svg = trials.chart_svg([hostile], "smd", "c")
    assert "<b>" not in svg and "A &amp; B &lt;b&gt;" in svg


def test_the_chart_draws_one_interval_per_result_with_one_and_scales_to_hold_them() -> None:
    data = trials.load(ROOT / "data" / "trials.yml", "data/trials.yml")
    shown = [r for r in data.results.values() if r.effect and r.effect.measure == "smd" and r.effect.has_interval]
    svg = trials.chart_svg(list(data.results.values()), "smd", "c1")
    assert svg.count('class="kb-forest__point"') == len(shown) >= 3
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    xs = [float(v) for v in re.findall(r'\bx[12]="([-\d.]+)"', svg)] + \
         [float(v) for v in re.findall(r'\bcx="([-\d.]+)"', svg)]
    assert min(xs) >= 0 and max(xs) <= width  # every interval inside the picture
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    points = trials.Result(key="p", label="Points", treatment="t", comparison="c", design="d", people="p",
                           n=None, outcome="o", effect=trials.Effect("caps5", -1.5, -5.0, 2.0),
                           result="r", follow_up="f", cite="x", line=1)
    assert trials.chart_svg([points], "caps5", "c2").count("kb-forest__point") == 1
    assert trials.chart_svg([], "smd", "c3") == ""


def test_markers_name_kind_measure_and_keys() -> None:
    assert trials.parse_marker("<!-- trials table -->") == ("table", [])
    assert trials.parse_marker("<!-- trials table: a b -->") == ("table", ["a", "b"])
    assert trials.parse_marker("<!-- trials chart: smd a -->") == ("chart", ["a"])
    assert trials.parse_marker("<!-- trials plot -->") is None
    assert trials.parse_marker("text <!-- trials table -->") is None


def test_the_extension_renders_the_table_with_citations_and_the_chart_as_svg() -> None:
    md = markdown.Markdown(extensions=["tables", "footnotes", "kb.trials.extension", "kb.citations.extension"],
                           extension_configs={
                               "kb.trials.extension": {"data": str(ROOT / "data/trials.yml"),
                                                      "bibliography": str(ROOT / "data/references.yml")},
                               "kb.citations.extension": {"bibliography": str(ROOT / "data/references.yml")}})
    html = md.convert("<!-- trials table: feder2021 abdallah2022 -->\n\n<!-- trials chart: smd feder2021 -->\n")
    assert html.count("<tr>") == 3 and "Ketamine x6 vs midazolam (Feder 2021)" in html
    assert "[@" not in html and 'class="footnote-ref"' in html
    assert html.count('<svg class="kb-forest"') == 1 and html.count("kb-forest__point") == 1


def test_a_page_naming_an_unknown_result_fails_make_check(tmp_path: pathlib.Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# Results\n\n<!-- trials table: feder2021 nobody2020 -->\n",
                                               encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Trials test
        nav: [page.md]
        markdown_extensions:
          - kb.trials.extension:
              data: data/trials.yml
              bibliography: data/references.yml
          - kb.citations.extension:
              bibliography: data/references.yml
        """), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kb.check", "--only", "trials"], cwd=tmp_path,
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "docs/page.md:3:1: TRI006 error: 'nobody2020' is not in data/trials.yml" in run.stdout
    assert "feder2021" not in run.stdout and "Traceback" not in run.stderr


def test_the_comparison_page_as_built(built_site: pathlib.Path) -> None:
    html = (built_site / "treatment" / "compare" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    data = trials.load(ROOT / "data" / "trials.yml", "data/trials.yml")
    text = re.sub(r"<[^>]+>", "", article)  # glossary terms inside a label are wrapped in <abbr>
    for result in data.results.values():
        assert result.label.replace("&", "&amp;") in text
    assert article.count('<svg class="kb-forest"') == 1
    assert 'role="img"' in article and "<title id=" in article
    assert "<!-- trials" not in article and "[@" not in article
    assert 'class="worksheet"' in article and article.count("<li>") >= 8
