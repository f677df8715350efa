"""The files under the docs folder besides pages: only what a reader needs, by allow-list.

MkDocs publishes every other file of the docs folder as it is, at the site's own address. A
``.html``, ``.svg`` or ``.xml`` file would run its scripts there with no Content-Security-Policy
(and could register a service worker over the whole site); a file at the path of a theme file
would replace it; ``_redirects``, ``_headers``, ``CNAME`` or ``robots.txt`` would steer the host.
So only these are allowed (anything else is reported, with what to do):

- pages (``.md``), checked by the other checks; ``.meta.yml`` folder defaults (the front matter check);
- raster pictures (``.png .jpg .jpeg .gif .webp .avif``) and PDF documents, whose first bytes must be
  those of their type;
- the site's own style sheets under ``assets/stylesheets/`` and scripts under ``assets/javascripts/``
  (both reviewed by maintainers, .github/CODEOWNERS).

Codes:

- STA001: a file or folder name with a control, text-direction (bidi) or invisible character: a
  right-to-left override makes ``x<U+202E>gnp.html`` show as ``xlmth.png``;
- STA002: a markup file (``.html .htm .svg .xml .xht .xhtml`` and the like): it would run script at the
  site's address, outside the policy;
- STA003: a file for the host, or a hidden file (``_redirects``, ``_headers``, ``CNAME``, ``robots.txt``,
  ``.htaccess``, ``.well-known/``, ...);
- STA004: a script or style sheet outside the site's own folders (such as a service worker);
- STA005: a file of a type readers do not need;
- STA006: a file at the path of a theme file (Material's or overrides/) or of a file the build writes;
- STA007: a picture or PDF whose content is not of that type.
"""
from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path, PurePosixPath

from kb.core.pages import MARKDOWN_SUFFIXES
from kb.core.problems import Code, Problem, register
from kb.core.report import CheckResult
from kb.core.site import Site

CODES: tuple[Code, ...] = (
    Code("STA001", "bad_file_name", "error", "Control, text-direction or invisible character in a file name",
         "A file name holds a character that hides or reverses part of the name, so the file "
         "published is not the one reviewers see.",
         "Rename the file using letters, digits, -, _ and ."),
    Code("STA002", "markup_file", "error", "Markup file in the docs folder",
         "An HTML, SVG or XML file under docs/ would be published as is, with any script it holds.",
         "Write the page in Markdown, or use a PNG, JPEG or WebP picture."),
    Code("STA003", "hidden_or_host_file", "error", "Host control file or hidden file in the docs folder",
         "Files such as .htaccess, _headers or CNAME, or hidden files, would change how the host "
         "serves the site.",
         "Remove the file; the site's settings live in mkdocs.yml and the workflows."),
    Code("STA004", "script_outside_assets", "error", "Script or style sheet outside the site's own folders",
         "JavaScript and CSS belong under docs/assets/ and must be listed in mkdocs.yml, so the "
         "Content-Security-Policy and reviewers cover them.",
         "Move the file under docs/assets/ and list it in extra_javascript or extra_css."),
    Code("STA005", "type_not_published", "error", "File type not published",
         "Only pages, pictures and documents readers need are published from docs/.",
         "Remove the file, or convert it to an allowed type."),
    Code("STA006", "reserved_path", "error", "File at the path of a theme or build file",
         "A file at a path the theme or build writes (such as search/ or sitemap.xml) would replace "
         "the site's own.",
         "Rename or move the file."),
    Code("STA007", "content_mismatch", "error", "Content does not match the file type",
         "The bytes of the file do not match its extension, so it could be something other than what "
         "its name says.",
         "Save the file in the format its extension names, or rename it."),
)

_problem = register(CODES)

PICTURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"), ".webp": (b"RIFF",), ".avif": (b"",), ".pdf": (b"%PDF-",),
}
"""Allowed anywhere under docs/: suffix → the bytes such a file starts with."""

OWN_FOLDERS = {".css": "assets/stylesheets/", ".js": "assets/javascripts/"}
"""The site's own style sheets and scripts: only in these folders of docs/."""

MARKUP = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt",
                    ".mht", ".mhtml", ".rss", ".atom", ".mathml", ".mml"})
HOST_FILES = frozenset({"_redirects", "_headers", "_routes.json", "cname", "robots.txt", ".htaccess",
                        ".htpasswd", ".nojekyll", "netlify.toml", "vercel.json", "staticwebapp.config.json",
                        "security.txt", "humans.txt", "ads.txt", "sitemap.xml", "manifest.json",
                        "site.webmanifest", "sw.js", "service-worker.js"})
FOLDER_DEFAULTS = ".meta.yml"
BUILT_FILES = frozenset({"assets/javascripts/iframe-worker/shim.js", "search/search_index.json",
                         "search/search_index.js", "feed.xml", "sitemap.xml", "sitemap.xml.gz", "tags.json",
                         "_headers", "404.html"})
"""Files the build writes itself (hooks, plugins): a file of the docs folder must not take their place."""

_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


def bad_characters(name: str) -> list[str]:
    """The control, format (bidi, zero-width), unassigned and non-ASCII space characters of a name."""
    return [c for c in name if unicodedata.category(c) in _BAD_CATEGORIES
            or (unicodedata.category(c) == "Zs" and c != " ")]


def _shown(relative: str) -> str:
    """A name as text that shows what it holds: bad characters as \\uXXXX."""
    return "".join(f"\\u{ord(c):04x}" if c in bad_characters(c) else c for c in relative)


def _starts_right(path: Path, suffix: str) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return False
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if suffix == ".avif":
        return head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis")
    return any(head.startswith(magic) for magic in PICTURES[suffix])


def file_problem(site: Site, relative: str, path: Path) -> tuple[str, str] | None:
    """(code, what is wrong and what to do) for one file of the docs folder, or None."""
    posix = PurePosixPath(relative)
    name, suffix = posix.name, posix.suffix.lower()
    bad = sorted({f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in bad_characters(relative)})
    if bad:
        return "STA001", (f"the name holds {', '.join(bad)}: such characters make a name read as something "
                          f"else (a right-to-left override shows x.html as xlmth.png); rename the file with "
                          f"letters, digits, - and _ only")
    hidden = any(part.startswith(".") for part in posix.parts[:-1])
    if name == FOLDER_DEFAULTS and not hidden:
        return None
    if name.lower() in HOST_FILES or hidden or name.startswith("."):
        return "STA003", (f"'{name}' would be published for the host or the browser to act on (redirects, "
                          f"headers, the domain, crawlers, a service worker), or is hidden; such files are "
                          f"set by the maintainers in the deployment, not in docs/: remove it")
    if suffix in MARKDOWN_SUFFIXES:
        return None
    if suffix in MARKUP:
        return "STA002", (f"a {suffix} file is published as it is and runs its scripts at the site's address, "
                          f"outside the Content-Security-Policy; write the page in Markdown (.md), and save "
                          f"pictures as PNG, JPEG, GIF, WebP or AVIF")
    if suffix in OWN_FOLDERS:
        if not relative.startswith(OWN_FOLDERS[suffix]) or suffix == ".js" and name.lower() in HOST_FILES:
            return "STA004", (f"{suffix} files are the site's own code and go in docs/{OWN_FOLDERS[suffix]} "
                              f"(listed in mkdocs.yml, reviewed by the maintainers); a script elsewhere could "
                              f"be registered as a service worker over the site: remove it or move it there")
    elif suffix not in PICTURES:
        return "STA005", (f"'{name}' is not a type the site publishes; allowed under docs/: pages (.md), "
                          f"pictures ({', '.join(s for s in PICTURES if s != '.pdf')}), PDF documents, and the "
                          f"site's own .css/.js under docs/assets/: convert or remove it")
    if relative in BUILT_FILES or site.theme_file(relative) is not None:
        return "STA006", (f"the theme or the build has a file at {relative}: this one would replace it on "
                          f"every page; rename it")
    if suffix in PICTURES and not _starts_right(path, suffix):
        return "STA007", (f"the file's content is not {suffix[1:].upper()}: save it again as a real "
                          f"{suffix[1:].upper()} file, or give it the name of its type")
    return None


def _files(folder: Path):
    for root, folders, names in os.walk(folder):  # links are not followed (kb.content_files reports them)
        for name in sorted(folders):
            if bad_characters(name) and not os.path.islink(os.path.join(root, name)):
                yield Path(root, name), True
        for name in sorted(names):
            if not os.path.islink(os.path.join(root, name)):
                yield Path(root, name), False


def check_site(site: Site, today: dt.date | None = None) -> CheckResult:
    """Every file of the docs folder against the allow-list (``make check`` and the build)."""
    problems: list[Problem] = []
    checked = 0
    if site.docs_dir.is_dir():
        for path, is_folder in _files(site.docs_dir):
            relative = path.relative_to(site.docs_dir).as_posix()
            shown = _shown(site.shown(path))
            if is_folder:
                problems.append(_problem(shown, 1, 1, "STA001", "a folder name holds a control, text-direction "
                                         "or invisible character; rename it with letters, digits, - and _ only"))
                continue
            checked += 1
            found = file_problem(site, relative, path)
            if found:
                problems.append(_problem(shown, 1, 1, *found))
    return CheckResult("static files", tuple(sorted(problems)), {"files checked": checked})


def refused(site: Site) -> set[str]:
    """The docs-relative paths of files the check refuses (the build hook leaves them unpublished)."""
    if not site.docs_dir.is_dir():
        return set()
    return {path.relative_to(site.docs_dir).as_posix() for path, is_folder in _files(site.docs_dir)
            if not is_folder and file_problem(site, path.relative_to(site.docs_dir).as_posix(), path)}
