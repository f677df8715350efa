"""The rules of the HTML safety check, as data: the problem codes, what a page may write (elements,
attributes, classes, ids, URL schemes), what a built page may hold, and the advice each refusal gives.

Everything here is data or a small function of one value (a link target's scheme, read as a
browser reads it by :func:`kb.core.markdown_text.url_scheme`); the passes that apply the rules are
in :mod:`kb.html_safety.source` and :mod:`kb.html_safety.built`.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from kb.core.markdown_text import quoted, url_scheme
from kb.core.problems import register
from kb.html_safety import codes

problem = register(codes.CODES)

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

MARKDOWN_STYLES: dict[tuple[str, str], re.Pattern[str]] = {
    ("th", "style"): re.compile(r"text-align: (?:left|right|center);"),
    ("td", "style"): re.compile(r"text-align: (?:left|right|center);"),
}
"""The style attributes Markdown itself writes (a table column's alignment, ``|:---:|``):
allowed in the rendered pass and in built page content, and nowhere else."""

# ------------------------------------------------------------------------------------------ URLs

_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def markdown_url_readings(url: str) -> set[str]:
    """What a link target written in Markdown may reach the browser as: Markdown drops backslash
    escapes and keeps character references, which the browser then decodes."""
    unescaped = _BACKSLASH_ESCAPE.sub(r"\1", url)
    return {url, unescaped, html.unescape(url), html.unescape(unescaped)}


def bad_scheme(readings: Iterable[str], allowed: frozenset[str] = ALLOWED_SCHEMES) -> str | None:
    for reading in readings:
        scheme = url_scheme(reading)
        if scheme is not None and scheme not in allowed:
            return scheme
    return None


def url_message(scheme: str, url: str, what: str) -> str:
    return (f"{what} {quoted(url)} has the scheme '{scheme}:', which can run script or hide a page "
            f"in the link; allowed: {', '.join(sorted(ALLOWED_SCHEMES))} or a relative link; "
            f"link to an https:// page instead")


# ---------------------------------------------------------------------------------- built pages

BUILT_URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "srcset", "imagesrcset", "poster", "data", "cite",
    "background", "longdesc", "manifest", "ping", "codebase", "archive", "icon", "lowsrc",
    "dynsrc", "profile", "usemap", "classid", "xml:base",
})
"""Attributes a browser reads one or more URLs from (``xlink:href`` is ``href`` in the XLink
namespace; ``srcset``, ``ping`` and ``archive`` hold lists)."""

URL_LISTS: dict[str, re.Pattern[str]] = {
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

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht")
SITE_SUFFIXES = (*PAGE_SUFFIXES, ".svg", ".xml")
"""Files of a built site a browser can open as a document that runs script: pages, XHTML and XML
documents (an XML file can hold XHTML or SVG script, or name an XSLT style sheet), and SVG
pictures (opened by a link, an SVG runs its scripts as a page of the site would)."""

FETCHING_ELEMENTS = frozenset({
    "img", "link", "script", "source", "video", "audio", "track", "iframe", "object", "embed",
    "input", "image", "use", "feimage",
})
"""Elements whose ``src``/``href``/``srcset``/``poster``/``data`` the browser fetches as the page loads."""

NON_FETCHING_LINKS = frozenset({"canonical", "alternate", "prev", "next", "author", "license", "help", "search"})
"""``<link rel=...>`` values a browser does not fetch (a canonical address may name the site's host)."""
