"""A Content-Security-Policy on every page: script only from the site itself and the theme's own
inline scripts, allowed by their hashes, so HTML that slipped into a page still cannot run.

``on_post_page`` (and ``on_post_template`` for the 404 page) puts the policy in a ``<meta>`` tag at
the top of the head. The hashes are those of the inline scripts outside the page's content (the
theme's: Material writes three, one of which names the page's depth); no script in the content is
allowed. ``on_post_build`` writes the same policy, with every page's hashes, to ``_headers``
for hosts that send headers from such a file (GitHub Pages does not; there the meta tag is the
policy). The offline copy, opened from disk, gets no policy: browsers treat every file as its own
origin, so no ``'self'`` would match.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

THEME_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
"""An inline classic script as Material writes them (no attributes). Only the theme's part of the
page is read this way, outside the content: a script in the content is never allowed, and the built
pages are checked afterwards by a browser-grade parser (kb.html_safety)."""

DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self' {hashes}",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
CHARSET = '<meta charset="utf-8">'

_site_hashes: set[str] = set()  # every page's, for _headers


def _offline(config: MkDocsConfig) -> bool:
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(offline and offline.config.enabled)


def policy(hashes: set[str]) -> str:
    return "; ".join(DIRECTIVES).format(hashes=" ".join(sorted(hashes)))


def _with_policy(output: str, content: str, config: MkDocsConfig) -> str:
    if _offline(config) or CHARSET not in output:
        return output
    theme = output.replace(content, "", 1) if content else output
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode() + "'"
              for m in THEME_SCRIPT.finditer(theme)}
    _site_hashes.update(hashes)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    return output.replace(CHARSET, f"{CHARSET}\n    {meta}", 1)


def on_pre_build(*, config: MkDocsConfig) -> None:
    _site_hashes.clear()


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    return _with_policy(output, page.content or "", config)


def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    return _with_policy(output_content, "", config) if template_name.endswith(".html") else output_content


def on_post_build(*, config: MkDocsConfig) -> None:
    if not _offline(config):
        (Path(config.site_dir) / "_headers").write_text(
            f"/*\n  Content-Security-Policy: {policy(_site_hashes)}\n", encoding="utf-8")
