"""HTML safety: dangerous HTML in Markdown sources found where it is written, harmless HTML and
code samples left alone, the real pages clean, and the built site's last check."""
from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys

import pytest

from kb import html_safety
from kb.core.includes import references
from kb.core.markdown_text import mask_code
from kb.core.site import load, rendering_extensions
from kb.html_safety import check_built_html, check_markdown, inline_script_hashes
from kb.html_safety.codes import BY_CODE, CODES
from tests.support.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "html_safety"


def found(text: str) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.col) for p in check_markdown("page.md", text)]


# ------------------------------------------------------------------------- tricky Markdown input


@pytest.mark.parametrize(("text", "expected"), [
    # Elements outside the allow-list, however they are written.
    ("<svg/onload=alert(1)>", [("HTM001", 1, 1)]),
    ("Text\n\n<SCRIPT>alert(1)</SCRIPT>\n", [("HTM001", 3, 1)]),
    ("<style onload=alert(1)>p {}</style>", [("HTM001", 1, 1)]),
    ("<iframe srcdoc='<script>alert(1)</script>'></iframe>", [("HTM001", 1, 1)]),
    ("<object data=x></object> <embed src=x> <math></math>", [("HTM001", 1, 1), ("HTM001", 1, 26), ("HTM001", 1, 40)]),
    ("<form action=https://example.org><button formaction=x>Go</button></form>",
     [("HTM001", 1, 1), ("HTM001", 1, 34)]),
    ("<base href=https://example.org/> <meta http-equiv=refresh> <link rel=stylesheet href=x>",
     [("HTM001", 1, 1), ("HTM001", 1, 34), ("HTM001", 1, 60)]),
    # A browser reads "<scr<script>" as one tag named "scr<script"; Markdown escapes its "<",
    # so the page gets a real <script>: only the rendered pass sees it.
    ("<scr<script>ipt>alert(1)</script>", [("HTM001", 1, 1), ("HTM001", 1, 5)]),
    # Attributes: event handlers, style, srcdoc, formaction, anything not allowed.
    ("<img src=x onerror=alert(1)>", [("HTM002", 1, 12)]),
    ("<details open ontoggle=alert(1)><summary>x</summary></details>", [("HTM002", 1, 15)]),
    ("<p style=\"position: fixed; top: 0\">Call 555 0100</p>", [("HTM003", 1, 4)]),
    ("<span ONMOUSEOVER=alert(1) title=x>y</span>", [("HTM002", 1, 7)]),
    ("<a href=https://example.org target=_blank>x</a>", [("HTM003", 1, 29)]),
    ("<img\n  src=\"chart.png\"\n  onerror=\"alert(1)\">", [("HTM002", 3, 3)]),
    ("<a title=x href=javascript:alert(1)>unquoted</a>", [("HTM004", 1, 12)]),
    # URLs as browsers read them: case, leading spaces and controls, tabs and newlines inside,
    # character references.
    ("<a href=\"JaVaScRiPt:alert(1)\">x</a>", [("HTM004", 1, 4)]),
    ("<a href=\" javascript:alert(1)\">x</a>", [("HTM004", 1, 4)]),
    ("<a href=\"\x01javascript:alert(1)\">x</a>", [("HTM004", 1, 4)]),
    ("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", [("HTM004", 1, 4)]),
    ("<a href=\"jav\nascript:alert(1)\">x</a>", [("HTM004", 1, 4)]),
    ("<a href=\"&#106;avascript:alert(1)\">x</a>", [("HTM004", 1, 4)]),
    ("<a href=\"javascript&colon;alert(1)\">x</a>", [("HTM004", 1, 4)]),
    ("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>", [("HTM004", 1, 4)]),
    ("<a href=\"vbscript:msgbox(1)\">x</a> <img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
     [("HTM004", 1, 4), ("HTM004", 1, 41)]),
    # Markdown links, reference definitions and autolinks.
    ("[Crisis line](javascript:alert(1))", [("HTM004", 1, 15)]),
    ("![x](javascript:alert(1)) [y](<javascript:alert(1)>)", [("HTM004", 1, 6), ("HTM004", 1, 32)]),
    ("[Samaritans][s]\n\n[s]: javascript:alert(1)\n", [("HTM004", 3, 6)]),
    ("[s]: &#106;avascript:alert(1)\n", [("HTM004", 1, 6)]),
    ("[x](javascript\\:alert(1))", [("HTM004", 1, 5)]),
    ("Call <javascript:alert(1)>", [("HTM004", 1, 7)]),
    # Attribute lists: the rules of raw HTML.
    ("The number\n{: onclick=\"alert(1)\" }\n", [("HTM002", 2, 4)]),
    ("# Help { style=\"display: none\" }", [("HTM003", 1, 10)]),
    ("[x](https://example.org){: onmouseover=alert(1) }", [("HTM002", 1, 28)]),
    ("[x](https://example.org){: href=\"javascript:alert(1)\" }", [("HTM004", 1, 28)]),
    ("Text\n{ autofocus }", [("HTM003", 2, 3)]),  # a bare word: found by the rendered pass
    # Names of the theme: a fake crisis banner, a stand-in for Material's configuration.
    ("<p class=\"note kb-crisis\">Call 555 0100</p>", [("HTM003", 1, 4)]),
    ("Text\n{: .md-banner }", [("HTM003", 2, 5)]),
    ("# Help {: #__config }", [("HTM003", 1, 12)]),
    ("!!! kb-crisis \"In crisis?\"\n    Call 555 0100\n", [("HTM003", 1, 5)]),
    # A tag left open at the end of a file would take in what follows it in a page.
    ("Text <img src=x title=\"", [("HTM006", 1, 6)]),
    # What only looks like code in the source is HTML to Markdown.
    ("Not code: \\`<img src=x onerror=alert(1)>\\`", [("HTM002", 1, 24)]),
    ("<div>\n`<img src=x onerror=alert(1)>`\n</div>\n", [("HTM002", 2, 13)]),
    ("Text\n\n```\n<img src=x onerror=alert(1)>\n", [("HTM002", 4, 12)]),
    ("Text <!--><img src=x onerror=alert(1)>--> more", [("HTM002", 1, 22)]),
    ("<!--->\n<script>alert(1)</script>\n-->\n", [("HTM001", 2, 1)]),
    # Read with the tree a browser builds: <body> in a page gives its attributes to the page's own;
    # a bogus comment left open takes in the rest of the file, no tag is left open; <textarea> is no
    # text field in MathML, and an <img> there is HTML again.
    ("Text\n\n<body onload=alert(1)>\n", [("HTM001", 3, 1)]),
    ("Text <!x <img title=\"", []),
    ("<math><textarea><img src=x onerror=alert(1)></textarea></math>",
     [("HTM001", 1, 1), ("HTM001", 1, 7), ("HTM002", 1, 28)]),
])
def test_dangerous_html_is_found_where_it_is_written(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```\n",
    "~~~\n<svg onload=alert(1)>\n~~~\n",
    "- item\n\n    ```html\n    <iframe src=x></iframe>\n    ```\n",
    "Inline code: `<script>alert(1)</script>` and ``<a href=\"javascript:x\">``.",
    "<!-- <script>alert(1)</script> <img src=x onerror=alert(1)> -->",
    "---\ntitle: \"<script>alert(1)</script>\"\n---\n\n# Title\n",
    "Doses: 0.5 mg/kg < 1 mg/kg > 0.1 mg/kg; a<3 hearts.",
    "<https://www.samaritans.org/> <editors@example.org> [988](tel:988) [text](sms:838255)",
    "[a](#risks) [b](../ketamine/safety.md) [c](https://example.org/a(b)) [d](mailto:x@example.org)",
    "| Left | Centre |\n|:-----|:------:|\n| 1 | 2 |\n",
    "Text[^1]\n\n[^1]: A note.\n",
    "Sets {like this} in prose, and a CSS rule in code: `p { display: none }`.",
])
def test_code_samples_and_harmless_markdown_are_not_flagged(text: str) -> None:
    assert found(text) == []


def test_every_problem_of_a_file_is_reported_with_its_line() -> None:
    text = (FIXTURES / "hostile.md").read_text(encoding="utf-8")
    assert found(text) == [
        ("HTM001", 10, 1),   # <svg/hidden/onload=...>
        ("HTM001", 12, 1),   # <style onload=...>
        ("HTM003", 14, 4),   # style= overlay
        ("HTM004", 16, 16),  # jav&#x09;ascript:
        ("HTM004", 18, 3),   # " JaVaScRiPt:" in a tag split over three lines
        ("HTM004", 20, 20),  # [..](javascript:...)
        ("HTM004", 20, 46),  # <javascript:...>
        ("HTM002", 23, 4),   # {: onclick=... }
        ("HTM004", 25, 8),   # [nhs]: &#106;avascript:...
        ("HTM002", 33, 32),  # HTML between escaped backticks
    ]


def test_messages_say_what_was_found_what_is_allowed_and_what_to_do() -> None:
    problems = check_markdown("docs/a.md", "<p style=\"color: red\" onclick=\"x\">Hi</p>\n\n<script>x</script>\n")
    by_code = {p.code: p.message for p in problems}
    assert "style=" in by_code["HTM003"] and "allowed: alt, class" in by_code["HTM003"]
    assert "remove the style attribute" in by_code["HTM003"]
    assert "remove the onclick attribute" in by_code["HTM002"]
    assert "<script>" in by_code["HTM001"] and "use Markdown" not in by_code["HTM001"]
    assert "pages cannot run script" in by_code["HTM001"]
    assert "use Markdown instead of raw HTML" in found_message("<button>Go</button>")
    assert all(p.severity == "error" for p in problems)


def found_message(text: str) -> str:
    (problem,) = check_markdown("docs/a.md", text)
    return problem.message


def test_every_code_the_check_gives_is_in_the_table_with_its_explanation_and_fix() -> None:
    sources = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "kb" / "html_safety").glob("*.py")
                      if path.name != "codes.py")
    assert set(re.findall(r'"(HTM\d{3})"', sources)) == set(BY_CODE)
    assert [code.code for code in CODES] == sorted(BY_CODE)
    assert all(code.title and code.explanation and code.fix and code.severity == "error" for code in CODES)


def test_the_harmless_html_pages_use_passes() -> None:
    assert found((FIXTURES / "harmless.md").read_text(encoding="utf-8")) == []


def test_the_real_pages_and_includes_pass() -> None:
    problems, checked = html_safety.check_files([ROOT / "docs", ROOT / "includes"])
    assert checked == len(list((ROOT / "docs").rglob("*.md"))) + len(list((ROOT / "includes").rglob("*.md")))
    assert problems == []


def test_the_rendered_pass_converts_with_the_sites_extensions(tmp_path: pathlib.Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs.yml's extensions and options, read through kb.core.site; never a module mkdocs.yml names
    that Python-Markdown does not register (the file comes from pull requests)."""
    text = "!!! kb-crisis \"In crisis?\"\n    Call 555 0100\n"  # HTML only once rendered
    (tmp_path / "evil_extension.py").write_text("raise SystemExit('imported')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nmarkdown_extensions:\n  - admonition\n  - evil_extension\n", encoding="utf-8")
    assert [(p.code, p.line, p.col) for p in check_markdown("page.md", text, load(tmp_path))] == [("HTM003", 1, 5)]
    config.write_text("site_name: x\nmarkdown_extensions:\n  - toc:\n      permalink: true\n", encoding="utf-8")
    assert check_markdown("page.md", text, load(tmp_path)) == []
    assert rendering_extensions(load(tmp_path)) == (["toc"], {"toc": {"permalink": True}})


def test_included_files_are_checked_whatever_their_name(tmp_path: pathlib.Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "extra").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# Page\n\n--8<-- \"extra/banner.txt\"\n", encoding="utf-8")
    (tmp_path / "extra" / "banner.txt").write_text("Call\n<img src=x onerror=alert(1)>\n", encoding="utf-8")
    problems, checked = html_safety.check_files([tmp_path / "docs"], snippet_root=tmp_path)
    assert checked == 2
    assert [(pathlib.Path(p.path).name, p.line, p.code) for p in problems] == [("banner.txt", 2, "HTM002")]


def test_bad_input_is_a_problem_not_a_traceback(tmp_path: pathlib.Path) -> None:
    (tmp_path / "latin1.md").write_bytes("Caf\u00e9\n".encode("latin-1"))
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "folder.md").mkdir()
    problems, checked = html_safety.check_files([tmp_path / "latin1.md", tmp_path / "image.md", tmp_path / "folder.md"])
    assert checked == 2  # a folder is searched, and this one holds nothing
    assert [(pathlib.Path(p.path).name, p.line, p.col, p.code) for p in problems] == [
        ("image.md", 1, 1, "HTM007"), ("latin1.md", 1, 4, "HTM007")]
    assert "not valid UTF-8" in problems[1].message and "binary" in problems[0].message
    text, problem = html_safety.read_text(tmp_path / "folder.md", "folder.md")
    assert text is None and problem.code == "HTM007" and "cannot read" in problem.message


# ---------------------------------------------------------------------------------- command line


def run_cli(*args: str, cwd: pathlib.Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kb.html_safety", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_cli_exit_codes_and_formats(tmp_path: pathlib.Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "ok.md").write_text("# OK\n\n<kbd>Ctrl</kbd>\n", encoding="utf-8")
    clean = run_cli("docs", cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, "html: 1 files checked, no problems\n")
    (tmp_path / "docs" / "bad.md").write_text("# Bad\n\nCall <a href=\"tel:988\" onclick=\"x\">988</a>\n",
                                              encoding="utf-8")
    result = run_cli("docs", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("docs/bad.md:3:24: HTM002 error: onclick= on <a>")
    assert result.stdout.splitlines()[-1] == "html: 2 files checked, 1 error, 0 warnings"
    as_json = json.loads(run_cli("docs", "--format", "json", cwd=tmp_path).stdout)["checks"]["html"]
    assert [(p["path"], p["line"], p["column"], p["code"]) for p in as_json["problems"]] == [
        ("docs/bad.md", 3, 24, "HTM002")]
    github = run_cli("docs", "--format", "github", cwd=tmp_path).stdout
    assert github.startswith(
        "::error file=docs/bad.md,line=3,col=24,title=HTM002 Event-handler attribute::onclick= on <a>")
    (tmp_path / "docs" / "latin1.md").write_bytes(b"caf\xe9\n")
    unreadable = run_cli("docs/latin1.md", cwd=tmp_path)
    assert unreadable.returncode == 1 and "Traceback" not in unreadable.stderr
    assert unreadable.stdout.startswith("docs/latin1.md:1:4: HTM007 error: the file is not valid UTF-8")
    missing = run_cli("docs/missing.md", cwd=tmp_path)
    assert (missing.returncode, missing.stderr) == (2, "docs/missing.md: no such file or folder\n")
    assert run_cli("--built", "nowhere", cwd=tmp_path).returncode == 2
    assert run_cli("--offline", "docs", cwd=tmp_path).returncode == 2
    assert run_cli("--format", "xml", cwd=tmp_path).returncode == 2


def test_cli_checks_the_site_by_default() -> None:
    result = run_cli()
    assert result.returncode == 0, result.stdout
    checked = len(list((ROOT / "docs").rglob("*.md"))) + len(list((ROOT / "includes").rglob("*.md")))
    assert result.stdout == f"html: {checked} files checked, no problems\n"


# ----------------------------------------------------------------------------------- built pages

THEME_SHARE_LINK = re.compile(r'<a href="#"[^>]*data-md-component="search-share"')


@pytest.fixture(scope="module")
def site(build_result) -> pathlib.Path:
    site_dir, result = build_result
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture(scope="module")
def page(site: pathlib.Path) -> str:
    return (site / "ketamine" / "safety" / "index.html").read_text(encoding="utf-8")


def test_built_pages_pass_with_their_own_inline_script_hashes(site: pathlib.Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert check_built_html(str(path), text, frozenset(inline_script_hashes(text))) == [], path
        assert THEME_SHARE_LINK.search(text), path  # not javascript:void(0), as Material writes it


def test_inline_scripts_are_reported_unless_their_hash_is_allowed(site: pathlib.Path, page: str) -> None:
    problems = check_built_html("page.html", page)
    assert [p.code for p in problems] == ["HTM005"] * len(inline_script_hashes(page))
    assert len(problems) == 3  # the theme's: __md_scope and storage, the palette, the content tabs
    hashes = set().union(*(inline_script_hashes(path.read_text(encoding="utf-8"))
                           for path in html_safety.site_files(site)))
    assert html_safety.check_built_site(site, frozenset(hashes)) == []
    assert all(h.startswith("'sha256-") and h.endswith("='") for h in hashes)


def test_inline_script_hashes_are_the_same_for_pages_at_the_same_depth(site: pathlib.Path) -> None:
    by_depth: dict[int, set[frozenset[str]]] = {}
    for path in site.rglob("index.html"):
        by_depth.setdefault(len(path.relative_to(site).parts), set()).add(
            frozenset(inline_script_hashes(path.read_text(encoding="utf-8"))))
    assert all(len(sets) == 1 for sets in by_depth.values()), by_depth
    (root,), (one,), (two,) = by_depth[1], by_depth[2], by_depth[3]
    assert len(root & one & two) == 2 and len(root | one | two) == 5  # __md_scope's base differs


@pytest.mark.parametrize(("injected", "code"), [
    ('<p onclick="alert(1)">', "HTM002"),
    ('<svg/onload=alert(1)>', "HTM002"),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', "HTM004"),
    ('<img src=x srcset="a.png 1x, data:image/svg+xml,x 2x">', "HTM004"),
    ('<a href="javascript:void(0)">a copy of the share link, unmarked</a>', "HTM004"),
    ('<a href="javascript:void(0);alert(1)" data-md-component="search-share">x</a>', "HTM004"),
    ("<script>alert(1)</script>", "HTM005"),
    ('<script src="https://cdn.example.org/x.js"></script>', "HTM005"),
    ('<script src="//cdn.example.org/x.js"></script>', "HTM005"),
    ('<script type="text/template"><b>x</b></script>', "HTM005"),
    ('<script href="x.js">alert(1)</script>', "HTM005"),
    ('<iframe src="https://example.org"></iframe>', "HTM001"),
    ('<object data="x.swf"></object>', "HTM001"),
    ('<embed src="x.swf">', "HTM001"),
    ('<base href="https://example.org/">', "HTM001"),
    ('<meta http-equiv="Refresh" content="0; url=https://example.org">', "HTM001"),
    ("<style>.kb-crisis { display: none }</style>", "HTM001"),
    ('<div style="position: fixed; top: 0">Call 555 0100</div>', "HTM003"),
])
def test_a_built_page_with_injected_html_fails(page: str, injected: str, code: str) -> None:
    marker = '<article class="md-content__inner md-typeset">'
    assert page.count(marker) == 1
    hostile = page.replace(marker, marker + "\n" + injected)
    line = page[:page.index(marker)].count("\n") + 2
    allowed = frozenset(inline_script_hashes(page))
    assert [(p.code, p.line) for p in check_built_html("page.html", hostile, allowed)] == [(code, line)]


def test_markdown_table_alignment_is_the_only_style_allowed_in_content() -> None:
    page = ("<article><table><tr><th style=\"text-align: center;\">a</th>"
            "<td style=\"text-align: right;\">b</td><td style=\"text-align: right; color: red\">c</td>"
            "</tr></table></article><div style=\"display: none\">theme</div>")
    assert [(p.code, p.col) for p in check_built_html("p.html", page)] == [("HTM003", 96)]


def test_cli_built_site(site: pathlib.Path, tmp_path: pathlib.Path) -> None:
    pages, checked = len(list(site.rglob("*.html"))), len(html_safety.site_files(site))  # pages, feed and sitemap
    reviewed = run_cli("--built", str(site))  # the reviewed list kb/csp-theme-scripts.txt
    assert reviewed.returncode == 0 and reviewed.stdout == f"html (built site): {checked} pages checked, no problems\n"
    unallowed = [p for p in html_safety.check_built_site(site, frozenset()) if p.code == "HTM005"]
    assert len(unallowed) == 3 * pages
    assert all(p.path.endswith(".html") and p.message.startswith("inline classic script 'sha256-") for p in unallowed)
    (tmp_path / "bad.html").write_bytes(b"<p onclick=x>\xff</p>")
    assert "HTM007" in run_cli("--built", str(tmp_path)).stdout


def test_check_site_reads_svg_pictures_too(tmp_path: pathlib.Path) -> None:
    """Through the command `make build` runs (no allowed hashes given: the reviewed list), where a file
    without a policy once had its own inline scripts allowed."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "chart.svg").write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">\n'
        "<script>alert(2)</script>\n<path d=\"M0 0\"/>\n</svg>\n", encoding="utf-8")
    policy = html_safety.csp.policy(set())
    (tmp_path / "index.html").write_text(f'<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-'
                                         f'Policy" content="{policy}"><title>x</title><p>Fine</p>\n', encoding="utf-8")
    result = run_cli("--built", str(tmp_path), "--format", "json")
    problems = json.loads(result.stdout)["checks"]["html (built site)"]["problems"]
    assert result.returncode == 1
    assert [(pathlib.Path(p["path"]).name, p["line"], p["code"]) for p in problems] == [
        ("chart.svg", 2, "HTM002"), ("chart.svg", 3, "HTM005")]
    assert html_safety.check_built_site(tmp_path) == html_safety.check_built_site(tmp_path, None)


def test_a_snippet_line_shown_in_code_includes_nothing() -> None:
    text = "```markdown\n--8<-- \"secret.txt\"\n```\n\n;--8<-- \"escaped.md\"\n\n--8<-- \"includes/a.md:2:4\"\n"
    assert references(mask_code(text)) == ["includes/a.md"]
