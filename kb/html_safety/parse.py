"""HTML read as a browser reads it, with positions: the tags of a text (for Markdown sources) and
the element tree of a page (for built pages), and files read as text.

Parsing is html5lib's: its tokenizer and tree builder implement the WHATWG HTML specification
state by state, so a tag, attribute or character reference is read as a browser reads it
(``<svg/onload=...>``, ``jav&#x09;ascript:``, ``<!-->``), where the standard library's
html.parser departs from browsers (it reads ``<!--><img onerror=...>-->`` as one comment) and
changes between Python patch releases.
"""
from __future__ import annotations

import bisect
import collections
import dataclasses
import pathlib
import re
import sys
from collections.abc import Iterator

import html5lib
from html5lib import _tokenizer
from html5lib._inputstream import HTMLUnicodeInputStream
from html5lib.constants import tokenTypes

from kb.bibliography import Problem
from kb.html_safety.policy import DATA_BLOCK_TYPES, JAVASCRIPT_TYPES, problem

RAW_TEXT_STATES: dict[str, str] = {
    "script": "scriptDataState",
    "style": "rawtextState", "xmp": "rawtextState", "iframe": "rawtextState",
    "noembed": "rawtextState", "noframes": "rawtextState", "noscript": "rawtextState",
    "textarea": "rcdataState", "title": "rcdataState",
    "plaintext": "plaintextState",
}
"""HTML elements whose content a browser reads as text, and the tokenizer state it reads it in
(the switch a browser's tree builder makes; scripting is on, so ``noscript`` is raw text too)."""


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


def normalize_newlines(text: str) -> str:
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


class LineIndex:
    """Offsets of a text → 1-based line and column."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, col: int) -> int:
        return self.starts[min(line, len(self.starts)) - 1] + col


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


def parse_document(text: str):
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


def split_name(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def script_kind(attributes: dict[str, str]) -> str:
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


def elements(root) -> Iterator[tuple[object, tuple[object, ...]]]:
    """Every element of an ElementTree in document order, with its ancestors."""
    stack = [(root, ())]
    while stack:
        element, ancestors = stack.pop()
        yield element, ancestors
        stack.extend((child, ancestors + (element,)) for child in reversed(element)
                     if isinstance(child.tag, str))


def inline_scripts(root) -> Iterator[tuple[object, str]]:
    """(element, text) of each inline script a browser runs."""
    for element, _ in elements(root):
        namespace, local = split_name(element.tag)
        if local == "script" and script_kind(element.attrib) != "data" and not script_source(element):
            yield element, "".join(element.itertext())


def script_source(element) -> str | None:
    """The URL a script element loads, or None: ``src`` in HTML, ``href`` (plain or XLink) in
    SVG. An HTML script's ``href`` loads nothing, so its text runs."""
    names = ("src",) if split_name(element.tag)[0] in (_HTML_NS, "") else ("href",)
    for name, value in element.attrib.items():
        if split_name(name)[1] in names:
            return value
    return None

