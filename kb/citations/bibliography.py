"""The bibliography: data/references.yml → entries with line numbers → problems → formatted references.

``load(path)`` parses the YAML keeping the line of every key and field, checks each entry against
``schema/references.schema.json`` (jsonschema) and returns a :class:`Bibliography` with the valid
entries and the problems found. ``format_entry`` renders one entry as a Markdown line with DOI and
PubMed links; the citations extension and the references page use it.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
import re
import urllib.parse
from typing import Any

import jsonschema
import markdown
import yaml

from kb.core import yaml_bounds
from kb.core.markdown_text import escape_markdown
from kb.core.problems import Code, Problem, register

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema" / "references.schema.json"
DEFAULT_PATH = ROOT / "data" / "references.yml"

KEY_PATTERN = r"[a-z0-9][a-z0-9_-]*"
"""Keys are lowercase author+year with an optional letter suffix (``feder2021``, ``feder2021b``)."""

TYPE_LABELS: dict[str, str] = {
    "rct": "Randomised controlled trial",
    "meta-analysis": "Meta-analysis",
    "systematic-review": "Systematic review",
    "guideline": "Clinical practice guideline",
    "cohort": "Cohort study",
    "survey": "Survey",
    "review": "Review",
    "open-label": "Open-label study",
    "animal": "Animal study",
    "label": "Drug label",
    "regulatory": "Regulatory document",
    "other": "Other source",
}
"""Evidence type → the label readers see. Its keys are the schema's ``type`` enum."""

URL_ONLY_TYPES = ("guideline", "label", "regulatory")

CODES: tuple[Code, ...] = (
    Code("BIB001", "unreadable", "error", "Bibliography cannot be read or is not a mapping of entries",
         "data/references.yml could not be read as YAML within its limits, or its top level is not a "
         "mapping of keys to entries, so no citation can be checked.",
         "Fix the YAML at the line given; the file is a mapping of keys such as feder2021 to entries."),
    Code("BIB002", "schema", "error", "Entry breaks the schema (missing, unknown or malformed field)",
         "An entry lacks a required field, has a field the schema does not know, or a field of the "
         "wrong form (schema/references.schema.json).",
         "Add, remove or correct the field named; an entry needs a DOI or PMID, or a URL for "
         "guidelines, labels and regulatory documents."),
    Code("BIB003", "duplicate", "error", "Key or field given twice",
         "YAML keeps only the last of two equal keys, so one entry or field would silently replace "
         "the other.",
         "Remove the duplicate, or give the second source its own key with a letter suffix "
         "(feder2021b)."),
    Code("BIB004", "bad_key", "error", "Key is not lowercase author+year",
         "Keys are lowercase first author plus year with an optional letter suffix, so that "
         "contributors can guess and cite them.",
         "Rename the key, for example feder2021 or feder2021b, and update the pages that cite it."),
)
_problem = register(CODES)


@dataclasses.dataclass(frozen=True)
class Entry:
    key: str
    authors: str
    title: str
    container: str
    year: int
    type: str
    volume: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    line: int = 0

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]


@dataclasses.dataclass
class Bibliography:
    path: str
    entries: dict[str, Entry]
    problems: list[Problem]
    lines: dict[str, int]  # key → line, also for invalid entries

    def __contains__(self, key: str) -> bool:
        return key in self.lines

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def validator() -> jsonschema.protocols.Validator:
    schema = _schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def schema_errors(entry: Any) -> list[jsonschema.ValidationError]:
    """Every schema error of one entry, in field order."""
    return sorted(validator().iter_errors(entry), key=lambda e: list(map(str, e.path)))


def _message(error: jsonschema.ValidationError, entry: dict[str, Any]) -> str:
    """A contributor-facing sentence for one schema error."""
    field = error.path[0] if error.path else None
    if error.validator == "anyOf" and not error.path:
        if entry.get("type") in URL_ONLY_TYPES:
            return "needs a doi, a pmid or (for a guideline, label or regulatory document) a url"
        return "needs a doi or a pmid (only a guideline, label or regulatory document may give a url instead)"
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing (required field)")
    if error.validator == "additionalProperties":
        return (error.message.replace("Additional properties are not allowed", "unknown field")
                + f"; allowed: {', '.join(_schema()['properties'])}")
    if field == "doi" and error.validator == "pattern":
        return (f"doi {error.instance!r} is not of the form 10.NNNN/suffix"
                " (write it without https://doi.org/)")
    if field == "pmid" and error.validator in ("pattern", "minimum", "maximum", "type"):
        return f"pmid {error.instance!r} must be PubMed digits only, e.g. \"33302741\""
    if field == "type" and error.validator == "enum":
        return f"type {error.instance!r} is not one of: {', '.join(TYPE_LABELS)}"
    if field == "url" and error.validator == "pattern":
        return (f"url {error.instance!r} must start with https:// and contain no spaces, quotes, brackets "
                "or backslashes")
    if field == "year":
        return f"year {error.instance!r} must be a four-digit year without quotes"
    prefix = f"{field}: " if field is not None else ""
    return prefix + error.message


def _mapping_lines(node: yaml.MappingNode) -> dict[Any, tuple[int, int]]:
    return {k.value: (k.start_mark.line + 1, k.start_mark.column + 1) for k, _ in node.value
            if isinstance(k, yaml.ScalarNode)}


def load(path: str | pathlib.Path = DEFAULT_PATH, display_path: str | None = None) -> Bibliography:
    """Read and check the bibliography; never raises for bad content (it becomes problems)."""
    path = pathlib.Path(path)
    shown = display_path or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Bibliography(shown, {}, [], {})  # no bibliography yet: every citation will be reported as unknown
    except (OSError, UnicodeDecodeError) as exc:
        return Bibliography(shown, {}, [_problem(shown, 1, 1, "BIB001",
                                                f"cannot read the bibliography: {exc}")], {})
    bib = _parse(text, shown)
    # A copy: callers get their own containers, the cache keeps the original.
    return dataclasses.replace(bib, entries=dict(bib.entries), problems=list(bib.problems), lines=dict(bib.lines))


@functools.lru_cache(maxsize=8)
def _parse(text: str, shown: str) -> Bibliography:
    """The bibliography in ``text``, kept by content: the citations extension loads it for every page
    that cites, and checking every entry against the schema is most of the cost."""
    bib = Bibliography(shown, {}, [], {})

    def problem(line: int, col: int, code: str, message: str) -> None:
        bib.problems.append(_problem(shown, line, col, code, message))

    try:
        root = yaml_bounds.compose(text, yaml_bounds.LIMITS["data/references.yml"])
    except yaml_bounds.LimitError as exc:
        problem(exc.line, exc.col, "BIB001", exc.message)
        return bib
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem(line, col, "BIB001", f"invalid YAML: {getattr(exc, 'problem', None) or exc}")
        return bib
    if root is None:
        return bib
    if not isinstance(root, yaml.MappingNode):
        problem(1, 1, "BIB001", "the bibliography must be a mapping of key: entry")
        return bib

    seen: dict[Any, int] = {}
    for key_node, value_node in root.value:
        key, line, col = key_node.value, key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if key in seen:
            problem(line, col, "BIB003", f"duplicate key {key!r} (first defined on line {seen[key]})")
            continue
        seen[key] = line
        bib.lines[str(key)] = line
        if not re.fullmatch(KEY_PATTERN, str(key)):
            problem(line, col, "BIB004",
                    f"key {key!r} must be lowercase letters and digits, like feder2021 or feder2021b")
        if not isinstance(value_node, yaml.MappingNode):
            problem(line, col, "BIB002", f"entry {key!r} must be a mapping of fields (authors, title, ...)")
            continue
        fields = _mapping_lines(value_node)
        names = [k.value for k, _ in value_node.value]  # PyYAML silently keeps the last duplicate
        dupes = {n for n in names if names.count(n) > 1}
        try:
            raw = yaml.SafeLoader("").construct_document(value_node)  # this entry, not a later duplicate
        except yaml.YAMLError as exc:
            problem(line, col, "BIB001", f"entry {key!r}: {exc}")
            continue
        entry_ok = True
        for f in sorted(dupes):
            problem(*fields[f], "BIB003", f"entry {key!r}: field {f!r} appears twice")
            entry_ok = False
        for error in schema_errors(raw):
            field = error.path[0] if error.path else None
            if error.validator == "additionalProperties":
                extra = [f for f in raw if f not in _schema()["properties"]]
                fline, fcol = fields.get(extra[0], (line, col)) if extra else (line, col)
            else:
                fline, fcol = fields.get(field, (line, col))
            problem(fline, fcol, "BIB002", f"entry {key!r}: {_message(error, raw)}")
            entry_ok = False
        if entry_ok:
            bib.entries[str(key)] = Entry(
                key=str(key), authors=raw["authors"].strip(), title=raw["title"].strip(),
                container=raw["container"].strip(), year=raw["year"], type=raw["type"],
                volume=(str(raw["volume"]).strip() if raw.get("volume") is not None else None),
                doi=raw.get("doi"), pmid=(str(raw["pmid"]) if raw.get("pmid") is not None else None),
                url=raw.get("url"), line=line,
            )
    return bib


# ----------------------------------------------------------------------------------------- rendering


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def doi_url(doi: str) -> str:
    return "https://doi.org/" + urllib.parse.quote(doi, safe="/:;.-_~")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def links(entry: Entry) -> list[str]:
    """Markdown links of an entry: DOI, PubMed, and the web address when there is no DOI or PMID."""
    out = []
    if entry.doi:
        out.append(f"[doi:{escape_markdown(entry.doi)}]({doi_url(entry.doi)})")
    if entry.pmid:
        out.append(f"[PMID {entry.pmid}]({pubmed_url(entry.pmid)})")
    if entry.url and not (entry.doi or entry.pmid):
        host = urllib.parse.urlsplit(entry.url).hostname or entry.url
        out.append(f"[{escape_markdown(host.removeprefix('www.'))}](<{entry.url}>)")
    return out


def format_entry(entry: Entry) -> str:
    """One reference, Vancouver-like, as a single Markdown line:

    ``Feder A, Costi S, et al. Title. *Journal*. 2021;178(2):193-202. [doi:…](…) · [PMID …](…)``

    Every field is escaped, so it shows as text; the schema allows only plain https addresses.
    """
    where = f"{entry.year};{entry.volume}" if entry.volume else f"{entry.year}"
    parts = [_sentence(escape_markdown(entry.authors)), _sentence(escape_markdown(entry.title)),
             f"*{escape_markdown(entry.container.rstrip('.'))}*.", _sentence(escape_markdown(where))]
    return " ".join(parts) + " " + " · ".join(links(entry))


_INLINE_MARKDOWN = markdown.Markdown()


def entry_html(entry: Entry) -> str:
    """:func:`format_entry` as HTML, as Python-Markdown renders it inside a paragraph."""
    rendered = _INLINE_MARKDOWN.reset().convert(format_entry(entry))
    return rendered.removeprefix("<p>").removesuffix("</p>")


def sort_key(entry: Entry) -> tuple[str, int, str]:
    """Alphabetical by authors, then year, then title."""
    return (entry.authors.casefold(), entry.year, entry.title.casefold())
