"""Read the top-level sections of ``nav:`` in mkdocs.yml and add a page to one of them.

PyYAML cannot round-trip mkdocs.yml (it has ``!ENV`` tags and comments), so reading goes
through kb.core.site's loader (tags build nothing), and writing inserts one line into the text, at the
end of the section's block, with the indentation of the section's own entries. The result is
parsed again and checked before anyone writes it to disk.
"""
from __future__ import annotations

import dataclasses
import re

import yaml

from kb.core.site import parse_config


class NavError(ValueError):
    """mkdocs.yml's nav cannot be read or edited as asked."""


@dataclasses.dataclass(frozen=True)
class Section:
    """A top-level nav entry that holds a list of pages, e.g. ``- Ketamine: [ketamine/index.md, ...]``."""

    title: str
    folder: str          # the top folder its pages live in under docs/, e.g. "ketamine"
    pages: tuple[str, ...]


def load_nav(text: str) -> list:
    try:
        config = parse_config(text)
    except yaml.YAMLError as error:
        raise NavError(f"mkdocs.yml is not valid YAML: {error}") from None
    if not isinstance(config, dict) or not isinstance(config.get("nav"), list):
        raise NavError("mkdocs.yml has no nav: list")
    return config["nav"]


def _pages(item: object) -> list[str]:
    """Every page path below a nav item, in order."""
    if isinstance(item, str):
        return [item]
    if isinstance(item, list):
        return [page for child in item for page in _pages(child)]
    if isinstance(item, dict):
        return [page for child in item.values() for page in _pages(child)]
    return []


def sections(text: str) -> list[Section]:
    """The top-level nav sections that hold pages from one folder, in nav order."""
    found = []
    for item in load_nav(text):
        if not (isinstance(item, dict) and len(item) == 1):
            continue
        (title, children), = item.items()
        if not isinstance(children, list):
            continue
        pages = tuple(p for p in _pages(children) if p.endswith(".md") and "://" not in p)
        folders = {p.split("/")[0] if "/" in p else "" for p in pages}
        if len(folders) == 1 and "" not in folders:  # subsections in subfolders are fine
            found.append(Section(str(title), folders.pop(), pages))
    return found


def all_pages(text: str) -> list[str]:
    return _pages(load_nav(text))


_BLANK_OR_COMMENT = re.compile(r"^\s*(#.*)?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _item_key(line: str) -> str | None:
    """The key of a one-line ``- Key:`` sequence entry, quoting resolved, or None."""
    try:
        value = yaml.safe_load(line.strip())
    except yaml.YAMLError:
        return None
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict) and len(value[0]) == 1:
        (key, child), = value[0].items()
        if child is None:
            return str(key)
    return None


def add_page(text: str, section_title: str, page: str) -> str:
    """``text`` with ``page`` appended as the last entry of the top-level nav section ``section_title``."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    try:
        start = next(i for i, line in enumerate(lines) if re.match(r"^nav:\s*(#.*)?$", line.rstrip("\r\n")))
    except StopIteration:
        raise NavError("mkdocs.yml has no block-style `nav:` line at the start of a line") from None

    # The top-level entries of nav: all "- " lines at one indentation (which may be 0).
    item_indent = None
    header = None
    end_of_nav = len(lines)
    for i in range(start + 1, len(lines)):
        line = lines[i].rstrip("\r\n")
        if _BLANK_OR_COMMENT.match(line):
            continue
        indent = _indent(line)
        if item_indent is None:
            if not line.lstrip().startswith("- "):
                raise NavError("mkdocs.yml's nav: is not a block list")
            item_indent = indent
        if indent < item_indent or (indent == item_indent and not line.lstrip().startswith("-")):
            end_of_nav = i
            break
        if indent == item_indent and header is None and _item_key(line) == section_title:
            header = i
        elif indent == item_indent and header is not None:
            end_of_nav = i
            break
    if header is None:
        raise NavError(f"no top-level nav section {section_title!r} written as `- {section_title}:` on its own line")

    # The section's block: every following line indented deeper than its header.
    child_indent = None
    last = header
    for i in range(header + 1, end_of_nav):
        line = lines[i].rstrip("\r\n")
        if _BLANK_OR_COMMENT.match(line):
            continue
        if _indent(line) <= item_indent:
            break
        if child_indent is None:
            child_indent = _indent(line)
        last = i
    if child_indent is None:
        raise NavError(f"nav section {section_title!r} has no pages to add beside")

    if not lines[last].endswith(("\n", "\r")):
        lines[last] += newline
    lines.insert(last + 1, " " * child_indent + "- " + page + newline)
    result = "".join(lines)

    # Check the edit did what it should before anyone writes it.
    before = [s for s in sections(text) if s.title == section_title]
    after = [s for s in sections(result) if s.title == section_title]
    if not before or not after or after[0].pages != before[0].pages + (page,):
        raise NavError(f"could not add {page} to nav section {section_title!r} safely; add it by hand")
    return result
