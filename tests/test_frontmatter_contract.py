"""The contract files are complete and agree with each other: schema, code table, vocabulary, config."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from kb.frontmatter.codes import BY_CODE, CODES
from kb.frontmatter.load import load_path
from kb.frontmatter.validate import SCHEMA_FILE, TAGS_FILE

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
PACKAGE = ROOT / "kb" / "frontmatter"


def properties(schema: dict, prefix: str = "") -> list[tuple[str, dict]]:
    found = []
    for key, spec in schema.get("properties", {}).items():
        found.append((prefix + key, spec))
        found += properties(spec, f"{prefix}{key}.")
    return found


def test_schema_is_valid_and_strict() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["additionalProperties"] is False
    assert SCHEMA["properties"]["search"]["additionalProperties"] is False
    assert set(SCHEMA["required"]) == {"title", "description", "tags", "audience", "last_reviewed",
                                       "review_interval_months"}
    material = {"hide", "icon", "status", "subtitle", "template", "search", "comments"}
    assert material | {"title", "description", "tags", "last_reviewed", "review_interval_months",
                       "audience", "changes", "expires", "print"} == set(SCHEMA["properties"])


@pytest.mark.parametrize("key, spec", properties(SCHEMA), ids=[key for key, _ in properties(SCHEMA)])
def test_every_key_is_documented_with_valid_examples(key: str, spec: dict) -> None:
    assert len(spec.get("description", "")) >= 20
    assert spec.get("examples"), f"{key} has no examples"
    for example in spec["examples"]:
        valid = jsonschema.Draft202012Validator({**spec, "$defs": SCHEMA["$defs"]}).is_valid(example)
        assert valid, f"{key}: example {example!r} is invalid"
    if "default" in spec:
        assert jsonschema.Draft202012Validator({**spec, "$defs": SCHEMA["$defs"]}).is_valid(spec["default"])


def test_tag_examples_come_from_the_vocabulary() -> None:
    vocabulary = yaml.safe_load(TAGS_FILE.read_text(encoding="utf-8"))
    for example in SCHEMA["properties"]["tags"]["examples"]:
        assert set(example) <= set(vocabulary)
    assert all(re.fullmatch(SCHEMA["properties"]["tags"]["items"]["pattern"], tag) for tag in vocabulary)


def test_code_table_is_complete() -> None:
    assert [entry.code for entry in CODES] == [f"FM{n:03d}" for n in range(1, len(CODES) + 1)]
    for entry in CODES:
        assert entry.severity in ("error", "warning", "notice")
        assert re.fullmatch(r"[a-z_]+", entry.name)
        assert entry.title and not entry.title.endswith(".")
        assert entry.explanation.endswith(".") and entry.fix.endswith(".")


def test_every_code_the_modules_report_is_in_the_table_and_every_code_is_reported() -> None:
    source = "".join(path.read_text(encoding="utf-8") for path in PACKAGE.glob("*.py") if path.name != "codes.py")
    used = set(re.findall(r'"(FM\d{3})"', source))
    assert used <= set(BY_CODE)
    assert used == set(BY_CODE), f"codes never reported: {sorted(set(BY_CODE) - used)}"


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    page = load_path(tmp_path / "gone.md", "docs/gone.md")
    assert [problem.code for problem in page.problems] == ["FM028"]


def test_kb_does_not_import_mkdocs() -> None:
    """kb runs without any generator: the checks from a command line, the extensions in any Python-Markdown."""
    for path in PACKAGE.parent.rglob("*.py"):
        assert not re.search(r"^\s*(from|import) mkdocs", path.read_text(encoding="utf-8"), re.M), path


def test_hook_is_registered() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^hooks:\n(?:  - .+\n)*  - hooks/checks\.py$", config, re.M)
