"""``python -m kb.check [docs] [--format text|github|json]``: every content check in one run.

Runs the front matter, citation, glossary and reading-level checks one after another, so a
front matter error does not hide a citation problem, and exits with the worst status of them
(0 clean, 1 problems, 2 usage error). With ``--format json`` it prints one JSON document holding
each check's own document.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections.abc import Callable, Sequence

from kb import citations, glossary, readability
from kb.frontmatter import __main__ as frontmatter

# name → (main function, formats it speaks); a check asked for a format it lacks prints text.
CHECKS: dict[str, tuple[Callable[[Sequence[str]], int], tuple[str, ...]]] = {
    "front matter": (frontmatter.main, ("text", "github", "json")),
    "citations": (citations.main, ("text", "github", "json")),
    "glossary": (glossary.main, ("text", "github", "json")),
    "readability": (readability.main, ("text", "json")),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.check", description=__doc__.splitlines()[0].split(": ", 1)[1])
    parser.add_argument("docs", nargs="?", default="docs", help="the docs folder (default: docs)")
    parser.add_argument("--format", choices=("text", "github", "json"), default="text")
    args = parser.parse_args(argv)
    worst, documents = 0, {}
    for name, (run, formats) in CHECKS.items():
        fmt = args.format if args.format in formats else "text"
        if args.format != "json":
            worst = max(worst, run([args.docs, "--format", fmt]))
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = run([args.docs, "--format", fmt])
        worst = max(worst, status)
        documents[name] = {"status": status, **json.loads(out.getvalue())}
    if args.format == "json":
        print(json.dumps({"status": worst, "checks": documents}, indent=2, ensure_ascii=False))
    return worst


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        sys.exit(1)
