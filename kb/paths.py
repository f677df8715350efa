"""How files are named to contributors: relative to the repository (or working folder), forward slashes."""
from __future__ import annotations

import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
"""The repository this package belongs to."""


def repo_root(config_file_path: str | None) -> pathlib.Path:
    """The folder of mkdocs.yml, which hooks resolve data files from; this repository without one."""
    return pathlib.Path(config_file_path).resolve().parent if config_file_path else ROOT


def display(path: pathlib.Path, root: pathlib.Path | None = None) -> str:
    """``path`` relative to ``root`` (default: the working folder), or absolute when outside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to((root or pathlib.Path.cwd()).resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def display_in(path: pathlib.Path, root: pathlib.Path, folders: dict[pathlib.Path, str]) -> str:
    """:func:`display`, resolving each folder once (``folders`` remembers them across calls): a file
    that is not a symbolic link resolves to its folder, resolved, plus its name. For the hooks that
    name every page of a build."""
    if path.is_symlink():
        return display(path, root)
    if (folder := folders.get(path.parent)) is None:
        folder = folders[path.parent] = display(path.parent, root)
    return pathlib.PurePosixPath(folder, path.name).as_posix()


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""What MkDocs takes for a Markdown page (``mkdocs.utils.markdown_extensions``)."""


def markdown_pages(docs_dir: str) -> list[str]:
    """The Markdown pages under ``docs_dir`` as MkDocs lists them with its default exclusions (names
    starting with a dot, a top-level ``templates`` folder): docs-relative paths with forward slashes.

    For work started before MkDocs lists the files. MkDocs may still list others (``exclude_docs``,
    a README beside an index, plugins), so whoever uses this compares it with MkDocs' own list.
    """
    found = []
    for folder, subfolders, names in os.walk(docs_dir, followlinks=True):
        relative = os.path.relpath(folder, docs_dir)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        subfolders[:] = [name for name in subfolders
                         if not name.startswith(".") and not (prefix == "" and name == "templates")]
        found += [prefix + name for name in names if not name.startswith(".") and name.endswith(MARKDOWN_SUFFIXES)]
    return found
