"""``python -m kb.check [PROJECT] [--only NAME ...] [--format text|github|json] [--today YYYY-MM-DD]``

Every content check of a site in one run (``make check``; the build's check hook runs the same
:func:`run`), so a front matter error does not hide a citation problem: front matter, citations,
glossary, reading level, HTML safety, includes and links, crisis numbers, the other files of the docs
folder and the trial results. PROJECT is the folder of mkdocs.yml (default: the working folder) or the
file itself. Exit status: 0 nothing failing (notices allowed), 1 errors or warnings, 2 usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kb import (
    bounds,
    citations,
    configuration,
    content_files,
    crisis,
    glossary,
    html_safety,
    readability,
    static_files,
    trials,
)
from kb.core import report
from kb.core.cli import date_argument
from kb.core.report import CheckResult
from kb.core.site import ConfigError, Site, SiteError, load
from kb.frontmatter import validate as frontmatter

CHECKS: dict[str, Callable[[Site, dt.date], CheckResult]] = {
    "configuration": configuration.check_site,
    "size and nesting": bounds.check_site,
    "front matter": frontmatter.check_site,
    "citations": citations.check_site,
    "glossary": glossary.check_site,
    "readability": readability.check_site,
    "html": html_safety.check_sources,
    "content files": content_files.check_site,
    "static files": static_files.check_site,
    "crisis numbers": crisis.check_site,
    "trials": trials.check_site,
}
"""Name → check, in the order they run and report."""


UNSAFE_CONFIGURATION = frozenset({"CFG003", "CFG004"})
"""Configuration problems after which the other checks would read outside the content (a snippets
folder or content folder elsewhere on the disk): they do not run until it is fixed."""


READ_ANY_SIZE = frozenset({"front matter", "content files"})
"""Checks whose reading is bounded on its own (front matter has its limits, includes are found line by
line): they read every page; the others skip those past the size and nesting limits."""


def run(site: Site, today: dt.date | None = None, only: Sequence[str] = ()) -> list[CheckResult]:
    """Every check (or those of ``only``). The configuration is checked first; files past the size and
    nesting limits are then set aside, so no other check hands them to Python-Markdown."""
    day = today or dt.date.today()
    configured = CHECKS["configuration"](site, day)
    if any(problem.code in UNSAFE_CONFIGURATION for problem in configured.problems):
        return [configured]
    sized = CHECKS["size and nesting"](site, day)
    bounded = bounds.set_aside(site, sized)
    done = {"configuration": configured, "size and nesting": sized}
    return [done[name] if name in done else check(site if name in READ_ANY_SIZE else bounded, day)
            for name, check in CHECKS.items() if not only or name in only]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.check", description=__doc__.splitlines()[2].strip(),
                                     epilog="Exit status: 0 nothing failing, 1 errors or warnings, 2 usage error.")
    parser.add_argument("project", nargs="?", default=".", type=Path,
                        help="the folder of mkdocs.yml, or the file (default: .)")
    parser.add_argument("--only", action="append", choices=list(CHECKS), default=[],
                        help="run only this check (repeatable)")
    parser.add_argument("--format", choices=sorted(report.FORMATS), default="text")
    parser.add_argument("--today", type=date_argument, default=None,
                        help="check review dates as of this day (default: today)")
    args = parser.parse_args(argv)
    try:
        site = load(args.project)
    except ConfigError as error:  # a problem of mkdocs.yml with its place: reported like any other
        sys.stdout.write(f"{error}\nconfiguration: 1 error (no other check ran: fix it first)\n")
        return 1
    except SiteError as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    results = run(site, args.today, args.only)
    sys.stdout.write(report.FORMATS[args.format](results))
    return report.status(results)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        sys.exit(1)
