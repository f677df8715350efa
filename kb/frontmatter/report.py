"""Problems → text for people, GitHub Actions annotations, or JSON for tools."""
from __future__ import annotations

import json

from .codes import BY_CODE
from .problem import Problem


def line(problem: Problem) -> str:
    """``docs/a.md:4:1: FM012 error last_reviewed: expected …. Fix: write 2024-01-05``"""
    subject = f" {problem.field}" if problem.field else ""
    return (f"{problem.path}:{problem.line}:{problem.col}: {problem.code} {problem.severity}{subject}: "
            f"{problem.message}. Fix: {problem.fix}")


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    affected = len({problem.path for problem in problems})
    if not problems:
        return f"front matter: {files} file{'s' * (files != 1)} checked, no problems"
    return (f"front matter: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {affected} of {files} file{'s' * (files != 1)}")


def text(problems: list[Problem], files: int) -> str:
    return "".join(line(problem) + "\n" for problem in problems) + summary(problems, files) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem], files: int) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per problem."""
    out = []
    for problem in problems:
        title = _escape_property(f"{problem.code} {BY_CODE[problem.code].title}")
        subject = f"{problem.field}: " if problem.field else ""
        out.append(f"::{problem.severity} file={_escape_property(problem.path)},line={problem.line},"
                   f"col={problem.col},title={title}::"
                   f"{_escape_data(f'{subject}{problem.message}. Fix: {problem.fix}')}")
    out.append(summary(problems, files))
    return "\n".join(out) + "\n"


def as_json(problems: list[Problem], files: int) -> str:
    errors = sum(problem.severity == "error" for problem in problems)
    return json.dumps({
        "files": files,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [
            {"path": problem.path, "line": problem.line, "column": problem.col, "code": problem.code,
             "severity": problem.severity, "title": BY_CODE[problem.code].title, "field": problem.field,
             "message": problem.message, "fix": problem.fix}
            for problem in problems
        ],
    }, indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": text, "github": github, "json": as_json}
