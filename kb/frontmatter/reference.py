"""The front matter reference, as Markdown, generated from the contract itself.

Reads ``schema/frontmatter.schema.json`` (every key: type, required or not, allowed values,
default, example), ``kb.frontmatter.codes.CODES`` (every problem code with its severity,
explanation and fix) and ``data/tags.yml`` (the tag vocabulary), and writes the Markdown that
the Markdown extension :mod:`kb.frontmatter.extension` puts in place of :data:`MARKER` on the contributor page. Nothing
is copied by hand, so the page cannot drift from what the validator checks.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pathlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import yaml

from kb.core import yaml_bounds
from kb.core.markdown_text import escape_markdown
from kb.core.site import TAGS_FILE
from kb.frontmatter.codes import CODES, Code

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_FILE = "schema/frontmatter.schema.json"
REFERENCES_SCHEMA_FILE = "schema/references.schema.json"
MARKER = "<!-- front-matter-reference -->"
REFERENCES_MARKER = "<!-- references-fields -->"

# JSON Schema type -> the words contributors read (the validator uses the same words).
KIND = {
    "string": "text", "array": "list", "integer": "whole number", "number": "number",
    "boolean": "true or false", "object": "set of keys", "null": "nothing",
}
# Keys whose allowed values come from a vocabulary file rather than the schema.
VOCABULARIES = {"tags": TAGS_FILE}
SEVERITY_ORDER = {"error": 0, "warning": 1, "notice": 2}


@dataclasses.dataclass(frozen=True)
class Key:
    """One front matter key, flattened: nested keys are dotted (``search.boost``)."""

    name: str
    spec: Mapping[str, Any]
    required: bool


def keys(schema: Mapping[str, Any], prefix: str = "") -> Iterator[Key]:
    """Every key of the schema in schema order, each nested key right after its parent."""
    required = set(schema.get("required", ()))
    for name, spec in schema.get("properties", {}).items():
        yield Key(prefix + name, spec, name in required)
        if spec.get("type") == "object" and "properties" in spec:
            yield from keys(spec, prefix + name + ".")


def text(value: str) -> str:
    """Schema prose as Markdown: HTML escaped outside `code spans`, Markdown's own characters kept inert."""
    return escape_markdown(value, extra="|", code_spans=True)


def code(value: str) -> str:
    """``value`` as an inline code span, whatever backticks it holds."""
    fence = "`" * (max((len(m) for m in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def kind(spec: Mapping[str, Any]) -> str:
    kinds = spec.get("type", "string" if all(isinstance(v, str) for v in spec.get("enum", [0])) else "any")
    words = " or ".join(KIND.get(k, k) for k in ([kinds] if isinstance(kinds, str) else kinds))
    if spec.get("format") == "date":
        return "date (YYYY-MM-DD, no quotes)"
    if spec.get("type") == "array" and isinstance(spec.get("items"), Mapping):
        return f"list of {kind(spec['items'])}"
    return words


def limits(spec: Mapping[str, Any]) -> list[str]:
    """Plain-words limits of a value (length, range, count, form), in a stable order."""
    found = []
    for low_word, high_word, unit in (("minLength", "maxLength", "characters"), ("minItems", "maxItems", "items")):
        low, high = spec.get(low_word), spec.get(high_word)
        if low is not None and high is not None:
            found.append(f"{low} to {high} {unit}")
        elif low is not None:
            found.append(f"at least {low} {unit}" if low != 1 else f"at least one {unit.rstrip('s')}")
        elif high is not None:
            found.append(f"at most {high} {unit}")
    if "minimum" in spec and "maximum" in spec:
        found.append(f"{spec['minimum']} to {spec['maximum']}")
    else:
        bounds = [
            ("minimum", "at least {}"), ("exclusiveMinimum", "more than {}"),
            ("maximum", "at most {}"), ("exclusiveMaximum", "less than {}"),
        ]
        found += [template.format(spec[word]) for word, template in bounds if word in spec]
    if spec.get("uniqueItems"):
        found.append("no item twice")
    if "pattern" in spec and spec.get("format") != "date":
        found.append("matches " + code(spec["pattern"]))
    return found


def allowed(key: Key) -> str:
    spec = key.spec
    items = spec.get("items") if isinstance(spec.get("items"), Mapping) else {}
    enum = spec.get("enum") or items.get("enum")
    if enum is not None:
        return ", ".join(code(_scalar(v)) for v in enum)
    if spec.get("format") == "date":
        return "a real calendar date, written YYYY-MM-DD"
    if key.name in VOCABULARIES:
        return f"the tags in {code(VOCABULARIES[key.name])} ([listed below](#tag-vocabulary))"
    parts = limits(spec) + [f"each item {limit}" for limit in limits(items)]
    if parts:
        return "; ".join(parts)
    if spec.get("type") == "boolean":
        return "`true` or `false`"
    if spec.get("type") == "object" and "properties" in spec:
        return "the keys " + ", ".join(code(f"{key.name}.{name}") for name in spec["properties"])
    return "any " + text(kind(spec))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return value
    return json.dumps(value)


def example(key: Key) -> str:
    """A YAML snippet showing the key with its first example, nested under its parent if dotted."""
    examples = key.spec.get("examples")
    if not examples:
        return ""
    value = _dated(key.spec, examples[0])
    *parents, name = key.name.split(".")
    document: Any = {name: value}
    for parent in reversed(parents):
        document = {parent: document}
    return "\n".join(_yaml_lines(document))


def _dated(spec: Mapping[str, Any], value: Any) -> Any:
    """The example with every ``format: date`` text as a date, also inside lists of entries, so that it
    dumps without quotes, as pages must write it."""
    if spec.get("format") == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, list) and isinstance(spec.get("items"), Mapping):
        return [_dated(spec["items"], item) for item in value]
    if isinstance(value, Mapping):
        properties = spec.get("properties", {})
        return {name: _dated(properties.get(name, {}), item) for name, item in value.items()}
    return value


def _yaml_lines(mapping: Mapping[str, Any], indent: str = "") -> Iterator[str]:
    """Block-style YAML for mappings and lists of entries (such as changes), flow style for other lists,
    scalars quoted only where YAML needs it."""
    for name, value in mapping.items():
        if isinstance(value, Mapping):
            yield f"{indent}{name}:"
            yield from _yaml_lines(value, indent + "  ")
        elif isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            yield f"{indent}{name}:"
            for item in value:
                lines = list(_yaml_lines(item, indent + "    "))
                yield indent + "  - " + lines[0].removeprefix(indent + "    ")
                yield from lines[1:]
        else:
            flow = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000)
            yield f"{indent}{name}: {flow.removesuffix(chr(10) + '...' + chr(10)).strip()}"


def default(spec: Mapping[str, Any]) -> str:
    if "default" not in spec:
        return "none"
    value = spec["default"]
    if isinstance(value, list):
        return code("[" + ", ".join(_scalar(v) for v in value) + "]")
    return code(_scalar(value))


def render_keys(schema: Mapping[str, Any]) -> list[str]:
    every = list(keys(schema))
    out = [
        "## Keys",
        "",
        text(schema.get("description", "")),
        "",
        "| Key | Required | Type | Default |",
        "|---|---|---|---|",
    ]
    for key in every:
        anchor = _anchor(key.name)
        out.append(f"| [{code(key.name)}](#{anchor}) | {'**required**' if key.required else 'optional'} "
                   f"| {text(kind(key.spec))} | {default(key.spec)} |")
    for key in every:
        out += ["", f"### {code(key.name)} {{#{_anchor(key.name)}}}", ""]
        out += [text(key.spec.get("description", "")), ""]
        out.append(f"- **Required:** {'yes' if key.required else 'no'}")
        out.append(f"- **Type:** {text(kind(key.spec))}")
        out.append(f"- **Allowed values:** {allowed(key)}")
        out.append(f"- **Default:** {default(key.spec)}")
        snippet = example(key)
        if snippet:
            out += ["- **Example:**", "", "    ```yaml"]
            out += [f"    {line}" for line in snippet.splitlines()]
            out.append("    ```")
    return out


def _anchor(name: str) -> str:
    return "key-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def render_codes(codes: Sequence[Code]) -> list[str]:
    live = sorted((c for c in codes if c.severity in SEVERITY_ORDER), key=lambda c: c.code)
    retired = [c for c in codes if c.severity not in SEVERITY_ORDER]
    out = [
        "## Problem codes",
        "",
        "`make check` and the build report each problem as "
        "`file:line:column: CODE severity key: message. Fix: ...`. "
        "An **error** stops `make check` and the build; a **warning** is reported, and stops only the strict "
        "build (`mkdocs build --strict`, as it runs on every pull request).",
        "",
        "| Code | Severity | Problem |",
        "|---|---|---|",
    ]
    out += [f"| [{c.code}](#{c.code.lower()}) | {c.severity} | {text(c.title)} |" for c in live]
    for c in live:
        out += [
            "",
            f"### {c.code}: {text(c.title)} {{#{c.code.lower()}}}",
            "",
            f"**Severity:** {c.severity}",
            "",
            text(c.explanation),
            "",
            f"**Fix:** {text(c.fix)}",
        ]
    if retired:
        out += ["", "### Retired codes", "",
                "These codes are no longer reported; they are never reused for another problem.", ""]
        out += [f"- {c.code}: {text(c.title)}" for c in retired]
    return out


def render_vocabulary(tags: Mapping[str, str]) -> list[str]:
    out = [
        "## Tag vocabulary {#tag-vocabulary}",
        "",
        f"The tags a page may use, from {code(TAGS_FILE)}. To add a tag, add a line `tag: what pages with it "
        "are about` to that file in the same pull request.",
        "",
        "| Tag | Pages about |",
        "|---|---|",
    ]
    out += [f"| {code(str(tag))} | {text(str(about))} |" for tag, about in tags.items()]
    return out


def render_fields(schema: Mapping[str, Any]) -> str:
    """A compact table of a schema's keys, for data files such as data/references.yml."""
    out = ["| Field | Required | Type | Allowed values | Example |", "|---|---|---|---|---|"]
    for key in keys(schema):
        examples = key.spec.get("examples") or []
        shown = code(_scalar(examples[0])) if examples and not isinstance(examples[0], (list, dict)) else ""
        out.append(f"| {code(key.name)} | {'**required**' if key.required else 'optional'} | {text(kind(key.spec))} "
                   f"| {allowed(key)} | {shown} |")
    return "\n".join(out) + "\n"


def render(schema: Mapping[str, Any], codes: Sequence[Code] = CODES, tags: Mapping[str, str] | None = None) -> str:
    parts = render_keys(schema) + [""] + render_codes(codes)
    if tags:
        parts += [""] + render_vocabulary(tags)
    return "\n".join(parts) + "\n"


def _schema(root: pathlib.Path, name: str) -> dict[str, Any]:
    try:
        schema = json.loads((root / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{name}: cannot read the schema: {error}") from None
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        raise ValueError(f"{name}: expected a JSON Schema object with properties")
    return schema


def render_references_fields(root: pathlib.Path = ROOT) -> str:
    """The fields of a data/references.yml entry, from schema/references.schema.json."""
    return render_fields(_schema(root, REFERENCES_SCHEMA_FILE))


def render_from(root: pathlib.Path = ROOT) -> str:
    """The reference for the repository at ``root``; raises ``ValueError`` with the file at fault."""
    schema = _schema(root, SCHEMA_FILE)
    tags_path = root / TAGS_FILE
    try:
        tags = yaml_bounds.read(tags_path, "data/tags.yml")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, yaml_bounds.LimitError) as error:
        raise ValueError(f"{TAGS_FILE}: cannot read the tag vocabulary: {error}") from None
    return render(schema, CODES, tags if isinstance(tags, dict) else None)
