"""Every content check of ``make check``, run by the build before any page is rendered.

``on_files`` runs :func:`kb.check.run` on the site of this mkdocs.yml, the very function ``make check``
runs, so the two pass and fail on the same inputs: errors stop the build with one ``PluginError``
listing every one of them; warnings are logged under ``mkdocs.hooks.checks``, so ``--strict`` fails
on them after every page is reported; notices (a page past its review date) are logged as info.
Under ``mkdocs serve`` nothing stops the server: problems are logged (as info when ``strict`` would
stop it) and a page with errors shows them at its top.

A symbolic link under the docs folder, and a file the static files check refuses (kb.static_files:
markup, host control files, ...), is never published (the checks report it as an error).
The last check, over the built pages (``python -m kb.html_safety --built site``), runs after the
build in ``make build`` and CI, for any generator.
"""
from __future__ import annotations

import logging
import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime

from kb import bounds, check, static_files
from kb.core import report
from kb.core.markdown_text import escape_markdown
from kb.core.site import SiteError, load

log = logging.getLogger("mkdocs.hooks.checks")

LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "notice": logging.INFO}

_serving = {"on": False}
_errors_by_page: dict[str, list[report.Reportable]] = {}  # src_uri -> its errors, shown under `serve`


def on_startup(*, command: str, dirty: bool) -> None:
    _serving["on"] = command == "serve"


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    try:
        site = load(config.config_file_path)
    except SiteError as error:
        raise PluginError(str(error)) from None
    refused = static_files.refused(site)  # markup, host files, ...: never published, even under `serve`
    for file in [file for file in files if file.abs_src_path and os.path.islink(file.abs_src_path)
                 or file.src_uri in refused]:
        files.remove(file)
    listed = {file.src_uri for file in files.documentation_pages()}
    checked = set(site.pages())
    if listed != checked:
        log.warning(f"MkDocs lists other pages than the checks found: {', '.join(sorted(listed ^ checked))}")
    results = check.run(site, get_build_datetime().date())  # SOURCE_DATE_EPOCH moves "today" too
    _report(results, {site.shown(site.page_path(src)): src for src in checked}, config)
    return files


def _report(results: list[report.CheckResult], sources: dict[str, str], config: MkDocsConfig) -> None:
    """Log every problem; stop the build on errors, except under ``serve``."""
    _errors_by_page.clear()
    serving, quiet = _serving["on"], _serving["on"] and config.strict
    for problem in (problem for result in results for problem in result.problems):
        log.log(logging.INFO if quiet else LEVELS[problem.severity], report.line(problem))
        if problem.severity == "error" and problem.path in sources:
            _errors_by_page.setdefault(sources[problem.path], []).append(problem)
    counts = [(result.label, sum(p.severity == "error" for p in result.problems)) for result in results]
    if serving or not any(n for _, n in counts):
        return
    lines = [report.line(p) for result in results for p in result.problems if p.severity == "error"]
    raise PluginError(", ".join(f"{n} {label} error{'s' * (n != 1)}" for label, n in counts if n)
                      + " (run `make check` to see them without building):\n" + "\n".join(lines))


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    problems = _errors_by_page.get(page.file.src_uri)
    if not problems:
        return None
    # Contributor text shown literally: also no attribute lists, headings, tables or images.
    items = "\n".join(f"    - `{p.code}` line {p.line}: {escape_markdown(report.detail(p), extra='{}#|!')}"
                      for p in problems)
    notice = f'!!! failure "Errors on this page: `mkdocs build` will fail"\n\n{items}\n\n'
    if any(p.code.startswith(bounds.PREFIX) for p in problems):
        return notice  # past the size or nesting limits: the page's text would stall Python-Markdown
    return notice + markdown
