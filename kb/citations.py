"""Citations: ``[@key]`` in Markdown → positions → check against the bibliography → numbered references.

Pages cite pandoc style, ``[@feder2021]`` or ``[@feder2021; @abdallah2022]``. :func:`find_citations`
returns every citation with its line and column, skipping fenced code blocks, inline code, HTML
comments and the front matter. :func:`check` reports unknown keys, malformed citations and unused
bibliography entries. :func:`render_page` turns citations into numbered superscripts and appends a
"References" section listing the formatted entries in order of first citation, in the HTML that
Python-Markdown's footnotes extension writes (placeholders in the Markdown, filled in the HTML).
:func:`bibliography_markdown` and :func:`cited_in_html` write the site-wide reference list with links
back to the citing pages.

Command line: ``python -m kb.citations docs`` prints ``path:line:col: CODE severity message`` lines
and exits 0 (clean), 1 (problems) or 2 (bad usage).
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import html
import pathlib
import posixpath
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence

from kb import bibliography, report
from kb.paths import display
from kb.bibliography import Bibliography, Problem

REFERENCES_HEADING = "References"
BIBLIOGRAPHY_MARKER = "<!-- bibliography -->"
"""The line of ``docs/reference/references.md`` that the hook replaces with the whole bibliography."""

CODES: dict[str, tuple[str, str]] = {
    "CIT001": ("error", "unknown citation key"),
    "CIT002": ("error", "malformed citation"),
    "CIT003": ("warning", "bibliography entry never cited"),
    "CIT004": ("error", "page cannot be read"),
}
"""Citation problem codes → (severity, title). Bibliography codes (BIB00n) are in kb.bibliography."""


make_problem = functools.partial(Problem.coded, CODES)
"""``make_problem(path, line, col, code, message)``: a citation problem, its severity from CODES."""

# A candidate is any bracket that opens with "@" (it may wrap onto following lines of the same
# paragraph) and is not a link ``[@x](url)`` / ``[@x][ref]`` or a link definition ``[@x]: url``.
_CANDIDATE = re.compile(r"\[@(?P<body>[^\[\]]*)\](?![(\[])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINK_DEFINITION_START = re.compile(r"[ ]{0,3}")
_KEY = re.compile(r"\s*@(?P<key>[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*)\s*")
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)  # as mkdocs.utils.meta
_FENCE_OPEN = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_NOT_NEWLINE = re.compile(r"[^\n]")


@dataclasses.dataclass(frozen=True)
class Citation:
    """One ``[@a; @b]`` occurrence: 1-based line/col of its ``[``, and its character span."""

    line: int
    col: int
    start: int
    end: int
    keys: tuple[str, ...]
    malformed: str | None = None  # why it could not be parsed; keys is then empty


def _blank(text: str, start: int, end: int) -> str:
    """``text`` with ``text[start:end]`` replaced by spaces, newlines kept, so offsets still match."""
    return text[:start] + _NOT_NEWLINE.sub(" ", text[start:end]) + text[end:]


def _blank_matches(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with every match of ``pattern`` blanked as by :func:`_blank`, in one pass."""
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(text[pos:m.start()])
        out.append(_NOT_NEWLINE.sub(" ", m.group(0)))
        pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _blank_fences(text: str) -> str:
    """``text`` with every fenced code block, fences included, blanked."""
    out, fence = [], None
    for line in text.splitlines(keepends=True):
        if fence is None:
            m = _FENCE_OPEN.match(line)
            if m:
                fence = m.group("fence")
                out.append(_NOT_NEWLINE.sub(" ", line))
            else:
                out.append(line)
        else:
            stripped = line.strip().lstrip(">").strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                fence = None
            out.append(_NOT_NEWLINE.sub(" ", line))
    return "".join(out)


def mask_code(text: str, front_matter: bool = False) -> str:
    """Blank out what is not prose: front matter, fenced code, inline code, HTML comments.

    Each step runs only when its marker is in the text (a fence needs three backticks or tildes,
    a comment ``<!--``, inline code a backtick): without it the step would change nothing.
    """
    if front_matter and (m := _FRONT_MATTER.match(text)):
        text = _blank(text, 0, m.end())
    if "```" in text or "~~~" in text:
        text = _blank_fences(text)
    if "<!--" in text:
        text = _blank_matches(text, _HTML_COMMENT)
    if "`" in text:
        text = _blank_matches(text, _INLINE_CODE)
    return text


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


@functools.lru_cache(maxsize=4096)
def text_citations(text: str) -> tuple[Citation, ...]:
    """:func:`find_citations` of a Markdown text, cached by content (so never stale after an edit).

    :func:`page_citations` scans each page's body through it, and MkDocs hands that same body to
    ``on_page_markdown``, so :func:`render_page` finds the page already scanned.
    """
    return tuple(find_citations(text))


def fingerprint(text: str) -> tuple[int, int]:
    """Length and ``hash()`` of a text: equal for equal texts, equal for two different texts with a
    chance of 1 in 2**64. Python keys ``hash()`` with a secret drawn when it starts, which a forked
    child shares, so a fingerprint made in a kb.ahead child can be compared here, without sending
    the text back; not with one made in a process started otherwise."""
    return len(text), hash(text)


def text_keys(text: str) -> list[str]:
    """``cited_keys(text_citations(text))``: the keys a Markdown text cites, in order of first
    citation. Found without a scan for the texts last handed to :func:`remember`."""
    known = remembered_keys(text)
    return list(known) if known is not None else cited_keys(text_citations(text))


def remembered_keys(text: str) -> tuple[str, ...] | None:
    """:func:`text_keys` of a text handed to :func:`remember`; None for any other."""
    return _remembered.get(fingerprint(text)) if _remembered else None


_remembered: dict[tuple[int, int], tuple[str, ...]] = {}


def remember(keys: Mapping[tuple[int, int], tuple[str, ...]]) -> None:
    """Take ``fingerprint(text) -> tuple(text_keys(text))`` worked out in a forked child (in place
    of what was taken before)."""
    _remembered.clear()
    _remembered.update(keys)


def page_body(source: str) -> str:
    """The Markdown MkDocs renders from a page's raw source: what follows the front matter and the
    blank lines after it (the source itself, same object, when it has no front matter)."""
    m = _FRONT_MATTER.match(source)
    return source[m.end():].lstrip("\n") if m else source


@functools.lru_cache(maxsize=4096)
def page_citations(source: str) -> tuple[Citation, ...]:
    """``find_citations(source, front_matter=True)`` of a page's raw source, cached by content.

    Computed from the body after the front matter (and the blank lines MkDocs strips with it): the
    blanked front matter holds nothing that could open a fence, a comment, a code span or a
    citation, and ends with a line break, so the page's citations are the body's, moved down by
    the front matter's characters and lines. The citations and reader hooks both ask for every page.
    """
    body = page_body(source)
    if body is source:
        return text_citations(source)
    offset = len(source) - len(body)
    lines = source.count("\n", 0, offset)
    return tuple(Citation(c.line + lines, c.col, c.start + offset, c.end + offset, c.keys, c.malformed)
                 for c in text_citations(body))


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
                    near = suggest(key, bib.lines)
                    hint = f"; did you mean '{near}'?" if near else f"; add it to {bib.path}"
                    problems.append(make_problem(path, c.line, c.col, "CIT001",
                                            f"unknown citation key '{key}'{hint}"))
    for key, line in bib.lines.items():
        if key not in used:
            problems.append(make_problem(bib.path, line, 1, "CIT003",
                                    f"bibliography entry '{key}' is never cited; cite it on a page or remove it"))
    return sorted(problems)


def suggest(key: str, known: Iterable[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(key.lower(), list(known), n=1, cutoff=0.75)
    return close[0] if close else None


def scan_docs(docs_dir: pathlib.Path, shown_prefix: str | None = None
              ) -> tuple[dict[str, list[Citation]], list[Problem]]:
    """Citations of every ``*.md`` under ``docs_dir``, keyed by the path shown in messages."""
    prefix = shown_prefix if shown_prefix is not None else str(docs_dir)
    pages: dict[str, list[Citation]] = {}
    problems = []
    for path in sorted(docs_dir.rglob("*.md")):
        shown = posixpath.join(prefix, path.relative_to(docs_dir).as_posix())
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(make_problem(shown, 1, 1, "CIT004", f"cannot read the page: {exc}"))
            continue
        pages[shown] = find_citations(text, front_matter=True)
    return pages, problems


def check(docs_dir: pathlib.Path, bib_path: pathlib.Path = bibliography.DEFAULT_PATH,
          bib_shown: str | None = None) -> list[Problem]:
    pages, problems = scan_docs(docs_dir)
    bib = bibliography.load(bib_path, display_path=bib_shown)
    return sorted(problems + check_pages(pages, bib))


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


PLACEHOLDER = re.compile(r"KbCite(\d+)Kb")
"""What :func:`render_page` leaves in the Markdown for citation n of a page (a word Markdown keeps)."""
PLACEHOLDER_IN_ID = re.compile(r"kbcite\d+kb")
"""A placeholder in a heading, as the toc extension puts it into the heading's id."""
REFERENCES_PLACEHOLDER = "<p>KbReferencesKb</p>"
"""The paragraph that :func:`render_page` leaves under the References heading, as Markdown renders it,
until :meth:`~RenderedCitations.add_references` puts the list there (search leaves that section out)."""


@dataclasses.dataclass(frozen=True)
class RenderedCitations:
    """A page's citations: its Markdown with placeholders, and the HTML that replaces them.

    The HTML is what Python-Markdown's footnotes extension writes (same ids, classes and back-links,
    so Material's footnote tooltips work), built here instead of by Markdown: as footnote
    definitions, the formatted references made a 1,000-page build half as long again.
    """

    markdown: str
    in_text: tuple[str, ...]
    references: tuple[str, ...] | None  # the list's items; None: left out (render_page(references=False))
    anchors: frozenset[str] = frozenset()  # the ids the filled HTML gives elements (links may point at them)

    def fill(self, content: str) -> str:
        """The page's HTML with its citations numbered (the reference list comes later)."""
        in_text = self.in_text

        def number(m: re.Match[str]) -> str:
            try:
                return in_text[int(m[1])]
            except IndexError:  # not a placeholder of this page: the text says it
                return m[0]

        content = PLACEHOLDER.sub(number, content)
        return PLACEHOLDER_IN_ID.sub("", content) if "kbcite" in content else content

    def add_references(self, content: str) -> str:
        """The filled HTML with the reference list in place of its placeholder paragraph.

        A separate step so that the hook can add the list after the search plugin has read the
        page: a list of references on every page only made every search match every page, and
        parsing it was most of what citations cost the search plugin.
        """
        if self.references is None:
            raise ValueError("the reference list was left out: render the page again with references=True")
        return content.replace(REFERENCES_PLACEHOLDER, f"{_LIST_START}{''.join(self.references)}{_LIST_END}", 1)


_LIST_START = '<div class="footnote">\n<hr />\n<ol>\n'
_LIST_END = "</ol>\n</div>"
"""Around a page's reference list, as the footnotes extension writes it."""


def _fnref(occurrence: int, key: str) -> str:
    """Python-Markdown's id for the nth reference to a footnote: fnref:key, fnref2:key, fnref3:key ..."""
    return f"fnref{occurrence if occurrence > 1 else ''}:{key}"


# The pieces of HTML below repeat across pages (the same source, cited once or twice, as number 1 to 10):
# each is written once per build.

@functools.lru_cache(maxsize=16384)
def _in_text_mark(key: str, occurrence: int, number: int) -> str:
    """The superscript number for the nth citation of ``key`` on a page."""
    return (f'<sup id="{html.escape(_fnref(occurrence, key))}">'
            f'<a class="footnote-ref" href="#fn:{html.escape(key)}">{number}</a></sup>')


@functools.lru_cache(maxsize=16384)
def _reference_item(key: str, entry: bibliography.Entry, number: int, citations: int) -> str:
    """The reference list item for ``key``, with a back-link to each of its ``citations`` in the text."""
    back = "".join(f'<a class="footnote-backref" href="#{html.escape(_fnref(i, key))}" '
                   f'title="Jump back to footnote {number} in the text">&#8617;</a>'
                   for i in range(1, citations + 1))
    return f'<li id="fn:{html.escape(key)}">\n<p>{bibliography.entry_html(entry)}&#160;{back}</p>\n</li>\n'


def render_page(markdown: str, bib: Bibliography, heading: str = REFERENCES_HEADING,
                references: bool = True) -> RenderedCitations | None:
    """Citations → numbered superscripts; a References section with one item per cited key.

    A page that cites nothing gives None. Raises ``KeyError`` for a key missing from the
    bibliography and ``ValueError`` for a malformed citation (the hook reports both before).
    ``references=False`` leaves out the list's HTML (all the rest is the same), the costly part
    when the entries have not been formatted in this process yet.
    """
    citations = text_citations(markdown)
    if not citations:
        return None
    for c in citations:
        if c.malformed:
            raise ValueError(f"line {c.line}: {c.malformed}")
        for key in c.keys:
            if key not in bib.entries:
                raise KeyError(key)
    order = {k: n for n, k in enumerate(cited_keys(citations), 1)}
    seen: dict[str, int] = {}
    out, in_text, pos = [], [], 0
    anchors = {f"fn:{key}" for key in order}
    for n, c in enumerate(citations):
        out.append(_attach(markdown[pos:c.start]))
        out.append(f"KbCite{n}Kb")
        marks = []
        for key in sorted(dict.fromkeys(c.keys), key=order.__getitem__):  # [@b; @a] shows as ¹,² not ²,¹
            seen[key] = seen.get(key, 0) + 1
            anchors.add(_fnref(seen[key], key))
            marks.append(_in_text_mark(key, seen[key], order[key]))
        in_text.append("<sup>,</sup>".join(marks))
        pos = c.end
    out.append(markdown[pos:])
    listing = None
    if references:  # the items, not their HTML joined: each is written once per build, and sent once by kb.ahead
        listing = tuple(_reference_item(key, bib.entries[key], number, seen[key]) for key, number in order.items())
    # The heading is left out of search (its section is the list of references, added later).
    return RenderedCitations("".join(out).rstrip("\n") + f"\n\n## {heading} {{ data-search-exclude=\"true\" }}\n\n"
                             "KbReferencesKb\n\n", tuple(in_text), listing, frozenset(anchors))


@dataclasses.dataclass
class SiteCitations:
    """What reading every page of a site gives: the bibliography, every problem, each page's citations
    (as one value, so that it can be computed in another process)."""

    bib: Bibliography
    problems: list[Problem]
    cited_by: dict[str, list[str]]  # key -> src_uri of every page citing it
    prepared: dict[str, tuple[tuple[int, int], RenderedCitations | None]] = dataclasses.field(default_factory=dict)
    # src_uri -> (fingerprint of the Markdown MkDocs will hand over, its citations rendered)
    keys: dict[tuple[int, int], tuple[str, ...]] = dataclasses.field(default_factory=dict)
    # fingerprint of that Markdown -> the keys it cites


@functools.lru_cache(maxsize=4096)
def relative_link(target: str, source: str) -> str:
    """Relative Markdown link from page ``source`` to page ``target`` (both docs-relative POSIX paths)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def bibliography_markdown(bib: Bibliography) -> str:
    """The whole bibliography as Markdown, alphabetical; each entry's "Cited in" is placeholder n.

    Each entry gets the anchor ``#key``, its links and its evidence type. The "Cited in" lists are
    filled in the HTML by :func:`cited_in_html` (a :class:`RenderedCitations` with no references):
    HTML, because a popular source on a large site is cited by hundreds of pages and each Markdown
    link costs the build far more; later, because the titles are those of the built pages.
    """
    items = [f"- {bibliography.format_entry(entry)}<br>\n"
             f"  *{entry.type_label}.* Cited in: KbCite{n}Kb.\n"
             f"  {{ #{entry.key} }}"
             for n, entry in enumerate(sorted(bib.entries.values(), key=bibliography.sort_key))]
    count = len(items)
    intro = f"{count} source{'s' if count != 1 else ''}, in alphabetical order of authors.\n\n"
    return intro + "\n".join(items) + "\n"


def cited_in_html(bib: Bibliography, cited_by: Mapping[str, Sequence[tuple[str, str]]],
                  href: Callable[[str], str]) -> tuple[str, ...]:
    """For each entry of :func:`bibliography_markdown`, in its order, links to the pages citing it.

    ``cited_by`` maps a key to the (plain-text title, docs-relative path) of every page that cites
    it; ``href`` gives the URL of a citing page relative to the bibliography page.
    """
    links: dict[tuple[str, str], tuple[str, str]] = {}  # each citing page's link, escaped once

    def link(title: str, src: str) -> tuple[str, str]:
        if (title, src) not in links:
            links[title, src] = (f'<a href="{html.escape(href(src))}#fn:', f'">{html.escape(title, quote=False)}</a>')
        return links[title, src]

    def cited_in(key: str) -> str:
        anchor = html.escape(key)
        return ", ".join(start + anchor + end for start, end in (link(title, src) for title, src in cited_by.get(key, ())))

    return tuple(cited_in(entry.key) or "not cited yet" for entry in sorted(bib.entries.values(), key=bibliography.sort_key))


# ----------------------------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.citations",
                                     description="Check [@key] citations against the bibliography.")
    parser.add_argument("docs", type=pathlib.Path, help="the docs folder, e.g. docs")
    parser.add_argument("--bibliography", type=pathlib.Path, default=None,
                        help="bibliography file (default: data/references.yml next to the docs folder)")
    parser.add_argument("--format", choices=("text", "github", "json"), default="text")
    parser.add_argument("--no-strict", action="store_true",
                        help="exit 0 when there are only warnings (mkdocs.yml builds with strict: true)")
    args = parser.parse_args(argv)
    if not args.docs.is_dir():
        print(f"{args.docs}: not a folder", file=sys.stderr)
        return 2
    bib_path = args.bibliography or args.docs.resolve().parent / "data" / "references.yml"
    if args.bibliography and not bib_path.is_file():
        print(f"{bib_path}: no such file", file=sys.stderr)
        return 2
    pages, problems = scan_docs(args.docs)
    bib = bibliography.load(bib_path, display_path=display(bib_path))
    problems = sorted(problems + check_pages(pages, bib))
    summary = {"pages checked": len(pages), "citations": sum(len(c) for c in pages.values()),
               "bibliography entries": len(bib.lines)}
    sys.stdout.write(report.FORMATS[args.format](problems, "citations", summary))
    errors = sum(p.severity == "error" for p in problems)
    return 1 if errors or (len(problems) > errors and not args.no_strict) else 0


if __name__ == "__main__":
    sys.exit(main())
