"""The Atom feed of updates and corrections, ``feed.xml``, for readers who follow the site.

A few lines here rather than a feed plugin: the well-kept ones (mkdocs-rss-plugin and Material's
blog) date entries by git history or blog posts, while this site's entries are the reviewed
``changes`` of its front matter, which kb.updates already reads for the updates page (named by
the ``updates_page`` option of its extension in mkdocs.yml). The template links the feed from every
page's head; ``site_url`` must be set for its absolute links.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from kb import updates
from kb.core.site import UPDATES_EXTENSION

FEED = "feed.xml"


def on_post_build(*, config: MkDocsConfig) -> None:
    site_url = config.site_url or ""

    def page_url(src: str) -> str:
        url = File(src, config.docs_dir, config.site_dir, config.use_directory_urls).url
        return site_url + ("" if url == "./" else url)  # the home page is the site's own address

    listing = config.mdx_configs.get(UPDATES_EXTENSION, {}).get("updates_page", updates.PAGE)
    feed = updates.atom(updates.collect(Path(config.docs_dir)), feed_url=site_url + FEED, site_url=site_url,
                        site_name=config.site_name, listing_url=page_url(listing), page_url=page_url)
    (Path(config.site_dir) / FEED).write_bytes(feed)
