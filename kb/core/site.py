"""The site as the checks see it: mkdocs.yml read without MkDocs.

The checks need a few facts of the configuration: where the pages are, which of them the navigation
lists, where the bibliography, glossary and snippets live (the options of the Markdown extensions
that render them, so the checks read the very files the build renders), the theme's override folder
and the page statuses the site declares. :func:`load` reads them with a YAML loader that builds no
objects: ``!ENV`` gives its default, ``!!python/...`` and other tags give None.
:func:`rendering_extensions` says which of its Markdown extensions a check may run itself to
convert a file as the build does, and :func:`converter` gives a converter with them.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import importlib.util
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import markdown
import pathspec
import yaml

from kb.core import markdown_text, pages, yaml_bounds

CONFIG_NAME = "mkdocs.yml"
CITATIONS_EXTENSION = "kb.citations.extension"
GLOSSARY_EXTENSION = "kb.glossary.extension"
TRIALS_EXTENSION = "kb.trials.extension"
UPDATES_EXTENSION = "kb.updates.extension"
SNIPPETS_EXTENSION = "pymdownx.snippets"
TAGS_FILE = "data/tags.yml"
"""The controlled vocabulary of page tags, relative to the folder of mkdocs.yml."""
BUILT_IN_STATUSES = frozenset({"new", "deprecated"})
"""Page statuses Material for MkDocs knows without ``extra.status``."""


class SiteError(Exception):
    """mkdocs.yml cannot be read; the message says why (``file:line:col: CODE error: ...`` when it
    names a place)."""


class ConfigError(SiteError):
    """mkdocs.yml (or a file it inherits) has a problem at a known place: the message is a report
    line, and the checks exit 1 as for any other problem (2 is for usage errors)."""


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without building objects."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if values else None
    return None


_ConfigLoader.add_constructor("!ENV", _env_default)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclasses.dataclass(frozen=True)
class Site:
    root: Path  # the folder of mkdocs.yml; every path below is resolved from it
    docs_dir: Path
    nav: tuple[str, ...] | None  # docs-relative pages the nav names; None: no nav (MkDocs lists every page)
    exclude_docs: str | None
    not_in_nav: str | None
    custom_dir: Path | None
    statuses: frozenset[str]
    bibliography: Path | None
    glossary: Path | None
    trials: Path | None  # the trial results the comparison table and chart show
    snippet_bases: tuple[Path, ...]
    tags_file: Path
    snippets: Mapping[str, Any] | None = None  # pymdownx.snippets' options as written; None: not enabled
    config_files: tuple[Path, ...] = ()  # mkdocs.yml, then the files it inherits from
    # files (as shown) too large to convert (kb.bounds): no other check reads them
    set_aside: frozenset[str] = frozenset()
    # name → options, in order
    markdown_extensions: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)
    texts: dict[str, str | None] = dataclasses.field(default_factory=dict, compare=False, repr=False)  # page_text's

    def pages(self) -> list[str]:
        """Every page MkDocs lists, docs-relative, in its order."""
        if not self.docs_dir.is_dir():
            return []
        found = pages.markdown_pages(self.docs_dir, self.exclude_docs)
        if not self.set_aside:
            return found
        return [src for src in found if self.shown(self.page_path(src)) not in self.set_aside]

    def page_texts(self) -> Iterator[tuple[str, str]]:
        """(path as shown, text) of every page that can be read (the front matter check reports the others)."""
        for src in self.pages():
            text = self.page_text(src)
            if text is not None:
                yield self.shown(self.page_path(src)), text

    def include_files(self) -> list[Path]:
        """Every file of the snippets folders, sorted; symbolic links left out (CNT001 reports them)."""
        return sorted(p for base in self.snippet_bases if base.is_dir() for p in base.rglob("*")
                      if p.is_file() and not p.is_symlink())

    def content_folders(self) -> list[Path]:
        """The folders a pull request fills: pages, includes, data and the theme's overrides."""
        return [self.docs_dir, *self.snippet_bases, self.root / "data", *([self.custom_dir] if self.custom_dir else [])]

    def omitted_from_nav(self) -> list[str]:
        """Pages the nav does not list and ``not_in_nav`` does not excuse (MkDocs warns about them)."""
        if self.nav is None:
            return []
        excused = pathspec.GitIgnoreSpec.from_lines((self.not_in_nav or "").splitlines())
        listed = set(self.nav)
        return [src for src in self.pages() if src not in listed and not excused.match_file(src)]

    def shown(self, path: Path) -> str:
        """How contributors see a path: relative to the repository, forward slashes."""
        return self.shown_from(path, self.root)

    @staticmethod
    def shown_from(path: Path, root: Path) -> str:
        """``path`` relative to ``root`` with forward slashes, or absolute when outside it."""
        resolved = path.parent.resolve() / path.name  # a link is named as it is, not as its target
        try:
            return resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            return resolved.as_posix()

    def page_path(self, src: str) -> Path:
        return self.docs_dir / src

    def page_text(self, src: str) -> str | None:
        """A page's text with LF line ends, read once per run however many checks read it; None when
        it cannot be read as UTF-8 (the front matter check reports why)."""
        if src not in self.texts:
            try:
                text: str | None = self.page_path(src).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = None
            self.texts[src] = None if text is None else markdown_text.normalize_newlines(text)
        return self.texts[src]

    def theme_dirs(self) -> list[Path]:
        """Where the theme's templates and icons are looked up: the override folder, then Material's."""
        found = [self.custom_dir] if self.custom_dir is not None else []
        spec = importlib.util.find_spec("material")  # found, not imported: kb does not load MkDocs
        if spec is not None and spec.submodule_search_locations:
            found.append(Path(list(spec.submodule_search_locations)[0]) / "templates")
        return found

    def theme_file(self, relative: str) -> Path | None:
        """``relative`` in the theme, if it is a file inside one of :meth:`theme_dirs` (no ``..`` out)."""
        for folder in self.theme_dirs():
            candidate = (folder / relative).resolve()
            if candidate.is_relative_to(folder.resolve()) and candidate.is_file():
                return candidate
        return None


def _extension_options(extensions: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for item in extensions or ():
        if isinstance(item, str):
            yield item, {}
        elif isinstance(item, Mapping):
            for name, options in item.items():
                yield str(name), options if isinstance(options, Mapping) else {}


def _nav_pages(nav: Any) -> Iterator[str]:
    if isinstance(nav, str):
        if not nav.startswith(("http://", "https://", "/")) and nav.endswith(pages.MARKDOWN_SUFFIXES):
            yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_pages(item)
    elif isinstance(nav, Mapping):
        for item in nav.values():
            yield from _nav_pages(item)


def from_mapping(config: Mapping[str, Any], root: Path) -> Site:
    """The facts the checks need from a parsed configuration; paths resolved from ``root``."""
    extensions = dict(_extension_options(config.get("markdown_extensions")))
    theme = config.get("theme") if isinstance(config.get("theme"), Mapping) else {}
    extra = config.get("extra") if isinstance(config.get("extra"), Mapping) else {}
    declared = extra.get("status") if isinstance(extra.get("status"), Mapping) else {}

    def option(extension: str, name: str) -> Path | None:
        value = extensions.get(extension, {}).get(name) if extension in extensions else None
        return root / value if isinstance(value, str) and value else None

    bases = extensions.get(SNIPPETS_EXTENSION, {}).get("base_path", ["."]) if SNIPPETS_EXTENSION in extensions else []
    bases = [bases] if isinstance(bases, str) else list(bases or [])
    custom_dir = theme.get("custom_dir")
    nav = config.get("nav")
    return Site(
        root=root,
        docs_dir=root / str(config.get("docs_dir") or "docs"),
        nav=tuple(_nav_pages(nav)) if nav is not None else None,
        exclude_docs=config.get("exclude_docs") if isinstance(config.get("exclude_docs"), str) else None,
        not_in_nav=config.get("not_in_nav") if isinstance(config.get("not_in_nav"), str) else None,
        custom_dir=root / custom_dir if isinstance(custom_dir, str) and custom_dir else None,
        statuses=BUILT_IN_STATUSES | {str(name) for name in declared},
        bibliography=option(CITATIONS_EXTENSION, "bibliography"),
        glossary=option(GLOSSARY_EXTENSION, "glossary"),
        trials=option(TRIALS_EXTENSION, "data"),
        snippet_bases=tuple(root / str(base) for base in bases),
        tags_file=root / TAGS_FILE,
        snippets=extensions.get(SNIPPETS_EXTENSION) if SNIPPETS_EXTENSION in extensions else None,
        markdown_extensions=extensions,
    )


def parse_config(text: str) -> Any:
    """mkdocs.yml's text as plain data (raises yaml.YAMLError on bad YAML, yaml_bounds.LimitError
    when it passes the configuration's limits: aliases, size, nesting)."""
    yaml_bounds.check_size(text, yaml_bounds.CONFIG)
    loader = _ConfigLoader(text)
    try:
        node = loader.get_single_node()
        yaml_bounds.measure(node, yaml_bounds.CONFIG)
        return loader.construct_document(node) if node is not None else None
    except RecursionError:
        raise yaml_bounds.LimitError(1, 1, "lists and mappings nested too deeply to read") from None
    finally:
        loader.dispose()


def _merged(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """``INHERIT`` as MkDocs does it: mappings merged key by key, anything else replaced by the child's."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path, seen: tuple[Path, ...] = (), read: list[Path] | None = None) -> Mapping[str, Any]:
    root = (seen[0] if seen else path.resolve()).parent
    shown = Site.shown_from(path, root)
    if path.resolve() in seen:
        raise ConfigError(f"{shown}:1:1: CFG007 error: {shown} inherits from itself (INHERIT)")
    try:
        config = parse_config(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise SiteError(f"cannot read {shown}: {error}") from None
    except yaml_bounds.LimitError as error:
        raise ConfigError(f"{shown}:{error.line}:{error.col}: CFG007 error: {error.message}") from None
    except yaml.YAMLError as error:
        line, col, what = yaml_bounds.describe(error)
        raise ConfigError(f"{shown}:{line}:{col}: CFG007 error: not valid YAML: {what}") from None
    if not isinstance(config, Mapping):
        raise ConfigError(f"{shown}:1:1: CFG007 error: {shown} is not a mapping of settings")
    if read is not None:
        read.append(path)
    parent = config.get("INHERIT")
    if isinstance(parent, str):
        base = _read(path.parent / parent, (*seen, path.resolve()), read)
        config = _merged(base, {key: value for key, value in config.items() if key != "INHERIT"})
    return config


def load(config_file: Path | str) -> Site:
    """Read mkdocs.yml (and what it inherits); :class:`SiteError` if it cannot be read or is not a mapping."""
    path = Path(config_file)
    if path.is_dir():
        path = path / CONFIG_NAME
    read: list[Path] = []
    site = from_mapping(_read(path, read=read), path.resolve().parent)
    return dataclasses.replace(site, config_files=tuple(read))


RENDERED_PASS_SKIPS = frozenset({SNIPPETS_EXTENSION})
TRUSTED_EXTENSION_PACKAGE = "pymdownx."
"""Of mkdocs.yml's ``markdown_extensions``, a rendered pass (the HTML and crisis checks convert each
file) runs those Python-Markdown registers (its own: ``admonition``, ``toc``...) and
pymdown-extensions' (``pymdownx.``...) with their options, but not ``pymdownx.snippets`` (an
included file is checked in its page and as a file of its own) nor the site's own ``kb.``
extensions (which write only escaped text from the bibliography and the glossary, checked at their
source). mkdocs.yml is untrusted: no check imports another module it names."""


@functools.lru_cache(maxsize=1)
def _project_site() -> Site | None:
    try:
        return load(Path(__file__).resolve().parents[2])
    except SiteError:
        return None


@functools.lru_cache(maxsize=1)
def _registered_extensions() -> frozenset[str]:
    """The extension names installed packages register with Python-Markdown (its own)."""
    return frozenset(entry.name for entry in importlib.metadata.entry_points(group="markdown.extensions"))


def rendering_extensions(site: Site | None = None) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The Markdown extensions and their options a rendered pass converts with: those of the site's
    mkdocs.yml (by default the project's) that :data:`RENDERED_PASS_SKIPS` and the note under it
    allow, in mkdocs.yml's order."""
    site = site if site is not None else _project_site()
    registered = _registered_extensions()
    chosen = [(name, dict(options)) for name, options in (site.markdown_extensions.items() if site else ())
              if name not in RENDERED_PASS_SKIPS and (name in registered or name.startswith(TRUSTED_EXTENSION_PACKAGE))]
    return [name for name, _ in chosen], {name: options for name, options in chosen if options}


def converter(site: Site | None = None) -> markdown.Markdown:
    """A Python-Markdown converter with :func:`rendering_extensions`, reset: one for every file of a
    run (setting one up costs as much as converting a page)."""
    return _converter(json.dumps(rendering_extensions(site), sort_keys=True, default=str)).reset()


@functools.lru_cache(maxsize=4)
def _converter(extensions: str) -> markdown.Markdown:
    names, configs = json.loads(extensions)
    return markdown.Markdown(extensions=names, extension_configs=configs)
