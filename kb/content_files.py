"""The files a page can pull in: includes only from the snippets folder, and no symbolic links.

Pages include files with pymdownx.snippets (``--8<-- "file"``); mkdocs.yml limits it to its
``base_path`` (``includes/``), with no downloads. :func:`check_site` reports, with file and line,
what the build would refuse with a traceback or what would publish a file from outside the content:

- CNT001: a symbolic link in a content folder (pages, includes, data, theme overrides): links are
  never followed; a link under ``docs/`` would be published as a copy of whatever it points at;
- CNT002: an include that names an address, an absolute path, a path out of the snippets folder,
  or a file that is not there;
- CNT003: front matter in an included file (it would land in the middle of the page, unchecked);
- CNT004: an include that is not a whole Markdown file: a line range (``note.md:2:2``) or section
  (``note.md:name``) can cut a comment or a code span open, a name with quotes or other odd
  characters is read differently by people and tools, and a file not ending in ``.md`` is not
  checked as a page.

The includes are read and expanded by :mod:`kb.core.includes`, as pymdownx.snippets reads them.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

from kb.core import pages
from kb.core.includes import expand
from kb.core.markdown_text import normalize_newlines
from kb.core.problems import Code, Problem, register
from kb.core.report import CheckResult
from kb.core.site import Site

CODES: tuple[Code, ...] = (
    Code("CNT001", "symlink", "error", "Symbolic link in a content folder",
         "A symbolic link in docs/, includes/ or data/ could publish or include a file from outside "
         "the repository.",
         "Replace the link with a copy of the file, or remove it."),
    Code("CNT002", "outside_snippets", "error", "Include from outside the snippets folder",
         "An `--8<--` include names a file outside includes/, which could pull any file of the machine "
         "into the page.",
         "Move the shared text into includes/ and include it from there."),
    Code("CNT003", "front_matter", "error", "Front matter in an included file",
         "An included file starts with a front matter block, which would appear as text in the middle"
         " of the page.",
         "Remove the front matter from the included file; only pages have front matter."),
    Code("CNT004", "not_whole_file", "error", "Include is not a whole Markdown file of the snippets folder",
         "`--8<--` must name a .md file of includes/ with a plain name, never a line range or a "
         "section, so the checks see exactly what is included.",
         'Name the whole file, for example `--8<-- "note.md"`, using letters, digits, -, _, . and /.'),
)
_problem = register(CODES)


def _links(folder: Path) -> Iterator[Path]:
    for root, folders, names in os.walk(folder):  # not followed: a linked folder is reported, not entered
        for name in sorted(folders + names):
            if os.path.islink(os.path.join(root, name)):
                yield Path(root, name)


def check_site(site: Site, today: dt.date) -> CheckResult:
    problems: set[Problem] = set()
    for folder in dict.fromkeys(f for f in site.content_folders() if f.is_dir()):
        for link in _links(folder):
            problems.add(_problem(site.shown(link), 1, 1, "CNT001",
                                  f"a symbolic link (to {os.readlink(link)}); links are not followed or "
                                  "published: put the file itself here, or remove the link"))
    sources = [site.page_path(src) for src in site.pages()]
    includes = [p for p in site.include_files() if site.shown(p) not in site.set_aside]
    checked = 0
    for path in dict.fromkeys(sources + includes):
        try:
            text = normalize_newlines(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue  # reported by the front matter and HTML checks
        checked += 1
        problems.update(_problem(*refused) for refused in expand(site, path, text).refused)
        if path in includes and pages.split_front_matter(text).block is not None:
            problems.add(_problem(site.shown(path), 1, 1, "CNT003",
                                  "an included file has front matter, which would land in the page that includes "
                                  "it unchecked: remove the block (the including page has its own)"))
    return CheckResult("content files", tuple(sorted(problems)), {"files checked": checked})
