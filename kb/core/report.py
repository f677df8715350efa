"""Problems of every check → text for people, GitHub Actions annotations, or JSON for tools.

Every check (front matter, citations, bibliography, glossary, reading level, HTML safety, content
files) reports objects with ``path``, ``line``, ``col``, ``code``, ``severity`` and ``message``;
``field``, ``fix`` and ``title`` are optional. A check's outcome is a :class:`CheckResult`; one
formatter serves them all, so a contributor reads one shape of message whatever found the problem,
and CI turns each into an annotation on the right line.

Severities: ``error`` and ``warning`` fail ``make check`` and ``mkdocs build --strict`` alike (a
non-strict build stops on errors only); a ``notice`` (a page past its review date) fails nothing.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

SEVERITIES = ("error", "warning", "notice")
FAILING = frozenset({"error", "warning"})


class Reportable(Protocol):
    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """What one check found: its problems, sorted, and what it counted (``{"pages checked": 32}``)."""

    label: str
    problems: tuple[Reportable, ...]
    counts: Mapping[str, int]

    @property
    def failed(self) -> bool:
        return any(problem.severity in FAILING for problem in self.problems)


def status(results: Sequence[CheckResult]) -> int:
    """The exit status of a run: 1 if any check failed, else 0."""
    return int(any(result.failed for result in results))


def _optional(problem: Reportable, name: str) -> str:
    return getattr(problem, name, "") or ""


def line(problem: Reportable) -> str:
    """``docs/a.md:4:1: FM012 error last_reviewed: expected …. Fix: write 2024-01-05``"""
    field = _optional(problem, "field")
    subject = f" {field}" if field else ""
    return f"{problem.path}:{problem.line}:{problem.col}: {problem.code} {problem.severity}{subject}: {_told(problem)}"


def detail(problem: Reportable) -> str:
    """``last_reviewed: expected …. Fix: write 2024-01-05``: what is wrong and how to fix it."""
    field = _optional(problem, "field")
    return (f"{field}: " if field else "") + _told(problem)


def _told(problem: Reportable) -> str:
    fix = _optional(problem, "fix")
    return problem.message + (f". Fix: {fix}" if fix else "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _by_severity(problems: Sequence[Reportable]) -> dict[str, int]:
    return {severity: sum(problem.severity == severity for problem in problems) for severity in SEVERITIES}


def summary(result: CheckResult) -> str:
    """``citations: 32 pages checked, 540 citations, 1 error, 0 warnings`` (or ``no problems``)."""
    found = _by_severity(result.problems)
    shown = [_plural(found["error"], "error"), _plural(found["warning"], "warning")]
    if found["notice"]:
        shown.append(_plural(found["notice"], "notice"))
    words = ", ".join(shown) if result.problems else "no problems"
    counted = ", ".join(f"{n} {what}" for what, n in result.counts.items())
    return f"{result.label}: {counted + ', ' if counted else ''}{words}"


def text(results: Sequence[CheckResult]) -> str:
    lines = [line(problem) for result in results for problem in result.problems]
    return "".join(f"{entry}\n" for entry in [*lines, *map(summary, results)])


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVELS = {"error": "error", "warning": "warning", "notice": "notice"}


def github(results: Sequence[CheckResult]) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per problem."""
    out = []
    for problem in (problem for result in results for problem in result.problems):
        title = " ".join(filter(None, [problem.code, _optional(problem, "title")]))
        body = detail(problem)
        out.append(f"::{GITHUB_LEVELS[problem.severity]} file={_escape_property(problem.path)},line={problem.line},"
                   f"col={problem.col},title={_escape_property(title)}::{_escape_data(body)}")
    out += map(summary, results)
    return "\n".join(out) + "\n"


def as_dict(result: CheckResult) -> dict[str, Any]:
    found = _by_severity(result.problems)
    return {
        "status": int(result.failed),
        **result.counts,
        "errors": found["error"],
        "warnings": found["warning"],
        "notices": found["notice"],
        "problems": [
            {"path": p.path, "line": p.line, "column": p.col, "code": p.code, "severity": p.severity,
             "title": _optional(p, "title"), "field": _optional(p, "field"), "message": p.message,
             "fix": _optional(p, "fix")}
            for p in result.problems
        ],
    }


def as_json(results: Sequence[CheckResult]) -> str:
    document = {"status": status(results), "checks": {result.label: as_dict(result) for result in results}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": text, "github": github, "json": as_json}
