"""Trial results: data/trials.yml → checked results with line numbers → a table and a chart.

One file holds each trial's figures (who took part, the comparison, the main outcome, the effect with
its 95 % confidence interval, the follow-up and the source), so a trial says the same thing on every
page that shows it. :func:`load` reads the file with PyYAML's composer (keeping each entry's line),
checks each entry against ``schema/trials.schema.json`` and cross-checks what a schema cannot (a
confidence interval that does not hold its estimate). :func:`table_markdown` and :func:`chart_svg`
render a selection for the ``kb.trials.extension`` extension; :func:`check_site` is the check that
``make check`` and the build run.

Every value comes from a pull request: the schema allows plain text only (no ``<``, ``>``, ``|``,
brackets, braces, backticks or backslashes) and the renderers escape it again, so a value can neither
become HTML nor break the table.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
import pathlib
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import jsonschema
import yaml

from kb.core import yaml_bounds
from kb.core.markdown_text import escape_markdown
from kb.core.problems import Code, Problem, register
from kb.core.report import CheckResult

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema" / "trials.schema.json"

CODES: tuple[Code, ...] = (
    Code("TRI001", "unreadable", "error", "Trial data cannot be read or is not a mapping of results",
         "data/trials.yml could not be read as YAML within its limits, or its top level is not a "
         "mapping of results.",
         "Fix the YAML at the line given."),
    Code("TRI002", "schema", "error", "Result breaks the schema (missing, unknown or malformed field)",
         "A result lacks a required field, has one the schema does not know, or one of the wrong form"
         " (schema/trials.schema.json).",
         "Add, remove or correct the field named."),
    Code("TRI003", "duplicate", "error", "Result given twice",
         "Two results share an id or a key, so one would silently replace the other.",
         "Remove the duplicate or give it its own id."),
    Code("TRI004", "interval_excludes_estimate", "error", "Confidence interval does not hold the estimate",
         "The estimate lies outside its own 95 % confidence interval, which is a copying mistake.",
         "Check the estimate and both limits against the source."),
    Code("TRI005", "unknown_source", "error", "Result cites a source the bibliography does not have",
         "A result's source key has no entry in data/references.yml, so the table could not cite it.",
         "Correct the key, or add the source to data/references.yml."),
    Code("TRI006", "unknown_result", "error", "Page names a result the trial data does not have",
         "A trial table or chart on a page names a result that data/trials.yml does not hold.",
         "Correct the name, or add the result to data/trials.yml."),
)
problem = register(CODES)

MEASURES: dict[str, tuple[str, str]] = {
    "smd": ("Standardised difference (Cohen's d or Hedges' g)",
            "Above 0 favours the treatment; about 0.2 is small, 0.5 medium, 0.8 large."),
    "caps5": ("Difference in CAPS-5 points (0 to 80 scale)",
              "Above 0 favours the treatment named first."),
}
"""Effect measure → (axis title, how to read it). Results on one measure share a chart."""

MAX_BYTES = 200_000
"""The trial data is a few kilobytes; a larger file is refused before it is parsed."""


@dataclasses.dataclass(frozen=True)
class Effect:
    measure: str
    estimate: float
    low: float | None = None
    high: float | None = None

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None


@dataclasses.dataclass(frozen=True)
class Result:
    key: str
    label: str
    treatment: str
    comparison: str
    design: str
    people: str
    n: int | None
    outcome: str
    effect: Effect | None
    result: str
    follow_up: str
    cite: str
    line: int


@dataclasses.dataclass
class Trials:
    path: str
    results: dict[str, Result]
    problems: list[Problem]


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _problem(trials: Trials, line: int, col: int, code: str, message: str) -> None:
    trials.problems.append(problem(trials.path, line, col, code, message))


def load(path: pathlib.Path, shown: str, known_sources: Iterable[str] | None = None) -> Trials:
    """Read and check the trial data; bad content becomes problems, never an exception."""
    trials = Trials(shown, {}, [])
    try:
        if path.stat().st_size > MAX_BYTES:
            _problem(trials, 1, 1, "TRI001", f"the file is larger than {MAX_BYTES:,} bytes; keep one "
                                             "entry per trial result")
            return trials
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return trials
    except (OSError, UnicodeDecodeError) as exc:
        _problem(trials, 1, 1, "TRI001", f"cannot read the trial data: {exc}")
        return trials
    try:
        root = yaml.compose(text, Loader=yaml_bounds.FAST_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        _problem(trials, line, col, "TRI001", f"invalid YAML: {getattr(exc, 'problem', None) or exc}")
        return trials
    if root is None:
        return trials
    if not isinstance(root, yaml.MappingNode):
        _problem(trials, 1, 1, "TRI001", "the trial data must be a mapping of key: result")
        return trials
    nodes = [id(node) for node in _walk(root)]
    if len(nodes) != len(set(nodes)):  # an alias composes to the node it names: seen twice
        _problem(trials, 1, 1, "TRI001", "anchors and aliases (& and *) are not allowed: write each value out")
        return trials
    known = set(known_sources) if known_sources is not None else None
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        key, line, col = str(key_node.value), key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if key in seen:
            _problem(trials, line, col, "TRI003", f"{key!r} is given twice (first on line {seen[key]}); "
                                                  "keep one entry per result")
            continue
        seen[key] = line
        data = yaml.safe_load(yaml.serialize(value_node))
        errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.path))
        if not isinstance(key_node, yaml.ScalarNode) or not str(key).replace("-", "").isalnum() \
                or str(key) != str(key).lower():
            _problem(trials, line, col, "TRI002", f"key {key!r}: write lowercase letters, digits and "
                                                  "hyphens, e.g. feder2021")
            continue
        if errors:
            for error in errors:
                where = ".".join(str(p) for p in error.path) or "entry"
                _problem(trials, line, col, "TRI002", f"{key}: {where}: {_message(error)}")
            continue
        effect = data.get("effect")
        made = Result(key=key, label=data["label"], treatment=data["treatment"],
                      comparison=data["comparison"], design=data["design"], people=data["people"],
                      n=data.get("n"), outcome=data["outcome"],
                      effect=Effect(**effect) if effect else None, result=data["result"],
                      follow_up=data["follow_up"], cite=data["cite"], line=line)
        if made.effect and made.effect.has_interval and not (
                made.effect.low <= made.effect.estimate <= made.effect.high):
            _problem(trials, line, col, "TRI004", f"{key}: the interval {made.effect.low} to "
                                                  f"{made.effect.high} does not hold the estimate "
                                                  f"{made.effect.estimate}; check the source")
            continue
        if known is not None and made.cite not in known:
            _problem(trials, line, col, "TRI005", f"{key}: cite {made.cite!r} is not in the bibliography; "
                                                  "add it to data/references.yml or fix the key")
            continue
        trials.results[key] = made
    return trials


def _walk(node: yaml.Node) -> Iterable[yaml.Node]:
    yield node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(key)
            yield from _walk(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item)


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "pattern":
        return "plain text only: no < > | [ ] { } ` or backslash"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    return error.message


# ------------------------------------------------------------------------------------------ render


def _text(value: str) -> str:
    """A value as Markdown table text: escaped again, although the schema already refuses markup."""
    return escape_markdown(value).replace("|", "&#124;")


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace("-", "−") if value < 0 else text


def effect_text(effect: Effect | None) -> str:
    if effect is None:
        return "Not shown here; see the result"
    name = {"smd": "d or g", "caps5": "CAPS-5 points"}[effect.measure]
    interval = (f" (95 % CI {_number(effect.low)} to {_number(effect.high)})" if effect.has_interval
                else " (no interval reported)")
    return f"{name} {_number(effect.estimate)}{interval}"


def select(trials: Trials, keys: Sequence[str]) -> list[Result]:
    """The named results in the order named, or all in file order when none is named."""
    if not keys:
        return list(trials.results.values())
    return [trials.results[k] for k in keys if k in trials.results]


def table_markdown(results: Sequence[Result]) -> str:
    """The clinician table: trial, people, comparison, main outcome, effect, follow-up, each cited."""
    rows = ["| Trial | Who took part (n) | Compared with | Main outcome | Effect (95 % CI) | Result | Follow-up |",
            "|---|---|---|---|---|---|---|"]
    for r in results:
        who = f"{_text(r.people)} ({r.n})" if r.n else _text(r.people)
        rows.append(f"| {_text(r.label)} [@{r.cite}] | {who} | {_text(r.comparison)} | "
                    f"{_text(r.outcome)} | {_text(effect_text(r.effect))} | {_text(r.result)} | "
                    f"{_text(r.follow_up)} |")
    return "\n".join(rows)


def chart_svg(results: Sequence[Result], measure: str, chart_id: str) -> str:
    """A forest plot of the results on one measure that report an interval, as an accessible inline
    SVG: each row names the result, then draws its 95 % confidence interval with the estimate as a
    dot; the dashed line is 'no difference'. Labels sit above their interval, so the chart reads at
    phone width without scrolling. Its text alternative is the table beside it (the same figures)."""
    rows = [r for r in results if r.effect and r.effect.measure == measure and r.effect.has_interval]
    if not rows:
        return ""
    title, reading = MEASURES[measure]
    step = 0.5 if measure == "smd" else 5.0
    low = math.floor(min(0.0, *(r.effect.low for r in rows)) / step) * step
    high = math.ceil(max(0.0, *(r.effect.high for r in rows)) / step) * step
    width, margin, row_h, top = 440, 20, 46, 34
    bottom = top + row_h * len(rows)
    height = bottom + 44

    def x(value: float) -> float:
        return round(margin + (value - low) / (high - low) * (width - 2 * margin), 1)

    parts = [f'<svg class="kb-forest" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-title">{xml_escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{xml_escape(reading)} Each line is a 95 % confidence interval; '
             f'the dot is the estimate. The table above gives the same figures.</desc>',
             f'<text class="kb-forest__axis-title" x="{margin}" y="18">{xml_escape(title)}</text>']
    for i in range(int(round((high - low) / step)) + 1):
        tick = low + i * step
        parts.append(f'<line class="kb-forest__grid" x1="{x(tick)}" y1="{top}" x2="{x(tick)}" y2="{bottom}"/>'
                     f'<text class="kb-forest__tick" x="{x(tick)}" y="{bottom + 18}" text-anchor="middle">'
                     f'{xml_escape(_number(tick))}</text>')
    parts.append(f'<line class="kb-forest__zero" x1="{x(0)}" y1="{top}" x2="{x(0)}" y2="{bottom}"/>'
                 f'<text class="kb-forest__tick" x="{x(0)}" y="{bottom + 38}" text-anchor="middle">'
                 f'no difference</text>')
    for i, r in enumerate(rows):
        y = top + row_h * i
        parts.append(f'<g class="kb-forest__row"><text class="kb-forest__label" x="{margin}" y="{y + 16}">'
                     f'{xml_escape(r.label)}</text>'
                     f'<line class="kb-forest__ci" x1="{x(r.effect.low)}" y1="{y + 31}" x2="{x(r.effect.high)}" '
                     f'y2="{y + 31}"/><circle class="kb-forest__point" cx="{x(r.effect.estimate)}" cy="{y + 31}" '
                     f'r="6"/></g>')
    parts.append("</svg>")
    return "".join(parts)


# ------------------------------------------------------------------------------------------- check


def check_site(site: Any, today: dt.date) -> CheckResult:
    """The trial data checked (cross-checked against the bibliography's keys), and every result a page
    names found in it."""
    if site.trials is None:
        return CheckResult("trials", (), {"results": 0})
    bib = site.bibliography
    known = yaml_bounds.mapping_keys(bib, yaml_bounds.LIMITS["data/references.yml"]) if bib else None
    trials = load(site.trials, site.shown(site.trials), known)
    problems = list(trials.problems)
    invalid = {p.message.split(":", 1)[0] for p in trials.problems}
    for shown, text in site.page_texts():
        for number, line in enumerate(text.splitlines(), 1):
            marker = parse_marker(line)
            if marker is None:
                continue
            for key in marker[1]:
                if key not in trials.results and key not in invalid:
                    problems.append(problem(shown, number, 1, "TRI006",
                                            f"{key!r} is not in {trials.path}: add it there or fix the name"))
    return CheckResult("trials", tuple(sorted(problems)), {"results": len(trials.results)})


MARKER_KINDS = ("table", "chart")


def parse_marker(line: str) -> tuple[str, list[str]] | None:
    """``<!-- trials table -->``, ``<!-- trials chart: smd -->`` or ``<!-- trials table: a b -->`` →
    (kind, keys). A chart's words after the colon are a measure, then keys."""
    stripped = line.strip()
    if not (stripped.startswith("<!-- trials ") and stripped.endswith("-->")):
        return None
    body = stripped[len("<!-- trials "):-3].strip()
    kind, _, rest = body.partition(":")
    kind = kind.strip()
    if kind not in MARKER_KINDS:
        return None
    words = rest.split()
    if kind == "chart":
        words = words[1:] if words and words[0] in MEASURES else words
    return kind, words
