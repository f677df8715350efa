"""The repository's own tooling: the Makefile and README, the GitHub workflows, issue forms and pull request
template, the pre-commit hooks and the editor settings."""
from __future__ import annotations

import json
import pathlib
import re
import shlex

import pytest
import yaml

from conftest import ROOT
from repository_copy import python

from kb import whitespace

MAKE_TARGETS = ("serve", "build", "test", "check", "clean", "offline", "new-page", "review-report", "bench",
                "csp-scripts")


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
