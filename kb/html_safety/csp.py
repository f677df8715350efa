"""The Content-Security-Policy of the site, and the theme's inline scripts it allows, from a reviewed list.

The theme writes a few inline ``<script>`` elements into every page (Material's storage helpers and
content tabs, and the site's palette script from overrides/partials/javascripts/palette.html). The
policy allows exactly those, by hash, and nothing else inline: their text is in :data:`THEME_SCRIPTS`
(``kb/csp-theme-scripts.txt``), a file a maintainer reviews (.github/CODEOWNERS). One of them names
the page's base URL (``"."``, ``".."``, ``"../.."`` or, on the 404 page, the site's path such as
``"/"``): the list writes it as ``{base_url}``, which stands for a value of :data:`BASE_URL`
characters only (letters, digits, ``. _ ~ / % -``), so it cannot end the string it is in.

The build (hooks/csp.py) writes the policy of each page from the page's inline scripts and stops on
any script that is not in the list, naming the page; the check of the built site (``python -m
kb.html_safety --built site``, :mod:`kb.html_safety.built`) reads every page again, with a
browser-grade parser, and refuses a page without the policy, with another policy, or with a script
the list does not hold.

When Material is upgraded (or the theme's configuration changes), ``make csp-scripts`` builds a
site of empty pages at several depths, prints the inline scripts it finds to the list (``python -m
kb.html_safety --theme-scripts SITE_DIR``), and the change is reviewed like code: ``git diff
kb/csp-theme-scripts.txt``.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import pathlib
import re
from collections.abc import Iterable

THEME_SCRIPTS = pathlib.Path(__file__).resolve().parents[1] / "csp-theme-scripts.txt"
"""The reviewed list: one script a line, as the theme writes it between ``<script>`` and
``</script>``; ``#`` starts a comment line; ``{base_url}`` as described above."""

PLACEHOLDER = "{base_url}"
BASE_URL = r"[A-Za-z0-9._~/%-]{1,200}"
_BASE_IN_SCRIPT = re.compile(r'(new URL\(")([^"]*)(")')

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
"""The policy; ``{hashes}`` is the page's reviewed inline scripts."""

REGENERATE = "review the theme change, then run `make csp-scripts` and review `git diff kb/csp-theme-scripts.txt`"


def script_hash(text: str) -> str:
    """The CSP source of an inline script: ``'sha256-<base64>'`` of its UTF-8 text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(hashes: Iterable[str]) -> str:
    return "; ".join(DIRECTIVES).format(hashes=" ".join(sorted(set(hashes)))).replace("'self' ;", "'self';")


def read_list(path: pathlib.Path = THEME_SCRIPTS) -> tuple[str, ...]:
    """The scripts of a reviewed list (comment and blank lines left out)."""
    return tuple(line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#"))


@functools.lru_cache(maxsize=4)
def _patterns(path: pathlib.Path) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(BASE_URL.join(re.escape(part) for part in script.split(PLACEHOLDER)))
                 for script in read_list(path))


def reviewed(script: str, path: pathlib.Path = THEME_SCRIPTS) -> bool:
    """Whether an inline script's text is one of the reviewed list (with any base URL)."""
    return any(pattern.fullmatch(script) for pattern in _patterns(path))


def generalise(script: str) -> str:
    """A theme script as the list writes it: the base URL it names as ``{base_url}``."""
    return _BASE_IN_SCRIPT.sub(lambda m: m.group(1) + PLACEHOLDER + m.group(3), script)


HEADER = """\
# The inline scripts the theme (Material for MkDocs, and the palette script of overrides/partials/)
# writes into every page: the only inline scripts the Content-Security-Policy allows
# (kb/html_safety/csp.py). One script a line, exactly as written between <script> and </script>;
# {base_url} stands for the page's base URL ("." "../.." or the site's path on the 404 page),
# letters, digits and . _ ~ / % - only.
#
# Reviewed like code (.github/CODEOWNERS). After upgrading Material or changing its configuration or
# overrides, run `make csp-scripts` (it builds a site of empty pages and prints their inline scripts here),
# then read `git diff kb/csp-theme-scripts.txt`: every line must be a script of the theme.
"""
