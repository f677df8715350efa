"""How files are named to contributors: relative to the repository (or working folder), forward slashes."""
from __future__ import annotations

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
