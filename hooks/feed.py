"""The Atom feed of updates and corrections, ``feed.xml``, for readers who follow the site.

A few lines here rather than a feed plugin: the well-kept ones (mkdocs-rss-plugin and Material's
blog) date entries by git history or blog posts, while this site's entries are the reviewed
``changes`` of its front matter, which kb.updates already reads for the updates page. The template
links the feed from every page's head; ``site_url`` must be set for its absolute links.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from kb import updates

FEED = "feed.xml"
UPDATES_PAGE = "about/updates.md"


def on_post_build(*, config: MkDocsConfig) -> None:
    site_url = config.site_url or ""

    def page_url(src: str) -> str:
        return site_url + _url(src, config.use_directory_urls)

    feed = updates.atom(updates.collect(Path(config.docs_dir)), feed_url=site_url + FEED, site_url=site_url,
                        site_name=config.site_name, listing_url=page_url(UPDATES_PAGE), page_url=page_url)
    (Path(config.site_dir) / FEED).write_bytes(feed)


def _url(src: str, directory_urls: bool) -> str:
    """The URL MkDocs gives a page, relative to the site (``a/b.md`` → ``a/b/``, ``a/index.md`` → ``a/``)."""
    stem = src.rsplit(".", 1)[0]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")] if directory_urls else stem + ".html"
    return stem + "/" if directory_urls else stem + ".html"
