"""Bounded work: the size and nesting a Markdown file may have before Python-Markdown reads it.

Python-Markdown's time grows with the square of some inputs: every ``[`` that is not closed makes
its link reader scan to the end of the paragraph, so a 60 KB line of brackets takes minutes (and
the build converts each page more than once); lists and quotes nested hundreds deep recurse.
:func:`check_text` measures a file with plain string scans (linear time) and :func:`check_site`
reports, with file and line, every page and include past a limit:

- BND001: the file is larger than :data:`MAX_FILE_BYTES`;
- BND002: a line is longer than :data:`MAX_LINE`, or a paragraph than :data:`MAX_BLOCK`;
- BND003: brackets or parentheses nested deeper than :data:`MAX_NESTING`, or more than
  :data:`MAX_UNCLOSED` left open in one paragraph, or more than :data:`MAX_BRACKETS` in it;
- BND004: lists or quotes nested deeper than :data:`MAX_LIST_DEPTH` / :data:`MAX_QUOTE_DEPTH`.

Files past a limit are set aside (:attr:`kb.core.site.Site.set_aside`): no other check converts them,
and the build stops at the check hook before any page is rendered. Every limit is several times
what the site's largest page uses.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from kb.core.markdown_text import line_col, mask_code, normalize_newlines
from kb.core.problems import Code, Problem, register
from kb.core.report import CheckResult
from kb.core.site import Site

CODES: tuple[Code, ...] = (
    Code("BND001", "file_too_large", "error", "File too large",
         "A page over 256 kilobytes could stall the Markdown reader; no other check reads it.",
         "Split the page into several pages."),
    Code("BND002", "line_too_long", "error", "Line or paragraph too long",
         "A line over 4,000 characters or a paragraph over 24,000 could stall the Markdown reader.",
         "Break the text into shorter lines and paragraphs."),
    Code("BND003", "brackets_too_deep", "error", "Brackets nested too deeply or left open",
         "Brackets nested more than 8 deep, or more than 8 left open in a paragraph, make the "
         "Markdown reader's work grow very fast.",
         "Close the brackets, or write the text without nesting them."),
    Code("BND004", "nesting_too_deep", "error", "Lists or quotes nested too deeply",
         "Lists or quotes nested more than 8 deep could stall the Markdown reader.",
         "Flatten the list or quote to fewer levels."),
)
_problem = register(CODES)
PREFIX = "BND"

MAX_FILE_BYTES = 256 * 1024  # the largest page is 12 KB
MAX_LINE = 4000  # characters; the longest line is about 600
MAX_BLOCK = 24_000  # characters between blank lines; the glossary, one block, is about 8,400
MAX_NESTING = 8  # [ or ( inside each other
MAX_UNCLOSED = 8  # [ or ( never closed in one paragraph: each costs a scan to its end
MAX_BRACKETS = 1000  # [ in one paragraph; the most cited paragraph has about 80
MAX_QUOTE_DEPTH = 8
MAX_LIST_DEPTH = 8
TAB = 4

_QUOTES = re.compile(r"^[ ]{0,3}((?:>[ ]?)+)", re.M)
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]", re.M)
_BLANK = re.compile(r"\n[ \t]*\n")
_PAIRS = {"[": "]", "(": ")"}


@dataclasses.dataclass(frozen=True)
class Finding:
    offset: int
    code: str
    message: str


def _block_findings(block: str, start: int) -> list[Finding]:
    found: list[Finding] = []
    if len(block) > MAX_BLOCK:
        found.append(Finding(start, "BND002", f"this paragraph is {len(block):,} characters long, the limit is "
                                              f"{MAX_BLOCK:,}: split it with blank lines"))
    stack: list[tuple[str, int]] = []
    deepest: tuple[int, int] | None = None
    brackets = 0
    unclosed: list[int] = []
    escaped = False
    for index, char in enumerate(block):
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char in _PAIRS:
            brackets += char == "["
            stack.append((char, index))
            if len(stack) > MAX_NESTING and deepest is None:
                deepest = (index, len(stack))
        elif char in ("]", ")"):
            opener = "[" if char == "]" else "("
            while stack and stack[-1][0] != opener:
                unclosed.append(stack.pop()[1])  # an opener the other kind of closer skips over
            if stack:
                stack.pop()
    unclosed += [at for _, at in stack]
    if deepest is not None:
        found.append(Finding(start + deepest[0], "BND003",
                             f"brackets or parentheses nested more than {MAX_NESTING} deep: Markdown's time grows "
                             "with the square of the nesting; write the text without nested brackets"))
    if len(unclosed) > MAX_UNCLOSED:
        first = min(unclosed)
        found.append(Finding(start + first, "BND003",
                             f"{len(unclosed)} brackets or parentheses in this paragraph are never closed (limit "
                             f"{MAX_UNCLOSED}): Markdown reads each one to the end of the paragraph; close them, "
                             r"or write \[ and \( for literal ones"))
    if brackets > MAX_BRACKETS:
        found.append(Finding(start, "BND003", f"{brackets:,} [ in one paragraph, the limit is {MAX_BRACKETS:,}: "
                                              "split the paragraph"))
    return found


def findings(text: str) -> list[Finding]:
    """What is past a limit in a Markdown text (newlines already LF), in linear time."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        return [Finding(0, "BND001", f"the file is {size:,} bytes, the limit is {MAX_FILE_BYTES:,}: "
                                     "split it into several pages")]
    found: list[Finding] = []
    at = 0
    for line in text.split("\n"):
        if len(line) > MAX_LINE:
            found.append(Finding(at, "BND002", f"this line is {len(line):,} characters long, the limit is "
                                               f"{MAX_LINE:,}: break it into shorter lines"))
        at += len(line) + 1
    if found:
        return found  # the scans below would still be linear, but nothing more is needed to refuse it
    masked = mask_code(text, front_matter=True)
    for m in _QUOTES.finditer(masked):
        depth = m.group(1).count(">")
        if depth > MAX_QUOTE_DEPTH:
            found.append(Finding(m.start(1), "BND004", f"quotes nested {depth} deep, the limit is {MAX_QUOTE_DEPTH}"))
    for m in _LIST_ITEM.finditer(masked):
        columns = len(m.group(1).expandtabs(TAB))
        if columns // TAB >= MAX_LIST_DEPTH:
            found.append(Finding(m.start(), "BND004", f"a list item indented {columns} columns (nested about "
                                                      f"{columns // TAB + 1} deep), the limit is {MAX_LIST_DEPTH} "
                                                      "levels: flatten the list"))
    start = 0
    for m in [*_BLANK.finditer(masked), None]:
        end = m.start() if m else len(masked)
        found += _block_findings(masked[start:end], start)
        start = m.end() if m else end
    return found



def check_text(shown: str, text: str) -> list[Problem]:
    text = normalize_newlines(text)
    return sorted({_problem(shown, *line_col(text, f.offset), f.code, f.message) for f in findings(text)})


def check_site(site: Site, today: dt.date | None = None) -> CheckResult:
    """Every page and every file of the snippets folders; the result's problems name the files to set aside."""
    problems: list[Problem] = []
    files = [site.page_path(src) for src in site.pages()]
    files += site.include_files()
    for path in dict.fromkeys(files):
        try:
            raw = path.read_bytes()
        except OSError:
            continue  # reported by the front matter and HTML checks
        if len(raw) > MAX_FILE_BYTES:
            problems.append(_problem(site.shown(path), 1, 1, "BND001",
                                     f"the file is {len(raw):,} bytes, the limit is {MAX_FILE_BYTES:,}: "
                                     "split it into several pages"))
            continue
        problems += check_text(site.shown(path), raw.decode("utf-8-sig", "replace"))
    return CheckResult("size and nesting", tuple(sorted(problems)), {"files checked": len(files)})


def set_aside(site: Site, result: CheckResult) -> Site:
    """``site`` without the files ``result`` found past a limit (the other checks would stall on them)."""
    failing = frozenset(problem.path for problem in result.problems)
    return dataclasses.replace(site, set_aside=site.set_aside | failing) if failing else site
