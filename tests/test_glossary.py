"""Glossary: parsing includes/abbreviations.md, generating the glossary page, finding the
abbreviations a page uses, and the built glossary page and tooltips."""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys
import textwrap
from html import escape as html_escape

import markdown
import pytest

from kb import glossary
from tests.support.helpers import FRONT_MATTER_LINES, ROOT, with_front_matter

SOURCE = textwrap.dedent("""\
    *[PTSD]: Post-traumatic stress disorder.
    *[RCT]: Randomised controlled trial: chance decides who gets the treatment.
    *[RCTs]: Randomised controlled trials.
    *[mTOR]: A protein inside cells.
    *[CAPS-5]: A PTSD interview scale.
    *[dissociation]: Feeling detached from yourself or your surroundings.
    """)


def test_parse_keeps_terms_and_lines() -> None:
    g = glossary.parse(SOURCE)
    assert g.problems == []
    assert list(g.terms) == ["PTSD", "RCT", "RCTs", "mTOR", "CAPS-5", "dissociation"]
    assert g.terms["CAPS-5"].line == 5 and g.terms["CAPS-5"].anchor == "caps-5"


@pytest.mark.parametrize(("text", "code", "line"), [
    ("*[PTSD]: one\n\nPTSD: two\n", "GLO001", 3),
    ("*[PTSD]: one\n*[PTSD]: again\n", "GLO002", 2),
    ("*[PTSD]:\n", "GLO003", 1),
])
def test_parse_problems(text: str, code: str, line: int) -> None:
    (problem,) = glossary.parse(text, "includes/abbreviations.md").problems
    assert (problem.code, problem.line, problem.path) == (code, line, "includes/abbreviations.md")


def test_render_is_alphabetical_with_anchors_and_plurals_share_the_definition() -> None:
    md = glossary.render_glossary(glossary.parse(SOURCE + "*[R&D]: Research and development.\n"))
    html = markdown.markdown(md + "\n" + SOURCE, extensions=["md_in_html", "abbr"])
    assert re.findall(r'<dt id="([\w-]+)">', html) == ["caps-5", "dissociation", "mtor", "ptsd", "r-d", "rct", "rcts"]
    assert html.count("<dd>") == 6  # RCT and RCTs: two terms, one definition
    assert re.search(r'<dt id="rct"><strong>RCT</strong></dt>\s*<dt id="rcts"><strong>RCTs</strong></dt>\s*'
                     r'<dd>Randomised controlled trial: ', html)
    assert '<dt id="r-d"><strong>R&amp;D</strong></dt>' in html
    # the term itself gets no tooltip; terms used inside a definition do
    assert '<dt id="ptsd"><strong>PTSD</strong></dt>' in html
    assert '<dd>A <abbr title="Post-traumatic stress disorder.">PTSD</abbr> interview scale.</dd>' in html
    assert md.startswith("6 terms, in alphabetical order.")


def test_find_abbreviations_skips_code_urls_dois_links_and_front_matter() -> None:
    text = textwrap.dedent("""\
        ---
        title: About FDA rules
        ---
        PTSD is measured with CAPS-5; non-NMDA receptors; two SSRIs.
        Not `CODE`, not https://www.VA.gov/PAGE, not doi:10.1001/JAMA.2014.62, not [a link](ABC.md).
        ```
        FENCED
        ```
        Schedule III. I. A. Ok.
        """)
    assert glossary.find_abbreviations(text) == [("PTSD", 4, 1), ("CAPS-5", 4, 23), ("NMDA", 4, 35),
                                                 ("SSRIs", 4, 55)]


def test_undefined_abbreviations_are_reported_with_a_plural_hint() -> None:
    g = glossary.parse(SOURCE, "includes/abbreviations.md")
    problems = glossary.undefined([("docs/a.md", "PTSD and RCTs.\nCAPS-5 and PTSDs and NICE.\n")], g)
    assert [str(p) for p in problems] == [
        "docs/a.md:2:12: GLO004 error: 'PTSDs' is not in includes/abbreviations.md "
        "(the glossary has 'PTSD': add the plural '*[PTSDs]: ...' too)",
        "docs/a.md:2:22: GLO004 error: 'NICE' is not in includes/abbreviations.md",
    ]


CONFIG = """\
site_name: Test
markdown_extensions:
  - md_in_html
  - kb.glossary.extension:
      glossary: includes/abbreviations.md
hooks: [{hook}]
"""


def glossary_project(root: pathlib.Path, abbreviations: str) -> pathlib.Path:
    (root / "docs" / "reference").mkdir(parents=True)
    (root / "includes").mkdir()
    (root / "data").mkdir()
    (root / "data" / "tags.yml").write_text((ROOT / "data" / "tags.yml").read_text(encoding="utf-8"))
    (root / "includes" / "abbreviations.md").write_text(abbreviations, encoding="utf-8")
    (root / "docs" / "index.md").write_text(with_front_matter("# Home\n\nPTSD and CAPS-5.\n"), encoding="utf-8")
    (root / "docs" / "reference" / "glossary.md").write_text(with_front_matter("# Glossary\n\n<!-- glossary -->\n"))
    (root / "mkdocs.yml").write_text(CONFIG.format(hook=ROOT / "hooks" / "checks.py"), encoding="utf-8")
    return root


def test_cli(tmp_path: pathlib.Path) -> None:
    project = glossary_project(tmp_path, SOURCE)
    page = project / "docs" / "index.md"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kb.check", "--only", "glossary", *args], cwd=project,
                              capture_output=True, text=True)

    assert run().returncode == 0
    page.write_text(with_front_matter("# Home\n\nThe DSM-5 and PTSD.\n"), encoding="utf-8")
    result = run()
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"docs/index.md:{3 + FRONT_MATTER_LINES}:5: GLO004 error: 'DSM-5' is not in includes/abbreviations.md",
        "glossary: 2 pages checked, 6 terms, 1 error, 0 warnings"]
    assert run("missing").returncode == 2


def test_hostile_definition_is_refused_and_shown_as_text(tmp_path: pathlib.Path) -> None:
    """The checks refuse HTML in a definition; built without them, it still shows as written."""
    from tests.support.helpers import run_mkdocs_build

    hostile = SOURCE + "*[NICE]: <style onload=alert(1)>x</style> [link](javascript:alert(1)) *bold*\n"
    project = glossary_project(tmp_path, hostile)
    (project / "docs" / "index.md").write_text(with_front_matter("# Home\n\nPTSD and NICE.\n"))
    refused = run_mkdocs_build(project / "site", project / "mkdocs.yml")
    assert refused.returncode == 1 and "includes/abbreviations.md:7:10: HTM001 error: <style>" in refused.stderr
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.split("hooks:")[0], encoding="utf-8")  # as a generator without hooks
    result = run_mkdocs_build(project / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "reference/glossary/index.html"):
        html = (project / "site" / page).read_text(encoding="utf-8")
        assert "<style" not in html and 'href="javascript' not in html and "<em>bold" not in html, page
    glossary_page = (project / "site" / "reference" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "&lt;style onload=alert(1)&gt;x&lt;/style&gt; [link](javascript:alert(1)) *bold*" in glossary_page


def _render(text: str, plain: list[str] | None = None) -> str:
    from kb.glossary.extension import GlossaryExtension

    with_glossary = GlossaryExtension(glossary=str(ROOT / "includes" / "abbreviations.md"), plain=plain or [])
    return markdown.markdown(text, extensions=["md_in_html", "tables", with_glossary])


def test_a_term_is_marked_once_at_its_first_use_in_running_text() -> None:
    html = _render(textwrap.dedent("""\
        # What PTSD is

        | PTSD scale | Meaning |
        |---|---|
        | CAPS-5 | a PTSD interview |

        [PTSD help](https://example.org) and PTSD again, then PTSD and CAPS-5.
        """))
    assert html.count("<abbr") == 2, html
    assert re.search(r'<td><abbr tabindex="0" title="[^"]+">CAPS-5</abbr></td>', html), html
    assert re.search(r'<td>a <abbr tabindex="0" title="[^"]+">PTSD</abbr> interview</td>', html), html
    assert "<h1>What PTSD is</h1>" in html and "<th>PTSD scale</th>" in html
    assert '<a href="https://example.org">PTSD help</a> and PTSD again, then PTSD and CAPS-5.' in html


def test_plain_terms_are_never_marked() -> None:
    text = "The US and UK guidelines on TV and PTSD."
    html = _render(text, plain=["US", "UK", "TV"])
    assert re.findall(r"<abbr[^>]*>([^<]+)</abbr>", html) == ["PTSD"]
    assert "The US and UK guidelines on TV and" in html
    assert re.findall(r"<abbr[^>]*>([^<]+)</abbr>", _render(text)) == ["US", "UK", "TV", "PTSD"]


# ------------------------------------------------------------------------------------- built site


def test_built_glossary_page_lists_every_term_alphabetically_with_anchors(built_site: pathlib.Path) -> None:
    terms = glossary.load(ROOT / "includes" / "abbreviations.md")
    html = (built_site / "reference" / "glossary" / "index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<dt id="([^"]+)">', html)
    assert sorted(anchors) == sorted(t.anchor for t in terms.terms.values())
    shown = [t.term for t in sorted(terms.terms.values(), key=lambda t: (t.term.casefold(), t.term))]
    assert [re.sub(r"<[^>]+>", "", dt) for dt in re.findall(r"<dt[^>]*>(.*?)</dt>", html)] == [
        html_escape(t, quote=False) for t in shown]
    assert not re.search(r"<dt[^>]*>.*?<abbr", html), "a term has a tooltip of itself"
    assert "<!-- glossary -->" not in html


def test_abbreviations_have_tooltips_on_content_pages(built_site: pathlib.Path) -> None:
    html = (built_site / "ptsd" / "what-is-ptsd" / "index.html").read_text(encoding="utf-8")
    definition = glossary.load(ROOT / "includes" / "abbreviations.md").terms["PTSD"].definition
    assert re.search(rf'<abbr [^>]*title="{re.escape(html_escape(definition))}"[^>]*>PTSD</abbr>', html)


def test_malformed_glossary_line_stops_the_build_naming_file_and_line(tmp_path: pathlib.Path) -> None:
    from tests.support.helpers import run_mkdocs_build

    glossary_project(tmp_path, SOURCE + "PTSD = stress disorder\n")
    result = run_mkdocs_build(tmp_path / "site", tmp_path / "mkdocs.yml")
    assert result.returncode != 0
    assert ("includes/abbreviations.md:7:1: GLO001 error: not a glossary entry: write *[TERM]: plain-language "
            "definition") in result.stderr
    assert "Traceback" not in result.stderr
    (tmp_path / "includes" / "abbreviations.md").write_text(SOURCE, encoding="utf-8")
    result = run_mkdocs_build(tmp_path / "site", tmp_path / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "reference" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert '<dt id="caps-5"><strong>CAPS-5</strong></dt>' in page


def test_built_pages_mark_each_term_once_and_never_us_uk_tv(built_site: pathlib.Path) -> None:
    for page in ("treatment/recommended", "ketamine/evidence-ptsd", "ketamine/safety", "ptsd/what-is-ptsd"):
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        article = html.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
        terms = re.findall(r"<abbr[^>]*>([^<]+)</abbr>", article)
        twice = sorted({t for t in terms if terms.count(t) > 1})
        assert not twice, f"{page}: terms marked more than once: {twice}"
        assert not {"US", "UK", "TV"} & set(terms), f"{page}: a plain abbreviation is marked"
    glossary_page = (built_site / "reference" / "glossary" / "index.html").read_text(encoding="utf-8")
    for term in ("us", "uk", "tv"):
        assert f'<dt id="{term}">' in glossary_page, f"the glossary page lost {term.upper()}"
