"""The other names search-query.js gives reader words must be words the site's pages use.

An alias that points at a word no page has (a page reworded, a term dropped) would turn a reader's
query into one that finds nothing; this names the alias and the missing word.
"""

from __future__ import annotations

import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "search-query.js"


def aliases() -> dict[str, str]:
    source = SCRIPT.read_text(encoding="utf-8")
    block = re.search(r"var ALIASES = \{(.*?)\n  \};", source, re.S)
    assert block, f"{SCRIPT.relative_to(ROOT)}: no `var ALIASES = {{...}};` block"
    pairs = re.findall(r'"([^"]+)":\s*"([^"]+)"', block.group(1))
    assert len(pairs) >= 20
    return dict(pairs)


def index_words(site: pathlib.Path) -> set[str]:
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = " ".join(f"{doc.get('title', '')} {doc.get('text', '')}" for doc in docs).lower()
    return set(re.findall(r"[a-z][a-z0-9]+", re.sub(r"<[^>]*>", " ", text)))


def test_every_alias_leads_to_words_the_pages_use(built_site: pathlib.Path) -> None:
    words = index_words(built_site)
    missing = []
    for alias, target in aliases().items():
        for word in target.split():
            if not any(w.startswith(word) for w in words):
                missing.append(f"{alias!r} -> {word!r}")
    assert not missing, (
        f"{SCRIPT.relative_to(ROOT)}: these aliases lead to words no searchable page uses (reword the alias, "
        f"or the page): " + ", ".join(missing))


def test_no_alias_hides_a_word_the_pages_use(built_site: pathlib.Path) -> None:
    """An alias replaces the reader's word: it must not replace a word the pages themselves use."""
    words = index_words(built_site)
    shadowing = [alias for alias, target in aliases().items()
                 if " " not in alias and alias in words and alias not in target.split()]
    assert not shadowing, f"{SCRIPT.relative_to(ROOT)}: aliases for words the pages use: {shadowing}"
