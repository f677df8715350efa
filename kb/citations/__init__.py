"""Citations: ``[@key]`` in Markdown → positions → check against the bibliography → footnotes.

Pages cite pandoc style, ``[@feder2021]`` or ``[@feder2021; @abdallah2022]``. :func:`find_citations`
returns every citation with its line and column, skipping fenced code blocks, inline code, HTML
comments and the front matter. :func:`check_site` reports unknown keys, malformed citations and
unused bibliography entries of a whole site. :func:`as_footnotes` rewrites a page's citations as
Python-Markdown footnote references (``kb.citations.extension`` renders them), and
:func:`bibliography_markdown` writes the site-wide reference list with links back to the citing pages.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

from kb.citations import bibliography
from kb.citations.bibliography import Bibliography
from kb.core.problems import Code, Problem, register
from kb.core.report import CheckResult
from kb.core.site import Site
from kb.core.markdown_text import escape_markdown, mask_code, suggest

REFERENCES_HEADING = "References"
"""The heading above each page's reference list."""
BIBLIOGRAPHY_MARKER = "<!-- bibliography -->"
"""The line of the references page that becomes the whole bibliography."""

CODES: tuple[Code, ...] = (
    Code("CIT001", "unknown_key", "error", "Unknown citation key",
         "A page cites `[@key]` but data/references.yml has no entry with that key, so the reader would"
         " get no reference.",
         "Correct the key (the message suggests the closest one) or add the source to "
         "data/references.yml."),
    Code("CIT002", "malformed", "error", "Malformed citation",
         "Text looks like a citation but is not one the site reads, such as `[@ key]`, `[@Key]` or a "
         "missing bracket, so it would show as plain text.",
         "Write `[@key]` or `[@key1; @key2]`, with lowercase keys and no spaces inside the brackets."),
    Code("CIT003", "uncited", "warning", "Bibliography entry never cited",
         "A source in data/references.yml is cited by no page, so it is listed without supporting "
         "anything.",
         "Cite it where it supports a statement, or remove the entry."),
    Code("CIT005", "no_bibliography", "error", "Pages cite sources but the site names no bibliography",
         "Pages use `[@key]` citations, but the citations extension in mkdocs.yml names no bibliography"
         " file, so none of them could be resolved.",
         "Set the bibliography option of the citations extension in mkdocs.yml to "
         "data/references.yml."),
)


make_problem = register(CODES)
"""``make_problem(path, line, col, code, message)``: a citation problem, its severity from CODES."""

# A candidate is any bracket that opens with "@" (it may wrap onto following lines of the same
# paragraph) and is not a link ``[@x](url)`` / ``[@x][ref]`` or a link definition ``[@x]: url``.
_CANDIDATE = re.compile(r"\[@(?P<body>[^\[\]]*)\](?![(\[])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINK_DEFINITION_START = re.compile(r"[ ]{0,3}")
_KEY = re.compile(r"\s*@(?P<key>[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*)\s*")


@dataclasses.dataclass(frozen=True)
class Citation:
    """One ``[@a; @b]`` occurrence: 1-based line/col of its ``[``, and its character span."""

    line: int
    col: int
    start: int
    end: int
    keys: tuple[str, ...]
    malformed: str | None = None  # why it could not be parsed; keys is then empty


def _parse_body(body: str) -> tuple[tuple[str, ...], str | None]:
    parts = body.split(";")
    keys = []
    for n, part in enumerate(parts):
        text = part if n else "@" + part
        m = _KEY.fullmatch(text)
        if not m:
            hint = " (separate keys with ';')" if "," in part or re.search(r"@\S+\s+@", text) else ""
            return (), f"cannot read '[@{body}]': write [@key] or [@key1; @key2]{hint}"
        keys.append(m.group("key"))
    return tuple(keys), None


def find_citations(text: str, front_matter: bool = False) -> list[Citation]:
    """Every citation of a Markdown text, in order, outside code and comments."""
    if "[@" not in text:  # masking only blanks characters: no "[@" here, none in the masked text
        return []
    masked = mask_code(text, front_matter=front_matter)
    found = []
    line, counted = 1, 0  # line of position `counted`
    for m in _CANDIDATE.finditer(masked):
        line_start = masked.rfind("\n", 0, m.start()) + 1
        if masked.startswith(":", m.end()) and _LINK_DEFINITION_START.fullmatch(masked[line_start:m.start()]):
            continue  # "[@x]: url" at the start of a line is a link definition
        if _BLANK_LINE.search(m.group("body")):
            continue  # a paragraph break: not one citation
        keys, why = _parse_body(m.group("body"))
        line, counted = line + masked.count("\n", counted, m.start()), m.start()
        col = m.start() - line_start + 1
        found.append(Citation(line, col, m.start(), m.end(), keys, why))
    return found


# --------------------------------------------------------------------------------------------- check


def check_pages(pages: Mapping[str, Sequence[Citation]], bib: Bibliography) -> list[Problem]:
    """Problems of the cited pages (path → citations) against the bibliography, sorted by place."""
    problems: list[Problem] = list(bib.problems)
    used: set[str] = set()
    for path, citations in pages.items():
        for c in citations:
            if c.malformed:
                problems.append(make_problem(path, c.line, c.col, "CIT002", c.malformed))
            for key in c.keys:
                used.add(key)
                if key not in bib:
                    near = suggest(key, bib.lines, cutoff=0.75)
                    hint = f"; did you mean '{near}'?" if near else f"; add it to {bib.path}"
                    problems.append(make_problem(path, c.line, c.col, "CIT001",
                                            f"unknown citation key '{key}'{hint}"))
    for key, line in bib.lines.items():
        if key not in used:
            problems.append(make_problem(bib.path, line, 1, "CIT003",
                                    f"bibliography entry '{key}' is never cited; cite it on a page or remove it"))
    return sorted(problems)




def scan(site: Site) -> dict[str, tuple[Citation, ...]]:
    """Citations of every page of the site, keyed by the path shown in messages (pages that cannot be
    read are left out: the front matter check reports them)."""
    found: dict[str, tuple[Citation, ...]] = {}
    for src in site.pages():
        text = site.page_text(src)
        if text is not None:
            found[site.shown(site.page_path(src))] = tuple(find_citations(text, front_matter=True))
    return found


def load_bibliography(site: Site) -> Bibliography:
    path = site.bibliography
    if path is None:
        return Bibliography("", {}, [], {})
    return bibliography.load(path, display_path=site.shown(path))


def check_site(site: Site, today: dt.date) -> CheckResult:
    """Every citation of every page against the bibliography; every bibliography entry checked."""
    found = scan(site)
    problems: list[Problem] = []
    bib = load_bibliography(site)
    if site.bibliography is None and any(c.keys for cited in found.values() for c in cited):
        problems.append(make_problem(site.shown(site.root / "mkdocs.yml"), 1, 1, "CIT005",
                                     "pages cite sources but mkdocs.yml does not name a bibliography: add "
                                     "kb.citations.extension with bibliography: data/references.yml"))
    problems += check_pages(found, bib)
    counts = {"pages checked": len(found), "citations": sum(len(c) for c in found.values()),
              "bibliography entries": len(bib.lines)}
    return CheckResult("citations", tuple(sorted(problems)), counts)


# -------------------------------------------------------------------------------------------- render


def cited_keys(citations: Iterable[Citation]) -> list[str]:
    """Keys in order of first citation, each once."""
    return list(dict.fromkeys(k for c in citations for k in c.keys))


def _attach(before: str) -> str:
    """Drop the space (or line break) between a word and the citation that follows it, so the
    superscript sits on the word. A break after a heading or table row is kept.

    The dropped tail is the longest run of spaces and tabs, with at most one line break in it,
    that ends ``before`` and follows a non-space character.
    """
    end = len(before.rstrip(" \t"))
    start = len(before[:end - 1].rstrip(" \t")) if end and before[end - 1] == "\n" else end
    if start == 0 or before[start - 1].isspace():
        return before
    if start < end:  # the tail holds a line break
        previous = before[before.rfind("\n", 0, start) + 1:start].lstrip()
        if previous.startswith(("#", "|")) or previous.endswith("|"):
            return before
    return before[:start]


def as_footnotes(markdown: str, known: Mapping[str, object]) -> tuple[str, list[str]]:
    """The Markdown with each citation of a known key as footnote references, and the keys cited.

    ``[@b; @a]`` becomes ``[^a]<sup>,</sup>[^b]`` when ``a`` was cited first: the numbers of one
    citation read in ascending order. A citation with an unknown key or a malformed one is left as
    written (the checks report it).
    """
    citations = [c for c in find_citations(markdown) if c.keys and all(key in known for key in c.keys)]
    order = {key: n for n, key in enumerate(cited_keys(citations))}
    out, pos = [], 0
    for c in citations:
        out.append(_attach(markdown[pos:c.start]))
        keys = sorted(dict.fromkeys(c.keys), key=order.__getitem__)
        out.append("<sup>,</sup>".join(f"[^{key}]" for key in keys))
        pos = c.end
    out.append(markdown[pos:])
    return "".join(out), list(order)


def bibliography_markdown(bib: Bibliography, cited_by: Mapping[str, Sequence[tuple[str, str]]]) -> str:
    """The whole bibliography as Markdown, alphabetical, each entry with the anchor ``#key``, its
    evidence type and links to the pages citing it (``cited_by``: key → (title, relative link))."""
    items = []
    for entry in sorted(bib.entries.values(), key=bibliography.sort_key):
        links = ", ".join(f"[{escape_markdown(title)}]({link}#fn:{entry.key})"
                          for title, link in cited_by.get(entry.key, ()))
        items.append(f"- {bibliography.format_entry(entry)}<br>\n"
                     f"  *{entry.type_label}.* Cited in: {links or 'not cited yet'}.\n"
                     f"  {{ #{entry.key} }}")
    count = len(items)
    intro = f"{count} source{'s' if count != 1 else ''}, in alphabetical order of authors.\n\n"
    return intro + "\n".join(items) + "\n"
