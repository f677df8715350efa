"""YAML read with bounds: size, aliases, values after alias expansion and nesting, checked before
anything walks or builds the data.

A YAML file of a pull request is untrusted: ten lines of anchors and aliases (``&a [*b, *b, ...]``)
expand to billions of values, and every reader that walks the data (the checks, MkDocs' own
validation of ``nav``, jsonschema) would run out of memory or stall. :func:`compose` parses the text
into PyYAML's node tree, where an alias is the same node reached twice and nothing is expanded yet,
then walks that tree once, counting, and stops at the first limit passed. Front matter has
its own limits (:data:`FRONT_MATTER`, which :mod:`kb.frontmatter.load` applies as it walks the
block); :data:`LIMITS` gives every other YAML file the build reads its own, each far above what the
file holds today.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when installed (it parses about ten times faster), else PyYAML's."""
STANDARD_TAG = "tag:yaml.org,2002:"


@dataclasses.dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_nodes: int  # values after alias expansion
    max_aliases: int
    max_depth: int  # lists and mappings inside each other


FRONT_MATTER = Limits(16 * 1024, 1000, 20, 20)
"""A page's front matter block (a few hundred bytes, two levels deep today: ``search: boost:``)."""
CONFIG = Limits(128 * 1024, 20_000, 20, 20)
"""mkdocs.yml and the file it inherits from (6 KB, about 600 values, 6 levels today)."""

LIMITS: dict[str, Limits] = {
    "data/references.yml": Limits(2 * 1024 * 1024, 200_000, 20, 10),  # 15 KB, 2 levels today
    "data/tags.yml": Limits(64 * 1024, 2_000, 20, 4),
    "data/crisis.yml": CONFIG,  # inherited by mkdocs.yml
}
DATA_DEFAULT = Limits(256 * 1024, 20_000, 20, 20)
"""Any other YAML file under data/."""


class LimitError(Exception):
    """A YAML text passes a limit; ``line`` and ``col`` (1-based) say where."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def limits_for(shown: str) -> Limits:
    return LIMITS.get(shown, DATA_DEFAULT)


def measure(node: yaml.Node | None, limits: Limits) -> None:
    """Walk a composed node tree once, with aliases expanded, stopping at the first limit passed
    (:class:`LimitError`). The work is bounded by ``max_nodes`` whatever the tree."""
    if node is None:
        return
    seen: set[int] = set()
    nodes = aliases = 0
    stack: list[tuple[yaml.Node, int]] = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        nodes += 1
        mark = current.start_mark
        where = (mark.line + 1, mark.column + 1)
        if not isinstance(current, yaml.ScalarNode):
            if id(current) in seen:
                aliases += 1
            seen.add(id(current))
        if aliases > limits.max_aliases:
            raise LimitError(*where, f"more than {limits.max_aliases} YAML aliases (*name): aliases can "
                                     "expand a few lines into billions of values; write the values out")
        if nodes > limits.max_nodes:
            raise LimitError(*where, f"more than {limits.max_nodes:,} values once YAML aliases are expanded; "
                                     "write the values out without anchors (&) and aliases (*)")
        if depth > limits.max_depth:
            raise LimitError(*where, f"lists and mappings nested more than {limits.max_depth} levels deep")
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                stack.append((value, depth + 1))
                stack.append((key, depth + 1))


def check_size(text: str, limits: Limits) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise LimitError(1, 1, f"the file is {size:,} bytes, the limit is {limits.max_bytes:,}")


def compose(text: str, limits: Limits, loader: type = FAST_LOADER) -> yaml.Node | None:
    """The node tree of ``text`` within ``limits``: :class:`LimitError` if it passes one,
    ``yaml.YAMLError`` if it is not YAML."""
    check_size(text, limits)
    try:
        node = yaml.compose(text, Loader=loader)
    except RecursionError:
        raise LimitError(1, 1, f"lists and mappings nested more than {limits.max_depth} levels deep") from None
    measure(node, limits)
    return node


def safe_load(text: str, limits: Limits) -> Any:
    """``yaml.safe_load`` within ``limits`` (:class:`LimitError`, ``yaml.YAMLError``)."""
    node = compose(text, limits)
    if node is None:
        return None
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def read(path: Path, shown: str) -> Any:
    """A data file's values within its limits (:class:`LimitError`, ``yaml.YAMLError``, ``OSError``,
    ``UnicodeDecodeError``)."""
    return safe_load(path.read_text(encoding="utf-8-sig"), limits_for(shown))


def mapping_keys(path: Path, limits: Limits) -> set[str]:
    """The keys of the mapping a YAML file holds, as text, read within ``limits``; none when the file
    cannot be read, passes a limit, is not YAML or not a mapping (the file's own check says why)."""
    try:
        root = compose(path.read_text(encoding="utf-8-sig"), limits)
    except (OSError, UnicodeDecodeError, LimitError, yaml.YAMLError):
        return set()
    return {str(key.value) for key, _ in root.value} if isinstance(root, yaml.MappingNode) else set()


def short_tag(tag: str) -> str:
    """``!!python/object`` for ``tag:yaml.org,2002:python/object``, as YAML files write it."""
    return "!!" + tag[len(STANDARD_TAG):] if tag.startswith(STANDARD_TAG) else tag


def dotted(path: tuple[Any, ...]) -> str:
    """A key path as contributors name it: ``search.boost``, list positions left out."""
    return ".".join(str(part) for part in path if not isinstance(part, int))


def describe(error: yaml.YAMLError) -> tuple[int, int, str]:
    """Line, column and text of a YAML syntax error."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return line, col, (getattr(error, "problem", None) or str(error)).strip()
