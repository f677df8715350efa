"""HTML safety: dangerous HTML in Markdown sources (with line and column) and in the built site.

Pages come from pull requests, so their HTML is untrusted: a ``<svg onload=...>`` or a
``style=`` overlay could rewrite the crisis-line links on every page. :func:`check_sources` limits
a Markdown file's raw HTML, attribute lists (``{: ... }``) and link targets to allow-lists, and
:func:`check_built_site` is the last check over the built pages, theme included: no event
handlers, no ``javascript:``/``data:``/``vbscript:`` URLs, only same-site or reviewed inline
scripts, nothing that embeds another document. A sanitiser such as nh3 only returns cleaned HTML,
while a contributor must be told what is wrong and where, so the check reports each finding with
its line and column.

The package, one concern a module (data flows down the list):

- :mod:`~kb.html_safety.codes`: the problem codes, each with its explanation and fix;
- :mod:`~kb.html_safety.policy`: allow-lists, advice texts and URL-scheme rules;
- :mod:`~kb.html_safety.parse`: HTML read as a browser reads it, with positions;
- :mod:`~kb.html_safety.csp`: the Content-Security-Policy and the reviewed theme scripts (also used
  by hooks/csp.py);
- :mod:`~kb.html_safety.source`: one Markdown file, the source pass and the rendered pass;
- :mod:`~kb.html_safety.built`: built pages and their inline-script hashes.

:func:`check_sources` is the check ``make check`` and the build run (pages, includes, glossary).
Command line: ``python -m kb.html_safety [paths ...]`` checks Markdown files and folders
(default: the site of ./mkdocs.yml) and the files they include with ``--8<--``;
``python -m kb.html_safety --built site`` checks a built site: the only inline scripts allowed are
the theme's, of the reviewed list kb/csp-theme-scripts.txt, every page must carry exactly the
site's Content-Security-Policy for them (never trusted from the page), and nothing may be loaded
from another host; ``--offline`` checks the offline copy, which has no policy.
``--theme-scripts SITE_DIR`` prints the reviewed list for a site of empty pages (``make
csp-scripts``). Exit 0 (clean), 1 (problems) or 2 (bad usage).
"""
from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Sequence

from kb.core import report
from kb.core.site import SiteError, load
from kb.html_safety.built import check_built_html, check_built_site, inline_script_hashes, site_files, theme_scripts
from kb.html_safety.parse import read_text
from kb.html_safety.source import check_files, check_markdown, check_sources

__all__ = [
    "check_built_html", "check_built_site", "check_files", "check_markdown", "check_sources", "inline_script_hashes",
    "main", "read_text", "site_files", "theme_scripts",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.html_safety",
                                     description="Find dangerous HTML in Markdown sources or in a built site.")
    parser.add_argument("paths", nargs="*", type=pathlib.Path,
                        help="Markdown files or folders (default: docs and includes)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--built", type=pathlib.Path, metavar="SITE_DIR", help="check a built site instead")
    mode.add_argument("--theme-scripts", type=pathlib.Path, metavar="SITE_DIR",
                      help="print the reviewed list kb/csp-theme-scripts.txt for a site built from empty pages "
                           "(make csp-scripts)")
    parser.add_argument("--offline", action="store_true",
                        help="with --built: the offline copy, which has no Content-Security-Policy")
    parser.add_argument("--format", choices=tuple(report.FORMATS), default="text")
    args = parser.parse_args(argv)
    site = args.built or args.theme_scripts
    if site is not None and (args.paths or not site.is_dir()):
        print(f"{site}: not a folder" if not site.is_dir() else "give either paths or a site, not both",
              file=sys.stderr)
        return 2
    if args.offline and not args.built:
        print("--offline goes with --built", file=sys.stderr)
        return 2
    if args.theme_scripts:
        sys.stdout.write(theme_scripts(args.theme_scripts))
        return 0
    if args.built:
        problems = check_built_site(args.built, offline=args.offline)
        counts = {"pages checked": len(site_files(args.built))}
        label = "html (offline copy)" if args.offline else "html (built site)"
    elif args.paths:
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            print(f"{missing[0]}: no such file or folder", file=sys.stderr)
            return 2
        problems, checked = check_files(args.paths)
        counts = {"files checked": checked}
        label = "html"
    else:
        try:
            result = check_sources(load("."))
        except SiteError as error:
            print(f"{parser.prog}: error: {error}", file=sys.stderr)
            return 2
        problems, counts, label = list(result.problems), result.counts, result.label
    results = [report.CheckResult(label, tuple(problems), counts)]
    sys.stdout.write(report.FORMATS[args.format](results))
    return report.status(results)
