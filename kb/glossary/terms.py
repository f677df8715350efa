"""The glossary file: includes/abbreviations.md → terms with line numbers → problems → the glossary page.

``includes/abbreviations.md`` holds one ``*[TERM]: plain-language definition`` line per term.
``kb.glossary.extension`` gives each term a tooltip site-wide (Python-Markdown's ``abbr`` glossary);
:func:`render_glossary` turns the same lines into the definition list of the glossary page. A
definition is plain text: on the glossary page its ``<``, ``>`` and ``&`` are shown as written.
:func:`load` reports malformed lines (GLO001-GLO003); the table of the GLO codes is here.
"""
from __future__ import annotations

import dataclasses
import html
import pathlib
import re

from kb.core.markdown_text import ABBREVIATION, abbreviations, escape_markdown
from kb.core.problems import Code, Problem, register

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



problem = register(CODES)


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
    terms = {term: Term(term, definition, n) for term, (definition, n) in abbreviations(text).items()}
    glossary = Glossary(path, terms, [])
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = ABBREVIATION.match(line)
        if not m:
            glossary.problems.append(problem(path, n, 1, "GLO001",
                                             "not a glossary entry: write *[TERM]: plain-language definition"))
            continue
        term = m.group("term").strip()
        if not m.group("definition"):
            glossary.problems.append(problem(path, n, 1, "GLO003", f"'{term}' has an empty definition"))
        elif terms[term].line != n:
            glossary.problems.append(problem(path, n, 1, "GLO002",
                                             f"'{term}' is already defined on line {terms[term].line}"))
    return glossary


def load(path: str | pathlib.Path = DEFAULT_PATH, display_path: str | None = None) -> Glossary:
    path = pathlib.Path(path)
    shown = display_path or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Glossary(shown, {}, [problem(shown, 1, 1, "GLO001", f"cannot read the glossary: {exc}")])
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
