"""The site's pages and their front matter block, found the way MkDocs 1.6 finds them.

Every command and hook asks this module which Markdown files are pages and where a page's front
matter ends, so ``make check`` and the build never look at different files or split a page
differently.

- :func:`markdown_pages`: the Markdown files under the docs folder that MkDocs lists: names starting
  with a dot and a top-level ``templates`` folder are left out, and so is whatever ``exclude_docs``
  (gitignore syntax) names, file by file; of two files of a folder that become the same page
  (``README.md`` and ``index.md``, ``foo.md`` and ``foo.markdown``) the later in MkDocs' order stays.
- :func:`split_front_matter`: a page's text → the YAML block between its fences and the body MkDocs
  renders, with the line on which the body starts (``mkdocs.utils.meta.YAML_RE``, as lines).
- :func:`front_matter`: a page's text → the values of its block, as MkDocs gives them (``page.meta``),
  for features that read a value; the front matter check (:mod:`kb.frontmatter`) reports problems.
"""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any

import pathspec
import yaml

from kb.core import yaml_bounds

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""What MkDocs takes for a Markdown page (``mkdocs.utils.markdown_extensions``)."""

DEFAULT_EXCLUDE = (".*", "/templates/")
"""MkDocs' own exclusions, before ``exclude_docs``."""

OPEN_FENCE = re.compile(r"-{3}[ \t]*")
CLOSE_FENCE = re.compile(r"(?:-{3}|\.{3})[ \t]*")


@dataclasses.dataclass(frozen=True)
class Split:
    """A page's text cut where MkDocs cuts it.

    ``block`` is the YAML between the fences (None when the page does not open with ``---`` or the
    block is never closed by a ``---`` or ``...`` line followed by a line break); ``close_line`` is
    the 1-based line of the closing fence; ``body`` is the text after it without the blank lines that
    follow. Without a block, ``body`` is the whole text.
    """

    block: str | None
    body: str
    close_line: int | None


def split_front_matter(text: str) -> Split:
    """``text`` (line breaks already ``\\n``) → its front matter block and body."""
    if not text.startswith("---"):
        return Split(None, text, None)
    lines = text.split("\n")
    if not OPEN_FENCE.fullmatch(lines[0]):
        return Split(None, text, None)
    # At least one line between the fences, and a line break after the closing one.
    for index in range(2, len(lines) - 1):
        if CLOSE_FENCE.fullmatch(lines[index]):
            rest = lines[index + 1:]
            skipped = 0
            while skipped < len(rest) - 1 and rest[skipped] == "":
                skipped += 1
            return Split("\n".join(lines[1:index]) + "\n", "\n".join(rest[skipped:]), index + 1)
    return Split(None, text, None)


def body_of(text: str) -> str:
    """The Markdown MkDocs renders from a page's source: what follows the front matter."""
    return split_front_matter(text).body


def front_matter(text: str) -> dict[str, Any]:
    """A page's front matter values as MkDocs gives them (PyYAML's safe loader), read within
    :data:`~kb.core.yaml_bounds.FRONT_MATTER`; {} without a block or for one that is not such a mapping."""
    block = split_front_matter(text).block
    try:
        data = yaml_bounds.safe_load(block, yaml_bounds.FRONT_MATTER) if block is not None else None
    except (yaml.YAMLError, yaml_bounds.LimitError, ValueError, OverflowError):
        return {}
    return data if isinstance(data, dict) else {}


def markdown_pages(docs_dir: Path | str, exclude_docs: str | None = None) -> list[str]:
    """Docs-relative paths (forward slashes) of the Markdown pages MkDocs lists, in its order.

    As ``mkdocs.structure.files.get_files``: every file is matched on its own (so ``!drafts/keep.md``
    after ``drafts/`` brings that page back), and of two files of a folder written to the same
    output (``README.md`` and ``index.md``, ``foo.md`` and ``foo.markdown``) the later one in
    MkDocs' order is kept, unless it is excluded."""
    spec = pathspec.GitIgnoreSpec.from_lines([*DEFAULT_EXCLUDE, *(exclude_docs or "").splitlines()])
    found: list[str] = []
    for folder, subfolders, names in os.walk(docs_dir, followlinks=True):
        relative = os.path.relpath(folder, docs_dir)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        subfolders.sort()
        kept: dict[str, str] = {}  # output → the file written there, in MkDocs' order
        for name in sorted(names, key=lambda n: (os.path.splitext(n)[0] not in ("index", "README"), n)):
            src = prefix + name
            if spec.match_file(src):
                continue  # an excluded file gives way to the one before it
            if src.endswith(MARKDOWN_SUFFIXES):
                kept.pop(_output(src), None)
                kept[_output(src)] = src
        found += kept.values()
    return found


def _output(src: str) -> str:
    """The page a Markdown file becomes: its path without suffix, ``README`` read as ``index``."""
    folder, _, name = os.path.splitext(src)[0].rpartition("/")
    return f"{folder}/{'index' if name == 'README' else name}"
