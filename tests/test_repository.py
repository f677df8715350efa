"""The repository's own tooling: the Makefile and README, the GitHub workflows, issue forms and pull request
template, the pre-commit hooks and the editor settings."""
from __future__ import annotations

import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.helpers import ROOT

MAKE_TARGETS = ("serve", "build", "test", "lint", "fix", "check", "clean", "offline", "new-page", "review-report",
                "bench", "csp-scripts")
VENV_BIN = pathlib.Path(sys.executable).parent


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


def pre_commit_hooks() -> dict[str, dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert all(repo["repo"] == "local" for repo in config["repos"]), "every hook must be local (no network)"
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


WHITESPACE_HOOKS = ("trailing-whitespace", "end-of-file-fixer", "mixed-line-ending")


def test_pre_commit_hooks_are_local_and_runnable() -> None:
    hooks = pre_commit_hooks()
    assert {"front-matter", "citations", "glossary", *WHITESPACE_HOOKS} <= set(hooks)
    for hook in hooks.values():
        assert hook["language"] in ("system", "pygrep"), hook["id"]
        assert hook["name"] and hook["entry"]
        re.compile(hook.get("files", ""))
        re.compile(hook.get("exclude", "^$"))
        if hook["language"] != "system":
            continue
        command = shlex.split(hook["entry"])
        assert command[0].startswith(".venv/bin/"), hook["entry"]
        if command[0] == ".venv/bin/python":
            assert command[1] == "-m", hook["entry"]
            module = command[2]
            assert (ROOT / (module.replace(".", "/") + ".py")).is_file() or \
                (ROOT / module.replace(".", "/") / "__main__.py").is_file(), f"{module} does not exist"
        else:  # a console script of a package that requirements-test.txt installs into .venv
            assert (VENV_BIN / command[0].removeprefix(".venv/bin/")).is_file(), hook["entry"]


@pytest.mark.parametrize(("hook", "before", "after"), [
    ("trailing-whitespace", b"# Title  \r\ntext\t\nlast\n", b"# Title\r\ntext\nlast\n"),
    ("end-of-file-fixer", b"# Title\ntext", b"# Title\ntext\n"),
    ("end-of-file-fixer", b"# Title\ntext\n\n\n", b"# Title\ntext\n"),
    ("mixed-line-ending", b"# Title\r\ntext\r\n", b"# Title\ntext\n"),
    ("mixed-line-ending", b"# Title\r\ntext\n", b"# Title\ntext\n"),
])
def test_whitespace_hook_fixes_the_file_and_stops_the_commit(tmp_path: pathlib.Path, hook: str, before: bytes,
                                                              after: bytes) -> None:
    """The hook's command as pre-commit runs it: it fixes the file and fails, so the commit stops; on the
    fixed file it passes."""
    command = shlex.split(pre_commit_hooks()[hook]["entry"])
    command[0] = str(VENV_BIN / command[0].removeprefix(".venv/bin/"))
    page = tmp_path / "page.md"
    page.write_bytes(before)
    first = subprocess.run([*command, page.name], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert first.returncode == 1 and "page.md" in first.stdout, first.stdout + first.stderr
    assert page.read_bytes() == after
    again = subprocess.run([*command, page.name], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and page.read_bytes() == after, again.stdout


def test_whitespace_hooks_and_make_lint_leave_the_same_files_alone() -> None:
    hooks = pre_commit_hooks()
    script = (ROOT / "scripts" / "whitespace.sh").read_text(encoding="utf-8")
    exclude = re.search(r"^exclude='(.+)'$", script, re.M).group(1)
    for hook in WHITESPACE_HOOKS:
        assert hooks[hook]["exclude"] == exclude, hook
        assert hooks[hook]["types"] == ["text"], hook
    assert re.search(exclude, "tests/fixtures/frontmatter/good/crlf.md")
    assert not re.search(exclude, "docs/index.md")


@pytest.fixture
def checkout(tmp_path: pathlib.Path) -> pathlib.Path:
    """A git repository with scripts/whitespace.sh, a clean file, a fixture and three files to fix."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "whitespace.sh", tmp_path / "scripts" / "whitespace.sh")
    files = {"clean.md": b"# Clean\n", "tests/fixtures/crlf.md": b"kept\r\n", "image.bin": b"\0\1 \n",
             "trailing.md": b"# Title  \ntext\n", "crlf.md": b"# Title\r\ntext\r\n", "no-newline.py": b"x = 1"}
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    return tmp_path


def whitespace_script(repo: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "scripts/whitespace.sh", *args], cwd=repo, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "VENV": str(VENV_BIN.parent)})


def test_make_lint_names_the_files_to_fix_and_changes_nothing(checkout: pathlib.Path) -> None:
    before = {path: path.read_bytes() for path in checkout.rglob("*") if path.is_file() and ".git" not in path.parts}
    result = whitespace_script(checkout)
    assert result.returncode == 1
    assert {"trailing.md", "crlf.md", "no-newline.py"} <= set(re.findall(r"[\w/.-]+\.(?:md|py)", result.stdout))
    assert "clean.md" not in result.stdout and "fixtures" not in result.stdout and "image.bin" not in result.stdout
    assert "run make fix" in result.stderr
    assert {path: path.read_bytes() for path in before} == before, "the check changed a file"


def test_make_fix_fixes_every_file_then_lint_passes(checkout: pathlib.Path) -> None:
    assert whitespace_script(checkout, "--fix").returncode == 0
    assert (checkout / "trailing.md").read_bytes() == b"# Title\ntext\n"
    assert (checkout / "crlf.md").read_bytes() == b"# Title\ntext\n"
    assert (checkout / "no-newline.py").read_bytes() == b"x = 1\n"
    assert (checkout / "tests" / "fixtures" / "crlf.md").read_bytes() == b"kept\r\n"
    assert (checkout / "image.bin").read_bytes() == b"\0\1 \n"
    result = whitespace_script(checkout)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_editor_settings_map_the_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert any(".meta.yml" in glob for glob in schemas["./schema/frontmatter.schema.json"])
    for path in schemas:
        if path.startswith("./"):
            assert (ROOT / path).is_file(), path
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    recommended = {e.lower() for e in extensions["recommendations"]}
    assert {"redhat.vscode-yaml", "davidanson.vscode-markdownlint"} <= recommended
    lint = yaml.safe_load((ROOT / ".markdownlint.yaml").read_text(encoding="utf-8"))
    assert lint["MD007"] == {"indent": 4} and lint["MD013"] is False and lint["MD046"] is False
    assert lint["MD025"] == {"front_matter_title": ""}


def test_ruff_with_the_projects_settings_finds_real_faults(tmp_path: pathlib.Path) -> None:
    """make lint's Python check: an unused import, an undefined name and a mutable default are reported."""
    (tmp_path / "faulty.py").write_text("import os\n\n\ndef f(items=[]):\n    return undefined_name\n",
                                        encoding="utf-8")
    result = subprocess.run([str(VENV_BIN / "ruff"), "check", "--config", str(ROOT / "pyproject.toml"),
                             "--output-format", "concise", "--no-cache", "faulty.py"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    for code, line in (("F401", 1), ("B006", 4), ("F821", 5)):
        assert f"faulty.py:{line}:" in result.stdout and f" {code} " in result.stdout, result.stdout
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: lint\b", makefile, re.M) and "/bin/ruff check" in makefile


def pins(name: str) -> dict[str, str]:
    """Package name (normalised) -> the exact version a requirements or constraints file pins."""
    found = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            found[canonicalize_name(requirement.name)] = str(requirement.specifier).removeprefix("==")
    return found


def test_pyproject_declares_what_requirements_pin_and_the_pins_satisfy_it() -> None:
    """`pip install .` gets kb's dependencies from pyproject.toml; make and CI install the pins."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [Requirement(line) for line in project["dependencies"]]
    tests = [Requirement(line) for line in project["optional-dependencies"]["test"]]
    constraints = pins("constraints.txt")
    for requirement in declared + tests:
        version = constraints.get(canonicalize_name(requirement.name))
        assert version, f"{requirement.name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(version), f"the pin {requirement.name}=={version} is not {requirement}"
    assert set(pins("requirements.txt")) <= {canonicalize_name(r.name) for r in declared}, \
        "a package of requirements.txt is missing from [project] dependencies"


@pytest.mark.parametrize(("subject", "passes"), [
    ("Check whitespace with pre-commit-hooks instead of kb/whitespace.py", True),
    ("x" * 72, True),
    ("x" * 73, False),
])
def test_commit_msg_hook_limits_the_subject_to_72_characters(tmp_path: pathlib.Path, subject: str,
                                                             passes: bool) -> None:
    """The commit-msg hook's command as pre-commit runs it, in a repository with the project's .gitlint."""
    hook = pre_commit_hooks()["gitlint"]
    assert hook["stages"] == ["commit-msg"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    shutil.copy(ROOT / ".gitlint", tmp_path / ".gitlint")
    (tmp_path / "COMMIT_EDITMSG").write_text(f"{subject}\n\nThe why, in the body.\n", encoding="utf-8")
    command = shlex.split(hook["entry"])
    command[0] = str(VENV_BIN / command[0].removeprefix(".venv/bin/"))
    result = subprocess.run([*command, "COMMIT_EDITMSG"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org"})
    assert (result.returncode == 0) is passes, result.stdout + result.stderr
    if not passes:
        assert "T1 Title exceeds max length (73>72)" in result.stderr


def test_commit_msg_hook_needs_no_body(tmp_path: pathlib.Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    shutil.copy(ROOT / ".gitlint", tmp_path / ".gitlint")
    (tmp_path / "COMMIT_EDITMSG").write_text("Fix a typo on the sleep page\n", encoding="utf-8")
    result = subprocess.run([str(VENV_BIN / "gitlint"), "--staged", "--msg-filename", "COMMIT_EDITMSG"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
