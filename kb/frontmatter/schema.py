"""The front matter contract, ``schema/frontmatter.schema.json``: the one place its keys, limits and
examples are written. Everything that needs a limit (the validator, review dates, the page scaffold,
the contributor reference) reads it from here."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "frontmatter.schema.json"


@cache
def schema(path: Path = SCHEMA_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def spec(key: str) -> dict[str, Any]:
    """The schema of one top-level key."""
    return schema()["properties"][key]


def length(key: str) -> tuple[int, int]:
    """(minLength, maxLength) of a text key."""
    found = spec(key)
    return found["minLength"], found["maxLength"]


def suggested(key: str) -> Any:
    """The value the page scaffold proposes: the key's first example."""
    return spec(key)["examples"][0]
