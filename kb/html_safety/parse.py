"""HTML read as a browser reads it, with positions: the start tags of a text (for Markdown sources)
and the element tree of a page (for built pages), and files read as text.

Parsing is justhtml's (pure Python, no dependencies): its tokenizer and tree builder implement the
WHATWG HTML specification, so a tag, attribute or character reference is read as a browser reads
it (``<svg/onload=...>``, ``jav&#x09;ascript:``, ``<!-->``, the raw text of ``<script>``,
``<style>`` or ``<textarea>``), where the standard library's html.parser departs from browsers (it
reads ``<!--><img onerror=...>-->`` as one comment) and changes between Python patch releases.

justhtml's public ``track_node_locations`` gives where each element's start tag begins. Where each
attribute begins inside the tag is read here (:func:`_scan_start_tag`), by the tokenizer states of
the specification from the tag's ``<`` to its ``>``; the tag's name and attribute values are the
parser's.
"""
from __future__ import annotations

import bisect
import dataclasses
import html
import pathlib
import re
from collections.abc import Iterator

from justhtml import Document, Element, JustHTML, Template, Text

from kb.core.problems import Problem
from kb.core.site import Site
from kb.html_safety.policy import DATA_BLOCK_TYPES, JAVASCRIPT_TYPES, problem

_SPACE = "\t\n\f\r "
_FOREIGN_PREFIXES = ("xlink:", "xml:", "xmlns:")
"""The attribute prefixes the tree builder puts in a namespace on SVG and MathML elements."""


@dataclasses.dataclass(frozen=True)
class Tag:
    """A start tag as a browser reads it: lowercase name, span in the text, and its attributes in
    source order (duplicates kept, which a browser drops) with decoded values and the offset of
    each name."""

    name: str
    start: int
    end: int
    attributes: tuple[tuple[str, str, int], ...]


def parse_document(text: str) -> Document:
    """The tree a browser builds from ``text`` (newlines already LF, scripting on), each element
    knowing where its start tag begins (:func:`offset`)."""
    # The parser drops a leading byte order mark, which would move every offset by one: a space
    # keeps them where they are.
    text = " " + text[1:] if text.startswith("\ufeff") else text
    return JustHTML(text, sanitize=False, track_node_locations=True).root


def _scan_start_tag(text: str, start: int) -> tuple[str, list[tuple[str, str, int]], int | None] | None:
    """(name, [(attribute, raw value, offset of the name)], offset after the ``>`` or None at the
    end of the text) of the start tag at ``text[start] == "<"``, or None if none starts there.

    The states of the WHATWG tokenizer from *tag open* to *self-closing start tag*: names end at
    whitespace, ``/``, ``>`` (and attribute names at ``=``), values are quoted or end at
    whitespace or ``>``, anything else is kept in the name or value it is in."""
    end = len(text)
    if start + 1 >= end or text[start] != "<" or not text[start + 1].isascii() or not text[start + 1].isalpha():
        return None
    at = start + 1
    while at < end and text[at] not in _SPACE + "/>":
        at += 1
    name = text[start + 1:at].lower()
    attributes: list[tuple[str, str, int]] = []
    while at < end:
        char = text[at]
        if char in _SPACE or char == "/":
            at += 1
            continue
        if char == ">":
            return name, attributes, at + 1
        name_start = at
        at += 1  # a first "=" belongs to the name
        while at < end and text[at] not in _SPACE + "/>=":
            at += 1
        attribute = text[name_start:at].lower()
        while at < end and text[at] in _SPACE:
            at += 1
        value = ""
        if at < end and text[at] == "=":
            at += 1
            while at < end and text[at] in _SPACE:
                at += 1
            if at < end and text[at] in "\"'":
                close = text.find(text[at], at + 1)
                if close < 0:
                    return name, [*attributes, (attribute, text[at + 1:], name_start)], None
                value, at = text[at + 1:close], close + 1
            else:
                value_start = at
                while at < end and text[at] not in _SPACE + ">":
                    at += 1
                value = text[value_start:at]
        attributes.append((attribute, value, name_start))
    return name, attributes, None


def offset(element: Element) -> int | None:
    """Where the element's start tag begins in the parsed text; None for an element the parser made
    without one (``<html>``, ``<head>``, ``<body>``, ``<tbody>``...)."""
    return element.origin_offset


def start_tags(text: str) -> tuple[list[Tag], Tag | None]:
    """The start tags of ``text`` (newlines already LF) that make an element of the tree a browser
    builds, in source order, and a start tag the text ends inside of, if any.

    A tag the tree builder drops (``<td>`` outside a table, ``<frame>``, a second ``<head>``) makes
    nothing in a page and is not listed; ``<html>`` and ``<body>`` written inside a page give their
    attributes to the page's own, and are listed."""
    tags: dict[int, Tag] = {}
    for element, _ in elements(parse_document(text)):
        start = offset(element)
        scanned = _scan_start_tag(text, start) if start is not None else None
        if scanned is None or start in tags:
            continue
        name, attributes, end = scanned
        decoded = {key.lower(): value for key, value in element.attrs.items()}
        seen: set[str] = set()
        listed = []
        for attribute, raw, at in attributes:
            first = attribute not in seen and attribute in decoded
            listed.append((attribute, (decoded[attribute] or "") if first else html.unescape(raw), at))
            seen.add(attribute)
        tags[start] = Tag(name, start, end if end is not None else len(text), tuple(listed))
    found = sorted(tags.values(), key=lambda tag: tag.start)
    return found, _unfinished_tag(text, max((tag.end for tag in found), default=0))


_SENTINEL = "kb-html-safety-sentinel"


def _opens_a_tag(text: str, at: int) -> bool:
    """Whether a browser reading ``text`` reads the ``<`` at ``at`` as the start of a tag: it is in
    the data state there (not in a comment, raw text or another tag) exactly when a start tag put
    in its place makes an element there."""
    probe = parse_document(text[:at] + f"<{_SENTINEL}>")
    return any(element.name == _SENTINEL and offset(element) == at for element, _ in elements(probe))


def _unfinished_tag(text: str, after: int) -> Tag | None:
    """The start or end tag the text ends inside of, looked for after the last finished tag."""
    for m in re.finditer(r"</?[A-Za-z]", text[after:]):
        begin = after + m.start()
        scanned = _scan_start_tag("<" + text[begin + 2:], 0) if m.group().startswith("</") else \
            _scan_start_tag(text, begin)
        if scanned is not None and scanned[2] is None and _opens_a_tag(text, begin):
            name, attributes, _ = scanned
            return Tag(name, begin, len(text), tuple(attributes))
    return None


class LineIndex:
    """Offsets of a text → 1-based line and column."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def display(path: pathlib.Path) -> str:
    """How a path given on the command line is shown: relative to the working folder."""
    return Site.shown_from(path, pathlib.Path.cwd())


def read_text(path: pathlib.Path, shown: str) -> tuple[str | None, Problem | None]:
    """A file's text, or the problem that stops it being read (missing, unreadable, not UTF-8,
    binary)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, problem(shown, 1, 1, "HTM007", f"cannot read the file: {error.strerror or error}")
    if b"\0" in data:
        return None, problem(shown, 1, 1, "HTM007", "the file is binary (it has NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return None, problem(shown, line, col, "HTM007",
                             f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8")


def attribute_name(element: Element, name: str) -> str:
    """An attribute's name without the namespace prefix the tree builder gives it on SVG and MathML
    (``xlink:href`` is ``href`` in the XLink namespace), lowercase."""
    if element.namespace not in ("html", None):
        for prefix in _FOREIGN_PREFIXES:
            if name.lower().startswith(prefix):
                return name[len(prefix):].lower()
    return name.lower()


def is_html(element: Element) -> bool:
    return element.namespace in ("html", None)


def text_of(element: Element) -> str:
    """The text of an element and its descendants, as ``textContent``."""
    return "".join(node.data or "" if isinstance(node, Text) else text_of(node)
                   for node in element.children or () if isinstance(node, (Text, Element)))


def script_kind(attributes: dict[str, str | None]) -> str:
    """How a browser treats a <script>: "classic", "module", "importmap", "speculationrules",
    "data" (a data block of DATA_BLOCK_TYPES) or "unknown" (another type, never run)."""
    script_type = attributes.get("type")
    if script_type is None:
        language = attributes.get("language") or ""
        script_type = "" if not language else "text/" + language
    script_type = script_type.strip(" \t\n\f\r").lower()
    if script_type == "" or script_type in JAVASCRIPT_TYPES:
        return "classic"
    if script_type in ("module", "importmap", "speculationrules"):
        return script_type
    return "data" if script_type in DATA_BLOCK_TYPES else "unknown"


def elements(root: Document | Element) -> Iterator[tuple[Element, tuple[Element, ...]]]:
    """Every element of a tree in document order (a template's content included), with its ancestors."""
    stack: list[tuple[Element, tuple[Element, ...]]] = [
        (child, ()) for child in reversed(root.children or []) if isinstance(child, Element)]
    while stack:
        element, ancestors = stack.pop()
        yield element, ancestors
        children = list(element.children or [])
        if isinstance(element, Template) and element.template_content is not None:
            children += element.template_content.children or []
        stack.extend((child, (*ancestors, element)) for child in reversed(children) if isinstance(child, Element))


def script_source(element: Element) -> str | None:
    """The URL a script element loads, or None: ``src`` in HTML, ``href`` (plain or XLink) in
    SVG. An HTML script's ``href`` loads nothing, so its text runs."""
    names = ("src",) if is_html(element) else ("href",)
    for name, value in element.attrs.items():
        if attribute_name(element, name) in names:
            return value or ""
    return None


def inline_scripts(root: Document) -> Iterator[tuple[Element, str]]:
    """(element, text) of each inline script a browser runs."""
    for element, _ in elements(root):
        if element.name == "script" and script_kind(element.attrs) != "data" and not script_source(element):
            yield element, text_of(element)
