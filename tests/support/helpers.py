"""Helpers the tests share: where the repository is, which pages the nav names, and a build as a
contributor runs it. Plain functions, imported by the test modules; the fixtures live in conftest.py."""
from __future__ import annotations

import datetime as dt
import html
import os
import pathlib
import re
import subprocess
import sys

from mkdocs.structure.files import File
from mkdocs.utils import yaml_load

ROOT = pathlib.Path(__file__).resolve().parents[2]
MKDOCS = [sys.executable, "-m", "mkdocs"]


def nav_sources() -> list[str]:
    """Every Markdown file named in mkdocs.yml's nav, in order."""
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        nav = yaml_load(f)["nav"]
    found: list[str] = []

    def walk(item) -> None:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, dict):
            for child in item.values():
                walk(child)

    walk(nav)
    return [src for src in found if src.endswith(".md")]


def doc_sources() -> list[str]:
    """Every Markdown file under docs/, relative to it, sorted: pages in the nav or not."""
    return sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))


def output_path(src: str) -> str:
    """Where MkDocs writes a page with directory URLs (a/b.md -> a/b/index.html), by MkDocs' own rules."""
    return File(src, "docs", "site", use_directory_urls=True).dest_uri


FRONT_MATTER_LINES = 9
"""Lines :func:`with_front_matter` puts before a page's text (the block and one blank line)."""


def with_front_matter(text: str, title: str | None = None) -> str:
    """A test page's text behind valid front matter (its title from the first H1, or ``title``)."""
    heading = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "A test page")
    name = (title or (heading if len(heading) >= 3 else f"Test page {heading}")).replace('"', "'")
    return (f'---\ntitle: "{name}"\ndescription: A page of a small test site, with front matter that passes '
            "every check.\ntags: [ptsd]\naudience: [clinicians]\nreview_interval_months: 12\n"
            f"last_reviewed: {dt.date.today().isoformat()}\n---\n\n{text}")


def run_mkdocs_build(site_dir: pathlib.Path, config: pathlib.Path = ROOT / "mkdocs.yml",
                     env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` in a subprocess, as a contributor would."""
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", str(config), "--site-dir", str(site_dir)],
        cwd=config.parent, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


# A page description within the schema's limits, used where a test writes or scaffolds a page.
DESCRIPTION = "Why PTSD disturbs sleep, what nightmares are like and which treatments help people sleep better."


def visible_text(fragment: str) -> str:
    """Text as a reader sees it: inline tags vanish, block tags separate words."""
    inline = re.sub(r"</?(?:code|strong|em|a|span|abbr|kbd)\b[^>]*>", "", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())
