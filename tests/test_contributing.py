"""The contributor workflow: make new-page, the generated front matter reference, review-report,
the GitHub workflows and forms, the pre-commit hooks and the editor settings.

Scaffolding runs in a temporary copy of the repository, never in the real docs/."""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import types

import pytest
import yaml

from conftest import ROOT, run_mkdocs_build

from kb import whitespace
from kb.tools import nav_edit
from kb.frontmatter import reference as schema_reference
from kb.frontmatter.codes import CODES

VENV = pathlib.Path(sys.executable).parent.parent
COPY = ("docs", "data", "includes", "schema", "kb", "hooks", "overrides", "mkdocs.yml", "Makefile",
        "README.md", "requirements.txt", "requirements-test.txt", "constraints.txt", "scripts")
MAKE_TARGETS = ("serve", "build", "test", "check", "clean", "offline", "new-page", "review-report", "bench",
                "csp-scripts")

TITLE = "Sleep and nightmares"
DESCRIPTION = "Why PTSD disturbs sleep, what nightmares are like and which treatments help people sleep better."
FLAGS = ["--title", TITLE, "--section", "ptsd", "--tags", "ptsd,recovery", "--description", DESCRIPTION]


# --- helpers -----------------------------------------------------------------------------------

def copy_repo(dest: pathlib.Path) -> pathlib.Path:
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, dest / name)
    return dest


def make(repo: pathlib.Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``make ARGS`` in ``repo`` with this test run's virtualenv, never reinstalling it."""
    return subprocess.run(
        ["make", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.installed", *args],
        cwd=repo, input=stdin if stdin is not None else "", capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def python(repo: pathlib.Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=repo, input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def front_matter(path: pathlib.Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def section_pages(repo: pathlib.Path, folder: str) -> tuple[str, ...]:
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    return next(s.pages for s in nav_edit.sections(config) if s.folder == folder)


def visible_text(fragment: str) -> str:
    """Text as a reader sees it: inline tags vanish, block tags separate words."""
    inline = re.sub(r"</?(?:code|strong|em|a|span|abbr|kbd)\b[^>]*>", "", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def plain(markdown: str) -> str:
    """Schema or code-table prose as it reads once rendered (code spans lose their backticks)."""
    return " ".join(markdown.replace("`", "").split())


def squeezed(text: str) -> str:
    """Without any whitespace: code spans are trimmed when rendered (`: ` becomes :)."""
    return re.sub(r"\s+", "", text)


def check_problems(repo: pathlib.Path) -> list[dict]:
    result = python(repo, "-m", "kb.frontmatter", "docs", "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["checks"]["front matter"]["problems"]


# --- make new-page -----------------------------------------------------------------------------

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
    checked = python(repo, "-m", "kb.frontmatter", "docs/ptsd/sleep-and-nightmares.md")
    assert checked.returncode == 0, checked.stdout + checked.stderr


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
    result = python(repo, "-m", "kb.tools.new_page", *FLAGS, "--expires", later.isoformat(), "the temporary rule: it ends")
    assert result.returncode == 0, result.stderr
    meta = front_matter(repo / "docs" / "ptsd" / "sleep-and-nightmares.md")
    assert meta["expires"] == [{"date": later, "reason": "the temporary rule: it ends"}]
    checked = python(repo, "-m", "kb.frontmatter", "docs/ptsd/sleep-and-nightmares.md")
    assert checked.returncode == 0, checked.stdout + checked.stderr


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


# --- the generated front matter reference ------------------------------------------------------

def schema_keys(schema: dict, prefix: str = "") -> list[str]:
    found = []
    for name, spec in schema["properties"].items():
        found.append(prefix + name)
        if "properties" in spec:
            found += schema_keys(spec, prefix + name + ".")
    return found


def sections_by_id(page: str) -> dict[str, str]:
    """h3 id -> the visible text from that heading to the next h2/h3."""
    parts = re.split(r'(?=<h[23] (?:aria-label="[^"]*" )?id=")', page)
    return {m.group(1): visible_text(part) for part in parts
            if (m := re.match(r'<h3 (?:aria-label="[^"]*" )?id="([^"]+)"', part))}


@pytest.fixture(scope="module")
def reference_page(built_site: pathlib.Path) -> str:
    page = (built_site / "contributing" / "front-matter" / "index.html").read_text(encoding="utf-8")
    return page[page.index("<article"):page.index("</article>")]


def test_reference_lists_every_schema_key(reference_page: str) -> None:
    schema = json.loads((ROOT / "schema" / "frontmatter.schema.json").read_text(encoding="utf-8"))
    sections = sections_by_id(reference_page)
    keys = schema_keys(schema)
    assert len(keys) >= 12
    for key in keys:
        anchor = "key-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
        assert anchor in sections, f"{key} has no section in the reference"
        text = sections[anchor]
        spec = schema
        for part in key.split("."):
            spec = spec["properties"][part]
        parent_required = schema.get("required", []) if "." not in key else []
        required = key in parent_required
        assert text.startswith(key), text[:80]
        assert f"Required: {'yes' if required else 'no'}" in text
        assert squeezed(plain(spec["description"])) in squeezed(text)
        if "default" in spec:
            default = spec["default"]
            shown = ("[" + ", ".join(default) + "]") if isinstance(default, list) else \
                json.dumps(default) if not isinstance(default, str) else default
            assert f"Default: {shown}" in text, text
        for value in spec.get("enum", []) + spec.get("items", {}).get("enum", []):
            assert value in text.split("Allowed values:")[1]
        if spec.get("examples"):
            assert "Example:" in text


BASE_FRONT_MATTER = {"title": "Sleep and nightmares", "description": DESCRIPTION, "tags": "[ptsd]",
                     "audience": "[patients]", "last_reviewed": "2026-11-27", "review_interval_months": "12"}


def test_reference_examples_pass_the_checks(tmp_path: pathlib.Path) -> None:
    """A contributor copies an example from the reference: it must be accepted as written (a date unquoted,
    also inside a list of entries such as changes or expires)."""
    from kb.frontmatter import validate

    schema = json.loads((ROOT / "schema" / "frontmatter.schema.json").read_text(encoding="utf-8"))
    files = []
    for key in schema_reference.keys(schema):
        snippet = schema_reference.example(key)
        if not snippet or key.name in ("template", "icon"):  # these name files of a theme: checked with a site
            continue
        top = key.name.split(".")[0]
        lines = [f"{name}: {value}" for name, value in BASE_FRONT_MATTER.items() if name != top]
        path = tmp_path / f"{key.name}.md"
        path.write_text("---\n" + "\n".join([*lines, snippet]).replace("title: Sleep and nightmares",
                        f"title: Example of {key.name}") + "\n---\n\n# Page\n", encoding="utf-8")
        files.append((path, path.name))
    assert any(name == "expires.md" for _, name in files)
    result = validate.check(files, today=dt.date(2026, 12, 6))
    assert [f"{p.path}:{p.line}: {p.code} {p.message}" for p in result.problems] == []


def test_reference_lists_every_problem_code_with_its_fix(reference_page: str) -> None:
    sections = sections_by_id(reference_page)
    assert len(CODES) >= 20
    for code in CODES:
        if code.severity not in ("error", "warning"):
            continue
        text = sections.get(code.code.lower())
        assert text, f"{code.code} is missing from the reference"
        assert text.startswith(f"{code.code}: {plain(code.title)}")
        assert f"Severity: {code.severity}" in text
        assert squeezed(plain(code.explanation)) in squeezed(text)
        assert squeezed(f"Fix: {plain(code.fix)}") in squeezed(text)


def test_reference_lists_the_tag_vocabulary(reference_page: str) -> None:
    tags = yaml.safe_load((ROOT / "data" / "tags.yml").read_text(encoding="utf-8"))
    table = reference_page[reference_page.index('id="tag-vocabulary"'):]
    for tag in tags:
        assert f"<code>{tag}</code>" in table
    assert schema_reference.MARKER not in reference_page and "&lt;!-- front-matter" not in reference_page


def test_citing_page_lists_every_bibliography_field(built_site: pathlib.Path) -> None:
    schema = json.loads((ROOT / "schema" / "references.schema.json").read_text(encoding="utf-8"))
    page = (built_site / "contributing" / "citing" / "index.html").read_text(encoding="utf-8")
    for field in schema["properties"]:
        assert re.search(rf"<td[^>]*><code>{field}</code></td>", page), field
    assert "references-fields" not in page


def test_reference_renderer_escapes_html_and_lists_retired_codes() -> None:
    """Plain Python, no MkDocs: schema prose is escaped, dates are shown unquoted, retired codes are kept apart."""
    from kb.frontmatter.codes import Code
    schema = {
        "description": "Front matter <script>alert(1)</script> for `<b>` pages.",
        "required": ["when"],
        "properties": {
            "when": {"description": "A date.", "type": "string", "format": "date", "examples": ["2026-01-31"]},
            "kind": {"description": "Kind_of page *here*.", "enum": ["a", "b"], "default": "a"},
            "extra": {"type": "object", "properties": {"depth": {"type": "integer", "minimum": 1, "maximum": 3}}},
        },
    }
    codes = [Code("FM900", "x", "error", "Live code", "Why.", "Do this."),
             Code("FM901", "y", "retired", "Old code", "Gone.", "Nothing.")]
    markdown = schema_reference.render(schema, codes, {"ptsd": "PTSD pages"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown and "<script>" not in markdown
    assert "`<b>`" in markdown  # code spans are left for Markdown to escape
    assert "Kind\\_of page \\*here\\*." in markdown
    assert "    when: 2026-01-31" in markdown and "'2026-01-31'" not in markdown
    assert "### `extra.depth` {#key-extra-depth}" in markdown and "1 to 3" in markdown
    assert "| [`when`](#key-when) | **required** |" in markdown and "| [`kind`](#key-kind) | optional |" in markdown
    assert "### FM900: Live code {#fm900}" in markdown and "### FM901" not in markdown
    assert "- FM901: Old code" in markdown.split("### Retired codes")[1]
    assert "| `ptsd` | PTSD pages |" in markdown


def test_reference_extension_says_when_a_schema_cannot_be_read(tmp_path: pathlib.Path) -> None:
    import markdown

    from kb.frontmatter.extension import SchemaReferenceExtension

    html = markdown.markdown("# Front matter reference\n\n<!-- front-matter-reference -->\n",
                             extensions=["admonition", SchemaReferenceExtension(root=str(tmp_path))])
    assert 'class="admonition failure"' in html and "schema/frontmatter.schema.json" in html
    untouched = markdown.markdown("# Home\n", extensions=[SchemaReferenceExtension(root=str(ROOT))])
    assert untouched == "<h1>Home</h1>"


# --- make review-report ------------------------------------------------------------------------

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
    result = python(ROOT, "-m", "kb.tools.review_report", str(tmp_path / "docs"), "--format", "json", "--today", "2026-11-27")
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
    report = json.loads(python(ROOT, "-m", "kb.tools.review_report", docs, "--format", "json", "--today", "2026-11-27").stdout)
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


# --- .github, pre-commit, editor configuration -------------------------------------------------

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def makefile_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def test_every_documented_target_exists_in_the_makefile_and_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = makefile_targets()
    for target in MAKE_TARGETS:
        assert target in targets, f"make {target} is missing from the Makefile"
        assert re.search(rf"make {re.escape(target)}\b", readme), f"make {target} is not documented in README.md"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_workflow_is_valid_and_calls_documented_make_targets(workflow: pathlib.Path) -> None:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert data["name"] and data["jobs"]
    assert True in data or "on" in data  # YAML 1.1 reads the key `on` as true
    runs = [step["run"] for job in data["jobs"].values() for step in job["steps"] if "run" in step]
    called = {m for run in runs for m in re.findall(r"\bmake\s+([a-z][a-z-]*)", run)}
    assert called, f"{workflow.name} calls no make target"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in called:
        assert target in makefile_targets(), f"{workflow.name} calls make {target}, which the Makefile lacks"
        assert f"make {target}" in readme, f"{workflow.name} calls make {target}, which README.md does not document"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_every_action_is_pinned_to_a_commit_sha(workflow: pathlib.Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)(.*)", workflow.read_text(encoding="utf-8"))
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{action} is not pinned to a full SHA"
        assert re.search(r"# v\d+\.\d+\.\d+", comment), f"{action} has no version comment"


def test_pull_request_workflow_annotates_and_tests() -> None:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    assert "pull_request" in data[True]
    runs = " ".join(step.get("run", "") for job in data["jobs"].values() for step in job["steps"])
    assert "make check FORMAT=github" in runs and "make test" in runs
    assert "FORMAT ?=" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_deploy_workflow_publishes_to_pages() -> None:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    assert data[True]["push"]["branches"] == ["main"]
    text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8")
    assert "actions/upload-pages-artifact@" in text and "actions/deploy-pages@" in text
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


ISSUE_FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


@pytest.mark.parametrize("form", ["report-error.yml", "suggest-topic.yml"])
def test_issue_forms_are_valid(form: str) -> None:
    data = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / form).read_text(encoding="utf-8"))
    assert data["name"] and data["description"] and data["body"]
    ids = [item["id"] for item in data["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    for item in data["body"]:
        assert item["type"] in ISSUE_FORM_TYPES
        assert item["type"] == "markdown" or item["attributes"]["label"]
        if item["type"] != "markdown":
            assert re.fullmatch(r"[a-z0-9_-]+", item["id"])


def test_report_error_form_is_what_every_page_links_to() -> None:
    template = (ROOT / "overrides" / "partials" / "actions.html").read_text(encoding="utf-8")
    form_name = re.search(r"template=([\w.-]+)&amp;page=", template).group(1)
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / form_name).is_file()
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / form_name).read_text(encoding="utf-8"))
    page_field = next(item for item in form["body"] if item.get("id") == "page")
    assert page_field["type"] in ("input", "textarea")
    config = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is False


def test_pull_request_template_has_the_checklist() -> None:
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", template, re.M)
    assert len(boxes) >= 5
    joined = " ".join(boxes)
    for needed in ("[@key]", "last_reviewed", "make check"):
        assert needed in joined


def test_pre_commit_hooks_are_local_and_runnable() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert all(repo["repo"] == "local" for repo in config["repos"]), "every hook must be local (no network)"
    assert {"front-matter", "citations", "glossary", "whitespace"} <= {hook["id"] for hook in hooks}
    for hook in hooks:
        assert hook["language"] in ("system", "pygrep"), hook["id"]
        assert hook["name"] and hook["entry"]
        re.compile(hook.get("files", ""))
        re.compile(hook.get("exclude", "^$"))
        if hook["language"] == "system":
            command = shlex.split(hook["entry"])
            assert command[:2] == [".venv/bin/python", "-m"], hook["entry"]
            module = command[2]
            assert (ROOT / (module.replace(".", "/") + ".py")).is_file() or \
                (ROOT / module.replace(".", "/") / "__main__.py").is_file(), f"{module} does not exist"


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


def test_whitespace_check_finds_and_fixes(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"# Title  \r\ntext\t\nlast")
    problems = whitespace.check(path.read_bytes().decode())
    assert [(p.line, p.col) for p in problems] == [(1, 10), (1, 8), (2, 5), (3, 5)]
    result = python(ROOT, "-m", "kb.whitespace", str(path))
    assert result.returncode == 1 and f"{path}:1:8: trailing whitespace" in result.stdout
    assert python(ROOT, "-m", "kb.whitespace", "--fix", str(path)).returncode == 0
    assert path.read_bytes() == b"# Title\ntext\nlast\n"
    assert python(ROOT, "-m", "kb.whitespace", str(path)).returncode == 0


def test_editor_settings_map_the_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert any(".meta.yml" in glob for glob in schemas["./schema/frontmatter.schema.json"])
    for path in schemas:
        if path.startswith("./"):
            assert (ROOT / path).is_file(), path
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert {"redhat.vscode-yaml", "davidanson.vscode-markdownlint"} <= {e.lower() for e in extensions["recommendations"]}
    lint = yaml.safe_load((ROOT / ".markdownlint.yaml").read_text(encoding="utf-8"))
    assert lint["MD007"] == {"indent": 4} and lint["MD013"] is False and lint["MD046"] is False
    assert lint["MD025"] == {"front_matter_title": ""}
