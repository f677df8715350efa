"""``python -m kb.frontmatter [paths...] [--format text|github|json] [--today YYYY-MM-DD]``

Checks the front matter of the given Markdown files, and of the pages under the given folders (found
as MkDocs finds pages), against the contract; for the whole site with its navigation, run
``python -m kb.check``. Exit status: 0 nothing failing (notices allowed), 1 errors or warnings,
2 usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from kb.core import pages, report
from kb.core.cli import date_argument
from kb.core.site import Site, SiteError, load

from .validate import TAGS_FILE, check


def collect(paths: list[Path]) -> list[tuple[Path, str]]:
    """Markdown files under ``paths`` in a stable order; a missing path is a usage error."""
    files: dict[Path, str] = {}
    for path in paths:
        if path.is_dir():
            found = [path / src for src in pages.markdown_pages(path)]
        elif path.is_file():
            found = [path]
        else:
            raise FileNotFoundError(str(path))
        for file in found:
            files.setdefault(file.resolve(), Site.shown_from(file, Path.cwd()))
    return list(files.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kb.frontmatter",
        description="Check the front matter of Markdown pages against schema/frontmatter.schema.json.",
        epilog="Exit status: 0 nothing failing, 1 errors or warnings, 2 usage error.")
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("docs")],
                        help="Markdown files or folders (default: docs)")
    parser.add_argument("--format", choices=sorted(report.FORMATS), default="text",
                        help="text for people (default), github for Actions annotations, json for tools")
    parser.add_argument("--tags", type=Path, default=TAGS_FILE, help="tag vocabulary (default: data/tags.yml)")
    parser.add_argument("--today", type=date_argument, default=None,
                        help="check review dates as of this day, YYYY-MM-DD (default: today)")
    args = parser.parse_args(argv)
    try:
        files = collect(args.paths)
    except FileNotFoundError as missing:
        parser.exit(2, f"{parser.prog}: error: no such file or folder: {missing}\n")
    if not files:
        parser.exit(2, f"{parser.prog}: error: no Markdown files under {', '.join(map(str, args.paths))}\n")
    try:  # the site of the working folder, if it has one: templates, icons and statuses are its theme's
        site = load(Path.cwd())
    except SiteError:
        site = None
    result = check(files, tags_file=args.tags, tags_display=Site.shown_from(args.tags, Path.cwd()),
                   today=args.today or dt.date.today(), site=site)
    counts = {"files checked": len(files)}
    if result.problems:
        counts["with problems"] = len({problem.path for problem in result.problems})
    outcome = [report.CheckResult("front matter", tuple(result.problems), counts)]
    sys.stdout.write(report.FORMATS[args.format](outcome))
    return report.status(outcome)


if __name__ == "__main__":
    sys.exit(main())
