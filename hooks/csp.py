"""A Content-Security-Policy on every page: script only from the site itself and the theme's own
inline scripts, those of the reviewed list kb/csp-theme-scripts.txt, allowed by their hashes.

``on_post_page`` (and ``on_post_template`` for the 404 page) reads every inline script of the
finished page; each must be one of the reviewed list (kb.html_safety.csp), or the build stops naming the page
(under ``mkdocs serve`` the problem is logged and the script left out of the policy, so it does not
run). The policy, with the hashes of the page's reviewed scripts and nothing else, goes in a
``<meta>`` tag at the top of the head. Nothing is taken from the page itself: a script in the
content, however it got there, is never allowed. ``on_post_build`` writes the same policy, with
every page's hashes, to ``_headers`` for hosts that send headers from such a file (GitHub Pages
does not; there the meta tag is the policy). The offline copy, opened from disk, gets no policy
(browsers treat every file as its own origin, so no ``'self'`` would match), but the same scripts
rule. The built site is checked again afterwards by a browser-grade parser (kb.html_safety.built).
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from kb.html_safety import csp

log = logging.getLogger("mkdocs.hooks.csp")

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
SOURCE = re.compile(r"""(?:^|[\s"'/])src\s*=""", re.I)
DATA_TYPE = re.compile(r"""\stype\s*=\s*["']?application/(?:ld\+)?json["'\s]*$""", re.I)
CHARSET = '<meta charset="utf-8">'

_state: dict[str, object] = {"serving": False, "hashes": set()}


def _offline(config: MkDocsConfig) -> bool:
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(offline and offline.config.enabled)


def inline_scripts(output: str) -> list[str]:
    """The text of each inline script of a page that is not a JSON data block."""
    return [m.group(2) for m in SCRIPT.finditer(output)
            if not SOURCE.search(m.group(1)) and not DATA_TYPE.search(m.group(1))]


def _with_policy(output: str, where: str, config: MkDocsConfig) -> str:
    hashes, unreviewed = set(), []
    for script in inline_scripts(output):
        if csp.reviewed(script):
            hashes.add(csp.script_hash(script))
        else:
            unreviewed.append(script)
    if unreviewed:
        shown = unreviewed[0][:80].replace("\n", " ")
        message = (f"{where}: {len(unreviewed)} inline script(s) not in the reviewed list "
                   f"kb/csp-theme-scripts.txt, such as <script>{shown}</script>. Pages cannot run script: "
                   f"remove it from the page's source; if the theme wrote it, {csp.REGENERATE}")
        if not _state["serving"]:
            raise PluginError(message)
        log.error(message)
    if _offline(config) or CHARSET not in output:
        return output
    _state["hashes"] |= hashes
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp.policy(hashes)}">'
    return output.replace(CHARSET, f"{CHARSET}\n    {meta}", 1)


def on_startup(*, command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"


def on_pre_build(*, config: MkDocsConfig) -> None:
    _state["hashes"] = set()


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    return _with_policy(output, f"{Path(config.docs_dir).name}/{page.file.src_uri}", config)


def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    if not template_name.endswith(".html"):
        return output_content
    return _with_policy(output_content, f"{template_name} (theme template)", config)


def on_post_build(*, config: MkDocsConfig) -> None:
    if not _offline(config):
        (Path(config.site_dir) / "_headers").write_text(
            f"/*\n  Content-Security-Policy: {csp.policy(_state['hashes'])}\n", encoding="utf-8")
