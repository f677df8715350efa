"""Problems of any check → text for people, GitHub Actions annotations, or JSON for tools.

Every check (front matter, citations, bibliography, glossary) reports objects with ``path``,
``line``, ``col``, ``code``, ``severity`` and ``message``; ``field``, ``fix`` and ``title`` are
optional. One formatter serves them all, so a contributor reads one shape of message whatever
found the problem, and CI turns each into an annotation on the right line.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class Reportable(Protocol):
    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str


def _optional(problem: Reportable, name: str) -> str:
    return getattr(problem, name, "") or ""


def line(problem: Reportable) -> str:
    """``docs/a.md:4:1: FM012 error last_reviewed: expected …. Fix: write 2024-01-05``"""
    field = _optional(problem, "field")
    fix = _optional(problem, "fix")
    subject = f" {field}" if field else ""
    return (f"{problem.path}:{problem.line}:{problem.col}: {problem.code} {problem.severity}{subject}: "
            f"{problem.message}" + (f". Fix: {fix}" if fix else ""))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def summary(problems: Sequence[Reportable], label: str, counts: Mapping[str, int]) -> str:
    """``citations: 32 pages checked, 540 citations, 1 error, 0 warnings`` (or ``no problems``)."""
    errors = sum(problem.severity == "error" for problem in problems)
    found = (f"{_plural(errors, 'error')}, {_plural(len(problems) - errors, 'warning')}"
             if problems else "no problems")
    return ", ".join([f"{label}: " + ", ".join(f"{n} {what}" for what, n in counts.items()), found]) \
        if counts else f"{label}: {found}"


def text(problems: Sequence[Reportable], label: str, counts: Mapping[str, int]) -> str:
    return "".join(line(problem) + "\n" for problem in problems) + summary(problems, label, counts) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: Sequence[Reportable], label: str, counts: Mapping[str, int]) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per problem."""
    out = []
    for problem in problems:
        title = " ".join(filter(None, [problem.code, _optional(problem, "title")]))
        field = _optional(problem, "field")
        fix = _optional(problem, "fix")
        body = (f"{field}: " if field else "") + problem.message + (f". Fix: {fix}" if fix else "")
        out.append(f"::{problem.severity} file={_escape_property(problem.path)},line={problem.line},"
                   f"col={problem.col},title={_escape_property(title)}::{_escape_data(body)}")
    out.append(summary(problems, label, counts))
    return "\n".join(out) + "\n"


def as_dict(problems: Sequence[Reportable], counts: Mapping[str, int]) -> dict[str, Any]:
    errors = sum(problem.severity == "error" for problem in problems)
    return {
        **counts,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [
            {"path": p.path, "line": p.line, "column": p.col, "code": p.code, "severity": p.severity,
             "title": _optional(p, "title"), "field": _optional(p, "field"), "message": p.message,
             "fix": _optional(p, "fix")}
            for p in problems
        ],
    }


def as_json(problems: Sequence[Reportable], label: str, counts: Mapping[str, int]) -> str:
    return json.dumps({"check": label, **as_dict(problems, counts)}, indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": text, "github": github, "json": as_json}
