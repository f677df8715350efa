"""Citations: finding [@key] with positions, checking them, rendering numbered citations with the
Markdown extension, the command line, and the check hook's errors and warnings in a real (small) build."""
from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb import citations
from kb.citations import bibliography
from kb.citations.extension import CitationsExtension
from tests.support.helpers import FRONT_MATTER_LINES, ROOT, run_mkdocs_build, with_front_matter

ENTRIES = textwrap.dedent("""\
    feder2021:
      authors: Feder A, Costi S, Rutter SB, et al.
      title: A randomized controlled trial of repeated ketamine administration for chronic posttraumatic stress disorder
      container: American Journal of Psychiatry
      year: 2021
      volume: "178(2):193-202"
      doi: 10.1176/appi.ajp.2020.20050596
      pmid: "33302741"
      type: rct
    abdallah2022:
      authors: Abdallah CG, Roache JD, et al.
      title: Dose-related effects of ketamine for PTSD in veterans
      container: Neuropsychopharmacology
      year: 2022
      doi: 10.1038/s41386-022-01266-9
      type: rct
    fda2023:
      authors: US Food and Drug Administration
      title: FDA warns patients and health care providers about potential risks associated with \
compounded ketamine products
      container: US Food and Drug Administration
      year: 2023
      url: https://www.fda.gov/drugs/human-drug-compounding/compounded-ketamine
      type: regulatory
    """)


@pytest.fixture
def bib(tmp_path: pathlib.Path) -> bibliography.Bibliography:
    path = tmp_path / "references.yml"
    path.write_text(ENTRIES, encoding="utf-8")
    loaded = bibliography.load(path, display_path="data/references.yml")
    assert loaded.problems == []
    return loaded


def to_html(text: str, bib: bibliography.Bibliography) -> str:
    """The page rendered by Python-Markdown with the citations extension, as any generator renders it."""
    extension = CitationsExtension(bibliography=str(pathlib.Path(bib.path)))
    return markdown.markdown(text, extensions=["admonition", "tables", "footnotes", "attr_list", extension])


@pytest.fixture
def bib_file(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> bibliography.Bibliography:
    """The bibliography at data/references.yml of the working folder, where the extension reads it."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "references.yml").write_text(ENTRIES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return bibliography.load("data/references.yml", display_path="data/references.yml")


# ----------------------------------------------------------------------------------------- finding


def test_finds_single_and_multiple_keys_with_line_and_column() -> None:
    text = "First line.\nKetamine helped [@feder2021]. Both [@feder2021; @abdallah2022] agree.\n"
    found = citations.find_citations(text)
    assert [(c.line, c.col, c.keys) for c in found] == [
        (2, 17, ("feder2021",)), (2, 36, ("feder2021", "abdallah2022"))]
    assert text[found[0].start:found[0].end] == "[@feder2021]"


def test_code_comments_links_and_front_matter_are_not_citations() -> None:
    text = textwrap.dedent("""\
        ---
        description: not [@fm]
        ---
        Inline `[@inline]` and ``[@double]`` code.
        ```python
        x = "[@fenced]"
        ```
        !!! note
            ~~~
            [@indentedfence]
            ~~~
        <!-- [@comment] -->
        A [@link](https://example.org) and [@real].
        """)
    assert [c.keys for c in citations.find_citations(text, front_matter=True)] == [("real",)]


def test_citation_before_a_colon_and_wrapped_over_lines_is_found_but_a_link_definition_is_not() -> None:
    text = ("Ask about four things [@pai2017]:\n\nTrials [@feder2014; @feder2021;\n    @abdallah2022] agree.\n\n"
            "[@label]: https://example.org\n")
    assert [(c.line, c.keys) for c in citations.find_citations(text)] == [
        (1, ("pai2017",)), (3, ("feder2014", "feder2021", "abdallah2022"))]


@pytest.mark.parametrize("body", ["[@feder2021, @abdallah2022]", "[@feder2021 @abdallah2022]", "[@]",
                                  "[@feder2021; abdallah2022]"])
def test_malformed_citations_are_reported(body: str) -> None:
    (c,) = citations.find_citations(f"Text {body}.")
    assert c.keys == () and c.malformed and body in c.malformed


@given(st.lists(st.from_regex(r"[a-z][a-z0-9]{2,10}", fullmatch=True), min_size=1, max_size=4))
def test_keys_round_trip_and_never_match_inside_code(keys: list[str]) -> None:
    cite = "[" + "; ".join(f"@{k}" for k in keys) + "]"
    assert [c.keys for c in citations.find_citations(f"Text {cite}.")] == [tuple(keys)]
    assert citations.find_citations(f"Text `{cite}`.\n\n```\n{cite}\n```\n") == []


# ---------------------------------------------------------------------------------------- checking


def test_check_reports_unknown_keys_with_file_line_and_unused_entries_as_warnings(bib) -> None:
    pages = {
        "docs/a.md": citations.find_citations("Intro.\n\nSee [@feder2021; @fedr2021].\n"),
        "docs/b.md": citations.find_citations("[@nobody2020] and [@bad, @key]\n"),
    }
    problems = [str(p) for p in citations.check_pages(pages, bib)]
    assert problems == [
        "data/references.yml:10:1: CIT003 warning: bibliography entry 'abdallah2022' is never cited; "
        "cite it on a page or remove it",
        "data/references.yml:17:1: CIT003 warning: bibliography entry 'fda2023' is never cited; "
        "cite it on a page or remove it",
        "docs/a.md:3:5: CIT001 error: unknown citation key 'fedr2021'; did you mean 'feder2021'?",
        "docs/b.md:1:1: CIT001 error: unknown citation key 'nobody2020'; add it to data/references.yml",
        "docs/b.md:1:19: CIT002 error: cannot read '[@bad, @key]': write [@key] or [@key1; @key2] "
        "(separate keys with ';')",
    ]


# --------------------------------------------------------------------------------------- rendering


def test_numbers_follow_first_citation_and_repeated_keys_share_a_number(bib_file) -> None:
    html = to_html("# T\n\nA [@abdallah2022]. B [@feder2021; @abdallah2022]. C [@feder2021].\n", bib_file)
    refs = re.findall(r'<sup id="(fnref\d*):(\w+)"><a class="footnote-ref" href="#fn:\2">(\d+)</a></sup>', html)
    assert refs == [("fnref", "abdallah2022", "1"), ("fnref2", "abdallah2022", "1"),
                    ("fnref", "feder2021", "2"), ("fnref2", "feder2021", "2")]
    # several keys: superscripts in ascending order, separated by a comma, attached to the preceding word
    assert re.search(r'B<sup id="fnref2:abdallah2022">.*?</sup><sup>,</sup><sup id="fnref:feder2021">', html)
    # one list at the end, under a References heading, in citation order, with both back-links for a repeat
    assert html.index('<h2 data-search-exclude="true">References</h2>') < html.index('<div class="footnote">')
    items = re.findall(r'<li id="fn:(\w+)">(.*?)</li>', html, re.S)
    assert [k for k, _ in items] == ["abdallah2022", "feder2021"]
    feder = items[1][1]
    assert ('<a href="https://doi.org/10.1176/appi.ajp.2020.20050596">doi:10.1176/appi.ajp.2020.20050596</a>'
            in feder)
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/33302741/">PMID 33302741</a>' in feder
    assert feder.count('class="footnote-backref"') == 2


def test_entry_format() -> None:
    entry = bibliography.Entry("feder2021", "Feder A, Costi S, et al.", "Title of it", "Journal", 2021, "rct",
                               volume="178(2):193-202", doi="10.1176/x.1", pmid="33302741")
    assert bibliography.format_entry(entry) == (
        "Feder A, Costi S, et al. Title of it. *Journal*. 2021;178(2):193-202. "
        "[doi:10.1176/x.1](https://doi.org/10.1176/x.1) · [PMID 33302741](https://pubmed.ncbi.nlm.nih.gov/33302741/)")


def test_citations_attach_to_the_word_before_and_list_numbers_in_ascending_order(bib) -> None:
    text, keys = citations.as_footnotes("# T\n\nFirst [@feder2021].\nSecond fades\n    [@abdallah2022; @feder2021].\n\n"
                                        "## Heading\n[@feder2021] starts a line.\n", bib.entries)
    assert "First [^feder2021]" not in text
    assert "First[^feder2021].\nSecond fades[^feder2021]<sup>,</sup>[^abdallah2022]." in text
    assert "## Heading\n[^feder2021] starts a line." in text
    assert keys == ["feder2021", "abdallah2022"]


def test_url_only_entry_links_its_site(bib_file) -> None:
    html = to_html("Warning [@fda2023].", bib_file)
    assert '<a href="https://www.fda.gov/drugs/human-drug-compounding/compounded-ketamine">fda.gov</a>' in html


def test_page_without_citations_is_left_alone(bib_file) -> None:
    text = "# Title\n\nNo sources here, only `[@code]`.\n"
    assert to_html(text, bib_file) == markdown.markdown(text, extensions=["footnotes", "attr_list"])


def test_code_is_left_alone_when_rendering(bib) -> None:
    text, _ = citations.as_footnotes("Real [@feder2021].\n\n```\nkeep [@feder2021] here\n```\n", bib.entries)
    assert "keep [@feder2021] here" in text and "Real[^feder2021]." in text


def test_unknown_key_is_left_as_written(bib_file) -> None:
    """The checks report it with file and line; the page shows what the contributor wrote."""
    html = to_html("Text [@nope] and [@feder2021].", bib_file)
    assert "[@nope]" in html and 'href="#fn:feder2021"' in html


def test_bibliography_page_is_alphabetical_with_type_and_back_links(bib) -> None:
    cited_by = {"feder2021": [("Ketamine for PTSD: the evidence", "../ketamine/evidence-ptsd.md")]}
    listing = citations.bibliography_markdown(bib, cited_by)
    keys = re.findall(r"\{ #(\w+) \}", listing)
    assert keys == ["abdallah2022", "feder2021", "fda2023"]  # Abdallah, Feder, US Food...
    html = markdown.markdown(listing, extensions=["attr_list"])
    assert ("<em>Randomised controlled trial.</em> Cited in: "
            '<a href="../ketamine/evidence-ptsd.md#fn:feder2021">Ketamine for PTSD: the evidence</a>.') in html
    assert "Cited in: not cited yet." in html
    assert html.count("Cited in:") == 3


def test_cited_in_titles_are_text(bib) -> None:
    html = markdown.markdown(citations.bibliography_markdown(bib, {"feder2021": [("PTSD <and> *ketamine*", "a.md")]}),
                             extensions=["attr_list"])
    assert '<a href="a.md#fn:feder2021">PTSD &lt;and&gt; *ketamine*</a>' in html


def test_hostile_bibliography_fields_stay_text(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A title or container with HTML shows as text; a url that would end the link is refused by the schema."""
    hostile = ENTRIES.replace("title: Dose-related effects of ketamine for PTSD in veterans",
                              'title: "<img src=x onerror=alert(1)> [x](javascript:alert(1))"')
    hostile = hostile.replace("https://www.fda.gov/drugs/human-drug-compounding/compounded-ketamine",
                              "https://www.fda.gov/x>)<svg/hidden/onload=alert(1)>")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "references.yml").write_text(hostile, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    bib = bibliography.load("data/references.yml")
    assert [p.code for p in bib.problems] == ["BIB002"] and "fda2023" not in bib.entries
    html = to_html("Text [@abdallah2022] and [@fda2023].", bib)
    assert "<img" not in html and "<svg" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript' not in html


# ------------------------------------------------------------------------------------- bibliography


@pytest.mark.parametrize(("field", "value", "message"), [
    ("doi", "https://doi.org/10.1176/x", "is not of the form 10.NNNN/suffix"),
    ("doi", "10.11/x", "is not of the form 10.NNNN/suffix"),
    ("pmid", "PMID33302741", "must be PubMed digits only"),
    ("type", "trial", "is not one of: rct, meta-analysis"),
    ("year", "'2021'", "must be a four-digit year"),
    ("colour", "red", "unknown field"),
])
def test_bad_fields_are_reported_on_their_line(tmp_path: pathlib.Path, field: str, value: str, message: str) -> None:
    path = tmp_path / "references.yml"
    text = ENTRIES.replace("  type: rct\nabdallah2022:", f"  type: rct\n  {field}: {value}\nabdallah2022:")
    line = 10  # the added field follows the entry's 9 lines
    if field in ("doi", "pmid", "type", "year"):  # replace, not add
        text, line = re.sub(rf"(feder2021:\n(?:  .*\n)*?)  {field}: .*\n", r"\1", text, count=1), 9
    path.write_text(text, encoding="utf-8")
    bib = bibliography.load(path, display_path="refs.yml")
    assert [(p.line, p.code) for p in bib.problems] == [(line, "BIB002")], bib.problems
    assert message in bib.problems[0].message
    assert "feder2021" not in bib.entries and "feder2021" in bib  # known key, but not renderable


def test_entry_without_doi_or_pmid_is_refused_unless_a_guideline_with_url(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "references.yml"
    path.write_text(ENTRIES.replace("  doi: 10.1038/s41386-022-01266-9\n", ""), encoding="utf-8")
    (problem,) = bibliography.load(path).problems
    assert problem.line == 10 and "needs a doi or a pmid" in problem.message


@pytest.mark.parametrize(("text", "line", "code"), [
    ("a2020:\n  title: x\n a: [", 3, "BIB001"),
    ("- just\n- a list\n", 1, "BIB001"),
    (ENTRIES + "feder2021:\n  title: again\n", 24, "BIB003"),
    (ENTRIES.replace("feder2021:", "Feder2021:"), 1, "BIB004"),
])
def test_structural_problems(tmp_path: pathlib.Path, text: str, line: int, code: str) -> None:
    path = tmp_path / "references.yml"
    path.write_text(text, encoding="utf-8")
    problems = bibliography.load(path).problems
    assert (problems[0].line, problems[0].code) == (line, code), problems


# ------------------------------------------------------------------------------------ command line

MINI_CONFIG = """\
site_name: Test
theme: {{name: material, features: [content.footnote.tooltips]}}
markdown_extensions:
  - attr_list
  - toc
  - footnotes
  - kb.citations.extension:
      bibliography: data/references.yml
hooks: [{hook}]
nav: [a.md, b.md, reference/references.md]
"""


def run_cli(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kb.check", "--only", "citations", *args], cwd=cwd,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, executable=sys.executable)


def make_project(tmp_path: pathlib.Path, pages: dict[str, str], entries: str = ENTRIES) -> pathlib.Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "references.yml").write_text(entries, encoding="utf-8")
    shutil.copy(ROOT / "data" / "tags.yml", tmp_path / "data" / "tags.yml")
    for name, text in pages.items():
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text(with_front_matter(text), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MINI_CONFIG.format(hook=ROOT / "hooks" / "checks.py"), encoding="utf-8")
    return tmp_path


L = FRONT_MATTER_LINES


def test_cli_exit_codes_and_formats(tmp_path: pathlib.Path) -> None:
    project = make_project(tmp_path, {"a.md": "# A\n\nText [@feder2021; @abdallah2022] [@fda2023].\n",
                                      "sub/b.md": "# B\n\nBad [@missing2020].\n"})
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"docs/sub/b.md:{3 + L}:5: CIT001 error: unknown citation key 'missing2020'; add it to data/references.yml",
        "citations: 2 pages checked, 3 citations, 3 bibliography entries, 1 error, 0 warnings"]
    as_json = json.loads(run_cli("--format", "json", cwd=project).stdout)["checks"]["citations"]
    assert (as_json["errors"], as_json["warnings"], as_json["pages checked"]) == (1, 0, 2)
    assert as_json["problems"][0]["code"] == "CIT001" and as_json["problems"][0]["line"] == 3 + L
    github = run_cli("--format", "github", cwd=project).stdout
    assert github.startswith(f"::error file=docs/sub/b.md,line={3 + L},col=5,title=CIT001 Unknown citation key::"
                             "unknown citation key")
    (project / "docs" / "sub" / "b.md").write_text(with_front_matter("# B\n"), encoding="utf-8")
    clean = run_cli(cwd=project)
    assert clean.returncode == 0
    assert clean.stdout == "citations: 2 pages checked, 2 citations, 3 bibliography entries, no problems\n"
    (project / "docs" / "a.md").write_text(with_front_matter("# A\n\nText [@feder2021].\n"), encoding="utf-8")
    warned = run_cli(cwd=project)
    assert warned.returncode == 1 and "CIT003 warning" in warned.stdout
    assert run_cli("nowhere", cwd=project).returncode == 2


# ---------------------------------------------------------------------------------- in a real build


def mini_site(tmp_path: pathlib.Path, pages: dict[str, str]) -> pathlib.Path:
    project = make_project(tmp_path, {"reference/references.md": "# References\n\n<!-- bibliography -->\n", **pages})
    return project / "mkdocs.yml"


def test_build_fails_once_listing_every_unknown_key_of_every_page(tmp_path: pathlib.Path) -> None:
    config = mini_site(tmp_path, {"a.md": "# A\n\nOne [@feder2021; @abdallah2022] [@fda2023] [@nope1].\n",
                                  "b.md": "# B\n\nTwo [@nope2].\n"})
    result = run_mkdocs_build(tmp_path / "site", config)
    assert result.returncode != 0
    assert "2 citations errors" in result.stderr
    assert f"docs/a.md:{3 + L}:44: CIT001 error: unknown citation key 'nope1'" in result.stderr
    assert f"docs/b.md:{3 + L}:5: CIT001 error: unknown citation key 'nope2'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unused_entry_warns_so_strict_fails(tmp_path: pathlib.Path) -> None:
    config = mini_site(tmp_path, {"a.md": "# A\n\nOne [@feder2021].\n", "b.md": "# B\n\nTwo [@fda2023].\n"})
    result = run_mkdocs_build(tmp_path / "site", config)
    assert result.returncode != 0
    assert ("WARNING -  data/references.yml:10:1: CIT003 warning: bibliography entry 'abdallah2022' is never cited"
            in result.stderr)


def test_mini_build_renders_citations_reference_lists_and_the_references_page(tmp_path: pathlib.Path) -> None:
    config = mini_site(tmp_path, {
        "a.md": "# Page A\n\nOne [@feder2021; @abdallah2022]. Again [@feder2021].\n",
        "b.md": "# B\n\nTwo [@fda2023] and [@feder2021].\n"})
    (tmp_path / "docs" / "b.md").write_text(with_front_matter("# B\n\nTwo [@fda2023] and [@feder2021].\n", "Page B"))
    result = run_mkdocs_build(tmp_path / "site", config)
    assert result.returncode == 0, result.stderr
    a = (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a (?:aria-label="Reference 1" )?class="footnote-ref" href="#fn:feder2021">1</a>', a)
    assert re.search(r'<a (?:aria-label="Reference 2" )?class="footnote-ref" href="#fn:abdallah2022">2</a>', a)
    assert re.search(r'<h2 (?:aria-label="References" )?id="references">References', a)
    assert 'href="https://doi.org/10.1038/s41386-022-01266-9"' in a
    # Search finds what pages say, not the titles of what they cite: no References sections indexed.
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert {d["location"] for d in index["docs"]} >= {"a/", "b/"}
    pages = [d for d in index["docs"] if not d["location"].startswith("reference/references/")]
    assert not [d for d in pages if d["location"].endswith("#references") or "doi:" in d["text"]]
    assert not [d for d in pages if "schema.org" in d["text"]], "the cited works' JSON-LD is not indexed"
    assert any("doi:" in d["text"] for d in index["docs"] if d not in pages), "the bibliography page is searchable"
    refs = (tmp_path / "site" / "reference" / "references" / "index.html").read_text(encoding="utf-8")
    assert [m for m in re.findall(r'<li id="(\w+)">', refs)] == ["abdallah2022", "feder2021", "fda2023"]
    feder = re.search(r'<li id="feder2021">(.*?)</li>', refs, re.S).group(1)
    assert '<a href="../../a/#fn:feder2021">Page A</a>' in feder
    assert '<a href="../../b/#fn:feder2021">Page B</a>' in feder
    assert "Randomised controlled trial" in feder
    assert not re.search(r'<h2 [^>]*id="references"', refs), "the references page cites nothing itself"


def test_cited_in_gives_each_page_its_own_title_escaped_once(tmp_path: pathlib.Path) -> None:
    """Not the shorter label the nav gives it."""
    config = mini_site(tmp_path, {"a.md": "# Page A\n\nOne [@feder2021; @abdallah2022].\n",
                                  "b.md": "# B\n\nTwo [@fda2023].\n"})
    (tmp_path / "docs" / "b.md").write_text(with_front_matter("# B\n\nTwo [@fda2023].\n", "Risks & benefits"))
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("nav: [a.md, b.md,", "nav: [a.md, {Short: b.md},"), encoding="utf-8")
    result = run_mkdocs_build(tmp_path / "site", config)
    assert result.returncode == 0, result.stderr
    refs = (tmp_path / "site" / "reference" / "references" / "index.html").read_text(encoding="utf-8")
    fda = re.search(r'<li id="fda2023">(.*?)</li>', refs, re.S).group(1)
    assert '<a href="../../b/#fn:fda2023">Risks &amp; benefits</a>' in fda


def test_markdown_changed_by_another_hook_is_rendered_as_handed_over(tmp_path: pathlib.Path) -> None:
    """The extension renders the Markdown MkDocs hands over, whatever a hook or plugin did to it."""
    config = mini_site(tmp_path, {"a.md": "# Page A\n\nOne [@feder2021].\n",
                                  "b.md": "# B\n\nTwo [@fda2023] and [@abdallah2022].\n"})
    (tmp_path / "notice.py").write_text(
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    return 'Added [@abdallah2022] first.\\n\\n' + markdown if page.file.src_uri == 'a.md' else markdown\n",
        encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("hooks: [", f"hooks: [{tmp_path / 'notice.py'}, "), encoding="utf-8")
    result = run_mkdocs_build(tmp_path / "site", config)
    assert result.returncode == 0, result.stderr
    a = (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a (?:aria-label="Reference 1" )?class="footnote-ref" href="#fn:abdallah2022">1</a>', a)
    assert re.search(r'<a (?:aria-label="Reference 2" )?class="footnote-ref" href="#fn:feder2021">2</a>', a)
    assert "[@" not in a


def test_citation_in_a_heading_keeps_the_table_of_contents_clean(tmp_path: pathlib.Path) -> None:
    config = mini_site(tmp_path, {"a.md": "# Page A\n\n## Doses studied [@feder2021]\n\nText [@abdallah2022].\n",
                                  "b.md": "# B\n\nTwo [@fda2023].\n"})
    result = run_mkdocs_build(tmp_path / "site", config)
    assert result.returncode == 0, result.stderr
    a = (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 (?:aria-label="Doses studied" )?id="doses-studied">'
                     r'Doses studied<sup id="fnref:feder2021">', a)
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', a, re.S)[0]
    assert re.search(r'href="#doses-studied"[^>]*>\s*<span class="md-ellipsis">\s*Doses studied\s*</span>', toc)
