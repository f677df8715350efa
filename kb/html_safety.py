"""HTML safety: dangerous HTML in Markdown sources (with line and column) and in the built site.

Pages come from pull requests, so their HTML is untrusted: a ``<svg onload=...>`` or a
``style=`` overlay could rewrite the crisis-line links on every page. :func:`check_markdown`
limits a Markdown file's raw HTML, attribute lists (``{: ... }``) and link targets to allow-lists;
:func:`check_built_html` and :func:`check_site` are the last check over the built pages, theme
included: no event handlers, no ``javascript:``/``data:``/``vbscript:`` URLs, only same-site or
hash-allowed scripts, nothing that embeds another document.

Parsing is html5lib's: its tokenizer and tree builder implement the WHATWG HTML specification
state by state, so a tag, attribute or character reference is read as a browser reads it
(``<svg/onload=...>``, ``jav&#x09;ascript:``, ``<!-->``), where the standard library's
html.parser departs from browsers (it reads ``<!--><img onerror=...>-->`` as one comment) and
changes between Python patch releases. A sanitiser such as nh3 only returns cleaned HTML, while
a contributor must be told what is wrong and where, so the check walks html5lib's tokens itself
and reports each with its line and column.

A Markdown file is checked twice. The *source* pass reads the file with code blanked by
:func:`kb.citations.mask_code` and reports what it finds where it is written. The *rendered*
pass converts the file with Python-Markdown and the site's extensions and applies the same
rules to the HTML that comes out, because what only looks like code in the source is HTML to
Markdown and to browsers (a backslash-escaped backtick, a code span inside a raw ``<div>``, a
fence never closed, a comment a browser ends at ``<!-->``); whatever only the rendered pass
finds is reported where its text is found in the source.

:func:`check_sources` is the check ``make check`` and the build run (pages, includes, glossary).
Command line: ``python -m kb.html_safety [paths ...]`` checks Markdown files and folders
(default: the site of ./mkdocs.yml) and the files they include with ``--8<--``;
``python -m kb.html_safety --built site`` checks a built site: the only inline scripts allowed are
the theme's, of the reviewed list kb/csp-theme-scripts.txt (kb.csp; or those ``--allow-hashes-from
FILE`` lists), every page must carry exactly the site's Content-Security-Policy for them (never
trusted from the page), and nothing may be loaded from another host; ``--offline`` checks the
offline copy, which has no policy. ``--print-hashes site`` prints the hashes of a site's inline
scripts. Exit 0 (clean), 1 (problems) or 2 (bad usage).
"""
from __future__ import annotations

import argparse
import base64
import bisect
import collections
import dataclasses
import functools
import hashlib
import html
import pathlib
import re
import sys
from collections.abc import Iterable, Iterator, Sequence

import html5lib
import markdown
from html5lib import _tokenizer
from html5lib._inputstream import HTMLUnicodeInputStream
from html5lib.constants import tokenTypes
from markdown.extensions.attr_list import get_attrs_and_remainder

from kb import content_files, csp
from kb.core import report
from kb.core.problems import Problem
from kb.core.markdown_text import mask_code
from kb.core.pages import MARKDOWN_SUFFIXES, body_of
from kb.core.site import Site, SiteError, load

ROOT = pathlib.Path(__file__).resolve().parent.parent


def display(path: pathlib.Path) -> str:
    return Site.shown_from(path, pathlib.Path.cwd())

CODES: dict[str, tuple[str, str]] = {
    "HTM001": ("error", "HTML element not allowed"),
    "HTM002": ("error", "event-handler attribute"),
    "HTM003": ("error", "attribute not allowed"),
    "HTM004": ("error", "URL scheme not allowed"),
    "HTM005": ("error", "script not allowed"),
    "HTM006": ("error", "tag not finished by the end of the file"),
    "HTM007": ("error", "file cannot be read"),
    "HTM008": ("error", "built page without the site's Content-Security-Policy"),
    "HTM009": ("error", "built page loads something from another host"),
}
"""HTML safety problem codes → (severity, title)."""

_problem = functools.partial(Problem.coded, CODES)

# ------------------------------------------------------------------------------------ allow-lists

ALLOWED_ELEMENTS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
})
"""Elements a Markdown file may write as raw HTML (and that Markdown itself writes)."""

ALLOWED_ATTRIBUTES = frozenset({
    "class", "id", "title", "lang", "markdown", "colspan", "rowspan", "scope", "datetime", "open",
    "href", "src", "alt", "width", "height",
})
"""Attributes allowed on those elements, besides ``aria-*``; ``href`` and ``src`` are URL-checked."""

URL_ATTRIBUTES = frozenset({"href", "src"})
"""Allowed attributes whose value is a URL, so its scheme is checked."""

ALLOWED_SCHEMES = frozenset({"https", "http", "mailto", "tel", "sms"})
"""URL schemes a page may link to; relative URLs and fragments have none and are allowed."""

PAGE_CLASSES = frozenset({
    # The admonition types Material styles (``!!! note``, ``??? warning``, ``{ .note }``).
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check",
    "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing",
    "danger", "error", "bug", "example", "quote", "cite",
    # Material's harmless layout classes: an inline admonition's side, annotations, grids of cards.
    "inline", "end", "annotate", "grid", "cards", "card",
    # The site's own: a printable worksheet (room to write under each question) and a printable
    # checklist (tick boxes and a line to write on).
    "worksheet", "checklist",
})
"""The classes a page may give its content (attribute lists, raw HTML, the type of a ``!!!`` or
``???`` block): an allow-list. Any other class is refused: the theme's (Material's ``md-``, the
site's ``kb-``, the crisis banner's ``kb-crisis``) would dress text up as theme parts, a fake
crisis banner, and some of Material's hide text from readers while search still finds it
(``headerlink`` is transparent until hovered)."""

MARKDOWN_CLASSES: dict[str, re.Pattern[str]] = {
    "a": re.compile(r"headerlink|footnote-ref|footnote-backref"),
    "div": re.compile(r"admonition|highlight|footnote|toc"),
    "p": re.compile(r"admonition-title"),
    "span": re.compile(r"[a-z]{1,3}[0-9]?(?:-[A-Z][A-Za-z]*)*"),  # Pygments' token classes in code blocks
    "code": re.compile(r"language-[A-Za-z0-9_+#.-]+"),
}
"""The classes Markdown's extensions write themselves (permalinks, admonitions, footnotes, code
blocks), on the element they write them on: allowed in the rendered pass only, never to a page."""

THEME_IDS = frozenset({"kb-crisis"})
THEME_ID_PREFIX = "__"
"""Element ids of the theme. Material finds its configuration with ``#__config`` (the first
element with that id in the page wins) and its toggles with ``#__drawer``, ``#__search``, ...:
an id of page content must not take their place."""

ELEMENT_ADVICE: dict[str, str] = {
    "script": "pages cannot run script; remove it",
    "style": "a style sheet on a page can restyle the whole site, the crisis banner included; remove it",
    "svg": "save the picture as a file and add it with ![description](picture.svg)",
    "math": "write the formula in words or as an image",
    "iframe": "link to the page instead of embedding it",
    "object": "link to the file instead of embedding it",
    "embed": "link to the file instead of embedding it",
    "form": "link to the form instead",
    "base": "remove it: it would change where every link of the page goes",
    "meta": "remove it: page metadata goes in the front matter",
    "link": "remove it: style sheets and scripts are set in mkdocs.yml",
}
"""What to do instead of a refused element (default: use Markdown instead of raw HTML)."""

ATTRIBUTE_ADVICE: dict[str, str] = {
    "style": "a style attribute can lay text over the page, such as a fake crisis banner; "
             "remove the style attribute (Markdown and the site's classes do the formatting)",
    "srcdoc": "remove the srcdoc attribute: it holds a whole HTML document",
    "formaction": "remove the formaction attribute: it sends a form elsewhere",
}
"""What to do instead of a refused attribute (default: remove it)."""

RAW_TEXT_STATES: dict[str, str] = {
    "script": "scriptDataState",
    "style": "rawtextState", "xmp": "rawtextState", "iframe": "rawtextState",
    "noembed": "rawtextState", "noframes": "rawtextState", "noscript": "rawtextState",
    "textarea": "rcdataState", "title": "rcdataState",
    "plaintext": "plaintextState",
}
"""HTML elements whose content a browser reads as text, and the tokenizer state it reads it in
(the switch a browser's tree builder makes; scripting is on, so ``noscript`` is raw text too)."""

MARKDOWN_EXTENSIONS: tuple[str, ...] = (
    "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.superfences",
)
MARKDOWN_EXTENSION_CONFIGS: dict[str, dict[str, object]] = {"toc": {"permalink": True}}
"""mkdocs.yml's ``markdown_extensions`` for the rendered pass, without ``pymdownx.snippets`` (an
included file is checked as a file of its own) and the site's own ``kb.markdown`` extensions (which
write only escaped text from the bibliography and the glossary, checked at their source); a test
keeps this list equal to mkdocs.yml's."""

MARKDOWN_STYLES: dict[tuple[str, str], re.Pattern[str]] = {
    ("th", "style"): re.compile(r"text-align: (?:left|right|center);"),
    ("td", "style"): re.compile(r"text-align: (?:left|right|center);"),
}
"""The style attributes Markdown itself writes (a table column's alignment, ``|:---:|``):
allowed in the rendered pass and in built page content, and nowhere else."""

# ------------------------------------------------------------------------------------------ URLs

_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def url_scheme(url: str) -> str | None:
    """The scheme a browser takes from ``url`` (lowercase), or None for a relative URL.

    As the WHATWG URL parser: leading and trailing C0 controls and spaces are dropped and tabs
    and newlines removed wherever they are, so ``" java\\tscript:"`` is ``javascript``.
    Character references must already be decoded (an HTML parser does that for attributes).
    """
    m = _SCHEME.match(_TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE)))
    return m.group(1).lower() if m else None


def _is_same_site_path(url: str) -> bool:
    """A URL with no scheme and no host: not ``//host/...`` (nor ``/\\host``, which browsers read
    the same way)."""
    cleaned = _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE))
    return url_scheme(cleaned) is None and not re.match(r"[/\\]{2}", cleaned)


def _markdown_url_readings(url: str) -> set[str]:
    """What a link target written in Markdown may reach the browser as: Markdown drops backslash
    escapes and keeps character references, which the browser then decodes."""
    unescaped = _BACKSLASH_ESCAPE.sub(r"\1", url)
    return {url, unescaped, html.unescape(url), html.unescape(unescaped)}


def _bad_scheme(readings: Iterable[str], allowed: frozenset[str] = ALLOWED_SCHEMES) -> str | None:
    for reading in readings:
        scheme = url_scheme(reading)
        if scheme is not None and scheme not in allowed:
            return scheme
    return None


def _url_message(scheme: str, url: str, what: str) -> str:
    return (f"{what} {_shown(url)} has the scheme '{scheme}:', which can run script or hide a page "
            f"in the link; allowed: {', '.join(sorted(ALLOWED_SCHEMES))} or a relative link; "
            f"link to an https:// page instead")


def _shown(value: str, limit: int = 60) -> str:
    value = value if len(value) <= limit else value[:limit - 1] + "…"
    return "'" + value.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"


# ------------------------------------------------------------------------------------- tokenizer


@dataclasses.dataclass(frozen=True)
class Tag:
    """A start or end tag as a browser's tokenizer reads it: lowercase name, attributes in source
    order with decoded values (duplicates kept) and the offset of each name, and the span."""

    name: str
    end_tag: bool
    start: int
    end: int
    attributes: tuple[tuple[str, str, int], ...]


class _WholeTextStream(HTMLUnicodeInputStream):
    """The whole text in one chunk, so the stream's ``chunkOffset`` is an offset into the text."""

    _defaultChunkSize = sys.maxsize


_LESS_THAN_STATES = frozenset({
    "tagOpenState", "rcdataLessThanSignState", "rawtextLessThanSignState",
    "scriptDataLessThanSignState", "scriptDataEscapedLessThanSignState",
    "scriptDataDoubleEscapedLessThanSignState",
})
_TAG_TYPES = (tokenTypes["StartTag"], tokenTypes["EndTag"])


def _normalize_newlines(text: str) -> str:
    """CRLF and CR as LF, as the HTML parser and Python-Markdown both do."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def tokenize(text: str) -> tuple[list[Tag], Tag | None]:
    """The tags of ``text`` (newlines already LF), and a tag the text ends inside of, if any.

    Runs html5lib's tokenizer state by state to note where each tag and attribute begins, and
    switches to raw text after ``<script>``, ``<style>``, ``<textarea>``... as a browser's tree
    builder does (all of them are refused by the Markdown check, so nothing hides behind one
    unreported).
    """
    tokenizer = _tokenizer.HTMLTokenizer("")
    stream = tokenizer.stream = _WholeTextStream(text)
    tokenizer.tokenQueue = queue = collections.deque()
    tags: list[Tag] = []
    tag_start = building_start = 0
    building: dict | None = None  # the tag token being read
    emitted: dict | None = None  # the last tag token read (html5lib keeps it as currentToken)
    raw_attributes: list[list[str]] = []
    attribute_starts: list[int] = []
    while True:
        more = tokenizer.state()
        offset = stream.chunkOffset
        if tokenizer.state.__name__ in _LESS_THAN_STATES and more:
            tag_start = offset - 1
        current = tokenizer.currentToken
        if (current is not None and current is not building and current is not emitted
                and current.get("type") in _TAG_TYPES and isinstance(current.get("data"), list)):
            building, raw_attributes, attribute_starts = current, current["data"], []
            building_start = tag_start
        if building is not None and len(raw_attributes) > len(attribute_starts):
            attribute_starts.append(offset - 1)
        while queue:
            token = queue.popleft()
            if token is building:
                tag = Tag(token["name"], token["type"] == tokenTypes["EndTag"], building_start, offset,
                          tuple((name, value, start)
                                for (name, value), start in zip(raw_attributes, attribute_starts)))
                tags.append(tag)
                building, emitted = None, token
                if not tag.end_tag and tag.name in RAW_TEXT_STATES:
                    tokenizer.state = getattr(tokenizer, RAW_TEXT_STATES[tag.name])
        if not more:
            break
    unfinished = None
    if building is not None:
        unfinished = Tag(building["name"], building["type"] == tokenTypes["EndTag"], building_start,
                         len(text), tuple((n, v, s) for (n, v), s in zip(raw_attributes, attribute_starts)))
    return tags, unfinished


class _LineIndex:
    """Offsets of a text → 1-based line and column."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, col: int) -> int:
        return self.starts[min(line, len(self.starts)) - 1] + col


# ------------------------------------------------------------------------------------ rule checks


@dataclasses.dataclass(frozen=True)
class _Finding:
    """A problem before it has a line: ``key`` tells findings of the two passes apart."""

    offset: int
    code: str
    key: tuple[str, ...]
    message: str


def _element_finding(name: str, offset: int) -> _Finding:
    advice = ELEMENT_ADVICE.get(name, "use Markdown instead of raw HTML")
    return _Finding(offset, "HTM001", ("element", name),
                    f"<{name}> is not allowed in a page; raw HTML is limited to harmless elements "
                    f"({', '.join(sorted(ALLOWED_ELEMENTS))}); {advice}")


def _attribute_finding(element: str, name: str, value: str | None, offset: int, where: str,
                       rendered: bool = False) -> _Finding | None:
    """The problem with one attribute, or None: the rule for raw HTML, attribute lists and the
    HTML Markdown writes (``rendered``: its own table-alignment styles are allowed there)."""
    name = name.lower()
    value = value or ""
    if name.startswith("on"):
        return _Finding(offset, "HTM002", ("attribute", name),
                        f"{name}= {where} is an event handler: it runs script; remove the {name} attribute")
    if rendered and (pattern := MARKDOWN_STYLES.get((element, name))) and pattern.fullmatch(value):
        return None
    if name in URL_ATTRIBUTES:
        scheme = _bad_scheme(_markdown_url_readings(value))
        if scheme is None:
            return None
        return _Finding(offset, "HTM004", ("url", scheme), _url_message(scheme, value, f"{name}= {where}"))
    if name == "class":
        written = MARKDOWN_CLASSES.get(element) if rendered else None
        refused = [c for c in value.split() if c not in PAGE_CLASSES and not (written and written.fullmatch(c))]
        if not refused:
            return None
        return _Finding(offset, "HTM003", ("class", refused[0]),
                        f"class '{refused[0]}' {where} is not one of the classes pages may use "
                        f"({', '.join(sorted(PAGE_CLASSES))}): the theme's classes would dress text up as part "
                        f"of the site, such as the crisis banner, and some hide text that search still finds; "
                        f"remove the class or use one of those")
    if name == "id":
        ident = value.strip()
        if ident not in THEME_IDS and not ident.startswith(THEME_ID_PREFIX):
            return None
        return _Finding(offset, "HTM003", ("id", ident),
                        f"id '{ident}' {where} is the theme's (ids starting with '{THEME_ID_PREFIX}', "
                        f"{', '.join(sorted(THEME_IDS))}): the theme's script would find this element "
                        f"instead of its own; use another id")
    if name in ALLOWED_ATTRIBUTES or name.startswith("aria-"):
        return None
    advice = ATTRIBUTE_ADVICE.get(name, f"remove the {name} attribute")
    return _Finding(offset, "HTM003", ("attribute", name),
                    f"{name}= {where} is not allowed; allowed: {', '.join(sorted(ALLOWED_ATTRIBUTES))}, "
                    f"aria-*; {advice}")


def _tag_findings(tags: Iterable[Tag], rendered: bool = False) -> list[_Finding]:
    findings: list[_Finding] = []
    for tag in tags:
        if tag.end_tag:
            continue
        if tag.name not in ALLOWED_ELEMENTS:
            findings.append(_element_finding(tag.name, tag.start))
            continue
        for name, value, offset in tag.attributes:
            found = _attribute_finding(tag.name, name, value, offset, f"on <{tag.name}>", rendered)
            if found:
                findings.append(found)
    return findings


# ------------------------------------------------------------------------------ Markdown syntax

_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
_EMAIL_AUTOLINK = re.compile(r"<[^\s<>@!]+@[^\s<>@]+>")
_INLINE_LINK = re.compile(r"\]\([ \t]*(?:<(?P<angle>[^<>\n]*)>|(?P<bare>(?:[^\s()\\]|\\.|\([^\s()]*\))+))")
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(?:<(?P<angle>[^<>\n]*)>|(?P<bare>\S+))", re.M)
_ATTRIBUTE_LIST = re.compile(r"\{:?[ ]*(?P<body>[^}\n ][^}\n]*)\}")


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _link_findings(masked: str) -> list[_Finding]:
    findings = []
    for pattern, what in ((_INLINE_LINK, "link target"), (_REFERENCE_DEFINITION, "link definition")):
        for m in pattern.finditer(masked):
            group = "angle" if m.group("angle") is not None else "bare"
            url = m.group(group)
            scheme = _bad_scheme(_markdown_url_readings(url))
            if scheme:
                findings.append(_Finding(m.start(group), "HTM004", ("url", scheme),
                                         _url_message(scheme, url, f"the {what}")))
    return findings


def _autolink_findings(masked: str) -> tuple[list[_Finding], str, set[int]]:
    """Problems of ``<scheme:...>`` autolinks, the text with autolinks blanked (a tokenizer would
    read ``<https://...>`` as a tag named ``https:``), and where the autolinks start."""
    findings, starts = [], set()
    for m in _AUTOLINK.finditer(masked):
        scheme = _bad_scheme([m.group("url")])
        if scheme:
            findings.append(_Finding(m.start("url"), "HTM004", ("url", scheme),
                                     _url_message(scheme, m.group("url"), "the autolink")))
    for pattern in (_AUTOLINK, _EMAIL_AUTOLINK):
        for m in pattern.finditer(masked):
            masked = _blank(masked, m.start(), m.end())
            starts.add(m.start())
    return findings, masked, starts


def _attribute_list_findings(masked: str) -> list[_Finding]:
    """Attribute lists (``{: #id .class key="value" }``): the attribute rules of raw HTML.

    Any ``{...}`` outside code is read as one, so a bare word (``{ word }``, which Python-Markdown
    would make ``word="word"``) is left to the rendered pass unless it is an event handler or
    a refused attribute: braces in prose are not attribute lists there."""
    findings = []
    for m in _ATTRIBUTE_LIST.finditer(masked):
        body = m.group("body")
        attributes, _ = get_attrs_and_remainder(body)
        searched = 0
        for key, value in attributes:
            at = body.find(key if key not in (".", "id") else (value or ""), searched)
            at = at if at >= 0 else 0
            searched = at + len(key)
            if key == ".":
                key = "class"
            elif value is None and not key.lower().startswith("on") and key.lower() not in ATTRIBUTE_ADVICE:
                continue  # a bare word: in prose or CSS braces too; the rendered pass sees if it is one
            found = _attribute_finding("", key, value, m.start("body") + at, "in the attribute list")
            if found:
                findings.append(found)
    return findings


# --------------------------------------------------------------------------------- rendered pass


@functools.lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    """One converter for every file of a run (reset before each): setting one up costs as much as a page."""
    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), extension_configs=MARKDOWN_EXTENSION_CONFIGS)


def _rendered_html(text: str) -> str:
    return _markdown().reset().convert(body_of(text))


def _locate(text: str, rendered: str, tag: Tag, finding: _Finding) -> int | None:
    """Where in the source the HTML a rendered-pass finding is in was written, or None."""
    raw = rendered[tag.start:tag.end]
    at = text.find(raw)
    if at >= 0:
        return at + finding.offset - tag.start
    for needle in (finding.key[-1], tag.name):
        at = text.lower().find(needle.lower())
        if at >= 0:
            return at
    return None


def _rendered_findings(text: str, already: Iterable[_Finding], autolinks: set[int]) -> list[_Finding]:
    """Findings in the HTML Markdown makes of ``text`` that the source pass did not make.

    ``autolinks`` are where ``<scheme:...>`` is written: Python-Markdown passes one whose scheme
    is not http, https or ftp on as a tag, whose scheme the source pass has checked already."""
    rendered = _normalize_newlines(_rendered_html(text))
    tags, _ = tokenize(rendered)
    unmatched = collections.Counter((f.code, f.key) for f in already)
    found = []
    for tag in tags:
        for finding in _tag_findings([tag], rendered=True):
            if unmatched[finding.code, finding.key]:
                unmatched[finding.code, finding.key] -= 1
                continue
            at = _locate(text, rendered, tag, finding)
            if at in autolinks and finding.key[0] == "element":
                continue
            found.append(dataclasses.replace(
                finding, offset=at if at is not None else 0,
                message=finding.message + " (in the HTML Markdown makes of this file: what looks like "
                                          "code or a comment around it is not one to Markdown or browsers)"))
    return found


# -------------------------------------------------------------------------------- Markdown check


def check_markdown(path: str, text: str) -> list[Problem]:
    """Every dangerous piece of HTML in one Markdown file (a page or an included file), outside
    code, with the line and column where it is written."""
    text = _normalize_newlines(text)
    masked = mask_code(text, front_matter=True)
    findings = _link_findings(masked)
    linked = {f.offset for f in findings}
    autolink_findings, masked, autolinks = _autolink_findings(masked)
    findings += [f for f in autolink_findings if f.offset not in linked]
    findings += _attribute_list_findings(masked)
    tags, unfinished = tokenize(masked)
    findings += _tag_findings(tags)
    if unfinished is not None:
        findings.append(_Finding(unfinished.start, "HTM006", ("unfinished", unfinished.name),
                                 f"<{unfinished.name} is not closed with '>' before the end of the file: "
                                 f"whatever follows this file in a page would become part of the tag; "
                                 f"finish the tag or write &lt; for a literal '<'"))
    try:
        findings += _rendered_findings(text, findings, autolinks)
    except Exception as error:  # noqa: BLE001 - any failure of Markdown is reported, not raised
        findings.append(_Finding(0, "HTM007", ("markdown",),
                                 f"Markdown could not convert this file ({type(error).__name__}: {error}), "
                                 f"so its HTML could not be checked"))
    where = _LineIndex(text)
    return sorted(_problem(path, *where(f.offset), f.code, f.message) for f in findings)


def read_text(path: pathlib.Path, shown: str) -> tuple[str | None, Problem | None]:
    """A file's text, or the problem that stops it being read (missing, unreadable, not UTF-8,
    binary)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, _problem(shown, 1, 1, "HTM007", f"cannot read the file: {error.strerror or error}")
    if b"\0" in data:
        return None, _problem(shown, 1, 1, "HTM007", "the file is binary (it has NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return None, _problem(shown, line, col, "HTM007",
                              f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8")


def snippet_targets(text: str) -> list[str]:
    """The files a Markdown text includes with pymdownx.snippets, as written (kb.content_files)."""
    return [reference.target for reference in content_files.references(text)]


def markdown_files(paths: Iterable[pathlib.Path]) -> list[pathlib.Path]:
    """The Markdown files of ``paths`` (files as given, folders searched), in order, once each."""
    found: dict[pathlib.Path, None] = {}
    for path in paths:
        if path.is_dir():
            found.update(dict.fromkeys(sorted(p for p in path.rglob("*")
                                              if p.suffix in MARKDOWN_SUFFIXES and p.is_file())))
        else:
            found[path] = None
    return list(found)


def check_files(paths: Iterable[pathlib.Path], snippet_root: pathlib.Path = ROOT,
                shown_root: pathlib.Path | None = None) -> tuple[list[Problem], int]:
    """Problems of the Markdown files of ``paths`` and of the files they include (resolved from
    ``snippet_root``, the snippets ``base_path``), and how many files were checked.

    An included file becomes part of the page whatever its name ends with, so it is checked as
    Markdown too, even when it is not among ``paths``."""
    problems: list[Problem] = []
    queue = markdown_files(paths)
    seen = {path.resolve() for path in queue}
    root = snippet_root.resolve()
    for path in queue:  # grows as included files are found
        shown = Site.shown_from(path, shown_root) if shown_root else display(path)
        text, unreadable = read_text(path, shown)
        if unreadable:
            problems.append(unreadable)
            continue
        problems += check_markdown(shown, text or "")
        for target in snippet_targets(text or ""):
            included = (root / target).resolve()
            if included.is_relative_to(root) and included.is_file() and included not in seen:
                seen.add(included)
                queue.append(included)
    return sorted(problems), len(queue)


def check_page(site: Site, path: pathlib.Path, text: str) -> list[Problem]:
    """A page as the build reads it: :func:`check_markdown` over the page with its includes expanded
    by pymdownx.snippets' rules (:func:`kb.content_files.expand`), each problem reported in the file
    and at the line it is written in, page or include."""
    expanded = content_files.expand(site, path, _normalize_newlines(text))
    problems = []
    for problem in check_markdown(site.shown(path), expanded.text):
        origin, line, col = expanded.place(problem.line, problem.col)
        problems.append(dataclasses.replace(problem, path=site.shown(origin), line=line, col=col))
    return problems


def check_sources(site: Site, today: object = None) -> report.CheckResult:  # today: the checks' shared signature
    """Every page as the build reads it (includes expanded), every file of the snippets folders on its
    own (one no page includes yet, too) and the glossary: what ``make check`` and the build's check
    hook run. Files past the size limits (``site.set_aside``) are left to :mod:`kb.bounds`."""
    problems: set[Problem] = set()
    checked = 0
    for src in site.pages():
        path = site.page_path(src)
        text, unreadable = read_text(path, site.shown(path))
        checked += 1
        if unreadable:
            problems.add(unreadable)
            continue
        problems.update(check_page(site, path, text or ""))
    alone = [p for base in site.snippet_bases if base.is_dir() for p in sorted(base.rglob("*"))
             if p.is_file() and not p.is_symlink()]
    alone += [site.glossary] if site.glossary is not None and site.glossary.is_file() else []
    for path in dict.fromkeys(alone):
        if site.shown(path) in site.set_aside:
            continue
        text, unreadable = read_text(path, site.shown(path))
        checked += 1
        problems.update([unreadable] if unreadable else check_markdown(site.shown(path), text or ""))
    return report.CheckResult("html", tuple(sorted(problems)), {"files checked": checked})


# ---------------------------------------------------------------------------------- built pages

BUILT_URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "srcset", "imagesrcset", "poster", "data", "cite",
    "background", "longdesc", "manifest", "ping", "codebase", "archive", "icon", "lowsrc",
    "dynsrc", "profile", "usemap", "classid", "xml:base",
})
"""Attributes a browser reads one or more URLs from (``xlink:href`` is ``href`` in the XLink
namespace; ``srcset``, ``ping`` and ``archive`` hold lists)."""

_URL_LISTS: dict[str, re.Pattern[str]] = {
    "srcset": re.compile(r",\s*"), "imagesrcset": re.compile(r",\s*"),
    "ping": re.compile(r"\s+"), "archive": re.compile(r"[\s,]+"),
}

BUILT_FORBIDDEN_SCHEMES = frozenset({"javascript", "data", "vbscript"})
"""Schemes no URL of a built page may have: they run script or carry a document of their own."""

BUILT_FORBIDDEN_ELEMENTS: dict[str, str] = {
    "iframe": "embeds another document", "frame": "embeds another document",
    "frameset": "embeds other documents", "object": "embeds a plugin or document",
    "embed": "embeds a plugin or document", "applet": "embeds a plugin", "portal": "embeds another page",
    "fencedframe": "embeds another document",
    "base": "changes where every relative link and script of the page goes",
    "animate": "an SVG animation can set a link's href to javascript:",
    "set": "an SVG animation can set a link's href to javascript:",
}
"""Elements no built page may have, theme included, and why."""

DATA_BLOCK_TYPES = frozenset({"application/ld+json", "application/json"})
"""``<script type=...>`` values of data that is never run (JSON-LD, Material's ``__config``)."""

JAVASCRIPT_TYPES = frozenset({
    "application/ecmascript", "application/javascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
    "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
})
"""The JavaScript MIME types of the HTML standard: a script of one of these types is a classic script."""

THEME_URL_EXCEPTIONS: frozenset[tuple[str, str, str, str, str]] = frozenset()
"""(element, attribute, exact value, attribute that marks the element, its value): URLs with a
forbidden scheme a built page may have. None: the one the theme had, the search share link's
``javascript:void(0)``, is ``#`` in overrides/partials/search.html."""

_HTML_NS = "http://www.w3.org/1999/xhtml"
_EtreeBuilder = html5lib.treebuilders.getTreeBuilder("etree")


class _LocatingTreeBuilder(_EtreeBuilder):
    """html5lib's ElementTree builder noting, for each element, where the parser was when the
    element was made (just after its start tag)."""

    def __init__(self, namespace_html_elements: bool, where: list) -> None:
        super().__init__(namespace_html_elements)
        self.positions: dict[int, tuple[int, int]] = {}
        self.made: list = []  # keeps the elements alive, so their ids stay theirs
        base_class = self.elementClass

        def element(name: str, namespace: str | None = None):
            made = base_class(name, namespace)
            self.made.append(made)
            self.positions[id(made._element)] = where[0]()
            return made

        self.elementClass = element


def _parse_document(text: str):
    """The tree a browser builds from ``text`` (newlines already LF), and each element's
    position (line, 0-based column) after its start tag."""
    where: list = [lambda: (1, 0)]
    builders: list[_LocatingTreeBuilder] = []

    def builder(namespace_html_elements: bool) -> _LocatingTreeBuilder:
        builders.append(_LocatingTreeBuilder(namespace_html_elements, where))
        return builders[-1]

    parser = html5lib.HTMLParser(tree=builder, namespaceHTMLElements=True)
    where[0] = lambda: parser.tokenizer.stream.position()
    root = parser.parse(text, scripting=True)
    return root, builders[0].positions


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _script_kind(attributes: dict[str, str]) -> str:
    """How a browser treats a <script>: "classic", "module", "importmap", "speculationrules",
    "data" (a data block of DATA_BLOCK_TYPES) or "unknown" (another type, never run)."""
    script_type = attributes.get("type")
    if script_type is None:
        language = attributes.get("language", "")
        script_type = "" if not language else "text/" + language
    script_type = script_type.strip(" \t\n\f\r").lower()
    if script_type == "" or script_type in JAVASCRIPT_TYPES:
        return "classic"
    if script_type in ("module", "importmap", "speculationrules"):
        return script_type
    return "data" if script_type in DATA_BLOCK_TYPES else "unknown"


def _elements(root) -> Iterator[tuple[object, tuple[object, ...]]]:
    """Every element of an ElementTree in document order, with its ancestors."""
    stack = [(root, ())]
    while stack:
        element, ancestors = stack.pop()
        yield element, ancestors
        stack.extend((child, ancestors + (element,)) for child in reversed(element)
                     if isinstance(child.tag, str))


def _inline_scripts(root) -> Iterator[tuple[object, str]]:
    """(element, text) of each inline script a browser runs."""
    for element, _ in _elements(root):
        namespace, local = _local(element.tag)
        if local == "script" and _script_kind(element.attrib) != "data" and not _script_source(element):
            yield element, "".join(element.itertext())


def _script_source(element) -> str | None:
    """The URL a script element loads, or None: ``src`` in HTML, ``href`` (plain or XLink) in
    SVG. An HTML script's ``href`` loads nothing, so its text runs."""
    names = ("src",) if _local(element.tag)[0] in (_HTML_NS, "") else ("href",)
    for name, value in element.attrib.items():
        if _local(name)[1] in names:
            return value
    return None


def inline_script_hashes(html_text: str) -> set[str]:
    """The CSP hashes (``'sha256-<base64>'``) of the inline scripts a browser would run in a page
    (classic and module scripts, import maps), for its Content-Security-Policy."""
    root, _ = _parse_document(_normalize_newlines(html_text))
    return {_csp_hash(text) for _, text in _inline_scripts(root)}


def _theme_exception(element, tag: str, attribute: str, value: str) -> bool:
    return any(tag == e and attribute == a and value == v and element.attrib.get(marker) == marked
               for e, a, v, marker, marked in THEME_URL_EXCEPTIONS)


def _built_findings(root) -> Iterator[tuple[object, str, str]]:
    """(element, code, message) of each problem of a parsed built page, given the allowed hashes
    by the caller (see check_built_html)."""
    for element, ancestors in _elements(root):
        namespace, tag = _local(element.tag)
        in_article = any(_local(a.tag)[1] == "article" for a in ancestors)
        for name, value in element.attrib.items():
            attribute = _local(name)[1].lower()
            if attribute.startswith("on"):
                yield element, "HTM002", (f"{attribute}= on <{tag}> is an event handler: it runs script; "
                                          f"remove the {attribute} attribute where it comes from")
            elif attribute in BUILT_URL_ATTRIBUTES:
                urls = _URL_LISTS[attribute].split(value) if attribute in _URL_LISTS else [value]
                for url in urls:
                    url = url.strip().split(" ")[0] if attribute in _URL_LISTS else url
                    scheme = url_scheme(url)
                    if (scheme in BUILT_FORBIDDEN_SCHEMES
                            and not _theme_exception(element, tag, attribute, value)):
                        yield element, "HTM004", (f"{attribute}= on <{tag}> is {_shown(url)}: a "
                                                  f"'{scheme}:' URL can run script or carry a page of "
                                                  f"its own; link to a page of the site or an https:// URL")
            elif attribute == "style" and in_article:
                pattern = MARKDOWN_STYLES.get((tag, attribute))
                if not (pattern and pattern.fullmatch(value)):
                    yield element, "HTM003", (f"style= on <{tag}> in the page content: a style attribute "
                                              f"can lay text over the page, such as a fake crisis banner; "
                                              f"remove it from the page's source")
        if tag in BUILT_FORBIDDEN_ELEMENTS:
            yield element, "HTM001", f"<{tag}> {BUILT_FORBIDDEN_ELEMENTS[tag]}; no page may have one"
        elif tag == "meta" and element.attrib.get("http-equiv", "").strip().lower() == "refresh":
            yield element, "HTM001", ("<meta http-equiv=\"refresh\"> sends the reader to another address; "
                                      "no page may have one")
        elif tag == "style" and in_article:
            yield element, "HTM001", ("<style> in the page content can restyle the whole site, the crisis "
                                      "banner included; remove it from the page's source")


def _script_findings(root, allowed: frozenset[str]) -> Iterator[tuple[object, str, str]]:
    for element, _ in _elements(root):
        if _local(element.tag)[1] != "script":
            continue
        kind = _script_kind(element.attrib)
        source = _script_source(element)
        if kind == "data":
            continue
        if kind == "unknown":
            yield element, "HTM005", (f"<script type={_shown(element.attrib.get('type', ''))}> is neither "
                                      f"JavaScript nor a JSON data block ({', '.join(sorted(DATA_BLOCK_TYPES))})")
        elif source is not None:
            if not _is_same_site_path(source):
                yield element, "HTM005", (f"<script src={_shown(source)}> loads script from another site; "
                                          f"scripts come from the site itself, by a relative URL")
        else:
            digest = _csp_hash("".join(element.itertext()))
            if digest not in allowed:
                yield element, "HTM005", (f"inline {kind} script {digest} is not one of the allowed inline "
                                          f"scripts; if the theme wrote it, review it and add its hash to "
                                          f"the allowed hashes")


FETCHING_ELEMENTS = frozenset({
    "img", "link", "script", "source", "video", "audio", "track", "iframe", "object", "embed",
    "input", "image", "use", "feimage",
})
"""Elements whose ``src``/``href``/``srcset``/``poster``/``data`` the browser fetches as the page loads."""

NON_FETCHING_LINKS = frozenset({"canonical", "alternate", "prev", "next", "author", "license", "help", "search"})
"""``<link rel=...>`` values a browser does not fetch (a canonical address may name the site's host)."""

_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


def _is_remote(url: str) -> bool:
    """A URL a browser fetches from another host: any scheme but ``data:``, or ``//host``."""
    return not _is_same_site_path(url) and url_scheme(url) != "data"


def css_remote_urls(css: str) -> list[tuple[int, str]]:
    """(offset, url) of each ``url(...)`` and ``@import`` of a style sheet that names another host."""
    return [(m.start(), url) for m in _CSS_URL.finditer(css)
            for url in [next(g for g in m.groups() if g is not None)] if _is_remote(url.strip())]


def _remote_findings(root) -> Iterator[tuple[object, str, str]]:
    for element, _ in _elements(root):
        tag = _local(element.tag)[1].lower()
        attributes = {_local(name)[1].lower(): value for name, value in element.attrib.items()}
        if tag == "script" or tag in BUILT_FORBIDDEN_ELEMENTS:
            continue  # reported as such (HTM005, HTM001), wherever they load from
        if tag in FETCHING_ELEMENTS and not (
                tag == "link" and set(attributes.get("rel", "").lower().split()) <= NON_FETCHING_LINKS
                and attributes.get("rel", "").strip()):
            for attribute in ("src", "href", "srcset", "imagesrcset", "poster", "data"):
                value = attributes.get(attribute)
                urls = [u.strip().split(" ")[0] for u in _URL_LISTS[attribute].split(value)] \
                    if value and attribute in _URL_LISTS else [value or ""]
                for url in (u for u in urls if u.strip() and _is_remote(u)):
                    yield element, "HTM009", (f"{attribute}= on <{tag}> is {_shown(url)}: the reader's browser would "
                                              f"ask another host for it (and tell it who is reading this page); "
                                              f"save the file in the site and use a relative link")
        css = attributes.get("style", "") + ("".join(element.itertext()) if tag == "style" else "")
        for _, url in css_remote_urls(css):
            yield element, "HTM009", (f"the style of <{tag}> loads {_shown(url)} from another host; "
                                      f"save the file in the site and use a relative url()")


def _policy_findings(root, text: str, hashes: frozenset[str]) -> Iterator[tuple[object, str, str]]:
    """The page must carry, first in its head, exactly the site's policy for its reviewed scripts."""
    metas = [element for element, _ in _elements(root) if _local(element.tag)[1] == "meta"
             and element.attrib.get("http-equiv", "").strip().lower() == "content-security-policy"]
    expected = csp.policy(hashes)
    if not metas:
        yield root, "HTM008", ("the page has no Content-Security-Policy: every page gets one from hooks/csp.py; "
                               "build with MkDocs and the site's hooks (mkdocs.yml), as `make build` does")
        return
    for meta in metas:
        if meta.attrib.get("content", "") != expected:
            yield meta, "HTM008", (f"the page's Content-Security-Policy is not the site's for its reviewed "
                                   f"scripts (kb/csp-theme-scripts.txt): expected {_shown(expected, 400)}")
    lowered = text.lower()
    first_script = lowered.find("<script")
    if len(metas) > 1 or (0 <= first_script < lowered.find("content-security-policy")):
        yield metas[0], "HTM008", ("the Content-Security-Policy must be one <meta> tag, before any script")


def check_built_html(path: str, html_text: str,
                     allowed_inline_script_hashes: frozenset[str] | None = frozenset(),
                     *, policy: bool = False, remote: bool = True) -> list[Problem]:
    """Problems of one built page, theme included: event handlers, javascript:/data:/vbscript:
    URLs, scripts neither same-site, nor data, nor an allowed inline one (by CSP hash), embedded
    documents, ``<base>``, refresh, styles in the page content (``<article>``) and anything fetched
    from another host. ``allowed_inline_script_hashes`` None: the scripts of the reviewed list
    (kb.csp). ``policy``: the page must carry the site's Content-Security-Policy for them."""
    text = _normalize_newlines(html_text)
    root, positions = _parse_document(text)
    where = _LineIndex(text)
    lowered = text.lower()
    reviewed = frozenset(csp.script_hash(script) for _, script in _inline_scripts(root) if csp.reviewed(script))
    allowed = reviewed if allowed_inline_script_hashes is None else allowed_inline_script_hashes
    findings = [*_built_findings(root), *_script_findings(root, allowed), *(_remote_findings(root) if remote else ())]
    if policy:
        findings += _policy_findings(root, text, reviewed)
    problems = []
    for element, code, message in findings:
        line, col = positions.get(id(element), (1, 0))
        end = where.offset(line, col)
        start = lowered.rfind("<" + _local(element.tag)[1].lower(), 0, end)
        problems.append(_problem(path, *where(start if start >= 0 else end), code, message))
    return sorted(problems)


PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht")
SITE_SUFFIXES = (*PAGE_SUFFIXES, ".svg", ".xml")
"""Files of a built site a browser can open as a document that runs script: pages, XHTML and XML
documents (an XML file can hold XHTML or SVG script, or name an XSLT style sheet), and SVG
pictures (opened by a link, an SVG runs its scripts as a page of the site would)."""

_XML_SCRIPT = re.compile(r"<\s*(?:[\w.-]+:)?script[\s/>]", re.I)
_XML_HANDLER = re.compile(r"<[^>]*\s(?:[\w.-]+:)?on\w+\s*=", re.I)
_XML_STYLESHEET = re.compile(r"<\?xml-stylesheet\b", re.I)


def _xml_findings(path: str, text: str) -> list[Problem]:
    """What an XML reading of a document runs: a script element or event handler under any
    namespace prefix, or an XSLT style sheet (which can write a script)."""
    where = _LineIndex(text)
    found = []
    for pattern, code, message in (
            (_XML_SCRIPT, "HTM005", "a script element (under any namespace prefix) runs when the file is opened"),
            (_XML_HANDLER, "HTM002", "an on...= attribute (under any namespace prefix) is an event handler"),
            (_XML_STYLESHEET, "HTM001", "an xml-stylesheet can transform the file into a page that runs script")):
        found += [_problem(path, *where(m.start()), code, message + "; the site publishes no such file")
                  for m in pattern.finditer(text)]
    return found


def site_files(site_dir: pathlib.Path) -> list[pathlib.Path]:
    return sorted(p for p in site_dir.rglob("*") if p.suffix.lower() in SITE_SUFFIXES and p.is_file())


def check_built_site(site_dir: pathlib.Path, allowed_inline_script_hashes: frozenset[str] | None = None,
                     shown_root: pathlib.Path | None = None, *, offline: bool = False) -> list[Problem]:
    """:func:`check_built_html` of every page (and SVG picture and XML document) of a built site,
    and the style sheets' ``url()``. With ``allowed_inline_script_hashes`` None (what ``make build``
    runs), the only inline scripts allowed are those of the reviewed list, and every page must carry
    the site's Content-Security-Policy for its scripts, unless ``offline`` (the offline copy has
    none). SVG pictures and XML documents may hold no script at all; nothing a page or style sheet
    loads may come from another host."""
    problems: list[Problem] = []
    for path in site_files(site_dir):
        shown = Site.shown_from(path, shown_root) if shown_root else display(path)
        text, unreadable = read_text(path, shown)
        if unreadable:
            problems.append(unreadable)
            continue
        text = _normalize_newlines(text or "")
        if path.suffix.lower() in PAGE_SUFFIXES:
            problems += check_built_html(shown, text, allowed_inline_script_hashes,
                                         policy=not offline and path.suffix.lower() in (".html", ".htm"))
        else:
            problems += check_built_html(shown, text, frozenset(), remote=path.suffix.lower() == ".svg")
        if path.suffix.lower() not in (".html", ".htm"):
            seen = {(p.path, p.line, p.code) for p in problems}
            problems += [p for p in _xml_findings(shown, text) if (p.path, p.line, p.code) not in seen]
    for path in sorted(p for p in site_dir.rglob("*.css") if p.is_file()):
        shown = Site.shown_from(path, shown_root) if shown_root else display(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        where = _LineIndex(text)
        problems += [_problem(shown, *where(at), "HTM009", f"url({_shown(url)}) loads a file from another host; "
                              f"save it in the site and use a relative url()") for at, url in css_remote_urls(text)]
    return sorted(set(problems))


_POLICY = re.compile(r'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"', re.I)


def policy_hashes(html_text: str) -> frozenset[str]:
    """The script hashes the page's ``<meta http-equiv="Content-Security-Policy">`` allows."""
    m = _POLICY.search(html_text)
    if not m:
        return frozenset()
    script_src = next((d.split()[1:] for d in m.group(1).split(";") if d.split()[:1] == ["script-src"]), [])
    return frozenset(source for source in script_src if source.startswith("'sha256-"))


def site_hashes(site_dir: pathlib.Path) -> set[str]:
    """The inline script hashes of every readable page of a built site."""
    hashes: set[str] = set()
    for path in site_files(site_dir):
        text, unreadable = read_text(path, str(path))
        if text is not None:
            hashes |= inline_script_hashes(text)
    return hashes


def read_hashes(path: pathlib.Path) -> frozenset[str]:
    """Hashes of an allow file: one ``'sha256-...'`` a line (quotes optional), ``#`` comments."""
    hashes = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            hashes.add(line if line.startswith("'") else f"'{line}'")
    return frozenset(hashes)


# ------------------------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.html_safety",
                                     description="Find dangerous HTML in Markdown sources or in a built site.")
    parser.add_argument("paths", nargs="*", type=pathlib.Path,
                        help="Markdown files or folders (default: docs and includes)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--built", type=pathlib.Path, metavar="SITE_DIR", help="check a built site instead")
    mode.add_argument("--print-hashes", type=pathlib.Path, metavar="SITE_DIR",
                      help="print the CSP hashes of a built site's inline scripts, one a line")
    parser.add_argument("--allow-hashes-from", type=pathlib.Path, metavar="FILE",
                        help="with --built: the inline scripts allowed, one 'sha256-...' hash a line "
                             "(default: the theme's, of the reviewed list kb/csp-theme-scripts.txt)")
    parser.add_argument("--offline", action="store_true",
                        help="with --built: the offline copy, which has no Content-Security-Policy")
    parser.add_argument("--format", choices=tuple(report.FORMATS), default="text")
    args = parser.parse_args(argv)
    site = args.built or args.print_hashes
    if site is not None and (args.paths or not site.is_dir()):
        print(f"{site}: not a folder" if not site.is_dir() else "give either paths or a site, not both",
              file=sys.stderr)
        return 2
    if (args.allow_hashes_from or args.offline) and not args.built:
        print("--allow-hashes-from and --offline go with --built", file=sys.stderr)
        return 2
    if args.print_hashes:
        sys.stdout.write("".join(h + "\n" for h in sorted(site_hashes(args.print_hashes))))
        return 0
    if args.built:
        try:
            allowed = read_hashes(args.allow_hashes_from) if args.allow_hashes_from else frozenset()
        except (OSError, UnicodeDecodeError) as error:
            print(f"{args.allow_hashes_from}: cannot read the allowed hashes ({error})", file=sys.stderr)
            return 2
        problems = check_built_site(args.built, allowed if args.allow_hashes_from else None, offline=args.offline)
        counts = {"pages checked": len(site_files(args.built))}
        label = "html (offline copy)" if args.offline else "html (built site)"
    elif args.paths:
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            print(f"{missing[0]}: no such file or folder", file=sys.stderr)
            return 2
        problems, checked = check_files(args.paths)
        counts = {"files checked": checked}
        label = "html"
    else:
        try:
            result = check_sources(load("."))
        except SiteError as error:
            print(f"{parser.prog}: error: {error}", file=sys.stderr)
            return 2
        problems, counts, label = list(result.problems), result.counts, result.label
    results = [report.CheckResult(label, tuple(problems), counts)]
    sys.stdout.write(report.FORMATS[args.format](results))
    return report.status(results)


if __name__ == "__main__":
    sys.exit(main())
