"""One Markdown file (a page, an included file, the glossary): the source pass and the rendered pass.

The *source* pass reads the file with code blanked by :func:`kb.core.markdown_text.mask_code` and reports
what it finds where it is written: raw HTML, attribute lists (``{: ... }``) and link targets,
against the allow-lists of :mod:`kb.html_safety.policy`. The *rendered* pass converts the file with
Python-Markdown and the site's extensions and applies the same rules to the HTML that comes out,
because what only looks like code in the source is HTML to Markdown and to browsers (a
backslash-escaped backtick, a code span inside a raw ``<div>``, a fence never closed, a comment a
browser ends at ``<!-->``); whatever only the rendered pass finds is reported where its text is
found in the source.
"""
from __future__ import annotations

import collections
import dataclasses
import pathlib
import re
from collections.abc import Iterable

from markdown.extensions.attr_list import get_attrs_and_remainder

from kb.core import report
from kb.core.includes import expand, references
from kb.core.markdown_text import blank, mask_code, normalize_newlines
from kb.core.pages import MARKDOWN_SUFFIXES, body_of
from kb.core.problems import Problem
from kb.core.site import Site, converter
from kb.html_safety.parse import LineIndex, Tag, display, read_text, start_tags
from kb.html_safety.policy import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_ELEMENTS,
    ATTRIBUTE_ADVICE,
    ELEMENT_ADVICE,
    MARKDOWN_CLASSES,
    MARKDOWN_STYLES,
    PAGE_CLASSES,
    THEME_ID_PREFIX,
    THEME_IDS,
    URL_ATTRIBUTES,
    bad_scheme,
    markdown_url_readings,
    problem,
    url_message,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]


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
        scheme = bad_scheme(markdown_url_readings(value))
        if scheme is None:
            return None
        return _Finding(offset, "HTM004", ("url", scheme), url_message(scheme, value, f"{name}= {where}"))
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


def _link_findings(masked: str) -> list[_Finding]:
    findings = []
    for pattern, what in ((_INLINE_LINK, "link target"), (_REFERENCE_DEFINITION, "link definition")):
        for m in pattern.finditer(masked):
            group = "angle" if m.group("angle") is not None else "bare"
            url = m.group(group)
            scheme = bad_scheme(markdown_url_readings(url))
            if scheme:
                findings.append(_Finding(m.start(group), "HTM004", ("url", scheme),
                                         url_message(scheme, url, f"the {what}")))
    return findings


def _autolink_findings(masked: str) -> tuple[list[_Finding], str, set[int]]:
    """Problems of ``<scheme:...>`` autolinks, the text with autolinks blanked (a tokenizer would
    read ``<https://...>`` as a tag named ``https:``), and where the autolinks start."""
    findings, starts = [], set()
    for m in _AUTOLINK.finditer(masked):
        scheme = bad_scheme([m.group("url")])
        if scheme:
            findings.append(_Finding(m.start("url"), "HTM004", ("url", scheme),
                                     url_message(scheme, m.group("url"), "the autolink")))
    for pattern in (_AUTOLINK, _EMAIL_AUTOLINK):
        for m in pattern.finditer(masked):
            masked = blank(masked, m.start(), m.end())
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


def _rendered_findings(text: str, already: Iterable[_Finding], autolinks: set[int],
                       site: Site | None) -> list[_Finding]:
    """Findings in the HTML Markdown makes of ``text`` that the source pass did not make.

    ``autolinks`` are where ``<scheme:...>`` is written: Python-Markdown passes one whose scheme
    is not http, https or ftp on as a tag, whose scheme the source pass has checked already."""
    rendered = normalize_newlines(converter(site).convert(body_of(text)))
    tags, _ = start_tags(rendered)
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


def check_markdown(path: str, text: str, site: Site | None = None) -> list[Problem]:
    """Every dangerous piece of HTML in one Markdown file (a page or an included file), outside
    code, with the line and column where it is written; rendered with the Markdown extensions of
    ``site`` (by default the project's)."""
    text = normalize_newlines(text)
    masked = mask_code(text, front_matter=True)
    findings = _link_findings(masked)
    linked = {f.offset for f in findings}
    autolink_findings, masked, autolinks = _autolink_findings(masked)
    findings += [f for f in autolink_findings if f.offset not in linked]
    findings += _attribute_list_findings(masked)
    tags, unfinished = start_tags(masked)
    findings += _tag_findings(tags)
    if unfinished is not None:
        findings.append(_Finding(unfinished.start, "HTM006", ("unfinished", unfinished.name),
                                 f"<{unfinished.name} is not closed with '>' before the end of the file: "
                                 f"whatever follows this file in a page would become part of the tag; "
                                 f"finish the tag or write &lt; for a literal '<'"))
    try:
        findings += _rendered_findings(text, findings, autolinks, site)
    except Exception as error:  # noqa: BLE001 - any failure of Markdown is reported, not raised
        findings.append(_Finding(0, "HTM007", ("markdown",),
                                 f"Markdown could not convert this file ({type(error).__name__}: {error}), "
                                 f"so its HTML could not be checked"))
    where = LineIndex(text)
    return sorted(problem(path, *where(f.offset), f.code, f.message) for f in findings)


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
        for target in references(text or ""):
            included = (root / target).resolve()
            if included.is_relative_to(root) and included.is_file() and included not in seen:
                seen.add(included)
                queue.append(included)
    return sorted(problems), len(queue)


def check_page(site: Site, path: pathlib.Path, text: str) -> list[Problem]:
    """A page as the build reads it: :func:`check_markdown` over the page with its includes expanded
    by pymdownx.snippets' rules (:func:`kb.core.includes.expand`), each problem reported in the file
    and at the line it is written in, page or include."""
    expanded = expand(site, path, normalize_newlines(text))
    problems = []
    for found in check_markdown(site.shown(path), expanded.text, site):
        origin, line, col = expanded.place(found.line, found.col)
        problems.append(dataclasses.replace(found, path=site.shown(origin), line=line, col=col))
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
    alone = site.include_files()
    alone += [site.glossary] if site.glossary is not None and site.glossary.is_file() else []
    for path in dict.fromkeys(alone):
        if site.shown(path) in site.set_aside:
            continue
        text, unreadable = read_text(path, site.shown(path))
        checked += 1
        problems.update([unreadable] if unreadable else check_markdown(site.shown(path), text or "", site))
    return report.CheckResult("html", tuple(sorted(problems)), {"files checked": checked})
