"""Trial results from data/trials.yml as a table and a chart: ``<!-- trials table -->`` and
``<!-- trials chart: smd -->`` lines (optionally followed by result keys) become the clinician table
and an accessible inline SVG forest plot of the same figures (:mod:`kb.trials`).

Markdown extension in the shape of pymdownx's. In ``mkdocs.yml``::

    markdown_extensions:
      - tables
      - kb.trials.extension:
          data: data/trials.yml
          bibliography: data/references.yml

The table is Markdown (its citations become notes through ``kb.citations.extension``, which runs
after this); the chart is stored as raw HTML built from escaped values only. Unknown keys are left
out here and reported by ``make check`` (TRI006).
"""
from __future__ import annotations

from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from kb import trials
from kb.core import yaml_bounds


class TrialsPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: TrialsExtension) -> None:
        super().__init__(md)
        self.extension = extension
        self.charts = 0

    def _data(self) -> trials.Trials:
        bib = self.extension.getConfig("bibliography")
        known = yaml_bounds.mapping_keys(Path(bib), yaml_bounds.LIMITS["data/references.yml"]) if bib else None
        path = Path(self.extension.getConfig("data"))
        return trials.load(path, str(path), known)

    def run(self, lines: list[str]) -> list[str]:
        if not any(trials.parse_marker(line) for line in lines):
            return lines
        data = self._data()
        out: list[str] = []
        for line in lines:
            marker = trials.parse_marker(line)
            if marker is None:
                out.append(line)
                continue
            kind, keys = marker
            chosen = trials.select(data, keys)
            if kind == "table":
                out += ["", *trials.table_markdown(chosen).split("\n"), ""]
            else:
                measure = line.split(":", 1)[1].split()[0] if ":" in line else "smd"
                self.charts += 1
                svg = trials.chart_svg(chosen, measure if measure in trials.MEASURES else "smd",
                                       f"kb-chart-{self.charts}")
                if svg:
                    out += ["", f'<figure class="kb-chart">{self.md.htmlStash.store(svg)}</figure>', ""]
        return out


class TrialsExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "data": ["data/trials.yml", "The trial results file - Default: data/trials.yml"],
            "bibliography": ["", "The bibliography the results cite - Default: none (not cross-checked)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        if "table" not in md.parser.blockprocessors:
            md.registerExtensions(["tables"], {})
        # After snippets (32) and the page-list markers (31), before citations (29) read [@key].
        md.preprocessors.register(TrialsPreprocessor(md, self), "kb_trials", 30)


def makeExtension(**kwargs) -> TrialsExtension:  # noqa: N802 (Python-Markdown's name)
    return TrialsExtension(**kwargs)
