"""Attacks on the Content-Security-Policy and on what the site publishes, each of which got through before.

- A script in a citing page's content: the policy is built from the reviewed list
  kb/csp-theme-scripts.txt, so the build stops naming the page (it used to hash the script into
  the page's policy, because another hook had changed the content the policy hook looked for).
- The check of the built site (``python -m kb.html_safety --built``, as ``make build`` runs it)
  trusts no page's own policy, reads XML documents, and, for the offline copy, refuses anything
  fetched from another host.
- Static files under docs/ (markup, service workers, host control files, a right-to-left override
  in a name) and front matter templates other than the site's page templates: ``make check`` and
  the strict build both name each one, and nothing of them is published.
"""
from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from kb.check import main as check_main
from kb.core.site import load
from kb.html_safety import csp
from tests.support.helpers import ROOT, run_mkdocs_build
from tests.support.repository_copy import copy_repo, make

RLO_NAME = "invoice\u202egnp.html"  # shows as invoicelmth.png


def built_check(site: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The built check exactly as ``make build`` (and, with --offline, scripts/build-offline.sh) runs it."""
    return subprocess.run([sys.executable, "-m", "kb.html_safety", "--built", str(site), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


# ---------------------------------------------------------------- A: content script in a citing page


@pytest.fixture(scope="module")
def script_build(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """The real site with a script in a citing page, built without the source checks (as if it had
    slipped past every one of them): only the policy hook stands in the way."""
    repo = copy_repo(tmp_path_factory.mktemp("script"))
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - hooks/checks.py\n" in text and "  - hooks/structured_data.py\n" in text
    config.write_text(text.replace("  - hooks/checks.py\n", "", 1), encoding="utf-8")
    page = repo / "docs" / "ketamine" / "safety.md"
    source = page.read_text(encoding="utf-8")
    assert "[@" in source, "a citing page: its JSON-LD is moved to the head by hooks/structured_data.py"
    page.write_text(source + "\n<script>window.pwned = 'content'</script>\n", encoding="utf-8")
    return run_mkdocs_build(repo / "site", config)


def test_a_content_script_in_a_citing_page_stops_the_build_naming_the_page(script_build) -> None:
    assert script_build.returncode != 0
    assert "docs/ketamine/safety.md: 1 inline script(s) not in the reviewed list kb/csp-theme-scripts.txt" \
        in script_build.stderr, script_build.stderr
    assert "window.pwned" in script_build.stderr and "Traceback" not in script_build.stderr


def test_the_reviewed_list_holds_the_theme_scripts_and_nothing_of_the_content(built_site: pathlib.Path) -> None:
    scripts = csp.read_list()
    assert len(scripts) == 3 and all("</script" not in s.lower() and "pwned" not in s for s in scripts)
    assert sum(csp.PLACEHOLDER in s for s in scripts) == 1  # the base URL, by depth
    assert csp.reviewed(scripts[0].replace(csp.PLACEHOLDER, "../.."))
    assert not csp.reviewed(scripts[0].replace(csp.PLACEHOLDER, '",alert(1),"'))
    policies = {re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', p.read_text(encoding="utf-8"))
                .group(1) for p in built_site.rglob("*.html")}
    assert len(policies) == 4  # depth 0, 1, 2 and the 404 page: the base URL differs
    owners = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert re.search(r"^/kb/csp-theme-scripts\.txt +@", owners, re.M), "maintainers review the list"


def test_the_reviewed_list_is_what_make_csp_scripts_writes(tmp_path: pathlib.Path) -> None:
    """A Material upgrade without `make csp-scripts` fails here (a stale list would allow old scripts)."""
    out = tmp_path / "list.txt"
    result = subprocess.run([str(ROOT / "scripts" / "csp-theme-scripts.sh"), str(out)], cwd=ROOT, capture_output=True,
                            text=True, timeout=600, env={**os.environ, "PYTHON": sys.executable})
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == csp.THEME_SCRIPTS.read_text(encoding="utf-8"), \
        "run `make csp-scripts` and review the diff"


# ------------------------------------------------------------------------ A: the built check


def test_the_built_site_passes_the_check_make_build_runs(built_site: pathlib.Path) -> None:
    result = built_check(built_site)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("html (built site): ") and result.stdout.endswith(" pages checked, no problems\n")


CONTENT_SCRIPT = "window.pwned = 'content'"
NO_POLICY = ["404.html", "index.html", "ptsd/what-is-ptsd/index.html"]
DOCUMENTS = [
    ("assets/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "HTM005"),
    ("data.xml", '<doc><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></doc>', "HTM005"),
    ("page.xht", '<html xmlns="http://www.w3.org/1999/xhtml"><body onload="alert(1)"/></html>', "HTM002"),
    ("styled.xml", '<?xml-stylesheet type="text/xsl" href="x.xsl"?><doc/>', "HTM001"),
    ("plain.html", "<!doctype html><title>x</title><script>alert(1)</script>", "HTM005"),
]


def _without_policy(page: pathlib.Path) -> str:
    return re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tampered(built_site: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A copy of the built site with every attack below, each in a file of its own, checked in one
    run (as `make build` checks a site: every problem in one report)."""
    site = tmp_path_factory.mktemp("tampered") / "site"
    shutil.copytree(built_site, site)
    # What the old hook wrote: the content script's hash in the page's own policy.
    page = site / "ketamine" / "safety" / "index.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace("script-src 'self' ", f"script-src 'self' {csp.script_hash(CONTENT_SCRIPT)} ", 1)
    html = html.replace('<article class="md-content__inner md-typeset">',
                        f'<article class="md-content__inner md-typeset"><script>{CONTENT_SCRIPT}</script>', 1)
    page.write_text(html, encoding="utf-8")
    for name in NO_POLICY:
        (site / name).write_text(_without_policy(site / name), encoding="utf-8")
    for name, text, _ in DOCUMENTS:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return {"site": site, "result": built_check(site)}


def _reported(tampered: dict[str, object], name: str, problem: str) -> bool:
    """Whether the run reported ``problem`` (a regular expression) at the file ``name`` of the copy."""
    where = re.escape((tampered["site"] / name).as_posix())
    return re.search(rf"^{where}:\d+:\d+: {problem}", tampered["result"].stdout, re.M) is not None


def test_a_page_whose_own_policy_allows_its_content_script_fails(tampered) -> None:
    result = tampered["result"]
    assert result.returncode == 1
    page = "ketamine/safety/index.html"
    assert _reported(tampered, page, "HTM005 error: inline classic script"), result.stdout
    assert _reported(tampered, page, "HTM008 error: the page's Content-Security-Policy is not the site's")


@pytest.mark.parametrize("name", NO_POLICY)
def test_a_page_without_the_policy_fails(tampered, name: str) -> None:
    assert tampered["result"].returncode == 1
    assert _reported(tampered, name, "HTM008 error: the page has no Content-Security-Policy"), tampered["result"].stdout


@pytest.mark.parametrize(("name", "text", "code"), DOCUMENTS)
def test_a_document_that_runs_script_fails_whatever_its_type(tampered, name: str, text: str, code: str) -> None:
    assert tampered["result"].returncode == 1
    assert _reported(tampered, name, f"{code} error"), tampered["result"].stdout


# ---------------------------------------------------------------------------- 4: the offline copy

REMOTE = [  # (injected markup, what the check names, the page it goes into)
    ('<img src="https://tracker.example/pixel.png" alt="">', "src= on <img>", "ptsd/index.html"),
    ('<link rel="icon" href="https://cdn.example/favicon.png">', "href= on <link>", "index.html"),
    ('<link rel="stylesheet" href="//cdn.example/font.css">', "href= on <link>", "ketamine/index.html"),
    ('<picture><source srcset="a.png 1x, https://cdn.example/b.png 2x"></picture>', "srcset= on <source>",
     "treatment/index.html"),
    ('<video poster="https://cdn.example/p.jpg"></video>', "poster= on <video>", "get-help/index.html"),
]
FONT_URL = "https://fonts.example/x.woff2"


@pytest.fixture(scope="module")
def tampered_offline(built_site: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """An offline copy (no policy in any page) with a fetch from another host in five pages and in the
    site's style sheet, checked in one run as scripts/build-offline.sh checks it."""
    site = tmp_path_factory.mktemp("tampered-offline") / "site"
    shutil.copytree(built_site, site)
    for page in site.rglob("*.html"):
        page.write_text(_without_policy(page), encoding="utf-8")
    for injected, _, name in REMOTE:
        html = (site / name).read_text(encoding="utf-8")
        assert "</article>" in html, name
        (site / name).write_text(html.replace("</article>", injected + "</article>", 1), encoding="utf-8")
    sheet = site / "assets" / "stylesheets" / "extra.css"
    sheet.write_text(sheet.read_text(encoding="utf-8") + f'\n@font-face {{ src: url("{FONT_URL}") }}\n',
                     encoding="utf-8")
    return {"site": site, "result": built_check(site, "--offline")}


@pytest.mark.parametrize(("injected", "what", "name"), REMOTE)
def test_an_offline_copy_loading_from_another_host_fails(tampered_offline, injected: str, what: str,
                                                         name: str) -> None:
    result = tampered_offline["result"]
    assert result.returncode == 1
    assert _reported(tampered_offline, name, f"HTM009 error: {re.escape(what)} is '"), result.stdout
    assert "HTM008" not in result.stdout, "the offline copy has no policy"


def test_a_style_sheet_loading_from_another_host_fails(tampered_offline) -> None:
    assert tampered_offline["result"].returncode == 1
    assert _reported(tampered_offline, "assets/stylesheets/extra.css",
                     rf"HTM009 error: url\('{re.escape(FONT_URL)}'\)"), tampered_offline["result"].stdout


def test_canonical_and_feed_links_are_not_fetches(built_site: pathlib.Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="http' in html  # an absolute address, never fetched
    assert built_check(built_site, "--offline").returncode == 0


def test_make_offline_refuses_a_page_with_a_remote_image(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The source checks allow an https picture (the online policy blocks it); the offline copy has no
    policy, so scripts/build-offline.sh (`make offline`) stops on it."""
    repo = copy_repo(tmp_path_factory.mktemp("offline"))
    if (ROOT / ".cache" / "offline-npm").is_dir():  # the pinned shim, already fetched by an earlier build
        shutil.copytree(ROOT / ".cache" / "offline-npm", repo / ".cache" / "offline-npm", symlinks=True)
    page = repo / "docs" / "ptsd" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![A chart](https://tracker.example/chart.png)\n",
                    encoding="utf-8")
    assert make(repo, "check").returncode == 0, "the source checks allow it"
    result = subprocess.run([str(repo / "scripts" / "build-offline.sh"), str(repo / "site-offline"),
                             str(repo / "dist" / "offline.zip")], cwd=repo, capture_output=True, text=True,
                            timeout=600, env={**os.environ, "PYTHON": sys.executable})
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"ptsd/index\.html:\d+:\d+: HTM009 error: src= on <img> is 'https://tracker\.example/chart\.png'",
                     result.stdout), result.stdout
    assert not (repo / "dist" / "offline.zip").exists(), "no zip of a copy that would call another host"


# ----------------------------------------------------- B and C: static files and templates, check and build

STATIC = {
    # file under docs/ -> the line both `make check` and the build print
    "x.html": "docs/x.html:1:1: STA002 error",
    "assets/chart.svg": "docs/assets/chart.svg:1:1: STA002 error",
    "feed.xml": "docs/feed.xml:1:1: STA002 error",
    "old.xht": "docs/old.xht:1:1: STA002 error",
    "sw.js": "docs/sw.js:1:1: STA003 error",
    "ptsd/worker.js": "docs/ptsd/worker.js:1:1: STA004 error",
    "_redirects": "docs/_redirects:1:1: STA003 error",
    "_headers": "docs/_headers:1:1: STA003 error",
    "robots.txt": "docs/robots.txt:1:1: STA003 error",
    "CNAME": "docs/CNAME:1:1: STA003 error",
    ".well-known/security.txt": "docs/.well-known/security.txt:1:1: STA003 error",
    RLO_NAME: "docs/invoice\\u202egnp.html:1:1: STA001 error: the name holds U+202E RIGHT-TO-LEFT OVERRIDE",
    "assets/images/favicon.png": "docs/assets/images/favicon.png:1:1: STA006 error",
    "photo.png": "docs/photo.png:1:1: STA007 error",
    "notes.txt": "docs/notes.txt:1:1: STA005 error",
}
STATIC_TEXT = '<script>navigator.serviceWorker.register("/sw.js", {scope: "/"})</script>\n'
TEMPLATES = {
    "ptsd/how-common.md": "redirect.html",
    "treatment/recommended.md": "partials/content.html",
    "ketamine/safety.md": "blog-post.html",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    repo = copy_repo(tmp_path_factory.mktemp("static"))
    for name in STATIC:
        (repo / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / "docs" / name).write_text(STATIC_TEXT, encoding="utf-8")
    expected = dict(STATIC)
    for src, template in TEMPLATES.items():
        page = repo / "docs" / src
        lines = page.read_text(encoding="utf-8").split("\n")
        lines.insert(1, f"template: {template}")
        page.write_text("\n".join(lines), encoding="utf-8")
        expected[src] = f'docs/{src}:2:1: FM020 error template: "{template}" is not allowed'
    return {"expected": expected, "check": make(repo, "check"),
            "build": run_mkdocs_build(repo / "site", repo / "mkdocs.yml"), "site": repo / "site"}


@pytest.mark.parametrize("attempt", [*STATIC, *TEMPLATES])
def test_check_and_build_both_name_the_file(hostile, attempt: str) -> None:
    line = hostile["expected"][attempt]
    assert line in hostile["check"].stdout, hostile["check"].stdout
    assert line in hostile["build"].stderr, hostile["build"].stderr


def test_check_and_build_fail_without_a_traceback_and_publish_nothing(hostile) -> None:
    check, build = hostile["check"], hostile["build"]
    assert check.returncode != 0 and build.returncode != 0
    assert "Traceback" not in check.stderr + build.stderr and "jinja2" not in build.stderr.lower()
    site: pathlib.Path = hostile["site"]
    published = [p for p in site.rglob("*") if p.is_file()] if site.exists() else []
    assert not [p for p in published if "serviceWorker" in p.read_text(encoding="utf-8", errors="replace")]


def test_the_real_docs_folder_holds_only_allowed_files() -> None:
    from kb import static_files

    result = static_files.check_site(load(ROOT))
    assert result.problems == () and result.counts["files checked"] >= 35


# ------------------------------------------------------------------------------- C: every template


def theme_templates() -> list[str]:
    found = set()
    for folder in load(ROOT).theme_dirs():
        found |= {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}
    return sorted(found)


def allowed_templates() -> list[str]:
    import json

    schema = json.loads((ROOT / "schema" / "frontmatter.schema.json").read_text(encoding="utf-8"))
    return schema["properties"]["template"]["enum"]


def test_every_other_theme_file_is_refused_as_a_template(tmp_path: pathlib.Path, capsys) -> None:
    """Every .html file of Material and overrides/ but the page templates (redirect.html, partials/...),
    one page each, in one run of the front matter check."""
    refused = [t for t in theme_templates() if t not in allowed_templates()]
    assert {"redirect.html", "partials/content.html", "404.html", "base.html", "blog.html"} <= set(refused)
    (tmp_path / "docs").mkdir()
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "tags.yml", tmp_path / "data" / "tags.yml")
    (tmp_path / "mkdocs.yml").write_text("site_name: Templates\ntheme: {name: material, font: false}\n",
                                         encoding="utf-8")
    for number, template in enumerate(refused):
        (tmp_path / "docs" / f"page-{number}.md").write_text(
            f"---\ntitle: A page with template {number}\ndescription: A test page whose front matter names a theme "
            f"file as its template.\ntags: [ptsd]\naudience: [clinicians]\nreview_interval_months: 12\n"
            f"last_reviewed: 2026-12-01\ntemplate: {template}\n---\n\n# Page\n", encoding="utf-8")
    status = check_main([str(tmp_path), "--only", "front matter", "--today", "2026-12-02"])
    out = capsys.readouterr().out
    assert status == 1
    for number, template in enumerate(refused):
        assert f'page-{number}.md:8:1: FM020 error template: "{template}" is not allowed; the allowed values are ' \
            in out, out


def test_every_allowed_template_is_a_page_template_of_the_theme() -> None:
    site = load(ROOT)
    for template in allowed_templates():
        path = site.theme_file(template)
        assert path is not None, f"{template} is in the schema's enum but not in overrides/ or Material"
        text = path.read_text(encoding="utf-8")
        assert 'extends "main.html"' in text or 'extends "base.html"' in text, template
