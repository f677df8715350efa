"""Whitespace checks for text files: ``python -m kb.whitespace [--fix] FILE...``.

Used by the pre-commit hooks, so they need no network. Reports, with file:line:col,
trailing spaces or tabs, a missing newline at the end of the file, blank lines piled up at
the end, and Windows (CRLF) line endings. ``--fix`` repairs them in place. Exit status:
0 clean (or all fixed), 1 problems found, 2 usage error.
"""
from __future__ import annotations

import argparse
import dataclasses
import pathlib
import re
import sys

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
TRAILING = re.compile(r"[ \t]+$")


@dataclasses.dataclass(frozen=True)
class Problem:
    line: int
    col: int
    message: str


def check(text: str) -> list[Problem]:
    problems = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if line.endswith("\r"):
            problems.append(Problem(number, len(line), "Windows line ending (CRLF); use LF"))
            line = line[:-1]
        match = TRAILING.search(line)
        if match:
            problems.append(Problem(number, match.start() + 1, "trailing whitespace; delete it (for a line break in Markdown end the line with a backslash)"))
    if text and not text.endswith("\n"):
        problems.append(Problem(len(lines), len(lines[-1]) + 1, "no newline at the end of the file"))
    elif text.endswith("\n\n"):
        problems.append(Problem(len(text.rstrip("\r\n").split("\n")) + 1, 1, "blank lines at the end of the file"))
    return problems


def fix(text: str) -> str:
    lines = [TRAILING.sub("", line.rstrip("\r")) for line in text.split("\n")]
    fixed = "\n".join(lines).rstrip("\n")
    return fixed + "\n" if fixed else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.whitespace", description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="repair the files in place")
    parser.add_argument("files", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)
    status = EXIT_OK
    for path in args.files:
        try:
            raw = path.read_bytes()
        except OSError as error:
            print(f"{path}: cannot read: {error.strerror}", file=sys.stderr)
            return EXIT_USAGE
        if b"\0" in raw:
            continue  # binary
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            print(f"{path}: not UTF-8 (byte {error.start}); save it as UTF-8", file=sys.stderr)
            status = EXIT_PROBLEMS
            continue
        problems = check(text)
        if not problems:
            continue
        if args.fix:
            path.write_bytes(fix(text).encode("utf-8"))
            print(f"{path}: fixed {len(problems)} whitespace problem(s)")
            continue
        status = EXIT_PROBLEMS
        for problem in problems:
            print(f"{path}:{problem.line}:{problem.col}: {problem.message}")
    return status


if __name__ == "__main__":
    sys.exit(main())
