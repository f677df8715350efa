"""Offline copy: search that works from ``file://`` with a local iframe-worker shim.

Material's ``offline`` plugin (enabled only when ``OFFLINE=true``, see mkdocs.yml) turns off
directory URLs and inlines the search index into ``search/search_index.js``; browsers refuse
Web Workers from ``file://``, so it adds the ``iframe-worker`` shim to ``extra.polyfills``,
from unpkg.com unless a polyfill already names iframe-worker. This hook lists a local copy
first, so the offline site asks no other host for anything, and copies the shim into the site
from ``IFRAME_WORKER_SHIM`` (set by ``scripts/build-offline.sh``, which installs the pinned npm
package). Nothing happens when the offline plugin is disabled.
"""
from __future__ import annotations

import os
import pathlib
import shutil

from material.plugins.offline.plugin import OfflinePlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

SHIM_ENV = "IFRAME_WORKER_SHIM"
SHIM_URL = "assets/javascripts/iframe-worker/shim.js"
"""Where the shim lands in the built site; the name must contain "iframe-worker" (see above)."""


def _offline(config: MkDocsConfig) -> bool:
    return any(isinstance(plugin, OfflinePlugin) and plugin.config.enabled for plugin in config.plugins.values())


@event_priority(100)  # before the offline plugin adds its CDN default
def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    if not _offline(config):
        return config
    shim = os.environ.get(SHIM_ENV, "")
    if not shim or not pathlib.Path(shim).is_file():
        raise PluginError(f"hooks/offline.py: the offline build needs the iframe-worker shim; set {SHIM_ENV} "
                          f"to its path (got {shim!r}), or run `make offline`")
    polyfills = list(config.extra.get("polyfills") or [])
    if SHIM_URL not in polyfills:
        polyfills.insert(0, SHIM_URL)
    config.extra["polyfills"] = polyfills
    return config


def on_post_build(config: MkDocsConfig) -> None:
    if not _offline(config):
        return
    target = pathlib.Path(config.site_dir) / SHIM_URL
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(os.environ[SHIM_ENV], target)
