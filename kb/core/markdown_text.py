"""Small text helpers every feature shares: masking what is not prose, line ends, positions,
escaping, links between pages, a URL's scheme as a browser reads it, the abbreviations of a
glossary file, "did you mean", clipping and quoting a value in a message, and spoken dates.

They know Markdown and HTML as text only: no feature, no Python-Markdown instance.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import html
import posixpath
import re
from collections.abc import Iterable

from kb.core import pages

_FENCE_OPEN = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_NOT_NEWLINE = re.compile(r"[^\n]")


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR as LF, as MkDocs reads a page."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text`` (LF line ends)."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def blank(text: str, start: int = 0, end: int | None = None) -> str:
    """``text`` with ``text[start:end]`` replaced by spaces, newlines kept, so offsets still match."""
    end = len(text) if end is None else end
    return text[:start] + _NOT_NEWLINE.sub(" ", text[start:end]) + text[end:]


def blank_matches(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with every match of ``pattern`` blanked as by :func:`blank`, in one pass."""
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(text[pos:m.start()])
        out.append(_NOT_NEWLINE.sub(" ", m.group(0)))
        pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _blank_fences(text: str) -> str:
    """``text`` with every fenced code block, fences included, blanked."""
    out, fence = [], None
    for line in text.splitlines(keepends=True):
        if fence is None:
            m = _FENCE_OPEN.match(line)
            if m:
                fence = m.group("fence")
                out.append(_NOT_NEWLINE.sub(" ", line))
            else:
                out.append(line)
        else:
            stripped = line.strip().lstrip(">").strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                fence = None
            out.append(_NOT_NEWLINE.sub(" ", line))
    return "".join(out)


def mask_code(text: str, front_matter: bool = False) -> str:
    """Blank out what is not prose: front matter, fenced code, inline code, HTML comments.

    Each step runs only when its marker is in the text (a fence needs three backticks or tildes,
    a comment ``<!--``, inline code a backtick): without it the step would change nothing.
    """
    if front_matter and (split := pages.split_front_matter(text)).block is not None:
        text = blank(text, 0, len(text) - len(split.body))
    if "```" in text or "~~~" in text:
        text = _blank_fences(text)
    if "<!--" in text:
        text = blank_matches(text, _HTML_COMMENT)
    if "`" in text:
        text = blank_matches(text, _INLINE_CODE)
    return text


_CODE_SPAN = re.compile(r"(`[^`]*`)")


def escape_markdown(text: str, *, extra: str = "", code_spans: bool = False) -> str:
    """Text as Markdown that shows it as written: ``&``, ``<`` and ``>`` as character references
    (Markdown has no backslash escape for ``<``, and raw HTML would pass through), and Markdown's
    own characters (``\\ ` * _ [ ]``) escaped. ``extra`` adds the characters special where the text
    goes (``|`` in a table; ``{}#|!`` for any contributor text in a notice). With ``code_spans``,
    `code spans` are kept as code."""
    special = re.compile("([" + re.escape("\\`*_[]" + extra) + "])")

    def one(part: str) -> str:
        return special.sub(r"\\\1", html.escape(part, quote=False))

    if not code_spans:
        return one(text)
    parts = _CODE_SPAN.split(text)
    return "".join(part if n % 2 else one(part) for n, part in enumerate(parts))


@functools.lru_cache(maxsize=4096)
def relative_link(target: str, source: str) -> str:
    """Relative Markdown link from page ``source`` to page ``target`` (both docs-relative POSIX paths)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


_C0_OR_SPACE = "".join(map(chr, range(0x21)))
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser takes from ``url`` (lowercase), or None for a relative URL.

    As the WHATWG URL parser: leading and trailing C0 controls and spaces are dropped and tabs
    and newlines removed wherever they are, so ``" java\\tscript:"`` is ``javascript``.
    Character references must already be decoded (an HTML parser does that for attributes).
    """
    m = _SCHEME.match(TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE)))
    return m.group(1).lower() if m else None


def is_same_site_path(url: str) -> bool:
    """A URL with no scheme and no host: not ``//host/...`` (nor ``/\\host``, which browsers read
    the same way)."""
    cleaned = TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE))
    return url_scheme(cleaned) is None and not re.match(r"[/\\]{2}", cleaned)


ABBREVIATION = re.compile(r"^\*\[(?P<term>[^\]]+)\]:[ \t]*(?P<definition>.*?)[ \t]*$")
"""A line defining an abbreviation, ``*[TERM]: definition`` (Python-Markdown's ``abbr``)."""


def abbreviations(text: str) -> dict[str, tuple[str, int]]:
    """Term → (definition, line) of the abbreviations a glossary file gives Python-Markdown: every
    line with a definition, in code and comments too, the first of two definitions of a term."""
    found: dict[str, tuple[str, int]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if (m := ABBREVIATION.match(line)) and m.group("definition"):
            found.setdefault(m.group("term").strip(), (m.group("definition"), n))
    return found


def suggest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to ``word``, ignoring case (``None`` if none is close): "did you mean"."""
    lowered = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[close[0]] if close else None


def clip(text: str, limit: int = 60) -> str:
    """A value quoted in a message, cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: str, limit: int = 60) -> str:
    """A value in a message: cut by :func:`clip`, in single quotes, escaped to printable ASCII (``'9\\u200b8'``)."""
    return "'" + clip(value, limit).encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def spoken_date(day: dt.date) -> str:
    """``5 January 2027``: a date as readers say it, the same in every language setting."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
