"""One reported problem: where it is, which code, what is wrong and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass

from .codes import BY_CODE


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # as shown to contributors: relative, forward slashes
    line: int  # 1-based line in the file (the opening --- is line 1)
    col: int  # 1-based column
    code: str  # FMnnn from codes.CODES
    field: str  # the key, dotted for nested keys (search.boost), "" for the whole block
    message: str  # what was expected and what was found, no final full stop
    fix: str  # a concrete action, no final full stop

    @property
    def severity(self) -> str:
        return BY_CODE[self.code].severity

    @property
    def title(self) -> str:
        return BY_CODE[self.code].title
