"""Reading level: each page's patient-facing text → Flesch-Kincaid grade (textstat) → report.

:func:`patient_text` keeps the prose a patient reads and drops the rest: front matter, code,
HTML, citations, URLs and link targets, Markdown markup, footnote and abbreviation
definitions, and the clinician sections (a ``## For clinicians...`` section up to the next H1/H2,
and ``!!! info "For clinicians"`` / ``??? info "For clinicians"`` blocks). Headings, list items
and table-free lines that do not end a sentence get a full stop, so textstat does not run them
into the next sentence.

:func:`check_site` holds the pages written for patients or families (front matter ``audience``) to
the plain-language targets: a median grade of 8 or below, and no page above 10. Command line:
``python -m kb.readability [PROJECT]`` prints the grade of every page and the median (a report; the
check itself runs in ``python -m kb.check``).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import pathlib
import re
import statistics
import sys
from collections.abc import Callable, Sequence

import textstat

from kb.core import pages
from kb.core.markdown_text import mask_code
from kb.core.problems import Code, register
from kb.core.report import CheckResult
from kb.core.site import Site, SiteError, load

TARGET_GRADE = 8.0
"""The highest median grade of the reader pages."""
MAX_GRADE = 10.0
"""The highest grade of any one reader page."""
READERS = frozenset({"patients", "families"})
"""Pages whose audience includes one of these are held to the targets."""
MIN_WORDS = 50
"""Pages with fewer patient-facing words get no grade (too short to measure) and stay out of the median."""

_CLINICIAN_HEADING = re.compile(r"^##[ \t]+For clinicians\b.*$", re.I | re.M)
_TOP_HEADING = re.compile(r"^#{1,2}[ \t]+\S", re.M)
_CLINICIAN_BLOCK = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*"
                              r"[ \t]+\"For clinicians[^\"]*\"[ \t]*$",
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
    text = pages.body_of(markdown)
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
        if not stripped or re.fullmatch(r"[-*_=\s]{3,}|\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*", stripped):
            flush()  # blank line, rule, or a table's header line
        elif stripped.startswith("|"):  # a table row: each cell is read as a sentence of its own
            flush()
            blocks.extend(cell.strip() for cell in stripped.strip("|").split("|") if cell.strip())
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


CODES: tuple[Code, ...] = (
    Code("RDB001", "median_too_high", "error", "Reader pages' median grade above the target",
         "Pages for patients and families must be readable at about US grade 8; the median "
         "Flesch-Kincaid grade of those pages is above the target.",
         "Shorten sentences and use common words on the pages with the highest grades; move technical"
         " detail into clinician sections."),
    Code("RDB002", "page_too_high", "error", "Reader page above the highest grade",
         "One page for patients and families reads far above grade 8.",
         "Split long sentences, explain or replace technical words, and move clinician detail under a"
         " For clinicians heading."),
)
_problem = register(CODES)


def is_for_readers(text: str) -> bool:
    audience = pages.front_matter(text).get("audience")
    return isinstance(audience, list) and bool(READERS.intersection(map(str, audience)))


def report(site: Site) -> list[PageGrade]:
    """The grade of every page written for patients or families; unreadable pages are left out
    (the front matter check reports them)."""
    grades = []
    for shown, text in site.page_texts():
        if is_for_readers(text):
            words, value = grade(patient_text(text))
            grades.append(PageGrade(shown, words, value))
    return grades


def median(grades: Sequence[PageGrade]) -> float | None:
    values = [g.grade for g in grades if g.grade is not None]
    return round(statistics.median(values), 1) if values else None


def check_site(site: Site, today: dt.date) -> CheckResult:
    grades = report(site)
    fix = ("use shorter sentences and everyday words, and move technical detail into a "
           "'## For clinicians' section")
    problems = [_problem(g.path, 1, 1, "RDB002", f"the patient-facing text reads at grade {g.grade:.1f}, "
                         f"above {MAX_GRADE:g}: {fix}")
                for g in grades if g.grade is not None and g.grade > MAX_GRADE]
    mid = median(grades)
    if mid is not None and mid > TARGET_GRADE:
        problems.append(_problem(site.shown(site.docs_dir), 1, 1, "RDB001",
                                 f"the median grade of the reader pages is {mid}, above {TARGET_GRADE:g}: "
                                 f"{fix} on the hardest pages (python -m kb.readability lists them)"))
    counts = {"reader pages graded": sum(g.grade is not None for g in grades)}
    return CheckResult("readability", tuple(sorted(problems)), counts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.readability",
                                     description="Flesch-Kincaid grade of each reader page's patient-facing text.")
    parser.add_argument("project", nargs="?", default=".", type=pathlib.Path,
                        help="the folder of mkdocs.yml, or the file (default: .)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    try:
        grades = report(load(args.project))
    except SiteError as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    mid = median(grades)
    if args.format == "json":
        print(json.dumps({"target": TARGET_GRADE, "highest": MAX_GRADE, "median": mid,
                          "pages": [dataclasses.asdict(g) for g in grades]}, indent=2))
        return 0
    width = max((len(g.path) for g in grades), default=10)
    print(f"{'page':<{width}}  {'words':>5}  grade")
    for g in grades:
        value = f"{g.grade:5.1f}" if g.grade is not None else "    -"
        print(f"{g.path:<{width}}  {g.words:>5}  {value}")
    print(f"median grade: {mid if mid is not None else '-'} (target: {TARGET_GRADE:g} or below, no page above "
          f"{MAX_GRADE:g}; pages under {MIN_WORDS} words not graded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
