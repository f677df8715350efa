"""The files a page can pull in: includes only from the snippets folder, and no symbolic links.

Pages include files with pymdownx.snippets (``--8<-- "file"``); mkdocs.yml limits it to its
``base_path`` (``includes/``), with no downloads. :func:`check_site` reports, with file and line,
what the build would refuse with a traceback or what would publish a file from outside the content:

- CNT001: a symbolic link in a content folder (pages, includes, data, theme overrides): links are
  never followed; a link under ``docs/`` would be published as a copy of whatever it points at;
- CNT002: an include that names an address, an absolute path, a path out of the snippets folder,
  or a file that is not there;
- CNT003: front matter in an included file (it would land in the middle of the page, unchecked).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path

from kb import pages
from kb.bibliography import Problem
from kb.citations import mask_code
from kb.report import CheckResult
from kb.site import Site

CODES: dict[str, tuple[str, str]] = {
    "CNT001": ("error", "symbolic link in a content folder"),
    "CNT002": ("error", "include from outside the snippets folder"),
    "CNT003": ("error", "front matter in an included file"),
}
_problem = functools.partial(Problem.coded, CODES)

_SNIPPET_LINE = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]+(?P<quote>[\"']?)(?P<target>[^\"'\n]+?)(?P=quote)[ \t]*$", re.M)
_SNIPPET_BLOCK = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]*\n(?P<targets>(?:.*\n)*?)[ \t]*-{1,}8<-{1,}[ \t]*$", re.M)
_LINE_RANGE = re.compile(r"(?::-?\d*)+$")


@dataclasses.dataclass(frozen=True)
class Reference:
    target: str  # as written, without a :start:end line range
    offset: int  # where it is written in the text


def references(text: str) -> list[Reference]:
    """The files a Markdown text includes (``--8<-- "file"`` lines and ``--8<--`` blocks), outside code;
    a line starting with ``;`` is an escaped one and includes nothing."""
    masked = mask_code(text, front_matter=True)
    found = [Reference(_LINE_RANGE.sub("", m.group("target").strip()), m.start("target"))
             for m in _SNIPPET_LINE.finditer(masked)]
    for m in _SNIPPET_BLOCK.finditer(masked):
        at = m.start("targets")
        for line in m.group("targets").splitlines(keepends=True):
            if line.strip() and not line.strip().startswith(";"):
                found.append(Reference(_LINE_RANGE.sub("", line.strip()), at + len(line) - len(line.lstrip())))
            at += len(line)
    return sorted(found, key=lambda r: r.offset)


def _position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _links(folder: Path) -> Iterator[Path]:
    for root, folders, names in os.walk(folder):  # not followed: a linked folder is reported, not entered
        for name in sorted(folders + names):
            if os.path.islink(os.path.join(root, name)):
                yield Path(root, name)


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


def _bases(site: Site) -> str:
    return " or ".join(f"{site.shown(base)}/" for base in site.snippet_bases) or "the snippets folder (none is set)"


def check_site(site: Site, today: dt.date) -> CheckResult:
    problems: list[Problem] = []
    folders = [site.docs_dir, *site.snippet_bases, site.root / "data"]
    folders += [site.custom_dir] if site.custom_dir is not None else []
    for folder in dict.fromkeys(f for f in folders if f.is_dir()):
        for link in _links(folder):
            problems.append(_problem(site.shown(link), 1, 1, "CNT001",
                                     f"a symbolic link (to {os.readlink(link)}); links are not followed or "
                                     "published: put the file itself here, or remove the link"))
    sources = [site.page_path(src) for src in site.pages()]
    includes = sorted(p for base in site.snippet_bases if base.is_dir() for p in base.rglob("*")
                      if p.is_file() and not p.is_symlink())
    checked = 0
    for path in dict.fromkeys(sources + includes):
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        except (OSError, UnicodeDecodeError):
            continue  # reported by the front matter and HTML checks
        checked += 1
        for reference in references(text):
            why = _reference_problem(site, reference.target)
            if why:
                problems.append(_problem(site.shown(path), *_position(text, reference.offset), "CNT002",
                                         why + "; fix the --8<-- line"))
        if path in includes and pages.split_front_matter(text).block is not None:
            problems.append(_problem(site.shown(path), 1, 1, "CNT003",
                                     "an included file has front matter, which would land in the page that includes "
                                     "it unchecked: remove the block (the including page has its own)"))
    return CheckResult("content files", tuple(sorted(problems)), {"files checked": checked})
