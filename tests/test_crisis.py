"""Crisis numbers: no pull request can change, hide or hijack them.

Each fixture of tests/fixtures/crisis/ is one attempt that got past the checks before: it is refused
with its code, file, line and column, by the check alone and by `make check` and `mkdocs build
--strict` in a copy of the repository that holds every attempt at once. The real site passes, and
the check of the built site catches a doctored built page.
"""
from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from kb import crisis, html_safety
from kb.core.site import load
from kb.frontmatter import validate
from tests.support.helpers import ROOT, run_mkdocs_build
from tests.support.repository_copy import copy_repo, make

FIXTURES = ROOT / "tests" / "fixtures" / "crisis"
DATA = crisis.load_data(ROOT / "data" / "crisis.yml", "data/crisis.yml")


def found(path: str, text: str) -> list[tuple[str, int, int]]:
    """(code, line, col) of what the source checks report for one file."""
    if path.endswith(".css"):
        problems = crisis.check_css(path, text)
    else:
        problems = crisis.markdown_problems(path, text, DATA) + crisis.character_problems(path, text)
        problems += [p for p in html_safety.check_markdown(path, text) if p.code == "HTM003"]
    return sorted((p.code, p.line, p.col) for p in problems)


PAGE_ATTEMPTS: dict[str, list[tuple[str, int, int]]] = {
    # fixture -> what it must get, (code, line, col)
    "tel-other-number.md": [("CRI005", 12, 34), ("CRI006", 12, 34)],  # [988](tel:+15550100)
    "tel-unlisted.md": [("CRI005", 12, 35), ("CRI005", 14, 10), ("CRI006", 14, 10)],
    "tel-zero-width.md": [("CRI005", 12, 23), ("CRI007", 12, 29)],  # tel:98<U+200B>8
    "tel-fullwidth.md": [("CRI005", 12, 23), ("CRI007", 12, 27)],  # tel:<fullwidth 988>
    "page-abbreviation.md": [("CRI008", 14, 3), ("CRI008", 15, 3)],  # *[988]: ..., *[Samaritans]: ...
    "glossary-number.md": [("CRI008", 1, 3)],  # *[988]: Call 1-555-0100
    "hidden-boost.md": [("HTM003", 15, 4)],  # { .headerlink }; its search.boost: 10 is FM025
    "banner-number.css": [("CRI009", 3, 3)],  # content: " or 1-555-0100"
    "banner-hidden.css": [("CRI010", 4, 5), ("CRI010", 8, 3)],  # display: none; opacity: 0
}


@pytest.mark.parametrize("fixture", sorted(PAGE_ATTEMPTS))
def test_each_attempt_is_refused_where_it_is_written(fixture: str) -> None:
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    assert found(f"docs/{fixture}", text) == PAGE_ATTEMPTS[fixture]


def test_a_noscript_link_is_checked_and_a_comment_is_not_shown_text() -> None:
    """Pages are read with scripting off, so a link in <noscript> (which a reader without JavaScript
    sees) is checked; a comment inside a link is no part of the digits it shows."""
    text = '<noscript><a href="tel:+15550100">988</a></noscript>\n\nCall <a href="tel:988">9<!-- 1 -->88</a>.\n'
    assert found("docs/x.md", text) == [("CRI005", 1, 20), ("CRI006", 1, 20)]


def test_a_boost_above_two_or_above_one_for_contributors_is_refused() -> None:
    result = validate.check([(FIXTURES / "hidden-boost.md", "docs/hidden-boost.md")],
                            tags_file=ROOT / "data" / "tags.yml")
    boosts = [(p.code, p.line, p.message) for p in result.problems if p.field == "search.boost"]
    assert [(code, line) for code, line, _ in boosts] == [("FM025", 9), ("FM025", 9)], boosts
    assert {message for _, _, message in boosts} == {"10 is out of range; allowed: above 0 to 2",
                                                     "10 is out of range; allowed: above 0 to 1"}
    page = (FIXTURES / "hidden-boost.md").read_text(encoding="utf-8").replace("boost: 10", "boost: 1.5")
    other = FIXTURES.parent / "hidden-boost-1.5.md"
    try:
        other.write_text(page, encoding="utf-8")
        messages = [p.message for p in validate.check([(other, "x.md")], tags_file=ROOT / "data" / "tags.yml").problems]
        assert messages == ["1.5 is out of range; allowed: above 0 to 1"]
        other.write_text(page.replace("[contributors]", "[patients]"), encoding="utf-8")
        assert validate.check([(other, "x.md")], tags_file=ROOT / "data" / "tags.yml").problems == []
    finally:
        other.unlink()


@pytest.mark.parametrize(("text", "expected"), [
    ("[988](tel:988) [116 123](tel:116123) [text 838255](sms:838255)", []),
    ("Text [85258](sms:85258?body=SHOUT), call [0800 83 85 87](tel:0800838587)", []),
    ("[Call now](tel:988)", [("CRI006", 1, 12)]),  # no digits shown
    ("[838255](tel:838255)", [("CRI005", 1, 10)]),  # a text number is not called
    ("[85258](sms:85258?body=STOP)", [("CRI005", 1, 9)]),  # prefills another word
    ("[988](tel:988,1)", [("CRI005", 1, 7)]),  # a pause and another digit
    ("<a href='tel:988' aria-label='call 555 0100'>988</a>", [("CRI006", 1, 10)]),  # a screen reader hears another
    ("<abbr title='Call 555 0100'>988</abbr>", [("CRI008", 1, 29)]),
    ("`[988](tel:5550100)` in code is not a link", []),
    ("*[NG116]: a guideline number, not a phone number\n*[PCL-5]: a checklist", []),
    ("*[Call 988]: another number\n*[SHOUT]: another word", [("CRI008", 1, 3), ("CRI008", 2, 3)]),
    ("A line\u2028break, a soft\u00adhyphen, \u202eright to left, \u0669\u0668\u0668",
     [("CRI007", 1, 7), ("CRI007", 1, 21), ("CRI007", 1, 30), ("CRI007", 1, 46)]),
    ("\ufeff# A byte order mark at the start is fine", []),
])
def test_links_abbreviations_and_characters(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert found("docs/page.md", text) == expected


@pytest.mark.parametrize(("css", "expected"), [
    ('a::after { content: "\\39 88"; }', [("CRI009", 1, 12)]),
    ("a::after { content: counter(x); } b::before { content: attr(title) }", [("CRI009", 1, 12), ("CRI009", 1, 47)]),
    ('a[href^="tel:"]::after { content: " (dial)"; }', []),
    (".md-banner { color: red; }\n.kb-crisis-banner { transform: translateY(-200%) }",
     [("CRI010", 2, 21)]),
    (".kb-crisis a { pointer-events: none }", [("CRI010", 1, 16)]),
    ("aside { position: fixed; top: -100px }", [("CRI010", 1, 9), ("CRI010", 1, 26)]),
    ("/* .kb-crisis { display: none } */ .md-typeset p { display: none }", []),
])
def test_style_sheet_rules(css: str, expected: list[tuple[str, int, int]]) -> None:
    assert found("docs/assets/stylesheets/extra.css", css) == expected


@pytest.mark.parametrize(("fixture", "expected"), [
    ("crisis-extra-key.yml", [("CRI003", 15, 3), ("CRI003", 17, 1)]),  # extra.analytics, hooks
    ("crisis-alias.yml", [("CRI001", 5, 9)]),
    ("crisis-bad-number.yml", [("CRI002", 11, 13), ("CRI002", 14, 13), ("CRI002", 16, 13), ("CRI002", 19, 13)]),
])
def test_the_data_file_is_checked_against_its_schema_and_limits(fixture: str, expected) -> None:
    data = crisis.load_data(FIXTURES / fixture, f"data/{fixture}")
    assert sorted((p.code, p.line, p.col) for p in data.problems) == expected
    assert all(p.path == f"data/{fixture}" for p in data.problems)


def test_a_huge_data_file_is_refused_before_it_is_parsed(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "crisis.yml"
    path.write_text("extra:\n  crisis:\n" + "    # padding\n" * 10000, encoding="utf-8")
    assert [p.code for p in crisis.load_data(path, "data/crisis.yml").problems] == ["CRI001"]


def test_crisis_numbers_set_in_mkdocs_yml_are_refused(tmp_path: pathlib.Path) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "crisis.yml", tmp_path / "data" / "crisis.yml")
    shutil.copy(FIXTURES / "mkdocs-extra-crisis.yml", tmp_path / "mkdocs.yml")
    problems = crisis.check_site(load(tmp_path)).problems
    assert [(p.path, p.line, p.col, p.code) for p in problems] == [("mkdocs.yml", 4, 3, "CRI004")]
    # Read from the data file with INHERIT, and nothing else: no problem.
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nINHERIT: data/crisis.yml\n", encoding="utf-8")
    assert crisis.check_site(load(tmp_path)).problems == ()


def test_the_real_site_passes() -> None:
    result = crisis.check_site(load(ROOT))
    assert result.problems == (), "\n".join(map(str, result.problems))
    assert result.counts["crisis numbers"] >= 9
    assert {"988", "116123"} <= DATA.call_numbers and "838255" in DATA.text_numbers


# ------------------------------------------------------------------- make check and the build


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, dict[str, str]]:
    """A copy of the repository with every attempt in place; returns it and each expected line."""
    repo = copy_repo(tmp_path_factory.mktemp("crisis"))
    expected: dict[str, str] = {}
    for fixture, problems in PAGE_ATTEMPTS.items():
        if fixture.endswith(".css"):
            continue
        if fixture == "glossary-number.md":
            glossary = repo / "includes" / "abbreviations.md"
            offset = len(glossary.read_text(encoding="utf-8").splitlines())
            with glossary.open("a", encoding="utf-8") as out:
                out.write((FIXTURES / fixture).read_text(encoding="utf-8"))
            target, problems = "includes/abbreviations.md", [(c, line + offset, col) for c, line, col in problems]
        else:
            target = f"docs/contributing/{fixture}"
            shutil.copy(FIXTURES / fixture, repo / target)
        for code, line, col in problems:
            expected[f"{fixture} {code} {line}:{col}"] = f"{target}:{line}:{col}: {code} error"
    sheet = repo / "docs" / "assets" / "stylesheets" / "extra.css"
    for fixture in ("banner-number.css", "banner-hidden.css"):
        offset = len(sheet.read_text(encoding="utf-8").splitlines())
        with sheet.open("a", encoding="utf-8") as out:
            out.write((FIXTURES / fixture).read_text(encoding="utf-8"))
        for code, line, col in PAGE_ATTEMPTS[fixture]:
            expected[f"{fixture} {code} {line}:{col}"] = (
                f"docs/assets/stylesheets/extra.css:{line + offset}:{col}: {code} error")
    expected["hidden-boost.md FM025"] = "docs/contributing/hidden-boost.md:9:3: FM025 error search.boost: 10"
    data = (repo / "data" / "crisis.yml").read_text(encoding="utf-8")
    (repo / "data" / "crisis.yml").write_text(data + "hooks:\n  - evil.py\n", encoding="utf-8")
    expected["data file hooks"] = f"data/crisis.yml:{len(data.splitlines()) + 1}:1: CRI003 error"
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    marker = "  generator: false\n"
    assert marker in config
    (repo / "mkdocs.yml").write_text(config.replace(marker, marker + "  crisis:\n    regions: []\n"), encoding="utf-8")
    line = config[:config.index(marker)].count("\n") + 2
    expected["crisis in mkdocs.yml"] = f"mkdocs.yml:{line}:3: CRI004 error"
    return repo, expected


@pytest.fixture(scope="module")
def outcomes(hostile_repo) -> dict[str, subprocess.CompletedProcess[str]]:
    repo, _ = hostile_repo
    return {"check": make(repo, "check"), "build": run_mkdocs_build(repo / "site", repo / "mkdocs.yml")}


def test_make_check_and_the_build_fail_without_a_traceback(outcomes) -> None:
    for outcome in outcomes.values():
        assert outcome.returncode != 0
        assert "Traceback" not in outcome.stdout + outcome.stderr


def test_make_check_and_the_build_name_every_attempt(hostile_repo, outcomes) -> None:
    _, expected = hostile_repo
    missing = {name: line for name, line in expected.items()
               if line not in outcomes["check"].stdout or line not in outcomes["build"].stderr}
    assert not missing, f"{missing}\n--- make check:\n{outcomes['check'].stdout}"
    assert len(expected) == 19


# ---------------------------------------------------------------------------------- built site


def test_the_built_site_passes(built_site: pathlib.Path) -> None:
    problems, pages = crisis.check_built_site(built_site, DATA)
    assert problems == [], "\n".join(map(str, problems))
    assert pages >= 30 and (built_site / "404.html").is_file()


def test_a_doctored_built_page_is_caught(built_site: pathlib.Path, tmp_path: pathlib.Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("assets", "search", "*.xml", "*.gz"))
    page = site / "ptsd" / "index.html"
    text = page.read_text(encoding="utf-8")
    banner = text.index('aria-label="Crisis help"')
    link = '<a class="kb-tel" href="tel:988">988</a>'
    at = text.index(link, banner)  # the banner's 988 Lifeline
    page.write_text(text[:at] + link.replace("tel:988", "tel:+15550100") + text[at + len(link):], encoding="utf-8")
    missing = site / "404.html"
    missing.write_text(re.sub(r'aria-label="Crisis help"', 'aria-label="Help"', missing.read_text(encoding="utf-8")),
                       encoding="utf-8")
    hidden = site / "index.html"
    home = hidden.read_text(encoding="utf-8").split('aria-label="Crisis help"')[0].count("\n") + 1
    hidden.write_text(hidden.read_text(encoding="utf-8").replace('aria-label="Crisis help"',
                                                                  'aria-label="Crisis help" hidden'), encoding="utf-8")
    no_uk = site / "about" / "index.html"
    about = no_uk.read_text(encoding="utf-8")
    region_start = about.index('data-kb-region="uk"', about.index('aria-label="Crisis help"'))
    region_end = about.index("</span>\n  <span", region_start)
    unlinked = re.sub(r'<a class="kb-tel" href="tel:\d+">([\d ]+)</a>', r"\1", about[region_start:region_end])
    no_uk.write_text(about[:region_start] + unlinked + about[region_end:], encoding="utf-8")
    problems, _ = crisis.check_built_site(site, DATA, shown_root=tmp_path)
    line = text[:at].count("\n") + 1
    about_banner = about[:about.index('aria-label="Crisis help"')].count("\n") + 1
    got = sorted((p.path, p.line, p.code) for p in problems)
    assert got == sorted([
        ("site/ptsd/index.html", line, "CRI005"), ("site/ptsd/index.html", line, "CRI006"),
        ("site/404.html", 1, "CRI011"), ("site/index.html", home, "CRI011"),
        ("site/about/index.html", about_banner, "CRI011"),  # the United Kingdom's numbers are text, not links
    ]), "\n".join(map(str, problems))
    messages = " ".join(p.message for p in problems)
    assert "for region 'uk'" in messages and "dials 15550100" in messages and "hidden on <aside>" in messages
    cli = subprocess.run([sys.executable, "-m", "kb.crisis", "--built", str(site)], cwd=ROOT,
                         capture_output=True, text=True)
    assert cli.returncode == 1 and "CRI005" in cli.stdout and "Traceback" not in cli.stderr


def test_make_build_runs_the_built_check() -> None:
    build = re.search(r"^build:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert "-m kb.crisis --built site" in build.group(1)


def test_the_data_file_needs_a_maintainer() -> None:
    owners = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert re.search(r"^/data/crisis\.yml\s+@", owners, re.M)


def test_without_the_data_file_no_number_may_be_linked(tmp_path: pathlib.Path) -> None:
    data = crisis.load_data(tmp_path / "crisis.yml", "data/crisis.yml")
    assert data.problems == [] and data.regions == {}
    codes = [code for code, _ in crisis.link_problems(crisis.Link("tel", "tel:988", "988", None), data)]
    assert codes == ["CRI005"]
