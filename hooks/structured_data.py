"""The cited works' JSON-LD goes to the head, beside the page's own.

kb.citations.extension writes the works a page cites as a JSON-LD block after its reference list, in
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
ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">.*?</article>', re.S)
"""The page's content as the theme wraps it. Found in the finished page, not by ``page.content``: the
templates place the review line inside the content (after its title), so the content does not stand in
the page as one piece."""


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
    article = ARTICLE.search(output)
    blocks = JSON_LD.findall(article.group(0)) if article else []
    if not blocks:
        return None
    output = output[:article.start()] + JSON_LD.sub("", article.group(0)) + output[article.end():]
    return output.replace("</head>", "".join(blocks) + "\n  </head>", 1)
