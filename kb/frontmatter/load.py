"""Read a page's raw source and load its front matter, keeping every key's line and column.

Source → text: UTF-8 with or without a byte order mark, CRLF, CR or LF line ends (as MkDocs reads
pages). UTF-16/32 and invalid UTF-8 are refused with the line of the first bad byte (FM001).

Text → block: :func:`kb.core.pages.split_front_matter`, where MkDocs 1.6 cuts the page
(``mkdocs.utils.meta``); every block MkDocs would silently drop is reported instead, saying why.

Block → values: PyYAML's composer (libyaml when available) builds the node tree with positions;
the small walk below turns nodes into Python values itself instead of PyYAML's constructor, because
the constructor keeps the last of duplicate keys, forgets positions, expands aliases without a
limit and stops at the first bad scalar. Scalars are still converted by PyYAML's safe constructor
(YAML 1.1 rules: ``2024-01-05`` is a date, ``yes`` is true, ``1.10`` is 1.1). Only the standard
tags are accepted; ``!!python/...`` and custom tags are reported and never constructed.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.core import yaml_bounds
from kb.core.markdown_text import clip, line_col, normalize_newlines
from kb.core.pages import CLOSE_FENCE, OPEN_FENCE, split_front_matter
from kb.core.problems import Problem

from .codes import problem

TAB_AFTER_COLON = re.compile(r"^[ ]*(?:-[ ]+)?[^\s#'\"\[{][^:#\n]*:(?=\t)", re.M)
"""A key followed by a tab: libyaml (MkDocs' reader) accepts it, the YAML spec and PyYAML's own reader
do not, so another generator would drop the whole block."""

MAX_BYTES, MAX_NODES = yaml_bounds.FRONT_MATTER.max_bytes, yaml_bounds.FRONT_MATTER.max_nodes
MAX_ALIASES, MAX_DEPTH = yaml_bounds.FRONT_MATTER.max_aliases, yaml_bounds.FRONT_MATTER.max_depth

MULTIMARKDOWN_RE = re.compile(r"[ ]{0,3}[A-Za-z0-9_-]+:(?:\s|$)")  # as mkdocs.utils.meta.META_RE

STANDARD = yaml_bounds.STANDARD_TAG
STR_TAG = STANDARD + "str"
SAFE_TAGS = {STANDARD + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}

# Hints for PyYAML's parser messages, matched on the message text.
YAML_HINTS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", 'a value contains ": "; put the whole value in double quotes'),
    ("cannot start any token", "use spaces, not tabs (to indent and after a colon), and quote values that start "
                               "with @, ` or %"),
    ("tab character", "indent with spaces, not tabs"),
    ("expected ',' or ']'", "close the list with ] and separate items with commas"),
    ("expected ',' or '}'", "close the mapping with } and separate entries with commas"),
    ("found unexpected end of stream", "close the quote that was opened"),
    ("expected <block end>", "line up the keys at the same indentation, with spaces only"),
    ("found undefined alias", "remove the * alias or write the value out"),
)
YAML_HINT_DEFAULT = "check the indentation and put values with special characters in double quotes"


class Broken:
    """Stands in for a value that could not be loaded; its problem is already reported."""

    def __repr__(self) -> str:
        return "<broken>"


BROKEN = Broken()


@dataclass(frozen=True)
class Where:
    line: int  # of the key (or list item) in the file, 1-based
    col: int
    raw: str | None  # the scalar value as written in the source, None for lists and mappings


@dataclass
class Page:
    """One page's front matter as loaded.

    ``data`` is the mapping of every key whose value loaded (None when the block is missing or is not
    a usable mapping); keys whose value was refused (impossible date, YAML tag, unreadable key) are
    left out, listed in ``refused_keys`` and reported in ``problems``. ``where`` maps key paths
    (``("search", "boost")``, ``("tags", 0)``) to their line and column in the file.
    """

    path: str
    data: dict[str, Any] | None = None
    where: dict[tuple[Any, ...], Where] = field(default_factory=dict)
    start: int = 1  # line of the opening ---
    end: int = 1  # line of the closing ---
    problems: list[Problem] = field(default_factory=list)
    refused_keys: set[str] = field(default_factory=set)  # top-level keys whose problem is already reported

    def at(self, key_path: tuple[Any, ...]) -> tuple[int, int]:
        """Line and column of a key path, falling back to its nearest recorded parent, then the block."""
        while key_path:
            if key_path in self.where:
                found = self.where[key_path]
                return found.line, found.col
            key_path = key_path[:-1]
        return self.start, 1


class _Loader(yaml_bounds.FAST_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, used only to compose nodes and convert standard scalars."""


class _TooLarge(Exception):
    pass


def read_text(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a page the way MkDocs does, or explain why it cannot be read."""
    fix = "save the file as UTF-8 in your editor"
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if raw.startswith(bom):
            return None, [problem(path, 1, 1, "FM001", f"the file is saved as {name}, not UTF-8", fix=fix)]
    if b"\x00" in raw:
        return None, [problem(path, *_byte_place(raw, raw.index(b"\x00")), "FM001",
                              "the file contains NUL bytes (binary data, or UTF-16 without a byte order mark)",
                              fix=fix)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [problem(path, *_byte_place(raw, error.start), "FM001",
                              f"byte 0x{raw[error.start]:02x} is not valid UTF-8 (the file is probably in another "
                              "encoding such as Windows-1252)", fix=fix)]
    return normalize_newlines(text), []


def _byte_place(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in bytes) of ``offset`` in undecoded text."""
    return raw.count(b"\n", 0, offset) + 1, offset - raw.rfind(b"\n", 0, offset)


def load_path(file: Path, display: str) -> Page:
    try:
        raw = file.read_bytes()
    except OSError as error:
        return Page(display, problems=[problem(display, 1, 1, "FM028", error.strerror or str(error),
                                               fix="check that the file exists and can be read")])
    return load_bytes(raw, display)


def load_bytes(raw: bytes, path: str) -> Page:
    text, problems = read_text(raw, path)
    if text is None:
        return Page(path, problems=problems)
    return load_text(text, path)


def load_text(text: str, path: str) -> Page:
    """Split the front matter block off ``text`` (LF line ends) and load it."""
    page = Page(path)
    lines = text.split("\n")
    first = lines[0]
    if not OPEN_FENCE.fullmatch(first):
        if MULTIMARKDOWN_RE.match(first):
            page.problems.append(problem(
                path, 1, 1, "FM003",
                f'the first line "{clip(first)}" is read by MkDocs as MultiMarkdown metadata and removed from '
                "the page; front matter must sit between two --- lines",
                fix='start the file with a line "---", put the key: value lines after it and close with "---"'))
        else:
            page.problems.append(problem(
                path, 1, 1, "FM002", "the page has no front matter (the first line is not ---)",
                fix="add a block at the top: ---, then title, description, tags and last_reviewed, then ---"))
        return page
    split = split_front_matter(text)  # where MkDocs cuts the page; the rest says why it did not
    if split.block is None:
        close = next((index for index in range(1, len(lines)) if CLOSE_FENCE.fullmatch(lines[index])), None)
        if close is None:
            page.problems.append(problem(path, 1, 1, "FM004", "the front matter opened on line 1 is never closed",
                                         fix='add a line "---" after the last front matter key'))
        elif close == len(lines) - 1:  # MkDocs needs a line break after the closing fence
            page.problems.append(problem(path, close + 1, 1, "FM004",
                                         "the closing --- is the last line and has no line break after it, so "
                                         "MkDocs ignores the whole block",
                                         fix="add a line break (and the page's text) after the closing ---"))
        else:  # the fences touch: nothing between them
            page.problems.append(_no_keys(path))
        return page
    block, page.end = split.block, split.close_line or 1
    if all(not line.strip() or line.lstrip().startswith("#") for line in block.split("\n")):
        page.problems.append(_no_keys(path))
        return page
    size = len(block.encode("utf-8"))
    if size > MAX_BYTES:
        page.problems.append(problem(path, 1, 1, "FM010",
                                     f"the front matter is {size:,} bytes, the limit is {MAX_BYTES:,}",
                                     fix="keep only the documented keys and move long text into the page body"))
        return page
    _parse(block, page)
    return page


def _no_keys(path: str) -> Problem:
    return problem(path, 1, 1, "FM005", "the front matter block holds no keys",
                   fix="write title, description, tags and last_reviewed between the --- lines")


def load_mapping(raw: bytes, path: str) -> Page:
    """A file that is all YAML mapping, such as a folder's ``.meta.yml`` (defaults for its pages)."""
    text, problems = read_text(raw, path)
    page = Page(path, start=0, problems=problems)
    if text is not None and text.strip():
        _parse(text, page)
    return page


def _parse(block: str, page: Page) -> None:
    offset = page.start + 1  # file line of the block's first line
    if m := TAB_AFTER_COLON.search(block):
        line, col = line_col(block, m.end())
        line += offset - 1
        page.problems.append(problem(page.path, line, col, "FM006",
                                     "YAML could not be read: a tab follows the colon, which YAML does not allow "
                                     "(some readers accept it, others drop the whole block)",
                                     fix="use spaces, not tabs (to indent and after a colon)"))
        return
    loader = _Loader(block)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + offset, mark.column + 1) if mark else (page.start, 1)
        found = (error.problem or "invalid YAML").strip()
        if error.context and error.context_mark and error.problem_mark \
                and error.context_mark.line != error.problem_mark.line:
            found += f" ({error.context.strip()} that starts on line {error.context_mark.line + offset})"
        hint = next((hint for needle, hint in YAML_HINTS if needle in found), YAML_HINT_DEFAULT)
        page.problems.append(problem(page.path, line, col, "FM006", f"YAML could not be read: {found}", fix=hint))
        return
    except RecursionError:
        page.problems.append(problem(page.path, page.start, 1, "FM010",
                                     "the front matter nests lists or mappings too deeply to read",
                                     fix="write flat key: value lines"))
        return
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports every error with a mark
        page.problems.append(problem(page.path, page.start, 1, "FM006", f"YAML could not be read: {error}",
                                     fix=YAML_HINT_DEFAULT))
        return
    finally:
        loader.dispose()
    if node is None:
        page.problems.append(_no_keys(page.path))
        return
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else f'the single value "{clip(str(node.value))}"'
        page.problems.append(problem(page.path, node.start_mark.line + offset, node.start_mark.column + 1,
                                     "FM008", f"the front matter is {kind}, not key: value lines",
                                     fix='write one "key: value" per line, without a leading "- "'))
        return
    walker = _Walker(page, loader, offset)
    try:
        data = walker.mapping(node, ())
        # Consumers get only values that loaded; the others are reported and listed in refused_keys.
        page.refused_keys.update(key for key, value in data.items() if _contains_broken(value))
        page.data = {key: value for key, value in data.items() if key not in page.refused_keys}
    except _TooLarge as error:
        page.data = None
        page.where.clear()
        page.problems.append(problem(page.path, walker.line, 1, "FM010", str(error),
                                     fix="remove YAML anchors (&) and aliases (*) and keep only the documented keys"))


class _Walker:
    """Nodes → Python values, recording positions and reporting what the contract refuses."""

    def __init__(self, page: Page, loader: _Loader, offset: int) -> None:
        self.page, self.loader, self.offset = page, loader, offset
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()
        self.line = page.start

    def _count(self, node: yaml.Node) -> None:
        self.nodes += 1
        if id(node) in self.seen:  # the same node reached again: an alias
            self.aliases += 1
        elif not isinstance(node, yaml.ScalarNode):
            self.seen.add(id(node))
        if self.aliases > MAX_ALIASES:
            raise _TooLarge(f"the front matter uses more than {MAX_ALIASES} YAML aliases")
        if self.nodes > MAX_NODES:
            raise _TooLarge(f"the front matter expands to more than {MAX_NODES:,} values (through YAML aliases "
                            "or a very long list)")

    def _position(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + self.offset, node.start_mark.column + 1

    def _problem(self, node: yaml.Node, code: str, key_path: tuple[Any, ...], message: str, fix: str) -> None:
        line, col = self._position(node)
        self.page.problems.append(problem(self.page.path, line, col, code, message,
                                          field=yaml_bounds.dotted(key_path), fix=fix))

    def value(self, node: yaml.Node, key_path: tuple[Any, ...]) -> Any:
        self._count(node)
        if len(key_path) > MAX_DEPTH:
            raise _TooLarge(f"the front matter nests lists or mappings more than {MAX_DEPTH} levels deep")
        self.line = self._position(node)[0]
        if node.tag not in SAFE_TAGS:
            self._problem(node, "FM009", key_path, f"the YAML tag {yaml_bounds.short_tag(node.tag)} is not allowed",
                          "remove the tag and write a plain value (quote it if it starts with !)")
            return BROKEN
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, key_path)
        if isinstance(node, yaml.SequenceNode):
            return [self._item(item, key_path + (index,)) for index, item in enumerate(node.value)]
        if node.tag == STR_TAG:  # what SafeConstructor.construct_yaml_str returns, without the detour
            if (bad := _unusable(node.value)) is not None:
                self._problem(node, "FM030", key_path,
                              f"U+{ord(node.value[bad]):04X} (at character {bad + 1}) is a control character or a "
                              "Unicode noncharacter, which the updates feed and the pages cannot carry",
                              "retype the text without it (and without escapes such as \\x01 or \\uFFFF)")
                return BROKEN
            return node.value
        try:
            value = self.loader.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError) as error:
            self._problem(node, "FM013", key_path,
                          f'"{clip(node.value)}" is not a real date ({error})',
                          "check the date against a calendar and correct the day or month")
            return BROKEN
        if isinstance(value, float) and not math.isfinite(value):
            self._problem(node, "FM018", key_path,
                          f'expected a number, got "{clip(node.value)}", which YAML reads as '
                          + ("not-a-number" if math.isnan(value) else "infinity"),
                          "write an ordinary number, for example 2 or 0.5")
            return BROKEN
        return value

    def _item(self, node: yaml.Node, key_path: tuple[Any, ...]) -> Any:
        line, col = self._position(node)
        self.page.where[key_path] = Where(line, col, node.value if isinstance(node, yaml.ScalarNode) else None)
        return self.value(node, key_path)

    def mapping(self, node: yaml.MappingNode, key_path: tuple[Any, ...]) -> dict[Any, Any]:
        if key_path == ():
            self._count(node)
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, key_path)
            line, col = self._position(key_node)
            if key is BROKEN:
                self.value(value_node, key_path + ("?",))
                continue
            if key in result:
                self._problem(key_node, "FM007", key_path + (key,),
                              f"the key is written twice (first on line {first_line[key]}); YAML would silently "
                              "keep only this last value",
                              f"keep one {key}: line and delete the other")
                self.value(value_node, key_path + (key,))
                continue
            first_line[key] = line
            raw = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            self.page.where[key_path + (key,)] = Where(line, col, raw)
            result[key] = self.value(value_node, key_path + (key,))
        return result

    def key(self, node: yaml.Node, key_path: tuple[Any, ...]) -> Any:
        self._count(node)
        if node.tag == STANDARD + "merge":
            self._problem(node, "FM011", key_path + ("<<",), "the YAML merge key << is not allowed",
                          "write each key out in full")
            return BROKEN
        if not isinstance(node, yaml.ScalarNode) or node.tag not in SAFE_TAGS:
            self._problem(node, "FM011", key_path + ("?",), "a key is a list, a mapping or a tagged value",
                          "write keys as plain names such as title")
            return BROKEN
        try:
            key = node.value if node.tag == STR_TAG else self.loader.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError):
            key = BROKEN
        if not isinstance(key, str):
            kind = _describe(key) if key is not BROKEN else "an impossible date"
            self._problem(node, "FM011", key_path + (node.value,),
                          f'the key "{clip(node.value)}" is read as {kind}, not as a name',
                          "write keys as plain lowercase names such as title, or remove the line")
            return BROKEN
        odd = [] if key.isascii() and key.isprintable() else [char for char in key if _invisible(char)]
        if odd:
            names = ", ".join(sorted({f"U+{ord(char):04X} {unicodedata.name(char, 'control character').lower()}"
                                      for char in odd}))
            clean = "".join(char for char in key if not _invisible(char)).strip()
            self._problem(node, "FM011", key_path + (clean,),
                          f'the key "{clean}" contains invisible characters ({names})',
                          f"delete the line's key and retype it as {clean}")
            if not key_path:
                self.page.refused_keys.add(clean)
            return BROKEN
        return key


def _contains_broken(value: Any) -> bool:
    if value is BROKEN:
        return True
    if isinstance(value, list):
        return any(_contains_broken(item) for item in value)
    if isinstance(value, dict):
        return any(_contains_broken(item) for item in value.values())
    return False


_UNUSABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                       + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                 for plane in range(1, 17)) + "]")
"""Control characters (but tab and newline), surrogates and Unicode noncharacters: XML (the Atom
feed) cannot hold them and no reader's text needs them."""


def _unusable(text: str) -> int | None:
    m = _UNUSABLE.search(text)
    return m.start() if m else None


def _invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Zl", "Zp") or (category == "Zs" and char != " ")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "an empty value (null)"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"
