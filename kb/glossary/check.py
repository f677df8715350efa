"""GLO004: the capitalised abbreviations a page shows to readers, each defined in the glossary.

:func:`find_abbreviations` finds the abbreviations a Markdown text uses (PTSD, CAPS-5, NMDA, SSRIs)
outside code, links' targets, URLs and DOIs; :func:`check_site` reports malformed glossary lines
and abbreviations used on pages but missing from the glossary.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from kb.core.markdown_text import line_col, mask_code
from kb.core.problems import Problem
from kb.core.report import CheckResult
from kb.core.site import Site
from kb.glossary.terms import Glossary, load, problem

NOT_ABBREVIATIONS = frozenset({"II", "III"})
"""Capitalised tokens that are not abbreviations (Roman numerals: "Schedule III")."""

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
                problems.append(problem(path, line, col, "GLO004",
                                        f"'{token}' is not in {glossary.path}{hint}"))
    return problems


def check_site(site: Site, today: dt.date) -> CheckResult:
    """The glossary's lines, and every abbreviation the pages (and the definitions) use."""
    if site.glossary is None:
        return CheckResult("glossary", (), {"pages checked": 0, "terms": 0})
    glossary = load(site.glossary, site.shown(site.glossary))
    pages = list(site.page_texts())
    # Definitions are shown on the glossary page, so the abbreviations they use need entries too.
    by_line = sorted(glossary.terms.values(), key=lambda t: t.line)
    definitions = "\n".join(f"{t.term}: {t.definition}" for t in by_line)
    problems = list(glossary.problems) + undefined(pages, glossary)
    for token, line, _col in find_abbreviations(definitions, front_matter=False):
        if token not in glossary:
            t = by_line[line - 1]
            problems.append(problem(glossary.path, t.line, 1, "GLO004",
                                     f"'{token}' (in the definition of '{t.term}') is not in the glossary"))
    return CheckResult("glossary", tuple(sorted(problems)), {"pages checked": len(pages), "terms": len(glossary.terms)})
