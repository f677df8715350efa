"""``[@key]`` in Markdown → citations with line, column and span.

Pages cite pandoc style, ``[@feder2021]`` or ``[@feder2021; @abdallah2022]``. :func:`find_citations`
returns every citation with its line and column, skipping fenced code blocks, inline code, HTML
comments and the front matter, and says why a bracket that looks like a citation cannot be read.
"""
from __future__ import annotations

import dataclasses
import re

from kb.core.markdown_text import mask_code

# A candidate is any bracket that opens with "@" (it may wrap onto following lines of the same
# paragraph) and is not a link ``[@x](url)`` / ``[@x][ref]`` or a link definition ``[@x]: url``.
_CANDIDATE = re.compile(r"\[@(?P<body>[^\[\]]*)\](?![(\[])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINK_DEFINITION_START = re.compile(r"[ ]{0,3}")
_KEY = re.compile(r"\s*@(?P<key>[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*)\s*")


@dataclasses.dataclass(frozen=True)
class Citation:
    """One ``[@a; @b]`` occurrence: 1-based line/col of its ``[``, and its character span."""

    line: int
    col: int
    start: int
    end: int
    keys: tuple[str, ...]
    malformed: str | None = None  # why it could not be parsed; keys is then empty


def _parse_body(body: str) -> tuple[tuple[str, ...], str | None]:
    parts = body.split(";")
    keys = []
    for n, part in enumerate(parts):
        text = part if n else "@" + part
        m = _KEY.fullmatch(text)
        if not m:
            hint = " (separate keys with ';')" if "," in part or re.search(r"@\S+\s+@", text) else ""
            return (), f"cannot read '[@{body}]': write [@key] or [@key1; @key2]{hint}"
        keys.append(m.group("key"))
    return tuple(keys), None


def find_citations(text: str, front_matter: bool = False) -> list[Citation]:
    """Every citation of a Markdown text, in order, outside code and comments."""
    if "[@" not in text:  # masking only blanks characters: no "[@" here, none in the masked text
        return []
    masked = mask_code(text, front_matter=front_matter)
    found = []
    line, counted = 1, 0  # line of position `counted`
    for m in _CANDIDATE.finditer(masked):
        line_start = masked.rfind("\n", 0, m.start()) + 1
        if masked.startswith(":", m.end()) and _LINK_DEFINITION_START.fullmatch(masked[line_start:m.start()]):
            continue  # "[@x]: url" at the start of a line is a link definition
        if _BLANK_LINE.search(m.group("body")):
            continue  # a paragraph break: not one citation
        keys, why = _parse_body(m.group("body"))
        line, counted = line + masked.count("\n", counted, m.start()), m.start()
        col = m.start() - line_start + 1
        found.append(Citation(line, col, m.start(), m.end(), keys, why))
    return found
