"""The glossary: includes/abbreviations.md → terms with line numbers → problems → the glossary page.

``includes/abbreviations.md`` holds one ``*[TERM]: plain-language definition`` line per term.
``kb.glossary.extension`` gives each term a tooltip site-wide (Python-Markdown's ``abbr`` glossary);
:func:`render_glossary` turns the same lines into the definition list of the glossary page. A
definition is plain text: on the glossary page its ``<``, ``>`` and ``&`` are shown as written. :func:`find_abbreviations` finds the capitalised abbreviations a Markdown text
uses (PTSD, CAPS-5, NMDA, SSRIs) outside code, links' targets, URLs and DOIs, so a check can
require each one to be defined.

:func:`check_site` reports malformed glossary lines and abbreviations used on pages but missing from
the glossary.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import pathlib
import re
from collections.abc import Iterable

from kb.core.problems import Code, Problem, register
from kb.core.markdown_text import escape_markdown, line_col, mask_code
from kb.core.report import CheckResult
from kb.core.site import Site

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_PATH = ROOT / "includes" / "abbreviations.md"
GLOSSARY_MARKER = "<!-- glossary -->"
"""The line of ``docs/reference/glossary.md`` that the glossary extension replaces with the definition list."""

CODES: tuple[Code, ...] = (
    Code("GLO001", "not_an_entry", "error", "Line is not a glossary entry",
         "Every line of includes/abbreviations.md is a definition `*[TERM]: explanation`, a comment or "
         "blank; any other line would be shown on every page.",
         "Write the line as `*[TERM]: explanation`, or delete it."),
    Code("GLO002", "duplicate", "error", "Term defined twice",
         "Two definitions of the same term: only one would show, and readers could see the wrong one.",
         "Keep one definition and delete the other."),
    Code("GLO003", "empty", "error", "Empty definition",
         "A term has no explanation, so its tooltip would be empty.",
         "Write a short plain-language explanation after the colon."),
    Code("GLO004", "undefined", "error", "Abbreviation used but not in the glossary",
         "A page uses an abbreviation that the glossary does not explain, so readers get no tooltip "
         "for it.",
         "Add `*[TERM]: explanation` to includes/abbreviations.md, or write the words out."),
)



_problem = register(CODES)


NOT_ABBREVIATIONS = frozenset({"II", "III"})
"""Capitalised tokens that are not abbreviations (Roman numerals: "Schedule III")."""

_ENTRY = re.compile(r"^\*\[(?P<term>[^\]]+)\]:[ \t]*(?P<definition>.*?)[ \t]*$")
_ABBREVIATION = re.compile(r"(?<![A-Za-z0-9])(?P<token>[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*s?)(?![A-Za-z0-9])")
_NOT_PROSE = [
    re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # link and image targets: ](target "title")
    re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]*\S+.*$", re.M),  # reference-style link definitions
    re.compile(r"<[a-zA-Z/][^>\n]*>"),  # HTML tags and autolinks, with their attributes
    re.compile(r"https?://\S+|www\.\S+"),  # bare URLs
    re.compile(r"\b(?:doi:\s*)?10\.\d{4,9}/\S+", re.I),  # DOIs
    re.compile(r"\[@[^\]\n]*\]"),  # citations
    re.compile(r"\{[:#.][^}\n]*\}"),  # attribute lists
    re.compile(r"^\*\[[^\]]+\]:.*$", re.M),  # abbreviation definitions on the page itself
]


@dataclasses.dataclass(frozen=True)
class Term:
    term: str
    definition: str
    line: int

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-") or "term"


@dataclasses.dataclass
class Glossary:
    path: str
    terms: dict[str, Term]
    problems: list[Problem]

    def __contains__(self, term: str) -> bool:
        return term in self.terms


def parse(text: str, path: str = "includes/abbreviations.md") -> Glossary:
    glossary = Glossary(path, {}, [])
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = _ENTRY.match(line)
        if not m:
            glossary.problems.append(_problem(path, n, 1, "GLO001",
                                             "not a glossary entry: write *[TERM]: plain-language definition"))
            continue
        term, definition = m.group("term").strip(), m.group("definition")
        if not definition:
            glossary.problems.append(_problem(path, n, 1, "GLO003", f"'{term}' has an empty definition"))
        elif term in glossary.terms:
            glossary.problems.append(_problem(path, n, 1, "GLO002",
                                             f"'{term}' is already defined on line {glossary.terms[term].line}"))
        else:
            glossary.terms[term] = Term(term, definition, n)
    return glossary


def load(path: str | pathlib.Path = DEFAULT_PATH, display_path: str | None = None) -> Glossary:
    path = pathlib.Path(path)
    shown = display_path or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Glossary(shown, {}, [_problem(shown, 1, 1, "GLO001", f"cannot read the glossary: {exc}")])
    return parse(text, shown)


def render_glossary(glossary: Glossary) -> str:
    """A definition list, alphabetical (case-insensitive), each term with an anchor (``#ptsd``).

    Written as HTML for ``md_in_html``: the term (``<dt>``) stays raw, so it is not wrapped in its
    own tooltip, while each definition (``<dd markdown>``) is Markdown and gets tooltips for the
    terms it uses. A plural written as its own term (``RCTs`` next to ``RCT``) shares its
    singular's definition.
    """
    terms = sorted(glossary.terms.values(), key=lambda t: (t.term.casefold(), t.term))
    plurals = {t.term for t in terms if t.term.endswith("s") and t.term[:-1] in glossary.terms}
    used: set[str] = set()
    lines = ['<dl class="glossary" markdown>']
    count = 0
    for t in terms:
        if t.term in plurals:
            continue
        count += 1
        for g in [t] + ([glossary.terms[t.term + "s"]] if t.term + "s" in plurals else []):
            anchor, n = g.anchor, 2
            while anchor in used:
                anchor, n = f"{g.anchor}-{n}", n + 1
            used.add(anchor)
            lines.append(f'<dt id="{anchor}"><strong>{html.escape(g.term)}</strong></dt>')
        lines.append(f"<dd markdown>{escape_markdown(t.definition)}</dd>")
    lines.append("</dl>")
    return f"{count} term{'s' if count != 1 else ''}, in alphabetical order.\n\n" + "\n".join(lines) + "\n"



def prose(text: str, front_matter: bool = True) -> str:
    """``text`` with code, front matter, link targets, URLs, DOIs, HTML and citations blanked out."""
    text = mask_code(text, front_matter=front_matter)
    for pattern in _NOT_PROSE:
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return text


def find_abbreviations(text: str, front_matter: bool = True) -> list[tuple[str, int, int]]:
    """(token, line, col) of every capitalised abbreviation a Markdown text shows to readers."""
    masked = prose(text, front_matter=front_matter)
    found = []
    for m in _ABBREVIATION.finditer(masked):
        token = m.group("token")
        if sum(c.isupper() for c in token) < 2 or token in NOT_ABBREVIATIONS:
            continue
        found.append((token, *line_col(masked, m.start())))
    return found


def undefined(pages: Iterable[tuple[str, str]], glossary: Glossary) -> list[Problem]:
    """GLO004 for each abbreviation of each (path, text) that the glossary does not define."""
    problems = []
    for path, text in pages:
        for token, line, col in find_abbreviations(text):
            if token not in glossary:
                hint = (f" (the glossary has '{token[:-1]}': add the plural '*[{token}]: ...' too)"
                        if token.endswith("s") and token[:-1] in glossary else "")
                problems.append(_problem(path, line, col, "GLO004",
                                        f"'{token}' is not in {glossary.path}{hint}"))
    return problems


def check_site(site: Site, today: dt.date) -> CheckResult:
    """The glossary's lines, and every abbreviation the pages (and the definitions) use."""
    if site.glossary is None:
        return CheckResult("glossary", (), {"pages checked": 0, "terms": 0})
    glossary = load(site.glossary, site.shown(site.glossary))
    pages = []
    for src in site.pages():
        text = site.page_text(src)
        if text is not None:  # the front matter check reports unreadable pages
            pages.append((site.shown(site.page_path(src)), text))
    # Definitions are shown on the glossary page, so the abbreviations they use need entries too.
    by_line = sorted(glossary.terms.values(), key=lambda t: t.line)
    definitions = "\n".join(f"{t.term}: {t.definition}" for t in by_line)
    problems = list(glossary.problems) + undefined(pages, glossary)
    for token, line, col in find_abbreviations(definitions, front_matter=False):
        if token not in glossary:
            t = by_line[line - 1]
            problems.append(_problem(glossary.path, t.line, 1, "GLO004",
                                     f"'{token}' (in the definition of '{t.term}') is not in the glossary"))
    return CheckResult("glossary", tuple(sorted(problems)), {"pages checked": len(pages), "terms": len(glossary.terms)})
