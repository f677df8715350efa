"""`make new-page` and the nav edit behind it: the page it writes passes the checks, the strict build and
the pre-commit hook, and bad answers change nothing.

Scaffolding runs in a temporary copy of the repository, never in the real docs/."""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
import shlex

import pytest
import yaml

from kb.tools import nav_edit
from tests.support.helpers import DESCRIPTION, ROOT, run_mkdocs_build, visible_text
from tests.support.repository_copy import copy_repo, make, python

TITLE = "Sleep and nightmares"
FLAGS = ["--title", TITLE, "--section", "ptsd", "--tags", "ptsd,recovery", "--description", DESCRIPTION]


def front_matter(path: pathlib.Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def section_pages(repo: pathlib.Path, folder: str) -> tuple[str, ...]:
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    return next(s.pages for s in nav_edit.sections(config) if s.folder == folder)


def check_problems(repo: pathlib.Path) -> list[dict]:
    result = python(repo, "-m", "kb.check", "--only", "front matter", "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["checks"]["front matter"]["problems"]



@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A repository copy before and after `make new-page` with flags, and its strict build."""
    repo = copy_repo(tmp_path_factory.mktemp("repo"))
    check_before = make(repo, "check")
    result = make(repo, "new-page", "ARGS=" + shlex.join(FLAGS))
    site = tmp_path_factory.mktemp("site")
    build = run_mkdocs_build(site, config=repo / "mkdocs.yml")
    return {"repo": repo, "result": result, "check_before": check_before, "site": site, "build": build}


def test_new_page_with_flags_writes_valid_front_matter(scaffolded: dict) -> None:
    repo, result = scaffolded["repo"], scaffolded["result"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Created docs/ptsd/sleep-and-nightmares.md" in result.stdout
    page = repo / "docs" / "ptsd" / "sleep-and-nightmares.md"
    meta = front_matter(page)
    assert meta == {"title": TITLE, "description": DESCRIPTION, "tags": ["ptsd", "recovery"],
                    "audience": ["patients", "families", "clinicians"], "review_interval_months": 12,
                    "last_reviewed": dt.date.today()}
    body = page.read_text(encoding="utf-8")
    assert '!!! abstract "Key points"' in body and "## For clinicians:" in body
    checked = python(repo, "-m", "kb.check", "--only", "front matter")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "sleep-and-nightmares" not in checked.stdout


def test_new_page_passes_make_check_adding_no_problem(scaffolded: dict) -> None:
    """`make check` (every content check) reports nothing about the new page, and fails only if it already did."""
    repo, before = scaffolded["repo"], scaffolded["check_before"]
    after = make(repo, "check")
    problems = [line for line in after.stdout.splitlines() if re.search(r":\d+:\d+: [A-Z]+\d+ (error|warning)", line)]
    assert not [line for line in problems if "sleep-and-nightmares" in line], problems
    assert after.returncode == before.returncode, after.stdout + after.stderr
    assert "front matter: " in after.stdout and "no problems" in after.stdout.split("front matter: ")[1].splitlines()[0]


def test_new_page_is_added_at_the_end_of_its_nav_section(scaffolded: dict) -> None:
    repo = scaffolded["repo"]
    pages = section_pages(repo, "ptsd")
    assert pages[-1] == "ptsd/sleep-and-nightmares.md"
    assert pages[:-1] == section_pages(ROOT, "ptsd")
    original = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    edited = (repo / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    assert len(edited) == len(original) + 1, "exactly one line is added to mkdocs.yml"
    assert "      - ptsd/sleep-and-nightmares.md" in edited
    assert [line for line in edited if "sleep-and-nightmares" not in line] == original


def test_new_page_passes_the_strict_build_and_is_in_the_nav(scaffolded: dict) -> None:
    build, site = scaffolded["build"], scaffolded["site"]
    assert build.returncode == 0, build.stderr
    page = (site / "ptsd" / "sleep-and-nightmares" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and TITLE in page
    assert 'class="admonition abstract"' in page
    active = re.search(r'<a href="\./" class="md-nav__link md-nav__link--active">(.*?)</a>', page, re.S)
    assert active and visible_text(active.group(1)) == TITLE, "the page is the active entry of its own navigation"
    section_index = (site / "ptsd" / "index.html").read_text(encoding="utf-8")
    nav = section_index[section_index.index('<nav class="md-nav md-nav--primary'):]
    assert re.search(r'href="(\./)?sleep-and-nightmares/"', nav), "the section's navigation links to the new page"
    assert "ptsd/sleep-and-nightmares/" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_new_page_interactive_answers_from_stdin(tmp_path: pathlib.Path) -> None:
    repo = copy_repo(tmp_path)
    answers = "\n".join([
        "Ketamine and sleep",               # title
        "Ketamine",                         # section, by its nav title
        "ketamine, slep",                   # an unknown tag: asked again
        "ketamine, safety",
        "too short",                        # asked again
        "What is known about ketamine and sleep, from trials in people with PTSD and depression.",
    ]) + "\n"
    result = make(repo, "new-page", stdin=answers)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "'slep' is not in data/tags.yml" in result.stderr
    assert "the description must be 50 to 160 characters; this one has 9" in result.stderr
    meta = front_matter(repo / "docs" / "ketamine" / "ketamine-and-sleep.md")
    assert meta["tags"] == ["ketamine", "safety"] and meta["last_reviewed"] == dt.date.today()
    assert section_pages(repo, "ketamine")[-1] == "ketamine/ketamine-and-sleep.md"


@pytest.mark.parametrize(("flags", "message"), [
    ([*FLAGS[:4], "--tags", "ptsd,slep", *FLAGS[6:]], "'slep' is not in data/tags.yml"),
    (["--title", "What is PTSD?", *FLAGS[2:]], "already has the title 'What is PTSD?'"),
    ([*FLAGS[:2], "--section", "nowhere", *FLAGS[4:]], "unknown section 'nowhere'"),
    ([*FLAGS[:6], "--description", "Too short."], "the description must be 50 to 160 characters"),
    ([*FLAGS, "--slug", "what-is-ptsd"], "docs/ptsd/what-is-ptsd.md already exists; it was not changed"),
    ([*FLAGS, "--slug", "draft"], "docs/ptsd/draft.md already exists; it was not changed"),
    ([*FLAGS, "--slug", "Bad Slug"], "must be lowercase letters and digits joined by hyphens"),
    ([*FLAGS, "--expires", "2026/12/31", "the temporary rule ends"], "--expires: expected a date YYYY-MM-DD"),
    ([*FLAGS, "--expires", "2020-01-01", "the temporary rule ends"], "FM032 error expires.date: 2020-01-01 is before"),
])
def test_new_page_refuses_bad_input_and_writes_nothing(tmp_path: pathlib.Path, flags: list[str], message: str) -> None:
    repo = copy_repo(tmp_path)
    (repo / "docs" / "ptsd" / "draft.md").write_text("A draft that is not in the nav yet.\n", encoding="utf-8")
    config = (repo / "mkdocs.yml").read_bytes()
    existing = (repo / "docs" / "ptsd" / "what-is-ptsd.md").read_bytes()
    docs_before = sorted(p.relative_to(repo).as_posix() for p in (repo / "docs").rglob("*"))
    result = make(repo, "new-page", "ARGS=" + shlex.join(flags))
    assert result.returncode != 0
    direct = python(repo, "-m", "kb.tools.new_page", *flags)
    assert direct.returncode == 2, direct.stderr
    for output in (result.stderr, direct.stderr):
        assert "new-page: error:" in output and message in output, output
        assert "Traceback" not in output
    assert (repo / "mkdocs.yml").read_bytes() == config
    assert (repo / "docs" / "ptsd" / "what-is-ptsd.md").read_bytes() == existing
    assert (repo / "docs" / "ptsd" / "draft.md").read_text(encoding="utf-8") == "A draft that is not in the nav yet.\n"
    assert sorted(p.relative_to(repo).as_posix() for p in (repo / "docs").rglob("*")) == docs_before


def test_new_page_records_end_dates_of_facts(tmp_path: pathlib.Path) -> None:
    repo = copy_repo(tmp_path)
    later = dt.date.today() + dt.timedelta(days=30)
    result = python(repo, "-m", "kb.tools.new_page", *FLAGS,
                    "--expires", later.isoformat(), "the temporary rule: it ends")
    assert result.returncode == 0, result.stderr
    meta = front_matter(repo / "docs" / "ptsd" / "sleep-and-nightmares.md")
    assert meta["expires"] == [{"date": later, "reason": "the temporary rule: it ends"}]
    checked = python(repo, "-m", "kb.check", "--only", "front matter")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "sleep-and-nightmares" not in checked.stdout


def test_new_page_stops_cleanly_when_input_ends(tmp_path: pathlib.Path) -> None:
    repo = copy_repo(tmp_path)
    result = python(repo, "-m", "kb.tools.new_page", "--title", "A page nobody finished", stdin="")
    assert result.returncode == 2
    assert "no answer for 'Section (folder or title)' (end of input)" in result.stderr
    assert "Traceback" not in result.stderr


NAV_CASES = {
    "indented, comments, last section without final newline": (
        "site_name: x\nsite_url: !ENV [SITE_URL, 'http://x/']\nnav:\n  - Home: index.md\n"
        "  # the sections\n  - \"Guides\":  # comment\n      - guides/index.md\n      - Sub:\n"
        "          - guides/sub/a.md\n      - guides/b.md",
        "Guides", "guides/new.md",
        "      - guides/b.md\n      - guides/new.md\n",
    ),
    "unindented list, section followed by another key": (
        "nav:\n- Home: index.md\n- Guides:\n  - guides/index.md\n- About:\n  - about/index.md\nplugins:\n- search\n",
        "Guides", "guides/new.md",
        "  - guides/index.md\n  - guides/new.md\n- About:\n",
    ),
}


@pytest.mark.parametrize("case", NAV_CASES, ids=list(NAV_CASES))
def test_nav_edit_inserts_one_line_in_the_right_place(case: str) -> None:
    text, section, page, expected = NAV_CASES[case]
    edited = nav_edit.add_page(text, section, page)
    assert expected in edited
    assert len(edited.splitlines()) == len(text.splitlines()) + 1
    assert next(s for s in nav_edit.sections(edited) if s.title == section).pages[-1] == page


def test_nav_edit_refuses_a_missing_section() -> None:
    with pytest.raises(nav_edit.NavError, match="no top-level nav section 'Nowhere'"):
        nav_edit.add_page(NAV_CASES["unindented list, section followed by another key"][0], "Nowhere", "x/y.md")


def test_pre_commit_front_matter_hook_passes_on_a_scaffolded_page(scaffolded: dict) -> None:
    """The hook's command, as pre-commit runs it, on the copy with the new page."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "front-matter")
    command = shlex.split(hook["entry"])
    assert re.search(hook["files"], "docs/ptsd/sleep-and-nightmares.md")
    result = python(scaffolded["repo"], *command[1:], stdin="")
    problems = check_problems(scaffolded["repo"])
    assert result.returncode == (1 if any(p.get("severity") == "error" for p in problems) else 0)
    assert "sleep-and-nightmares" not in result.stdout
