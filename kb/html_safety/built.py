"""The check of a built site, theme included: every page, SVG picture and XML document, and the
style sheets; and the inline scripts of a page, hashed for its Content-Security-Policy.

No event handlers, no ``javascript:``/``data:``/``vbscript:`` URLs, only same-site scripts or the
theme's inline ones of the reviewed list (:mod:`kb.html_safety.csp`), the site's policy on every
page, nothing that embeds another document, and nothing loaded from another host.
"""
from __future__ import annotations

import pathlib
import re
from collections.abc import Iterator

from justhtml import Element

from kb.core.markdown_text import is_same_site_path, normalize_newlines, quoted, url_scheme
from kb.core.problems import Problem
from kb.core.site import Site
from kb.html_safety import csp
from kb.html_safety.parse import (
    LineIndex,
    attribute_name,
    display,
    elements,
    inline_scripts,
    offset,
    parse_document,
    read_text,
    script_kind,
    script_source,
    text_of,
)
from kb.html_safety.policy import (
    BUILT_FORBIDDEN_ELEMENTS,
    BUILT_FORBIDDEN_SCHEMES,
    BUILT_URL_ATTRIBUTES,
    DATA_BLOCK_TYPES,
    FETCHING_ELEMENTS,
    MARKDOWN_STYLES,
    NON_FETCHING_LINKS,
    PAGE_SUFFIXES,
    SITE_SUFFIXES,
    URL_LISTS,
    problem,
)


def inline_script_hashes(html_text: str) -> set[str]:
    """The CSP hashes (``'sha256-<base64>'``) of the inline scripts a browser would run in a page
    (classic and module scripts, import maps), for its Content-Security-Policy."""
    root = parse_document(normalize_newlines(html_text))
    return {csp.script_hash(text) for _, text in inline_scripts(root)}


def _attributes(element: Element) -> list[tuple[str, str]]:
    """(name without namespace prefix, lowercase; value) of each attribute of an element."""
    return [(attribute_name(element, name), value or "") for name, value in element.attrs.items()]


def _built_findings(root) -> Iterator[tuple[object, str, str]]:
    """(element, code, message) of each problem of a parsed built page, given the allowed hashes
    by the caller (see check_built_html)."""
    for element, ancestors in elements(root):
        tag = element.name
        in_article = any(a.name == "article" for a in ancestors)
        for attribute, value in _attributes(element):
            if attribute.startswith("on"):
                yield element, "HTM002", (f"{attribute}= on <{tag}> is an event handler: it runs script; "
                                          f"remove the {attribute} attribute where it comes from")
            elif attribute in BUILT_URL_ATTRIBUTES:
                urls = URL_LISTS[attribute].split(value) if attribute in URL_LISTS else [value]
                for url in urls:
                    url = url.strip().split(" ")[0] if attribute in URL_LISTS else url
                    scheme = url_scheme(url)
                    if scheme in BUILT_FORBIDDEN_SCHEMES:
                        yield element, "HTM004", (f"{attribute}= on <{tag}> is {quoted(url)}: a "
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
        elif tag == "meta" and (element.attrs.get("http-equiv") or "").strip().lower() == "refresh":
            yield element, "HTM001", ("<meta http-equiv=\"refresh\"> sends the reader to another address; "
                                      "no page may have one")
        elif tag == "style" and in_article:
            yield element, "HTM001", ("<style> in the page content can restyle the whole site, the crisis "
                                      "banner included; remove it from the page's source")


def _script_findings(root, allowed: frozenset[str]) -> Iterator[tuple[object, str, str]]:
    for element, _ in elements(root):
        if element.name != "script":
            continue
        kind = script_kind(element.attrs)
        source = script_source(element)
        if kind == "data":
            continue
        if kind == "unknown":
            yield element, "HTM005", (f"<script type={quoted(element.attrs.get('type') or '')}> is neither "
                                      f"JavaScript nor a JSON data block ({', '.join(sorted(DATA_BLOCK_TYPES))})")
        elif source is not None:
            if not is_same_site_path(source):
                yield element, "HTM005", (f"<script src={quoted(source)}> loads script from another site; "
                                          f"scripts come from the site itself, by a relative URL")
        else:
            digest = csp.script_hash(text_of(element))
            if digest not in allowed:
                yield element, "HTM005", (f"inline {kind} script {digest} is not one of the allowed inline "
                                          f"scripts; if the theme wrote it, review it and add its hash to "
                                          f"the allowed hashes")


_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


def _is_remote(url: str) -> bool:
    """A URL a browser fetches from another host: any scheme but ``data:``, or ``//host``."""
    return not is_same_site_path(url) and url_scheme(url) != "data"


def css_remote_urls(css: str) -> list[tuple[int, str]]:
    """(offset, url) of each ``url(...)`` and ``@import`` of a style sheet that names another host."""
    return [(m.start(), url) for m in _CSS_URL.finditer(css)
            for url in [next(g for g in m.groups() if g is not None)] if _is_remote(url.strip())]


def _remote_findings(root) -> Iterator[tuple[object, str, str]]:
    for element, _ in elements(root):
        tag = element.name.lower()
        attributes = dict(_attributes(element))
        if tag == "script" or tag in BUILT_FORBIDDEN_ELEMENTS:
            continue  # reported as such (HTM005, HTM001), wherever they load from
        if tag in FETCHING_ELEMENTS and not (
                tag == "link" and set(attributes.get("rel", "").lower().split()) <= NON_FETCHING_LINKS
                and attributes.get("rel", "").strip()):
            for attribute in ("src", "href", "srcset", "imagesrcset", "poster", "data"):
                value = attributes.get(attribute)
                urls = [u.strip().split(" ")[0] for u in URL_LISTS[attribute].split(value)] \
                    if value and attribute in URL_LISTS else [value or ""]
                for url in (u for u in urls if u.strip() and _is_remote(u)):
                    yield element, "HTM009", (f"{attribute}= on <{tag}> is {quoted(url)}: the reader's browser would "
                                              f"ask another host for it (and tell it who is reading this page); "
                                              f"save the file in the site and use a relative link")
        css = attributes.get("style", "") + (text_of(element) if tag == "style" else "")
        for _, url in css_remote_urls(css):
            yield element, "HTM009", (f"the style of <{tag}> loads {quoted(url)} from another host; "
                                      f"save the file in the site and use a relative url()")


def _policy_findings(root, text: str, hashes: frozenset[str]) -> Iterator[tuple[object, str, str]]:
    """The page must carry, first in its head, exactly the site's policy for its reviewed scripts."""
    metas = [element for element, _ in elements(root) if element.name == "meta"
             and (element.attrs.get("http-equiv") or "").strip().lower() == "content-security-policy"]
    expected = csp.policy(hashes)
    if not metas:
        yield root, "HTM008", ("the page has no Content-Security-Policy: every page gets one from hooks/csp.py; "
                               "build with MkDocs and the site's hooks (mkdocs.yml), as `make build` does")
        return
    for meta in metas:
        if (meta.attrs.get("content") or "") != expected:
            yield meta, "HTM008", (f"the page's Content-Security-Policy is not the site's for its reviewed "
                                   f"scripts (kb/csp-theme-scripts.txt): expected {quoted(expected, 400)}")
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
    (kb.html_safety.csp). ``policy``: the page must carry the site's Content-Security-Policy for them."""
    text = normalize_newlines(html_text)
    root = parse_document(text)
    where = LineIndex(text)
    reviewed = frozenset(csp.script_hash(script) for _, script in inline_scripts(root) if csp.reviewed(script))
    allowed = reviewed if allowed_inline_script_hashes is None else allowed_inline_script_hashes
    findings = [*_built_findings(root), *_script_findings(root, allowed), *(_remote_findings(root) if remote else ())]
    if policy:
        findings += _policy_findings(root, text, reviewed)
    problems = []
    for element, code, message in findings:
        problems.append(problem(path, *where(offset(element) or 0), code, message))
    return sorted(problems)


_XML_SCRIPT = re.compile(r"<\s*(?:[\w.-]+:)?script[\s/>]", re.I)
_XML_HANDLER = re.compile(r"<[^>]*\s(?:[\w.-]+:)?on\w+\s*=", re.I)
_XML_STYLESHEET = re.compile(r"<\?xml-stylesheet\b", re.I)


def _xml_findings(path: str, text: str) -> list[Problem]:
    """What an XML reading of a document runs: a script element or event handler under any
    namespace prefix, or an XSLT style sheet (which can write a script)."""
    where = LineIndex(text)
    found = []
    for pattern, code, message in (
            (_XML_SCRIPT, "HTM005", "a script element (under any namespace prefix) runs when the file is opened"),
            (_XML_HANDLER, "HTM002", "an on...= attribute (under any namespace prefix) is an event handler"),
            (_XML_STYLESHEET, "HTM001", "an xml-stylesheet can transform the file into a page that runs script")):
        found += [problem(path, *where(m.start()), code, message + "; the site publishes no such file")
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
        text = normalize_newlines(text or "")
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
        where = LineIndex(text)
        problems += [problem(shown, *where(at), "HTM009", f"url({quoted(url)}) loads a file from another host; "
                              f"save it in the site and use a relative url()") for at, url in css_remote_urls(text)]
    return sorted(set(problems))


def theme_scripts(site_dir: pathlib.Path) -> str:
    """The reviewed list's text for a built site (of empty pages: every inline script is the theme's)."""
    scripts: set[str] = set()
    for path in site_files(site_dir):
        root = parse_document(path.read_text(encoding="utf-8"))
        scripts |= {csp.generalise(text) for _, text in inline_scripts(root)}
    return csp.HEADER + "".join(script + "\n" for script in sorted(scripts))
