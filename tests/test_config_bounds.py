"""Hostile pull requests against the configuration, the includes and the checks themselves: each is a
clear file:line error of `make check` and of the build's check hook (the same :func:`kb.check.run`),
never a traceback, a stall or a command run.

Includes and oversized pages: one copy of the repository gets every attempt, `make check` and the
strict build run once each. Configuration: the attempts stop every other check, so each gets a copy
of its own and `make check` (the build would run a Python tag's command before any hook).
"""
from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import time
import types

import pytest
from mkdocs.exceptions import PluginError

from tests.support.helpers import ROOT, run_mkdocs_build
from tests.support.repository_copy import copy_repo, make

PAGE = "docs/ptsd/how-common.md"


def _append(repo: pathlib.Path, page: str, lines: list[str]) -> int:
    """Append ``lines`` (after a blank line) to ``page``; the line number of the first one."""
    path = repo / page
    text = path.read_text(encoding="utf-8")
    text = text if text.endswith("\n") else text + "\n"
    first = text.count("\n") + 2
    path.write_text(text + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return first


# --------------------------------------------------------------------------- includes and bounds


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, dict[str, str]]:
    repo = copy_repo(tmp_path_factory.mktemp("bounds"))
    includes = repo / "includes"
    (includes / "note.md").write_text("A note.\n<!-- a comment\n<script>alert(1)</script>\n-->\n", encoding="utf-8")
    (includes / "code.md").write_text("Text `<img src=x onerror=alert(1)>` in code.\n", encoding="utf-8")
    (includes / "it's.md").write_text("Fine.\n", encoding="utf-8")
    (includes / "raw.html").write_text("<script>alert(1)</script>\n", encoding="utf-8")
    first = _append(repo, PAGE, ['--8<-- "note.md:2:2"', "", "<div>", '--8<-- "code.md"', "</div>", "",
                                 "--8<-- \"it's.md\"", "", '--8<-- "raw.html"', "", '--8<-- "note.md:a"'])
    big = _append(repo, "docs/ptsd/what-is-ptsd.md", ["[" * 30_000 + "]" * 30_000])
    nested = _append(repo, "docs/ptsd/living-with-ptsd.md",
                     ["Open " + "[a " * 12, "", "> " * 12 + "deep quote", "", "(" * 10 + "x" + ")" * 10])
    tags = repo / "data" / "tags.yml"
    tags_lines = tags.read_text(encoding="utf-8").count("\n")
    tags.write_text(tags.read_text(encoding="utf-8") + "zz-a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"zz-{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)),
        encoding="utf-8")
    refs = repo / "data" / "references.yml"
    refs_lines = refs.read_text(encoding="utf-8").count("\n")
    refs.write_text(refs.read_text(encoding="utf-8") + "bomb2024:\n  authors: &x0 [a, a, a, a, a, a, a, a, a, a]\n"
                    + "".join(f"  f{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 10)}]\n" for i in range(1, 9)),
                    encoding="utf-8")
    changed = repo / "docs" / "ptsd" / "index.md"
    text = changed.read_text(encoding="utf-8")
    assert "changes:" not in text.split("---")[1]
    changed.write_text(text.replace("\n---\n", '\nchanges:\n  - date: 2026-12-01\n    kind: correction\n'
                                                '    summary: "A correction\\uFFFF that breaks the feed."\n---\n', 1),
                       encoding="utf-8")
    summary_line = text.split("\n---\n", 1)[0].count("\n") + 5
    expected = {
        "line range": f"{PAGE}:{first}:9: CNT004 error: 'note.md:2:2' includes part of note.md",
        "code span in a div": "includes/code.md:1:18: HTM002 error: onerror= on <img>",
        "apostrophe": f"{PAGE}:{first + 6}:9: CNT004 error: 'it's.md': names of included files",
        "not Markdown": f"{PAGE}:{first + 8}:9: CNT004 error: 'raw.html' is not a Markdown file",
        "section": f"{PAGE}:{first + 10}:9: CNT004 error: 'note.md:a' includes part of note.md",
        "60 KB line": f"docs/ptsd/what-is-ptsd.md:{big}:1: BND002 error: this line is 60,000 characters long",
        "unclosed brackets": f"docs/ptsd/living-with-ptsd.md:{nested}:6: BND003 error: 12 brackets or parentheses",
        "deep quote": f"docs/ptsd/living-with-ptsd.md:{nested + 2}:1: BND004 error: quotes nested 12 deep",
        "deep parentheses": f"docs/ptsd/living-with-ptsd.md:{nested + 4}:9: BND003 error: brackets or parentheses "
                            "nested more than 8 deep",
        "tags alias bomb": f"data/tags.yml:{tags_lines + 1}:7: FM027 error: the tag vocabulary could not be read: "
                           "more than 20 YAML aliases",
        "references alias bomb": f"data/references.yml:{refs_lines + 2}:12: BIB001 error: more than 20 YAML aliases",
        "noncharacter in a change": f"docs/ptsd/index.md:{summary_line}:14: FM030 error "
                                    "changes.summary: U+FFFF",
    }
    return repo, expected


@pytest.fixture(scope="module")
def outcomes(attacked) -> dict[str, subprocess.CompletedProcess[str] | float]:
    repo, _ = attacked
    started = time.monotonic()
    checked = make(repo, "check")
    took = time.monotonic() - started
    built = run_mkdocs_build(repo / "site", repo / "mkdocs.yml")
    return {"check": checked, "build": built, "seconds": took}


def test_check_and_build_fail_fast_without_a_traceback(outcomes) -> None:
    check, build = outcomes["check"], outcomes["build"]
    assert check.returncode != 0 and "check] Error 1" in check.stderr and build.returncode != 0
    for output in (check.stdout + check.stderr, build.stdout + build.stderr):
        assert "Traceback" not in output and "MemoryError" not in output and "RecursionError" not in output
    assert outcomes["seconds"] < 60, "make check took minutes: a page reached Python-Markdown unbounded"
    assert "Building documentation" not in build.stderr or "Documentation built" not in build.stderr


def test_both_name_every_attempt_with_file_and_line(attacked, outcomes) -> None:
    _, expected = attacked
    check, build = outcomes["check"].stdout, outcomes["build"].stderr
    missing = {name: line for name, line in expected.items() if line not in check}
    assert not missing, check
    assert not {name: line for name, line in expected.items() if line not in build}, build


def test_the_alias_bombs_are_named_as_aliases(outcomes) -> None:
    out = outcomes["check"].stdout
    assert "data/tags.yml" in out and "data/references.yml" in out
    assert out.count("YAML aliases") >= 2, out


# ---------------------------------------------------------------------------------- configuration


def _config_repo(tmp_path: pathlib.Path, edit) -> pathlib.Path:
    repo = copy_repo(tmp_path)
    config = repo / "mkdocs.yml"
    config.write_text(edit(config.read_text(encoding="utf-8"), repo), encoding="utf-8")
    return repo


def _line_of(repo: pathlib.Path, needle: str, name: str = "mkdocs.yml") -> int:
    lines = (repo / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def _check(repo: pathlib.Path) -> subprocess.CompletedProcess[str]:
    result = make(repo, "check")
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    # kb.check exited 1
    assert result.returncode != 0 and "check] Error 1" in result.stderr, result.stdout + result.stderr
    return result


def test_a_python_tag_is_refused_and_never_run(tmp_path: pathlib.Path) -> None:
    repo = _config_repo(tmp_path, lambda text, _: text.replace(
        "copyright: >-\n  Text CC BY-SA 4.0 · Code MIT · Information, not medical advice.",
        'copyright: !!python/object/apply:os.system ["touch PWNED"]'))
    out = _check(repo).stdout
    line = _line_of(repo, "copyright:")
    assert f"mkdocs.yml:{line}:12: CFG001 error: copyright: the tag !!python/object/apply:os.system runs code" in out
    assert not (repo / "PWNED").exists()


def test_env_outside_the_allowed_keys_and_unknown_extra_keys(tmp_path: pathlib.Path) -> None:
    repo = _config_repo(tmp_path, lambda text, _: text.replace(
        "  generator: false", "  generator: false\n  token: !ENV [HOME, none]\n  analytics: {provider: google}"))
    out = _check(repo).stdout
    token, analytics = _line_of(repo, "token:"), _line_of(repo, "analytics:")
    assert f"mkdocs.yml:{token}:10: CFG002 error: extra.token: !ENV would publish" in out
    assert f"mkdocs.yml:{token}:10: CFG005 error: extra.token: not a setting of this site" in out
    assert f"mkdocs.yml:{analytics}:14: CFG005 error: extra.analytics" in out
    assert "site_url" not in out.split("CFG002")[0], "the allowed !ENV keys are not reported"


@pytest.mark.parametrize("base", [".git", "/", "docs"])
def test_snippets_outside_includes_are_refused_before_any_file_is_read(tmp_path: pathlib.Path, base: str) -> None:
    repo = _config_repo(tmp_path, lambda text, _: text.replace("base_path: [includes]", f"base_path: [\"{base}\"]"))
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text("[remote]\n", encoding="utf-8")
    started = time.monotonic()
    out = _check(repo).stdout
    assert time.monotonic() - started < 60
    line = _line_of(repo, "base_path:")
    assert f"mkdocs.yml:{line}:18: CFG003 error: base_path '{base}': pages may include only files of includes/" in out
    assert "front matter:" not in out, "the other checks must not walk another folder"


def test_overrides_as_a_link_to_git_is_refused(tmp_path: pathlib.Path) -> None:
    repo = copy_repo(tmp_path)
    (repo / ".git").mkdir()
    import shutil
    shutil.rmtree(repo / "overrides")
    (repo / "overrides").symlink_to(".git")
    out = _check(repo).stdout
    line = _line_of(repo, "custom_dir:")
    assert f"mkdocs.yml:{line}:15: CFG004 error: theme.custom_dir 'overrides' is a symbolic link (to .git)" in out


def test_hidden_docs_dir_and_printed_markup(tmp_path: pathlib.Path) -> None:
    repo = _config_repo(tmp_path, lambda text, _: text.replace("docs_dir: docs", "docs_dir: .git")
                        .replace("site_name: Ketamine", 'site_name: <img src=x onerror=alert(1)>Ketamine')
                        + "\nextra_templates: [evil.html]\n")
    (repo / ".git").mkdir()
    out = _check(repo).stdout
    assert f"mkdocs.yml:{_line_of(repo, 'docs_dir:')}:11: CFG004 error: docs_dir '.git' is a hidden folder" in out
    config_lines = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    line = config_lines.index(next(x for x in config_lines if x.startswith("site_name:"))) + 1
    assert f"mkdocs.yml:{line}:12: CFG006 error: site_name: '<' (at character 1)" in out
    assert f"mkdocs.yml:{_line_of(repo, 'extra_templates:')}:18: CFG005 error: extra_templates" in out


def test_an_alias_bomb_in_the_nav_is_one_error_at_its_line(tmp_path: pathlib.Path) -> None:
    def bomb(text: str, _) -> str:
        anchors = "x0: &a0 [index.md, index.md]\n" + "".join(
            f"x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n" for i in range(1, 24))
        return anchors + text.replace("nav:\n", "nav:\n  - Bomb: *a23\n")
    repo = _config_repo(tmp_path, bomb)
    started = time.monotonic()
    result = _check(repo)
    assert time.monotonic() - started < 30
    assert "mkdocs.yml:" in result.stdout and "CFG007 error: more than 20 YAML aliases" in result.stdout


def test_the_inherited_file_gets_the_same_treatment(tmp_path: pathlib.Path) -> None:
    def inherit(text: str, repo: pathlib.Path) -> str:
        crisis = repo / "data" / "crisis.yml"
        crisis.write_text(crisis.read_text(encoding="utf-8").replace(
            "  crisis:\n", "  leak: !ENV [HOME, x]\n  crisis:\n", 1)
            + "copyright: !!python/object/apply:os.system [\"touch PWNED\"]\n", encoding="utf-8")
        return "INHERIT: data/crisis.yml\n" + text
    repo = _config_repo(tmp_path, inherit)
    out = _check(repo).stdout
    leak = _line_of(repo, "leak:", "data/crisis.yml")
    assert f"data/crisis.yml:{leak}:9: CFG002 error: extra.leak: !ENV" in out
    assert f"data/crisis.yml:{leak}:9: CFG005 error: extra.leak" in out
    # mkdocs.yml's own copyright wins the merge, as in MkDocs, but the tag is still refused where it is written
    assert f"data/crisis.yml:{_line_of(repo, 'copyright:', 'data/crisis.yml')}:12: CFG001 error" in out
    assert not (repo / "PWNED").exists()


def test_the_build_hook_gives_the_check_verdict(tmp_path: pathlib.Path) -> None:
    """The hook runs kb.check.run: a configuration problem stops the build with the same line."""
    repo = _config_repo(tmp_path, lambda text, _: text + "\nextra_templates: [evil.html]\n")
    spec = importlib.util.spec_from_file_location("checks_hook_bounds", ROOT / "hooks" / "checks.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    from mkdocs.structure.files import Files
    config = types.SimpleNamespace(config_file_path=str(repo / "mkdocs.yml"), strict=True)
    hook.on_startup(command="build", dirty=False)
    with pytest.raises(PluginError) as raised:
        hook.on_files(Files([]), config=config)
    line = _line_of(repo, "extra_templates:")
    assert f"mkdocs.yml:{line}:18: CFG005 error: extra_templates" in str(raised.value)
    assert f"mkdocs.yml:{line}:18: CFG005 error: extra_templates" in _check(repo).stdout


def test_templates_escape_what_mkdocs_yml_prints() -> None:
    from mkdocs.theme import Theme
    env = Theme(name="material", custom_dir=str(ROOT / "overrides")).get_env()
    import yaml
    crisis = yaml.safe_load((ROOT / "data" / "crisis.yml").read_text(encoding="utf-8"))["extra"]
    html = env.get_template("partials/copyright.html").render(
        config={"copyright": "<script>alert(1)</script>", "extra": crisis}, page=None, base_url=".", nav=None)
    assert "<script>" not in html and "&lt;script&gt;" in html
