"""Reading level: each page's patient-facing text → Flesch-Kincaid grade (textstat) → report.

:func:`patient_text` keeps the prose a patient reads and drops the rest: front matter, code,
HTML, tables, citations, URLs and link targets, Markdown markup, footnote and abbreviation
definitions, and the clinician sections (a ``## For clinicians...`` section up to the next H1/H2,
and ``!!! info "For clinicians"`` / ``??? info "For clinicians"`` blocks). Headings, list items
and table-free lines that do not end a sentence get a full stop, so textstat does not run them
into the next sentence.

Command line: ``python -m kb.readability docs`` prints one line per page and the median, and
exits 1 when the median grade is above the target (8), 0 otherwise (``--report-only``: always 0),
2 on bad usage.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib
import re
import statistics
import sys
from collections.abc import Callable, Sequence

import textstat

from kb.citations import mask_code

TARGET_GRADE = 8.0
MIN_WORDS = 50
"""Pages with fewer patient-facing words get no grade (too short to measure) and stay out of the median."""

_CLINICIAN_HEADING = re.compile(r"^##[ \t]+For clinicians\b.*$", re.I | re.M)
_TOP_HEADING = re.compile(r"^#{1,2}[ \t]+\S", re.M)
_CLINICIAN_BLOCK = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]+\"For clinicians[^\"]*\"[ \t]*$",
                              re.I)
_BLOCK_START = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+.*$")
_ABBR_DEF = re.compile(r"^\*\[[^\]]+\]:.*$", re.M)
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]]+\]:.*$", re.M)
_LINK_DEF = re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]*\S+.*$", re.M)
_SUBSTITUTIONS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"<[^>\n]*>"), " "),  # HTML tags (their text stays)
    (re.compile(r"\s*(?:\[@[^\]\n]*\]|\[\^[^\]\n]+\])"), ""),  # citations, footnote references
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"https?://\S+|www\.\S+"), ""),  # bare URLs
    (re.compile(r"\{[:#.][^}\n]*\}"), ""),  # attribute lists
    (re.compile(r"(\*\*|__|\*|_|~~|==|\^\^)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # emphasis
    (re.compile(r"\b(?:e\.g|i\.e|vs|et al|approx|etc)\.", re.I),
     lambda m: m.group(0).replace(".", "")),  # abbreviations end no sentence
    (re.compile(r"(\d)\.(\d)"), r"\1\2"),  # decimal points end no sentence
]


@dataclasses.dataclass(frozen=True)
class PageGrade:
    path: str
    words: int
    grade: float | None  # None: fewer than MIN_WORDS words


def _strip_front_matter(text: str) -> str:
    m = re.match(r"\A-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", text, re.S)
    return text[m.end():] if m else text


def _drop_clinician_sections(text: str) -> str:
    """Remove ``## For clinicians`` sections (to the next H1/H2) and "For clinicians" admonitions."""
    while m := _CLINICIAN_HEADING.search(text):
        nxt = _TOP_HEADING.search(text, m.end())
        text = text[:m.start()] + (text[nxt.start():] if nxt else "")
    lines, out, skip_indent = text.splitlines(), [], None
    for line in lines:
        if skip_indent is not None:
            indent = len(line) - len(line.lstrip())
            if not line.strip() or indent > skip_indent:
                continue
            skip_indent = None
        m = _CLINICIAN_BLOCK.match(line)
        if m:
            skip_indent = len(m.group("indent").expandtabs(4))
            continue
        out.append(line)
    return "\n".join(out)


def patient_text(markdown: str) -> str:
    """The patient-facing prose of a page, as plain sentences."""
    text = _strip_front_matter(markdown)
    text = mask_code(text)  # fenced code, inline code, HTML comments become blanks
    text = _drop_clinician_sections(text)
    for pattern in (_ABBR_DEF, _FOOTNOTE_DEF, _LINK_DEF):
        text = pattern.sub("", text)
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("|") or re.fullmatch(r"[-*_=\s]{3,}|:?-{3,}:?", stripped):
            flush()  # blank line, table row or rule
        elif _BLOCK_START.match(line):  # admonition: its quoted title is a block of its own
            flush()
            if title := re.search(r"\"([^\"]+)\"", stripped):
                blocks.append(title.group(1))
        elif re.match(r"#{1,6}\s", stripped):  # heading
            flush()
            blocks.append(re.sub(r"^#{1,6}\s+|\s+#+$", "", stripped))
        elif re.match(r"([-*+]|\d+[.)])\s+|:\s{3}|>", stripped):  # list item, definition, quote
            flush()
            current.append(re.sub(r"^([-*+]|\d+[.)])\s+|^:\s{3}|^>\s*", "", stripped))
        else:
            current.append(stripped)
    flush()
    sentences = []
    for block in blocks:
        for pattern, repl in _SUBSTITUTIONS:
            block = pattern.sub(repl, block)
        block = " ".join(block.split())
        if block and re.search(r"\w", block):
            sentences.append(block if block.endswith((".", "!", "?", ":", ";")) else block + ".")
    return "\n".join(sentences)


def grade(text: str) -> tuple[int, float | None]:
    """(word count, Flesch-Kincaid grade or None when the text is too short to measure)."""
    words = textstat.lexicon_count(text)
    if words < MIN_WORDS:
        return words, None
    return words, float(textstat.flesch_kincaid_grade(text))


def grade_page(path: pathlib.Path, shown: str | None = None) -> PageGrade:
    words, value = grade(patient_text(path.read_text(encoding="utf-8-sig")))
    return PageGrade(shown or str(path), words, value)


def report(docs_dir: pathlib.Path) -> list[PageGrade]:
    return [grade_page(p, f"{docs_dir}/{p.relative_to(docs_dir).as_posix()}") for p in sorted(docs_dir.rglob("*.md"))]


def median(grades: Sequence[PageGrade]) -> float | None:
    values = [g.grade for g in grades if g.grade is not None]
    return round(statistics.median(values), 1) if values else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.readability",
                                     description="Flesch-Kincaid grade of each page's patient-facing text.")
    parser.add_argument("docs", type=pathlib.Path, help="the docs folder, e.g. docs")
    parser.add_argument("--target", type=float, default=TARGET_GRADE,
                        help=f"highest allowed median grade (default {TARGET_GRADE:g})")
    parser.add_argument("--report-only", action="store_true", help="always exit 0")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    if not args.docs.is_dir():
        print(f"{args.docs}: not a folder", file=sys.stderr)
        return 2
    try:
        grades = report(args.docs)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read a page: {exc}", file=sys.stderr)
        return 2
    mid = median(grades)
    if args.format == "json":
        print(json.dumps({"target": args.target, "median": mid,
                          "pages": [dataclasses.asdict(g) for g in grades]}, indent=2))
    else:
        width = max((len(g.path) for g in grades), default=10)
        print(f"{'page':<{width}}  {'words':>5}  grade")
        for g in grades:
            value = f"{g.grade:5.1f}" if g.grade is not None else "    -"
            print(f"{g.path:<{width}}  {g.words:>5}  {value}")
        print(f"median grade: {mid if mid is not None else '-'} (target: {args.target:g} or below; "
              f"pages under {MIN_WORDS} words not graded)")
    if mid is not None and mid > args.target and not args.report_only:
        print(f"the median reading grade {mid} is above {args.target:g}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
