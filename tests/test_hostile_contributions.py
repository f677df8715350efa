"""What a hostile (or careless) pull request tried: each attempt is a clear file:line error in `make check`
and in the strict build alike, never a traceback, and nothing reaches the site.

One copy of the repository gets every attempt at once; `make check` and `mkdocs build --strict` run
once each and must both name every one. Each attempt passed both, or crashed the build, before.
"""
from __future__ import annotations

import os
import pathlib
import subprocess
import types

import pytest

from tests.support.helpers import ROOT, run_mkdocs_build, with_front_matter
from tests.support.repository_copy import copy_repo, make

OUTSIDE_SECRET = "token=not-for-readers"

FDA2023_URL = ("https://www.fda.gov/drugs/human-drug-compounding/fda-warns-patients-and-health-care-providers-"
               "about-potential-risks-associated-compounded-ketamine")
FDA2023_LINE = (ROOT / "data" / "references.yml").read_text(encoding="utf-8").splitlines().index(
    f"  url: {FDA2023_URL}") + 1
"""Where the bibliography's fda2023 address is: the attempt below extends it."""

ATTEMPTS: dict[str, tuple[str, str]] = {
    # name -> (the line both must print, what it is about)
    "bibliography url": (f"data/references.yml:{FDA2023_LINE}:3: BIB002 error: entry 'fda2023': url",
                         "a url ending the link"),
    "glossary definition": ("includes/abbreviations.md:1:", "a <style onload> definition"),
    "include of .git": ('docs/ptsd/index.md:12:9: CNT002 error: \'../.git/config\' leads out of includes/',
                        "an include out of the snippets folder"),
    "absolute include": ("docs/ptsd/index.md:14:9: CNT002 error: '/etc/hostname' is an absolute path",
                         "an absolute include"),
    "include by address": ("docs/ptsd/index.md:16:9: CNT002 error: 'https://example.org/x.md' is an address",
                           "a downloaded include"),
    "linked include": ("includes/passwd.md:1:1: CNT001 error: a symbolic link (to /etc/passwd)", "a link in includes/"),
    "linked page": ("docs/ptsd/secret.txt:1:1: CNT001 error: a symbolic link", "a link under docs/"),
    "handler in an attribute list": ("docs/ptsd/index.md:18:16: HTM002", "{: onclick=... } on a paragraph"),
    "javascript link": ("docs/ptsd/index.md:20:12: HTM004", "a javascript: link"),
    "front matter in an include": ("includes/note.md:1:1: CNT003 error", "an included file with front matter"),
    "folder defaults": ("docs/ptsd/.meta.yml:1:1: FM016 error owner", "an unknown key in .meta.yml"),
    "page off the nav": ("docs/ptsd/hidden.md:1:1: FM029 warning", "a page the nav does not list"),
}


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    repo = copy_repo(tmp_path_factory.mktemp("hostile"))
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text(f"[remote]\n{OUTSIDE_SECRET}\n", encoding="utf-8")
    bib = repo / "data" / "references.yml"
    text = bib.read_text(encoding="utf-8")
    url = FDA2023_URL
    assert text.splitlines()[FDA2023_LINE - 1] == f"  url: {url}"
    bib.write_text(text.replace(url, url + ">)<svg/hidden/onload=alert(1)>", 1), encoding="utf-8")
    glossary = repo / "includes" / "abbreviations.md"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "*[PTSD]: Post-traumatic stress disorder",
        "*[PTSD]: Post-traumatic stress disorder<style onload=\"alert(1)\"></style>", 1), encoding="utf-8")
    (repo / "includes" / "passwd.md").symlink_to("/etc/passwd")
    (repo / "includes" / "note.md").write_text(with_front_matter("A note.\n"), encoding="utf-8")
    (repo / "docs" / "ptsd" / "secret.txt").symlink_to(repo / ".git" / "config")
    (repo / "docs" / "ptsd" / ".meta.yml").write_text("owner: someone\n", encoding="utf-8")
    (repo / "docs" / "ptsd" / "hidden.md").write_text(with_front_matter("# Hidden page\n\nText.\n"), encoding="utf-8")
    index = repo / "docs" / "ptsd" / "index.md"
    lines = index.read_text(encoding="utf-8").split("\n")
    assert lines[9] == "# Understanding PTSD" and lines[10] == "", lines[:12]
    lines[11:11] = ['--8<-- "../.git/config"', "", '--8<-- "/etc/hostname"', "", '--8<-- "https://example.org/x.md"',
                    "", 'A paragraph. { onclick="alert(1)" }', "", "[Call now](javascript:alert(1))", ""]
    index.write_text("\n".join(lines), encoding="utf-8")
    return repo


@pytest.fixture(scope="module")
def outcomes(hostile_repo: pathlib.Path) -> dict[str, subprocess.CompletedProcess[str]]:
    before = {p: p.read_bytes() for p in (hostile_repo / "docs").rglob("*") if p.is_file() and not p.is_symlink()}
    checked = make(hostile_repo, "check")
    built = run_mkdocs_build(hostile_repo / "site", hostile_repo / "mkdocs.yml")
    after = {p: p.read_bytes() for p in (hostile_repo / "docs").rglob("*") if p.is_file() and not p.is_symlink()}
    assert after == before, "a source file changed"
    return {"check": checked, "build": built}


def test_check_and_build_both_fail_without_a_traceback(outcomes) -> None:
    check, build = outcomes["check"], outcomes["build"]
    assert check.returncode != 0 and build.returncode != 0
    assert "Traceback" not in check.stdout + check.stderr and "Traceback" not in build.stdout + build.stderr
    assert "SnippetMissingError" not in build.stderr


@pytest.mark.parametrize("attempt", sorted(ATTEMPTS))
def test_both_name_the_attempt_with_file_and_line(outcomes, attempt: str) -> None:
    line, _ = ATTEMPTS[attempt]
    assert line in outcomes["check"].stdout, outcomes["check"].stdout
    assert line in outcomes["build"].stderr, outcomes["build"].stderr


def test_nothing_from_outside_the_content_reaches_the_site(hostile_repo, outcomes) -> None:
    site = hostile_repo / "site"
    published = [p for p in site.rglob("*") if p.is_file()] if site.exists() else []
    assert not [p for p in published if OUTSIDE_SECRET in p.read_text(encoding="utf-8", errors="replace")]
    assert not (site / "ptsd" / "secret.txt").exists()


def test_a_linked_file_is_never_published_even_when_the_check_is_not_fatal(tmp_path: pathlib.Path) -> None:
    """The hook drops links from the files MkDocs would copy, before anything else (here under `serve`)."""
    import importlib.util

    from mkdocs.structure.files import File, Files

    spec = importlib.util.spec_from_file_location("checks_hook_links", ROOT / "hooks" / "checks.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(with_front_matter("# Home\n"), encoding="utf-8")
    (tmp_path / "docs" / "leak.txt").symlink_to("/etc/hostname")
    (tmp_path / "mkdocs.yml").write_text("site_name: Links\n", encoding="utf-8")
    files = Files([File(name, str(tmp_path / "docs"), str(tmp_path / "site"), True)
                   for name in ("index.md", "leak.txt")])
    config = types.SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), strict=False)
    hook.on_startup(command="serve", dirty=False)
    kept = hook.on_files(files, config=config)
    assert [f.src_uri for f in kept] == ["index.md"]


def test_workflows_keep_no_credentials_and_ask_for_little() -> None:
    import yaml

    for name in ("pr.yml", "deploy.yml", "review.yml"):
        workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
        assert workflow.get("permissions") in ({}, {"contents": "read"}), f"{name}: top-level permissions"
        for job_name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False, f"{name}/{job_name}"
    pr = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    assert "pull_request_target" not in pr.get(True, pr.get("on", {})), "pull requests never run with secrets"
    assert os.path.isfile(ROOT / ".github" / "CODEOWNERS")
    owners = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    for path in ("/mkdocs.yml", "/hooks/", "/kb/", "/overrides/", "/.github/"):
        assert path in owners, f"{path} needs a maintainer's review"
