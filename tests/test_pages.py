"""kb.core.pages decides which files are pages the way MkDocs 1.6 does: checked against MkDocs' own file list.

Each case writes a small docs folder in tmp_path with the cases that trip a hand-written walk (README
beside an index, dotfiles, a top-level ``templates/`` folder, ``exclude_docs`` patterns, other Markdown
suffixes and files that are not Markdown), then compares :func:`kb.core.pages.markdown_pages` with the
pages of ``mkdocs.structure.files.get_files``, in order. :func:`kb.core.pages.front_matter` gives
every page the values the front matter loader and MkDocs give it, and nothing for a hostile block.
"""
from __future__ import annotations

import os
import pathlib

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.utils.meta import get_data

from kb.core.markdown_text import normalize_newlines
from kb.core.pages import front_matter, markdown_pages
from kb.frontmatter.load import load_text
from tests.support.helpers import ROOT

# files under docs/, exclude_docs as written in mkdocs.yml (or None); the id names the trap
CASES = [
    pytest.param(["index.md", "README.md", "guide/index.md", "guide/README.md", "guide/page.md",
                  "only-readme/README.md"], None, id="readme-gives-way-to-index"),
    pytest.param(["index.markdown", "README.md", "a/index.md", "a/README.markdown"], None,
                 id="readme-gives-way-to-an-index-of-another-suffix"),
    pytest.param(["index.md", ".hidden.md", ".github/ISSUE.md", "guide/.draft.md", "guide/.notes/page.md",
                  "guide/page.md"], None, id="dotfiles-and-dot-folders"),
    pytest.param(["index.md", "templates/page.md", "guide/templates/page.md"], None, id="templates-only-at-the-top"),
    pytest.param(["index.md", "n.markdown", "m.mdown", "k.mkdn", "j.mkd", "notes.txt", "page.html", "page.md.bak",
                  "UPPER.MD", "image.png", "data.json", "guide/page.md~"], None,
                 id="markdown-suffixes-and-other-files"),
    pytest.param(["Zeta.md", "alpha.md", "a-b.md", "index.md", "a/x.md", "B/y.md", "b-c/z.md", "a/README.md",
                  "a/b/index.md"], None, id="order-of-files-and-folders"),
    pytest.param(["index.md", "drafts/a.md", "drafts/deep/b.md", "x.tmp.md", "guide/y.tmp.md"],
                 "drafts/\n*.tmp.md", id="exclude-docs-folder-and-glob"),
    pytest.param(["index.md", "a/b/c/d.md", "a/b/c.md", "x/a/b/c/d.md", "a/README.md"], "/a/b/c",
                 id="exclude-docs-anchored-to-the-docs-folder"),
    pytest.param(["index.md", "private.md", "notes/a.md"], "# not published\n\nprivate.md",
                 id="exclude-docs-comments-and-blank-lines"),
    pytest.param(["index.md", "c/index.md", "c/README.md"], "c/index.md", id="an-excluded-index-lets-its-readme-stay"),
    pytest.param(["index.md", "drafts/a.md", "drafts/keep.md"], "drafts/*\n!drafts/keep.md",
                 id="exclude-docs-negation-of-a-file"),
    pytest.param(["index.md", "drafts/a.md", "drafts/keep.md"], "drafts/\n!drafts/keep.md",
                 id="exclude-docs-negation-inside-an-excluded-folder"),
    pytest.param(["index.md", "c/index.md", "c/index.markdown", "c/foo.md", "c/foo.markdown"], None,
                 id="two-sources-for-one-page"),
]


def write_project(root: pathlib.Path, files: list[str], exclude_docs: str | None) -> pathlib.Path:
    """A mkdocs.yml and a docs folder holding ``files``; returns the config file."""
    for name in files:
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {name}\n", encoding="utf-8")
    config = "site_name: Pages contract\n"
    if exclude_docs is not None:
        config += "exclude_docs: |\n" + "".join(f"  {line}\n" for line in exclude_docs.splitlines())
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root / "mkdocs.yml"


def mkdocs_pages(config_file: pathlib.Path) -> list[str]:
    """The pages MkDocs builds, in its order: included Markdown files of ``get_files``."""
    config = load_config(str(config_file))
    return [file.src_uri for file in get_files(config).documentation_pages()]


@pytest.mark.parametrize(("files", "exclude_docs"), CASES)
def test_the_same_pages_as_mkdocs(tmp_path: pathlib.Path, files: list[str], exclude_docs: str | None) -> None:
    config_file = write_project(tmp_path, files, exclude_docs)
    expected = mkdocs_pages(config_file)
    assert expected, "MkDocs found no page: the fixture tree is wrong"
    assert markdown_pages(tmp_path / "docs", exclude_docs) == expected


def test_a_linked_folder_is_followed_as_mkdocs_follows_it(tmp_path: pathlib.Path) -> None:
    """Both walk into a symbolic link to a folder (the build hook refuses linked files later)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shared.md").write_text("# Shared\n", encoding="utf-8")
    config_file = write_project(tmp_path / "project", ["index.md"], None)
    os.symlink(outside, tmp_path / "project" / "docs" / "linked", target_is_directory=True)
    expected = mkdocs_pages(config_file)
    assert expected == ["index.md", "linked/shared.md"]
    assert markdown_pages(tmp_path / "project" / "docs") == expected


def test_front_matter_gives_every_page_the_values_of_the_front_matter_loader_and_of_mkdocs() -> None:
    docs = ROOT / "docs"
    for src in markdown_pages(docs):
        text = normalize_newlines((docs / src).read_text(encoding="utf-8-sig"))
        values = front_matter(text)
        assert values == load_text(text, src).data == get_data(text)[1], src
        assert isinstance(values.get("title"), str), src


@pytest.mark.parametrize("block", [
    "- a list\n", "title: [never closed\n", "last_reviewed: 2026-02-30\n", "run: !!python/name:os.system\n",
    "title: " + "x" * 17_000 + "\n", "a: &a [1]\nb: [" + ", ".join(["*a"] * 21) + "]\n", "# a comment\n",
], ids=["list", "not-yaml", "impossible-date", "python-tag", "too-large", "too-many-aliases", "no-keys"])
def test_front_matter_is_empty_when_the_block_is_not_a_mapping_of_values_within_bounds(block: str) -> None:
    assert front_matter(f"---\n{block}---\n\n# Page\n") == {}
    assert front_matter("# Page without front matter\n") == {}
