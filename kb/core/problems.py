"""One problem shape and one registry of problem codes, for every check.

Each feature keeps its own code table next to its check, as data: a tuple of :class:`Code`
records whose codes share one prefix (FM, CIT, GLO, ...). The check registers its table and gets
its problem factory back in one line::

    CODES = (Code("CIT001", "unknown_key", "error", "Unknown citation key", "...", "..."), ...)
    problem = register(CODES)
    problem("docs/a.md", 4, 12, "CIT001", "no entry [@smith2020] in data/references.yml", fix="...")

A :class:`Problem` reads its severity and title from the registry, so the report formats
(:mod:`kb.core.report`), the build and the contributor reference (:mod:`kb.frontmatter.reference`)
all say the same thing about a code.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import NamedTuple, Protocol

from kb.core import report


class Code(NamedTuple):
    """One problem code. ``code`` is stable (``CIT001``) and never reused for another meaning;
    ``name`` is a short snake_case identifier; ``severity`` is ``"error"``, ``"warning"``,
    ``"notice"`` or ``"retired"``; ``title`` a few words; ``explanation`` what is wrong and why it
    matters; ``fix`` how a contributor fixes it."""

    code: str
    name: str
    severity: str
    title: str
    explanation: str
    fix: str


REGISTRY: dict[str, Code] = {}
"""Every registered code → its record, in the order the tables were registered."""


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as ``path:line:col: CODE severity field: message. Fix: fix``."""

    path: str  # as shown to contributors: relative, forward slashes
    line: int  # 1-based
    col: int  # 1-based
    code: str  # a registered code
    message: str  # what was expected and what was found, no final full stop
    field: str = ""  # the key or setting concerned, dotted for nested keys; "" for none
    fix: str = ""  # a concrete action, no final full stop; "" when the message says it

    @property
    def severity(self) -> str:
        return REGISTRY[self.code].severity

    @property
    def title(self) -> str:
        return REGISTRY[self.code].title

    def __str__(self) -> str:
        return report.line(self)


class ProblemFactory(Protocol):
    def __call__(self, path: str, line: int, col: int, code: str, message: str, *, field: str = "",
                 fix: str = "") -> Problem: ...


def register(table: Iterable[Code]) -> ProblemFactory:
    """Add a feature's codes to the registry and return its problem factory, which accepts only
    the codes of that table. Registering the same record again (a module reloaded) is harmless; a
    code given another meaning is a programming error."""
    codes = tuple(table)
    for entry in codes:
        known = REGISTRY.setdefault(entry.code, entry)
        if known != entry:
            raise ValueError(f"problem code {entry.code} is registered twice with different meanings")
    own = frozenset(entry.code for entry in codes)

    def problem(path: str, line: int, col: int, code: str, message: str, *, field: str = "",
                fix: str = "") -> Problem:
        if code not in own:
            raise KeyError(f"{code} is not one of this check's codes")
        return Problem(path, line, col, code, message, field, fix)

    return problem


def prefixes() -> dict[str, list[Code]]:
    """The registered codes grouped by prefix (``FM``, ``CIT``...), each group in code order."""
    groups: dict[str, list[Code]] = {}
    for entry in sorted(REGISTRY.values()):
        groups.setdefault(entry.code.rstrip("0123456789"), []).append(entry)
    return groups
