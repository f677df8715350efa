"""CIT001-CIT005: every citation of a site against the bibliography, and every entry cited."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from kb.citations import bibliography
from kb.citations.bibliography import Bibliography
from kb.citations.syntax import Citation, find_citations
from kb.core.markdown_text import suggest
from kb.core.problems import Code, Problem, register
from kb.core.report import CheckResult
from kb.core.site import Site

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
    return {shown: tuple(find_citations(text, front_matter=True)) for shown, text in site.page_texts()}


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
