"""``python -m kb.frontmatter [paths...] [--format text|github|json]``

Checks the front matter of every Markdown file under the given paths (default: docs).
Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from kb import report
from kb.paths import display

from .validate import TAGS_FILE, check


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def collect(paths: list[Path]) -> list[tuple[Path, str]]:
    """Markdown files under ``paths`` in a stable order; a missing path is a usage error."""
    files: dict[Path, str] = {}
    for path in paths:
        if path.is_dir():
            found = sorted(candidate for candidate in path.rglob("*.md") if candidate.is_file())
        elif path.is_file():
            found = [path]
        else:
            raise FileNotFoundError(str(path))
        for file in found:
            files.setdefault(file.resolve(), display(file))
    return [(file, shown) for file, shown in files.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kb.frontmatter",
        description="Check the front matter of Markdown pages against schema/frontmatter.schema.json.",
        epilog="Exit status: 0 no errors, 1 errors found, 2 usage error.")
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("docs")],
                        help="Markdown files or folders (default: docs)")
    parser.add_argument("--format", choices=sorted(report.FORMATS), default="text",
                        help="text for people (default), github for Actions annotations, json for tools")
    parser.add_argument("--tags", type=Path, default=TAGS_FILE, help="tag vocabulary (default: data/tags.yml)")
    parser.add_argument("--today", type=_date, default=None,
                        help="check review dates as of this day, YYYY-MM-DD (default: today)")
    args = parser.parse_args(argv)
    try:
        files = collect(args.paths)
    except FileNotFoundError as missing:
        parser.exit(2, f"{parser.prog}: error: no such file or folder: {missing}\n")
    if not files:
        parser.exit(2, f"{parser.prog}: error: no Markdown files under {', '.join(map(str, args.paths))}\n")
    result = check(files, tags_file=args.tags, tags_display=display(args.tags), today=args.today)
    counts = {"files checked": len(files)}
    if result.problems:
        counts["with problems"] = len({problem.path for problem in result.problems})
    sys.stdout.write(report.FORMATS[args.format](result.problems, "front matter", counts))
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
