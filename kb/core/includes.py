"""The files a page includes with pymdownx.snippets, read by the extension's own rules.

:func:`references` finds a text's includes (``--8<-- "file"`` lines and ``--8<--`` blocks);
:func:`expand` gives a page as the build reads it, its includes expanded with mkdocs.yml's options
(the extension's path parsing and base-path lookup), and the file and line each line comes from, so
the HTML check reports what it finds where it is written. An include the checks refuse is left out
and handed back with the code and message :mod:`kb.content_files` reports it with.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown

from kb.core import pages
from kb.core.markdown_text import normalize_newlines
from kb.core.site import Site


def references(text: str) -> list[str]:
    """The files a Markdown text includes, as written without a ``:start:end`` line range, read with
    pymdownx.snippets' own patterns (``--8<-- "file"`` lines and ``--8<--`` blocks, in code too: the
    extension expands them there as well); an escaped line (``;--8<--``) or a block line starting
    with ``;`` includes nothing."""
    pre = _preprocessor(None)
    found = []
    for _, kind, value, _, _ in _read_lines(pre, text.split("\n")):
        if kind == "include":
            parsed = pre.parse_snippet_target(value)
            found.append(parsed["path"] if parsed else value)
    return found


def _read_lines(pre: Any, lines: list[str]) -> Iterator[tuple[int, str, str, int, str]]:
    """pymdownx.snippets' reading of ``lines`` (its ``parse_snippets``, without reading files):
    ``(index, "text", line, 0, "")`` for a line of content, ``(index, "include", target, column,
    space)`` for an include."""
    block = False
    for index, line in enumerate(lines):
        inline = False
        m = pre.RE_ALL_SNIPPETS.match(line)
        if m:
            if m.group("escape"):
                yield index, "text", line.replace(";", "", 1), 0, ""
                continue
            if block and m.group("inline_marker"):
                continue
            elif m.group("inline_marker"):
                inline = True
            else:
                block = not block
                continue
        elif not block:
            section = pre.match_section(line)
            if section is not None and section.group("escape"):
                line = (section.group("pre") + section.group("escape").replace(";", "", 1)
                        + section.group("inline_marker") + section.group("section") + section.group("post"))
                section = None
            if section is None:
                yield index, "text", line, 0, ""
            continue
        if block and not inline:
            m = pre.RE_SNIPPET.match(line)
        if not m:
            continue
        space = m.group("space").expandtabs(pre.tab_length)
        raw = m.group("snippet")[1:-1] if inline else m.group("snippet")
        target = raw.strip()
        column = m.start("snippet") + (1 if inline else 0) + len(raw) - len(raw.lstrip())
        if not inline and not target:
            yield index, "text", "", 0, ""
        elif not target.startswith(";"):
            yield index, "include", target, column, space


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")
MAX_INCLUDE_DEPTH = 8
SNIPPET_OPTIONS = ("base_path", "restrict_base_path", "check_paths", "encoding")
"""The options of mkdocs.yml the checks pass on to pymdownx.snippets; downloads and auto_append are
refused by the configuration check and never done by a check."""


@functools.lru_cache(maxsize=4)
def _snippets(bases: tuple[str, ...], options: tuple[tuple[str, Any], ...]) -> Any:
    config = {**dict(options), "base_path": list(bases), "url_download": False, "auto_append": []}
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": config})
    return md.preprocessors["snippet"]


def _preprocessor(site: Site | None) -> Any:
    """pymdownx.snippets' preprocessor with the site's options (its patterns and file lookup)."""
    if site is None or site.snippets is None:
        return _snippets((), ())
    options = tuple((key, site.snippets[key]) for key in SNIPPET_OPTIONS[1:]
                    if key in site.snippets and isinstance(site.snippets[key], (str, bool)))
    pre = _snippets(tuple(str(base.resolve()) for base in site.snippet_bases), options)
    pre.bases = None  # looked up again: folders may appear between runs
    return pre


def _reference_problem(site: Site, target: str) -> str | None:
    """Why an include cannot be allowed, or None."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", target):
        return f"'{target}' is an address: includes are files of {_bases(site)}, never downloads"
    if os.path.isabs(target) or target.startswith("~"):
        return f"'{target}' is an absolute path: name a file of {_bases(site)} relative to it"
    for base in site.snippet_bases:
        candidate = base / target
        if not (base.resolve() / target).resolve().is_relative_to(base.resolve()):
            return f"'{target}' leads out of {_bases(site)}"
        if candidate.is_file():
            return None
    return f"'{target}' is not a file of {_bases(site)}"


def _include(site: Site, pre: Any, target: str) -> tuple[str, str | None, Path | None]:
    """(code, why, file) for an include as written: ``why`` None and the file to read when allowed."""
    parsed = pre.parse_snippet_target(target)
    path = parsed["path"] if parsed else ""
    if parsed and (parsed["start"] or parsed["section"]):
        return "CNT004", (f"'{target}' includes part of {path} (a line range or section), which can cut a comment, "
                          "a code span or a tag open; include the whole file: put the part in a file of its own"), None
    why = _reference_problem(site, path) if path else f"'{target}' names no file"
    if why:
        return "CNT002", why, None
    if not _PLAIN_NAME.fullmatch(path):
        return "CNT004", (f"'{target}': names of included files are letters, digits, '-', '_' and '.' in "
                          "folders separated by '/'; rename the file"), None
    if not path.endswith(".md"):
        return "CNT004", (f"'{target}' is not a Markdown file (.md): only Markdown files are included, and "
                          "checked, as part of the page; use a .md file of " + _bases(site)), None
    found = pre.get_snippet_path(path)
    if found is None or not os.path.isfile(found):
        return "CNT002", f"'{target}' is not a file of {_bases(site)}", None
    if os.path.realpath(found) != os.path.abspath(found):
        return "CNT001", f"'{target}' goes through a symbolic link; put the file itself in {_bases(site)}", None
    return "", None, Path(found)


def _bases(site: Site) -> str:
    return " or ".join(f"{site.shown(base)}/" for base in site.snippet_bases) or "the snippets folder (none is set)"


@dataclasses.dataclass(frozen=True)
class Origin:
    path: Path  # the file a line of an expanded page comes from
    line: int
    indent: int  # columns put before it by the --8<-- line's indentation


@dataclasses.dataclass
class Expanded:
    """A page as the build reads it: its lines with includes expanded, each line's origin, and the
    includes left out, at their --8<-- lines: (file as shown, line, column, code, message)."""

    text: str
    origins: list[Origin]
    refused: list[tuple[str, int, int, str, str]]

    def place(self, line: int, col: int) -> tuple[Path, int, int]:
        """Where a line and column of :attr:`text` is written."""
        origin = self.origins[min(max(line, 1), len(self.origins)) - 1] if self.origins else Origin(Path(), 1, 0)
        return origin.path, origin.line, max(col - origin.indent, 1)


def expand(site: Site, path: Path, text: str) -> Expanded:
    """``text`` (the file at ``path``, newlines LF) with its includes expanded as pymdownx.snippets
    expands them (front matter left as it is: MkDocs removes it before the extension runs).
    Includes the checks refuse are left out and handed back in :attr:`Expanded.refused`; an include
    of a file being expanded is skipped, as the extension skips it."""
    pre = _preprocessor(site)
    out: list[str] = []
    origins: list[Origin] = []
    refused: list[tuple[str, int, int, str, str]] = []
    head = len(text) - len(pages.split_front_matter(text).body) if path.suffix in pages.MARKDOWN_SUFFIXES else 0
    head_lines = text[:head].count("\n")
    lines = text.split("\n")
    for number, line in enumerate(lines[:head_lines], 1):
        out.append(line)
        origins.append(Origin(path, number, 0))

    def walk(lines: list[str], file: Path, first: int, prefix: str, seen: tuple[Path, ...]) -> None:
        for index, kind, value, column, space in _read_lines(pre, lines):
            number = first + index
            if kind == "text":
                out.append(prefix + value)
                origins.append(Origin(file, number, len(prefix)))
                continue
            code, why, included = _include(site, pre, value)
            if why or included is None:
                refused.append((site.shown(file), number, column + 1, code or "CNT002",
                                (why or "not found") + "; fix the --8<-- line"))
                continue
            if included.resolve() in seen or site.shown(included) in site.set_aside:
                continue
            if len(seen) > MAX_INCLUDE_DEPTH:
                refused.append((site.shown(file), number, column + 1, "CNT004",
                                f"includes nested more than {MAX_INCLUDE_DEPTH} deep; include fewer levels"))
                continue
            try:
                body = normalize_newlines(included.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError):
                continue  # the include is checked, and reported, as a file of its own
            walk(body.split("\n") if body else [], included, 1, prefix + space, (*seen, included.resolve()))

    walk(lines[head_lines:], path, head_lines + 1, "", (path.resolve(),))
    return Expanded("\n".join(out), origins, refused)
