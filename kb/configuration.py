"""mkdocs.yml as the build runs it: the settings a pull request must not use.

The checks read mkdocs.yml as data (:mod:`kb.core.site`), but MkDocs runs it: PyYAML builds the objects
its tags name (``!!python/object/apply:os.system`` runs a command before any check), ``!ENV``
copies the build machine's environment into the site, the theme prints ``copyright`` and other
texts as HTML, and the content folders decide which files are published. :func:`check_site`
reads mkdocs.yml and every file it inherits from (``INHERIT``) node by node, with their places,
and reports, as ``mkdocs.yml:LINE``:

- CFG001: a YAML tag other than the standard ones and ``!ENV`` (``!!python/...`` runs code);
- CFG002: ``!ENV`` on a key outside :data:`ENV_KEYS`;
- CFG003: pymdownx.snippets set to read outside ``includes/``, to download, or to add files to
  every page;
- CFG004: a content folder (pages, theme overrides, includes, data) that is a symbolic link, is
  hidden (``.git``), is the repository itself or lies outside it;
- CFG005: a setting this site does not allow: ``extra_templates``, an ``extra`` key outside
  :data:`EXTRA_KEYS`, a hook that is a link or a file of a content folder;
- CFG006: markup in a text the theme prints as HTML (site name, description, author, copyright);
- CFG007: the file cannot be read (not YAML, too large, too many aliases, nested too deeply):
  for mkdocs.yml, reported by :func:`kb.core.site.load` before any check runs; for a file of ``data/``,
  by this check.

Every YAML file under ``data/`` is also read within its limits (:mod:`kb.core.yaml_bounds`).
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kb.core import yaml_bounds
from kb.core.problems import Code, Problem, register
from kb.core.report import CheckResult
from kb.core.site import SNIPPETS_EXTENSION, Site, parse_config

CODES: tuple[Code, ...] = (
    Code("CFG001", "yaml_tag", "error", "YAML tag not allowed",
         "A tag such as !!python/object/apply: in mkdocs.yml would run code when the build reads the "
         "file.",
         "Remove the tag; write the value as plain YAML."),
    Code("CFG002", "env_not_allowed", "error", "Environment variable on a key that does not allow one",
         "!ENV is allowed only on site_url, edit_uri, extra.issues_url and the offline switch, so the"
         " build's environment cannot change anything else.",
         "Write the value itself instead of !ENV."),
    Code("CFG003", "snippets_elsewhere", "error", "Includes read from outside includes/",
         "The snippets base_path must be includes/ with restrict_base_path: true, no downloads and no"
         " auto_append, or pages could include any file.",
         "Restore the snippets settings of mkdocs.yml."),
    Code("CFG004", "content_folder", "error", "Content folder is a link, hidden or outside the repository",
         "docs_dir, the theme's custom_dir, includes/ and data/ must be plain folders of the "
         "repository; a link to .git would publish it.",
         "Point the setting at the repository's own folder."),
    Code("CFG005", "setting_not_allowed", "error", "Setting not allowed",
         "A setting the site does not use, such as extra_templates, an unknown extra key, or a hook "
         "that is a link or a content file.",
         "Remove the setting."),
    Code("CFG006", "markup_in_text", "error", "Markup in a text the theme prints as HTML",
         '<, >, " or & in site_name, site_description, site_author or copyright would be printed as '
         "HTML on every page.",
         "Write the text without those characters."),
    Code("CFG007", "unreadable", "error", "File cannot be read",
         "A settings or data file is not valid YAML, or is too large, too deep or full of aliases to "
         "read safely.",
         "Fix the file at the line given; keep it small and write values without anchors and aliases."),
)
_problem = register(CODES)

SAFE_TAGS = frozenset(yaml_bounds.STANDARD_TAG + name for name in
                      ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge"))
ENV_TAG = "!ENV"
ENV_KEYS = frozenset({"site_url", "edit_uri", "extra.issues_url", "plugins.offline.enabled"})
"""Keys whose value may come from the build's environment (``!ENV [NAME, default]``): addresses that
differ between a preview and the published site, and the switch of the offline copy."""

EXTRA_KEYS = frozenset({"issues_url", "generator", "status", "crisis"})
"""Keys of ``extra`` the templates of overrides/ read (each printed escaped). Material prints other
keys (analytics, consent, social, scope, homepage...) as HTML or script without escaping."""

PLAIN_TEXT_KEYS = ("site_name", "site_description", "site_author", "copyright")
"""Texts Material's templates print as HTML without escaping (in ``<title>`` and attributes)."""
_MARKUP = re.compile(r"[<>\"&\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")

CONTENT_FOLDERS = ("includes", "data")
"""Folders of content besides ``docs_dir`` and the theme's ``custom_dir``."""
SNIPPETS_HOME = "includes"
HOOKS_HOME = "hooks"


def _walk(node: yaml.Node, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], yaml.Node]]:
    """Every node with its key path (mapping keys as written, list positions as ints); bounded by
    :func:`kb.core.yaml_bounds.measure`, which ran first."""
    yield path, node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(value, (*path, key.value if isinstance(key, yaml.ScalarNode) else "?"))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, (*path, index))


class _Places:
    """Where each setting is written, the file that inherits first (its value wins)."""

    def __init__(self) -> None:
        self.found: dict[str, tuple[str, yaml.Node]] = {}

    def add(self, shown: str, path: tuple[Any, ...], node: yaml.Node) -> None:
        self.found.setdefault(yaml_bounds.dotted(path), (shown, node))

    def at(self, key: str, fallback: str) -> tuple[str, int, int]:
        while key:
            if key in self.found:
                shown, node = self.found[key]
                return shown, node.start_mark.line + 1, node.start_mark.column + 1
            key = key.rpartition(".")[0]
        return fallback, 1, 1


def _tag_problems(shown: str, root: yaml.Node, places: _Places) -> list[Problem]:
    problems = []
    for path, node in _walk(root):
        places.add(shown, path, node)
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        key = yaml_bounds.dotted(path)
        if node.tag == ENV_TAG:
            if key not in ENV_KEYS:
                problems.append(_problem(shown, line, col, "CFG002",
                                         f"{key}: !ENV would publish a value of the build machine's environment; "
                                         f"allowed only on {', '.join(sorted(ENV_KEYS))}: write the value itself"))
        elif node.tag not in SAFE_TAGS and not node.tag.startswith("!ENV"):
            runs = "runs code when MkDocs reads the file" if "python/" in node.tag else "is not a standard YAML tag"
            problems.append(_problem(shown, line, col, "CFG001",
                                     f"{key or 'the file'}: the tag {yaml_bounds.short_tag(node.tag)} {runs}; "
                                     "remove the tag and write a plain value"))
    return problems


def _folder_problem(site: Site, folder: Path, what: str) -> str | None:
    """Why ``folder`` cannot hold content, or None."""
    root = site.root.resolve()
    relative = folder if folder.is_absolute() else Path(os.path.normpath(folder))
    if relative.is_absolute() or relative.parts[:1] == ("..",):
        return f"{what} '{folder.as_posix()}' is outside the repository: name a folder of the repository"
    if relative == Path(".") or not relative.parts:
        return f"{what} is the whole repository, which would publish every file of it (.git included)"
    current = root
    for part in relative.parts:
        current = current / part
        if part.startswith("."):
            return f"{what} '{relative.as_posix()}' is a hidden folder ({part}): name a visible folder"
        if current.is_symlink():
            return (f"{what} '{relative.as_posix()}' is a symbolic link (to {os.readlink(current)}): links could "
                    "publish any folder of the machine, .git included; put the folder itself there")
    if current.exists() and not current.resolve().is_relative_to(root):
        return f"{what} '{relative.as_posix()}' leads outside the repository"
    return None


def _relative(site: Site, path: Path) -> Path:
    try:
        return path.relative_to(site.root)
    except ValueError:
        return path


def _content_folder_problems(site: Site, config: dict[str, Any], places: _Places, shown: str) -> list[Problem]:
    problems = []
    folders = [("docs_dir", _relative(site, site.docs_dir), "docs_dir")]
    if site.custom_dir is not None:
        folders.append(("theme.custom_dir", _relative(site, site.custom_dir), "theme.custom_dir"))
    folders += [(name, Path(name), f"the {name} folder") for name in CONTENT_FOLDERS]
    for key, folder, what in folders:
        why = _folder_problem(site, folder, what)
        if why:
            where = places.at(key, shown) if key not in CONTENT_FOLDERS else (site.shown(site.root / folder), 1, 1)
            problems.append(_problem(*where, "CFG004", why))
    return problems


def _snippet_problems(site: Site, places: _Places, shown: str) -> list[Problem]:
    if site.snippets is None:
        return []
    options = site.snippets
    key = f"markdown_extensions.{SNIPPETS_EXTENSION}"
    problems = []
    home = (site.root / SNIPPETS_HOME).resolve()
    bases = options.get("base_path", ["."])
    for base in [bases] if isinstance(bases, str) else list(bases) if isinstance(bases, list) else [bases]:
        target = (site.root / str(base)).resolve() if isinstance(base, str) and base else None
        if target is None or not (target == home or target.is_relative_to(home)) \
                or _folder_problem(site, Path(str(base)), "base_path"):
            problems.append(_problem(*places.at(f"{key}.base_path", shown), "CFG003",
                                     f"base_path {base!r}: pages may include only files of {SNIPPETS_HOME}/ "
                                     f"(another folder could publish .git/config or any file of the disk); "
                                     f"write base_path: [{SNIPPETS_HOME}]"))
    for option, safe, fix in (("restrict_base_path", True, "restrict_base_path: true"),
                              ("url_download", False, "url_download: false")):
        if options.get(option, safe) is not safe:
            problems.append(_problem(*places.at(f"{key}.{option}", shown), "CFG003",
                                     f"{option}: {options.get(option)!r} lets pages include files from outside "
                                     f"{SNIPPETS_HOME}/ or from the network; write {fix}"))
    if options.get("auto_append"):
        problems.append(_problem(*places.at(f"{key}.auto_append", shown), "CFG003",
                                 "auto_append adds files to every page unseen by its reviewers; "
                                 "include them with --8<-- in the pages instead"))
    return problems


def _setting_problems(site: Site, config: dict[str, Any], places: _Places, shown: str) -> list[Problem]:
    problems = []
    if config.get("extra_templates"):
        problems.append(_problem(*places.at("extra_templates", shown), "CFG005",
                                 "extra_templates: a template of the docs folder runs with the whole configuration "
                                 "and prints it unescaped; this site has none: write the page in Markdown"))
    extra = config.get("extra")
    for name in extra if isinstance(extra, dict) else ():
        if name not in EXTRA_KEYS:
            problems.append(_problem(*places.at(f"extra.{name}", shown), "CFG005",
                                     f"extra.{name}: not a setting of this site (allowed: "
                                     f"{', '.join(sorted(EXTRA_KEYS))}); Material prints some extra settings "
                                     "as HTML or script unescaped: remove it, or add it to kb/configuration.py "
                                     "with a template that escapes it"))
    hooks = config.get("hooks")
    content = [folder.resolve() for folder in site.content_folders()]
    for hook in hooks if isinstance(hooks, list) else []:
        path = site.root / str(hook)
        if not isinstance(hook, str) or path.suffix != ".py" or path.is_symlink() \
                or any(path.resolve().is_relative_to(folder) for folder in content):
            problems.append(_problem(*places.at("hooks", shown), "CFG005",
                                     f"hook {hook!r}: hooks run as code in every build; a hook is a Python file "
                                     f"of {HOOKS_HOME}/, never a link or a file of the content folders (pages, "
                                     "includes, data, theme overrides)"))
    for key in PLAIN_TEXT_KEYS:
        value = config.get(key)
        if isinstance(value, str) and (m := _MARKUP.search(value)):
            char = m.group()
            named = f"'{char}'" if char in '<>"&' else f"U+{ord(char):04X}"
            problems.append(_problem(*places.at(key, shown), "CFG006",
                                     f"{key}: {named} (at character {m.start() + 1}); the theme prints this text "
                                     "as HTML, where it could become markup: write plain text (“ ” for quotes, "
                                     "'and' for &)"))
    return problems


def _data_problems(site: Site) -> tuple[list[Problem], int]:
    problems, checked = [], 0
    data = site.root / "data"
    for path in sorted(data.rglob("*.y*ml")) if data.is_dir() and not data.is_symlink() else []:
        if path.is_symlink() or not path.is_file():
            continue  # CNT001 reports links
        shown = site.shown(path)
        checked += 1
        try:
            yaml_bounds.compose(path.read_text(encoding="utf-8-sig"), yaml_bounds.limits_for(shown))
        except yaml_bounds.LimitError as error:
            problems.append(_problem(shown, error.line, error.col, "CFG007", error.message))
        except yaml.YAMLError as error:
            problems.append(_problem(shown, *yaml_bounds.describe(error)[:2], "CFG007",
                                     f"not valid YAML: {yaml_bounds.describe(error)[2]}"))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(_problem(shown, 1, 1, "CFG007", f"cannot be read as UTF-8 text: {error}"))
    return problems, checked


def check_site(site: Site, today: dt.date | None = None) -> CheckResult:
    problems: list[Problem] = []
    places = _Places()
    config: dict[str, Any] = {}
    files = site.config_files or ((site.root / "mkdocs.yml"),)
    shown_main = site.shown(files[0])
    for path in files:
        shown = site.shown(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
            root = yaml_bounds.compose(text, yaml_bounds.CONFIG)
            values = parse_config(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, yaml_bounds.LimitError):
            continue  # kb.core.site.load reported it before any check ran
        if root is not None:
            problems += _tag_problems(shown, root, places)
        if isinstance(values, dict):
            for key, value in values.items():
                if key == "INHERIT":
                    continue
                if isinstance(value, dict) and isinstance(config.get(key), dict):
                    config[key] = {**value, **config[key]}
                else:
                    config.setdefault(key, value)
    problems += _content_folder_problems(site, config, places, shown_main)
    problems += _snippet_problems(site, places, shown_main)
    problems += _setting_problems(site, config, places, shown_main)
    data_problems, data_files = _data_problems(site)
    problems += data_problems
    counts = {"files checked": len(files) + data_files}
    return CheckResult("configuration", tuple(sorted(set(problems))), counts)
