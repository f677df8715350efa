"""At the end of every build, the garbage collector gets back what ``kb.ahead`` froze before forking.

The front matter, citations and reader hooks run whole-site passes in forked copies of the build;
``kb.ahead`` freezes the build's objects before each fork (its docstring says why). Unfrozen here,
once, when the build ends or fails, so that a later build under ``mkdocs serve`` can free what this
one no longer needs. Without this hook nothing breaks: what was frozen stays until the process ends.
"""
from __future__ import annotations

import pathlib
import sys

from mkdocs.config.defaults import MkDocsConfig

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.ahead import thaw  # noqa: E402


def on_post_build(*, config: MkDocsConfig) -> None:
    thaw()


def on_build_error(*, error: Exception) -> None:
    thaw()
