"""Check loaded front matter against the contract and across pages.

Per page: JSON Schema validation of ``schema/frontmatter.schema.json`` with jsonschema; each
jsonschema error is turned into a coded problem at the line of the key it concerns (recorded by the
loader). Before that, values with ``format: date`` are checked here, because YAML dates are Python
``date`` objects that JSON Schema cannot see: a date must be an unquoted YYYY-MM-DD, real, and
``last_reviewed`` and ``changes`` dates must not be in the future, an ``expires`` date not before
``last_reviewed``; past its review date (``kb.frontmatter.review.due``) a page gets a notice.
Across pages: tags from the vocabulary file (data/tags.yml), unique titles.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from kb.core import yaml_bounds
from kb.core.markdown_text import clip, spoken_date, suggest
from kb.core.problems import Problem
from kb.core.report import CheckResult
from kb.core.site import TAGS_FILE as TAGS_NAME
from kb.core.site import Site
from kb.frontmatter import review

from .codes import problem
from .load import Page, load_mapping, load_path
from .schema import SCHEMA_FILE, schema

ROOT = Path(__file__).resolve().parents[2]
TAGS_FILE = ROOT / TAGS_NAME
REVIEWED, INTERVAL, EXPIRES = "last_reviewed", "review_interval_months", "expires"

KIND = {  # JSON Schema type → plain words
    "string": "text", "array": "a list", "integer": "a whole number", "number": "a number",
    "boolean": "true or false", "object": "a set of keys", "null": "nothing",
}
ISO_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
YMD_RE = re.compile(r"(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})")
DMY_RE = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")


@cache
def _validator(path: Path = SCHEMA_FILE, partial: bool = False) -> jsonschema.protocols.Validator:
    contract = {**schema(path), "required": []} if partial else schema(path)
    cls = jsonschema.validators.validator_for(contract)
    cls.check_schema(contract)
    return cls(contract)


@dataclass
class Result:
    pages: list[Page] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def check(files: Iterable[tuple[Path, str]], tags_file: Path = TAGS_FILE, tags_display: str = "data/tags.yml",
          today: dt.date | None = None, site: Site | None = None) -> Result:
    """Load and check every ``(file, shown path)``; all problems of all files, sorted. With the
    ``site``, templates and icons must exist in its theme and statuses be declared."""
    today = today or dt.date.today()
    result = Result()
    vocabulary, vocabulary_problems = load_vocabulary(tags_file, tags_display)
    result.problems.extend(vocabulary_problems)
    for file, display in files:
        page = load_path(file, display)
        result.pages.append(page)
        result.problems.extend(page.problems)
        result.problems.extend(check_page(page, vocabulary, today, site))
    result.problems.extend(check_titles(result.pages))
    result.problems.sort()
    return result


def check_site(site: Site, today: dt.date) -> CheckResult:
    """Every page's front matter, titles unique across the site, and every page in the navigation."""
    files = [(site.page_path(src), site.shown(site.page_path(src))) for src in site.pages()]
    result = check(files, tags_file=site.tags_file, tags_display=site.shown(site.tags_file), today=today, site=site)
    problems = list(result.problems)
    vocabulary, _ = load_vocabulary(site.tags_file, site.shown(site.tags_file))
    meta_files = sorted(site.docs_dir.rglob(".meta.yml")) if site.docs_dir.is_dir() else []
    for path in meta_files:  # a folder's defaults for its pages: the same keys, none required
        try:
            raw = path.read_bytes()
        except OSError as error:
            problems.append(problem(site.shown(path), 1, 1, "FM028", str(error), fix="check that the file can be read"))
            continue
        defaults = load_mapping(raw, site.shown(path))
        problems += defaults.problems + check_page(defaults, vocabulary, today, site, partial=True)
    for src in site.omitted_from_nav():
        problems.append(problem(site.shown(site.page_path(src)), 1, 1, "FM029",
                                f"{src} is not in the nav of mkdocs.yml",
                                fix="add it to nav where it belongs, or delete the page"))
    counts = {"files checked": len(files) + len(meta_files)}
    if problems:
        counts["with problems"] = len({problem.path for problem in problems})
    return CheckResult("front matter", tuple(sorted(problems)), counts)


def load_vocabulary(file: Path, display: str) -> tuple[frozenset[str] | None, list[Problem]]:
    fix = "restore data/tags.yml as lines of lowercase `tag: description`"
    try:
        data = yaml_bounds.safe_load(file.read_text(encoding="utf-8-sig"), yaml_bounds.LIMITS["data/tags.yml"])
    except yaml_bounds.LimitError as error:
        return None, [problem(display, error.line, error.col, "FM027",
                              f"the tag vocabulary could not be read: {error.message}", fix=fix)]
    except yaml.YAMLError as error:
        line, col, what = yaml_bounds.describe(error)
        return None, [problem(display, line, col, "FM027", f"the tag vocabulary could not be read: {what}", fix=fix)]
    except (OSError, UnicodeDecodeError) as error:
        return None, [problem(display, 1, 1, "FM027", f"the tag vocabulary could not be read ({error})", fix=fix)]
    if not isinstance(data, dict) or not data or not all(isinstance(key, str) for key in data):
        return None, [problem(display, 1, 1, "FM027", "the tag vocabulary is not a mapping of tags", fix=fix)]
    return frozenset(data), []


def check_page(page: Page, vocabulary: frozenset[str] | None, today: dt.date, site: Site | None = None,
               partial: bool = False) -> list[Problem]:
    """A page's front matter against the contract (``partial``: a folder's defaults, no key required)."""
    if page.data is None:
        return []
    problems: list[Problem] = []
    contract = schema()
    properties = contract.get("properties", {})
    instance = copy.deepcopy(page.data)
    settled: set[str] = set(page.refused_keys)  # keys already reported: no second problem from the schema
    for path, value in list(_dates(contract, instance, ())):
        problems.extend(_check_date(page, path, value, today))
        # The JSON form the schema describes; a date already reported stands in as a valid one.
        real = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        _replace(instance, path, value.isoformat() if real else "1970-01-01")
    for error in _validator(partial=partial).iter_errors(instance):
        problems.extend(_from_schema_error(page, error, properties, settled))
    problems.extend(_check_tags(page, vocabulary))
    if site is not None:
        problems.extend(_check_theme(page, site))
    return list(dict.fromkeys(problems))  # jsonschema reports `required` once per missing key


def _dates(spec: dict[str, Any], value: Any, path: tuple[Any, ...]) -> Iterable[tuple[tuple[Any, ...], Any]]:
    """(key path, value) of every value the schema says is a date (YAML gives ``date`` objects, which
    JSON Schema cannot see), at the top level and inside lists of mappings such as ``changes``."""
    if spec.get("format") == "date":
        yield path, value
    elif isinstance(value, dict):
        for key, sub in spec.get("properties", {}).items():
            if key in value:
                yield from _dates(sub, value[key], path + (key,))
    elif isinstance(value, list) and isinstance(spec.get("items"), dict):
        for index, item in enumerate(value):
            yield from _dates(spec["items"], item, path + (index,))


def _replace(instance: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        instance = instance[part]
    instance[path[-1]] = value


def check_titles(pages: list[Page]) -> list[Problem]:
    by_title: dict[str, list[Page]] = {}
    for page in pages:
        title = (page.data or {}).get("title")
        if isinstance(title, str) and title.strip():
            by_title.setdefault(" ".join(title.casefold().split()), []).append(page)
    problems = []
    for same in by_title.values():
        for page in same if len(same) > 1 else ():
            others = ", ".join(other.path for other in same if other is not page)
            line, col = page.at(("title",))
            problems.append(problem(page.path, line, col, "FM023",
                                    f'"{page.data["title"]}" is also the title of {others}',
                                    field="title", fix="make the title say what is specific to this page"))
    return problems


# Dates -------------------------------------------------------------------------------------------

def _check_date(page: Page, path: tuple[Any, ...], value: Any, today: dt.date) -> list[Problem]:
    line, col = page.at(path)
    raw = page.where[path].raw if path in page.where else None
    key = str(path[-1])
    name = yaml_bounds.dotted(path)

    def refuse(code: str, message: str, fix: str) -> list[Problem]:
        return [problem(page.path, line, col, code, message, field=name, fix=fix)]

    if isinstance(value, dt.datetime):
        return refuse("FM012", f'expected a date YYYY-MM-DD, got a date and time "{raw}"',
                       f"write only the date: {key}: {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return _check_day(page, path, value, today, line, col, name)
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return refuse("FM018", f"expected a date YYYY-MM-DD, got {_kind_of(value, raw)}",
                       f"write the date without quotes, for example {key}: {today.isoformat()}")
    text = str(value).strip()
    shown = f"the number {text}" if isinstance(value, (int, float)) else f'"{clip(text)}"'
    if isinstance(value, str) and ISO_RE.fullmatch(text):
        day = _real(*ISO_RE.fullmatch(text).groups())
        if day is None:
            return refuse("FM013", f'"{text}" is not a real date', "check the day and month against a calendar")
        return refuse("FM012", f'expected a date YYYY-MM-DD, got the text "{text}" in quotes, which YAML does '
                       "not read as a date", f"remove the quotes: {key}: {text}")
    for pattern, order in ((YMD_RE, "ymd"), (COMPACT_RE, "ymd"), (DMY_RE, "dmy")):
        match = pattern.fullmatch(text)
        if not match:
            continue
        if order == "ymd":
            day = _real(*match.groups())
        else:
            first, second, year = match.groups()
            as_dmy, as_mdy = _real(year, second, first), _real(year, first, second)
            if as_dmy and as_mdy and as_dmy != as_mdy:
                return refuse("FM012", f'"{text}" is ambiguous: it could be {spoken_date(as_dmy)} or '
                               f"{spoken_date(as_mdy)}", f"write {as_dmy.isoformat()} for {spoken_date(as_dmy)} or "
                               f"{as_mdy.isoformat()} for {spoken_date(as_mdy)}")
            day = as_dmy or as_mdy
        if day is None:
            return refuse("FM013", f'"{text}" is not a real date', "check the day and month against a calendar")
        return refuse("FM012", f"expected a date YYYY-MM-DD, got {shown}", f"write {day.isoformat()}")
    return refuse("FM012", f"expected a date YYYY-MM-DD, got {shown}",
                   f"write the date as YYYY-MM-DD without quotes, for example {key}: {today.isoformat()}")


def _check_day(page: Page, path: tuple[Any, ...], day: dt.date, today: dt.date, line: int, col: int,
               name: str) -> list[Problem]:
    """A real date: not in the future (an end date in ``expires`` may be, but not before ``last_reviewed``);
    ``last_reviewed`` past its review date is overdue (a notice)."""
    if path[0] == EXPIRES:
        return _check_expiry(page, day, line, col, name)
    if day > today:
        what = "the page was actually checked" if path == (REVIEWED,) else "the change was published"
        return [problem(page.path, line, col, "FM014",
                        f"{day.isoformat()} is in the future (today is {today.isoformat()})",
                        field=name, fix=f"write the date {what}, {today.isoformat()} at the latest")]
    if path != (REVIEWED,):
        return []
    key = REVIEWED
    due = review.due(page.data or {})
    if due is None:  # a missing or bad interval is the schema's to report
        return []
    if due.overdue(today) and due.date >= day:  # an end date before the review is FM032's to report
        if due.reasons:
            why = f"the end date of some of its facts in expires: {due.why}"
            fix = ("check those facts against current sources and update the page, then remove the expires entry "
                   "(or give the new end date) and set last_reviewed to the date of that check")
        else:
            why = f"{day.isoformat()} + {review.interval_of(page.data or {})} months"
            fix = "check the facts against current sources, then set last_reviewed to the date of that check"
        return [problem(page.path, line, col, "FM015",
                        f"the page was due for review on {due.date.isoformat()} ({why})", field=key, fix=fix)]
    return []


def _check_expiry(page: Page, day: dt.date, line: int, col: int, name: str) -> list[Problem]:
    """An end date of the page's facts is not before its last review: a fact that ended before the page
    was checked should have been updated then."""
    last = (page.data or {}).get(REVIEWED)
    if not review.is_date(last) or day >= last:
        return []
    return [problem(page.path, line, col, "FM032",
                    f"{day.isoformat()} is before last_reviewed ({last.isoformat()}): these facts had ended when "
                    "the page was last checked",
                    field=name,
                    fix="update the page's text for what holds now and remove this expires entry, or, if the end "
                    "date moved, write the new one")]


def _real(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None



# Schema errors → problems ------------------------------------------------------------------------

def _from_schema_error(page: Page, error: jsonschema.ValidationError, properties: dict[str, Any],
                       settled: set[str]) -> list[Problem]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    value = error.instance
    spec = error.schema if isinstance(error.schema, dict) else {}
    field_name = yaml_bounds.dotted(path)
    line, col = page.at(path)
    raw = page.where[path].raw if path in page.where else None

    def one(code: str, message: str, fix: str, at: tuple[int, int] | None = None, name: str = field_name
            ) -> list[Problem]:
        where = at or (line, col)
        return [problem(page.path, where[0], where[1], code, message, field=name, fix=fix)]

    if keyword == "required":
        problems = []
        for key in error.validator_value:
            if key in value or key in settled:
                continue
            if path:  # a key of an entry in a list such as changes or expires: said at the entry
                example = _example(spec.get("properties", {}).get(key, {}))
                problems += one("FM017", f"the required key {key} is missing from this {field_name} entry",
                                f'add "{key}: {example}" to the entry that starts on line {line}',
                                name=f"{field_name}.{key}")
                continue
            example = _example(properties.get(key, {}))
            problems += one("FM017", f"the required key {key} is missing",
                            f'add a line "{key}: {example}" before the closing --- on line {page.end}',
                            (page.end, 1), key)
        return problems
    if keyword == "additionalProperties":
        allowed = list(spec.get("properties", {}))
        problems = []
        for key in value:
            if key in allowed:
                continue
            dotted = ".".join([field_name, str(key)]) if field_name else str(key)
            at = page.at(path + (key,))
            guess = suggest(str(key), allowed)
            hint = f"did you mean {guess}? " if guess else ""
            where_listed = f"under {field_name} " if field_name else ""
            fix = (f"rename it to {guess}" if guess else "remove it") + \
                f" (allowed keys {where_listed}are {', '.join(allowed)})"
            problems += one("FM016", f"{hint}{key} is not a front matter key".strip(), fix, at, dotted)
        return problems
    if keyword == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = " or ".join(KIND.get(kind, kind) for kind in expected)
        if spec.get("format") == "date":
            wanted = "a date YYYY-MM-DD"
        got = _kind_of(value, raw)
        if "string" in expected and raw is not None and not isinstance(value, (list, dict)):
            fix = f'put the text in quotes: {path[-1] if path else field_name}: "{raw}"'
            if value is None:
                fix = "write the text after the colon, or remove the key"
        elif "array" in expected and isinstance(value, str):
            fix = f"write a list: {field_name}: [{value}]"
        elif "integer" in expected or "number" in expected:
            fix = f"write a number without quotes, for example {field_name}: {_example(spec)}"
        elif "boolean" in expected:
            fix = f"write {field_name}: true or {field_name}: false"
        else:
            fix = f"write {wanted}, for example {field_name}: {_example(spec)}"
        return one("FM018", f"expected {wanted}, got {got}", fix)
    if keyword in ("minLength", "maxLength"):
        low, high = spec.get("minLength", 0), spec.get("maxLength")
        limits = f"{low}-{high}" if high is not None else f"at least {low}"
        change = f"shorten it by {len(value) - high}" if high is not None and len(value) > high \
            else f"add at least {low - len(value)}"
        return one("FM019", f"{len(value)} characters, the limit is {limits} characters",
                   f"{change} character{'s' if abs(len(value) - (high or low)) != 1 else ''}")
    if keyword in ("minItems", "maxItems"):
        return one("FM019", f"the list has {len(value)} items, it needs at least {spec.get('minItems', 0)}"
                   if keyword == "minItems" else f"the list has {len(value)} items, at most {spec.get('maxItems')}",
                   f"give {field_name} at least one item, for example {field_name}: {_example(spec)}"
                   if keyword == "minItems" else "remove items")
    if keyword == "enum":
        allowed = [str(choice) for choice in error.validator_value]
        guess = suggest(str(value), allowed)
        return one("FM020", f'"{value}" is not allowed; the allowed values are {", ".join(allowed)}',
                   f"write {guess}" if guess else f"use one of {', '.join(allowed)}")
    if keyword == "uniqueItems":
        seen: set[Any] = set()
        for index, item in enumerate(value):
            marker = json.dumps(item, sort_keys=True, default=str)
            if marker in seen:
                return one("FM024", f'"{item}" is listed twice', f'delete the second "{item}"',
                           page.at(path + (index,)))
            seen.add(marker)
        return one("FM024", "an item is listed twice", "delete the repeated item")
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low = spec.get("minimum", spec.get("exclusiveMinimum"))
        high = spec.get("maximum", spec.get("exclusiveMaximum"))
        above = "above " if "exclusiveMinimum" in spec else ""
        return one("FM025", f"{value} is out of range; allowed: {above}{low} to {high}",
                   f"use a number from {above}{low} to {high}, for example {field_name}: {_example(spec)}")
    if keyword == "pattern":
        if spec.get("pattern") == schema()["$defs"]["plain_text"]["pattern"]:
            char = next(c for c in str(value) if not re.fullmatch(spec["pattern"], c))
            named = (f'"{char}"' if char in '<>"'
                     else f"U+{ord(char):04X} {unicodedata.name(char, 'control character').lower()}")
            return one("FM030", f"{named} is not allowed in plain text (at character {str(value).index(char) + 1})",
                       "write the text without <, > and \" (use “ ” for quotes) and without invisible or "
                       "text-direction characters")
        if path and path[0] == "tags":
            tag = str(value)
            fixed = re.sub(r"[^a-z0-9]+", "-", tag.strip().lower()).strip("-")
            return one("FM022", f'"{tag}" is not lowercase words joined by hyphens',
                       f"write {fixed}" if fixed else "write the tag in lowercase letters")
        return one("FM026", f'"{clip(str(value))}" does not have the expected form',
                   f"write it like {_example(spec) if 'examples' in spec else 'the examples in the schema'}")
    if keyword == "format":
        return []
    return one("FM026", error.message, "see the key's description in schema/frontmatter.schema.json")


def _check_tags(page: Page, vocabulary: frozenset[str] | None) -> list[Problem]:
    tags = (page.data or {}).get("tags")
    if vocabulary is None or not isinstance(tags, list):
        return []
    pattern = re.compile(schema()["properties"]["tags"]["items"].get("pattern", ".*"))
    problems = []
    for index, tag in enumerate(tags):
        if not isinstance(tag, str) or not pattern.fullmatch(tag) or tag in vocabulary:
            continue
        line, col = page.at(("tags", index))
        guess = suggest(tag, sorted(vocabulary))
        problems.append(problem(page.path, line, col, "FM021",
                                f'{"did you mean " + guess + "? " if guess else ""}"{tag}" is not in data/tags.yml',
                                field="tags", fix=f"write {guess}" if guess else
                                "use a tag from data/tags.yml, or add it there with a description"))
    return problems


THEME_FILES = {"template": ("{}", "overrides/ (or the theme's own templates)"),
               "icon": (".icons/{}.svg", "the theme's icons (or overrides/.icons/)")}
"""Front matter keys that name a file of the theme → where it must be, relative to a theme folder."""


def _check_theme(page: Page, site: Site) -> list[Problem]:
    """``template`` and ``icon`` name files the theme has; ``status`` is one the site declares."""
    problems = []
    data = page.data or {}
    for key, (form, where) in THEME_FILES.items():
        value = data.get(key)
        if key == "template" and value not in schema()["properties"]["template"].get("enum", [value]):
            continue  # not one of the site's page templates: the schema's enum says so (FM020)
        if isinstance(value, str) and value and site.theme_file(form.format(value)) is None:
            line, col = page.at((key,))
            problems.append(problem(page.path, line, col, "FM031", f'"{clip(value)}" is not a file of {where}',
                                    field=key, fix=f"name one that exists, or remove {key}"))
    status = data.get("status")
    if isinstance(status, str) and status not in site.statuses:
        line, col = page.at(("status",))
        allowed = ", ".join(sorted(site.statuses))
        problems.append(problem(page.path, line, col, "FM020",
                                f'"{clip(status)}" is not a status the site declares; the allowed values are {allowed}',
                                field="status",
                                fix="use one of them, or declare the status under extra.status in mkdocs.yml"))
    return problems



def _kind_of(value: Any, raw: str | None) -> str:
    if isinstance(value, bool):
        return f"a boolean (YAML reads {raw or str(value).lower()} as {str(value).lower()}; yes/no/on/off " \
               "become true/false)"
    if value is None:
        return "an empty value"
    if isinstance(value, (int, float)) and raw is not None and raw != str(value):
        return f"the number {value!r} (YAML reads {raw} as a number)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return f'the text "{clip(str(value))}"'


def _example(spec: dict[str, Any]) -> str:
    examples = spec.get("examples") or []
    if not examples:
        return "…"
    example = examples[0]
    if isinstance(example, list):
        return "[" + ", ".join(_flow(item) for item in example) + "]"
    if isinstance(example, bool):
        return str(example).lower()
    return str(example)


def _flow(item: Any) -> str:
    """An example item as YAML flow style: a mapping as {key: value, ...}, text with spaces in quotes."""
    if isinstance(item, dict):
        return "{" + ", ".join(f"{key}: {_flow(value)}" for key, value in item.items()) + "}"
    text = str(item)
    return json.dumps(text, ensure_ascii=False) if " " in text else text
