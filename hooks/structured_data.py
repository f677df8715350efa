"""The cited works' JSON-LD goes to the head, beside the page's own.

kb.markdown.citations writes the works a page cites as a JSON-LD block after its reference list, in
the content, where any generator keeps it. Material's instant navigation puts the scripts of a new
page's content back as plain scripts, which the page's Content-Security-Policy then refuses (a
console error on every page change); in the head, where the theme writes the page's own JSON-LD,
the block is left alone.
"""
from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

JSON_LD = re.compile(r'\n?<script type="application/ld\+json">.*?</script>', re.S)


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
    blocks = JSON_LD.findall(page.content or "")
    if not blocks or page.content not in output:
        return None
    content = JSON_LD.sub("", page.content)
    output = output.replace(page.content, content, 1)
    return output.replace("</head>", "".join(blocks) + "\n  </head>", 1)
