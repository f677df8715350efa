"""Crisis numbers: no pull request can change, hide or hijack the numbers a reader in crisis dials.

``data/crisis.yml`` is the one source of every crisis number (``extra.crisis``: regions, each with
services that have a ``call`` and/or ``text`` number). :func:`check_site` (``make check`` and the
build's check hook) reports, with file and line:

- CRI001: the data file cannot be read, is not YAML, is larger than 64 KiB or uses anchors,
  aliases or tags (the limits keep a hostile file from blowing up the build);
- CRI002: the data file breaks ``schema/crisis.schema.json`` (jsonschema) or gives an id twice;
- CRI003: the data file sets anything besides ``extra.crisis`` (mkdocs.yml may read it with
  ``INHERIT``, so any other key would change the site's settings);
- CRI004: ``extra.crisis`` written in mkdocs.yml (or a file it inherits other than the data file):
  it must come from the data file only;
- CRI005: a ``tel:``/``sms:`` link that dials a number the data file does not list (a ``tel:``
  link a ``call`` number, an ``sms:`` link a ``text`` number), or whose target is not a plain number;
- CRI006: a ``tel:``/``sms:`` link whose visible text (or ``aria-label``) shows other digits than
  it dials: ``[988](tel:+15550100)`` reads 988 and dials another line;
- CRI007: an invisible (zero-width, soft hyphen, word joiner...), text-direction or line-separator
  character, or a digit that is not ASCII (fullwidth ``９``, Arabic-Indic, superscript), anywhere in
  a page (front matter included), an included file, the glossary or the data file: ``tel:98\\u200b8``
  reads 988 and dials a broken number;
- CRI008: an abbreviation (``*[X]: ...``, glossary or page) whose term is a number, mostly digits,
  holds a run of three digits, or is the name of a crisis service: its tooltip would sit on every
  "988" or "Samaritans" of the site; also ``<abbr>`` on a number;
- CRI009 and CRI010: a style sheet under the docs folder (``extra.css``) that can show a number
  (``content:`` with anything but plain text without digits) or hide or move the crisis help
  (see :func:`check_css`);
- CRI011 (:func:`check_built_site`, run after the build by ``make build``): a built page without
  the ``<aside aria-label="Crisis help">`` landmark, or whose landmark lacks each region's number
  (see :func:`landmark_problems`); the built pages' ``tel:``/``sms:`` links get CRI005 and CRI006.

Links are read from the HTML Python-Markdown makes of each file (the extensions of
:func:`kb.core.site.rendering_extensions`), parsed by justhtml as a browser parses it, so a
link written as Markdown, a reference, an autolink or raw HTML is found alike. Command line:
``python -m kb.crisis [PROJECT]`` checks the sources, ``python -m kb.crisis --built SITE_DIR``
a built site. Exit 0 (clean), 1 (problems) or 2 (bad usage).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import json
import pathlib
import re
import sys
import unicodedata
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import Any

import jsonschema
import yaml
from justhtml import Element, JustHTML, Node

from kb.core import markdown_text, report
from kb.core.markdown_text import TAB_OR_NEWLINE, line_col, mask_code, normalize_newlines, quoted, url_scheme
from kb.core.pages import body_of
from kb.core.problems import Code, Problem, register
from kb.core.site import CONFIG_NAME, Site, SiteError, converter, load

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "schema" / "crisis.schema.json"
DATA_NAME = "data/crisis.yml"
"""Where the data file is, relative to the folder of mkdocs.yml."""

CODES: tuple[Code, ...] = (
    Code("CRI001", "unreadable", "error", "Crisis data cannot be read",
         "data/crisis.yml cannot be read, is over 64 KiB, or uses anchors, aliases or tags, so the "
         "numbers readers dial cannot be trusted.",
         "Fix the YAML at the line given and write plain values without anchors, aliases or tags."),
    Code("CRI002", "schema", "error", "Crisis data breaks the schema",
         "An entry of data/crisis.yml breaks schema/crisis.schema.json, such as a number with "
         "letters, an address that is not https:// or an id given twice.",
         "Correct the entry as the message says."),
    Code("CRI003", "other_setting", "error", "Setting other than extra.crisis in the crisis data file",
         "mkdocs.yml inherits data/crisis.yml, so any other setting there would change the site's "
         "configuration unseen.",
         "Keep only extra.crisis in data/crisis.yml and put other settings in mkdocs.yml."),
    Code("CRI004", "numbers_elsewhere", "error", "Crisis numbers defined outside the crisis data file",
         "Crisis numbers live only in data/crisis.yml, so that one reviewed file holds every number "
         "readers dial.",
         "Move the numbers to data/crisis.yml."),
    Code("CRI005", "unknown_number", "error", "tel:/sms: link to a number not in the crisis data",
         "A tel: or sms: link dials a number that data/crisis.yml does not list, or its target has "
         "more than digits.",
         "Link only to numbers listed in data/crisis.yml, written as digits with an optional leading "
         "+."),
    Code("CRI006", "shown_other_digits", "error", "Link shows other digits than it dials",
         "The text or aria-label of a tel: or sms: link shows other digits than the link dials, so a "
         "reader could call the wrong number.",
         "Make the shown number and the link target the same number."),
    Code("CRI007", "hidden_character", "error", "Invisible, text-direction or non-ASCII digit character",
         "Invisible characters, text-direction controls or digits other than 0 to 9 can make a number"
         " read differently from what is dialled.",
         "Delete the character, or write the digit as 0 to 9."),
    Code("CRI008", "abbreviation_on_number", "error", "Abbreviation on a number or a crisis service",
         "An abbreviation on a number or on a crisis service's name would replace or hide what the "
         "reader sees there.",
         "Remove the abbreviation definition or the <abbr> element."),
    Code("CRI009", "css_shows_number", "error", "Style sheet can show a number",
         "content: in a style sheet with digits, tel, sms, an escape or a counter could show a number"
         " the crisis data does not hold.",
         "Remove the content: rule, or use text without digits."),
    Code("CRI010", "css_hides_help", "error", "Style sheet hides or moves the crisis help",
         "A style sheet rule hides, fades or moves the crisis help (.kb-crisis, .md-banner or aside).",
         "Remove the rule; the crisis help must stay visible where it is."),
    Code("CRI011", "built_page_without_help", "error", "Built page without the crisis help or its numbers",
         "A built page lacks the crisis help landmark, hides it, or lacks a tel: link to each "
         "region's emergency number or main line.",
         "Keep the crisis help partial in the page's template, and each region's numbers in "
         "data/crisis.yml."),
)

_problem = register(CODES)

MAX_BYTES = 64 * 1024
MAX_NODES = 5000
LANDMARK_LABEL = "Crisis help"
DIALLED_SCHEMES = ("tel", "sms")


# ------------------------------------------------------------------------------------------ data


@dataclasses.dataclass(frozen=True)
class Service:
    id: str
    name: str
    kind: str
    region: str
    call: str | None = None
    text: str | None = None
    text_word: str | None = None


@dataclasses.dataclass
class CrisisData:
    """The services of the data file (only if it is valid) and the problems found in it."""

    path: str
    regions: dict[str, list[Service]]
    problems: list[Problem]

    @property
    def services(self) -> list[Service]:
        return [service for services in self.regions.values() for service in services]

    @property
    def call_numbers(self) -> frozenset[str]:
        return frozenset(digits(s.call) for s in self.services if s.call)

    @property
    def text_numbers(self) -> frozenset[str]:
        return frozenset(digits(s.text) for s in self.services if s.text)

    def text_words(self, number: str) -> frozenset[str]:
        return frozenset(s.text_word for s in self.services if s.text and digits(s.text) == number and s.text_word)

    def names(self) -> frozenset[str]:
        """Service names (and the name before a bracket, ``Breathing Space``) and words to text, casefolded."""
        found = set()
        for s in self.services:
            found.add(s.name.casefold())
            found.add(re.sub(r"\s*\(.*?\)\s*", " ", s.name).strip().casefold())
            if s.text_word:
                found.add(s.text_word.casefold())
        return frozenset(n for n in found if n)

    def required(self, region: str) -> frozenset[str]:
        """The numbers of which a region's crisis help must link at least one: its emergency
        numbers and its main line (the first service of kind ``talk`` with a call number)."""
        services = self.regions[region]
        numbers = {digits(s.call) for s in services if s.kind == "emergency" and s.call}
        main = next((s for s in services if s.kind == "talk" and s.call), None)
        return frozenset(numbers | ({digits(main.call)} if main else set()))


def digits(text: str) -> str:
    """The ASCII digits of ``text``, in order."""
    return re.sub(r"[^0-9]", "", text)


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


class _DataLoader(yaml.SafeLoader):
    """Dates stay text (the schema checks their form); nothing else is built."""


_DataLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _mark(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _positions(node: yaml.Node, path: tuple[Any, ...], found: dict[tuple[Any, ...], tuple[int, int]],
               duplicates: list[tuple[tuple[Any, ...], tuple[int, int]]]) -> None:
    """Where each value of a composed document is (a mapping's value: where its key is)."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
            at = _mark(key.start_mark)
            if name in seen:
                duplicates.append((path + (name,), at))
                continue
            seen.add(name)
            found[path + (name,)] = at
            _positions(value, path + (name,), found, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found[path + (index,)] = _mark(item.start_mark)
            _positions(item, path + (index,), found, duplicates)


def _limits(text: str, problem) -> bool:
    """Refuse anchors, aliases, explicit tags and too many values; True if the text may be loaded."""
    count = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            count += 1
            line, col = _mark(event.start_mark)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                problem(line, col, "CRI001", "YAML anchors (&) and aliases (*) are not allowed in the crisis data: "
                                             "write each value out")
                return False
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and event.tag \
                    and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]) and event.tag != "!":
                problem(line, col, "CRI001", f"the YAML tag {event.tag} is not allowed: write a plain value")
                return False
            if count > MAX_NODES:
                problem(line, col, "CRI001", f"more than {MAX_NODES} YAML values: the crisis data is a short list")
                return False
    except yaml.YAMLError as error:
        line, col = _mark(getattr(error, "problem_mark", None))
        problem(line, col, "CRI001", f"not valid YAML: {getattr(error, 'problem', None) or error}; fix the syntax")
        return False
    return True


def load_data(path: pathlib.Path, shown: str) -> CrisisData:
    """Read and check the crisis data file; never raises (bad content becomes problems)."""
    data = CrisisData(shown, {}, [])

    def problem(line: int, col: int, code: str, message: str) -> None:
        data.problems.append(_problem(shown, line, col, code, message))

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return data  # a site without crisis numbers: every tel:/sms: link will be reported as unlisted
    except OSError as error:
        problem(1, 1, "CRI001", f"cannot read the crisis data ({error.strerror or error}): restore {DATA_NAME}")
        return data
    if len(raw) > MAX_BYTES:
        problem(1, 1, "CRI001",
                f"the file has {len(raw)} bytes, more than {MAX_BYTES}: the crisis data is a short list")
        return data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem(raw.count(b"\n", 0, error.start) + 1, 1, "CRI001", "the file is not valid UTF-8: save it as UTF-8")
        return data
    if not _limits(text, problem):
        return data
    root = yaml.compose(text, Loader=_DataLoader)
    if not isinstance(root, yaml.MappingNode):
        problem(1, 1, "CRI003", "the crisis data must be a mapping with one key, extra, holding crisis")
        return data
    where: dict[tuple[Any, ...], tuple[int, int]] = {}
    duplicates: list[tuple[tuple[Any, ...], tuple[int, int]]] = []
    _positions(root, (), where, duplicates)
    for key_path, at in duplicates:
        problem(*at, "CRI002", f"{'.'.join(map(str, key_path))} is written twice (YAML keeps only the last): "
                               "delete one")
    loader = _DataLoader("")
    document = loader.construct_document(root)
    for error in sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]):
        _schema_problem(error, where, problem)
    _unique_ids(document, where, problem)
    if any(p.code != "CRI003" for p in data.problems):
        return data  # a key besides extra.crisis is reported, and the numbers still read
    for region in document["extra"]["crisis"]["regions"]:
        data.regions[region["id"]] = [
            Service(s["id"], s["name"], s["kind"], region["id"], s.get("call"), s.get("text"), s.get("text_word"))
            for s in region["services"]]
    if any(p.code == "CRI002" for p in data.problems):
        data.regions = {}
    return data


def _unique_ids(document: Any, where: dict, problem) -> None:
    """CRI002 for a region or service id given twice (links and templates find services by id)."""
    seen: dict[str, int] = {}
    crisis = document.get("extra", {}).get("crisis", {}) if isinstance(document, dict) else {}
    regions = crisis.get("regions") if isinstance(crisis, dict) else None
    for r, region in enumerate(regions if isinstance(regions, list) else []):
        if not isinstance(region, dict):
            continue
        services = region.get("services") if isinstance(region.get("services"), list) else []
        found = [(("extra", "crisis", "regions", r, "id"), region.get("id"))]
        found += [(("extra", "crisis", "regions", r, "services", i, "id"), s.get("id"))
                  for i, s in enumerate(services) if isinstance(s, dict)]
        for path, value in found:
            if not isinstance(value, str) or path not in where:
                continue
            if value in seen:
                problem(*where[path], "CRI002", f"the id {value!r} is already used on line {seen[value]}: "
                                                f"give each region and service an id of its own")
            seen.setdefault(value, where[path][0])


def _schema_problem(error: jsonschema.ValidationError, where: dict, problem) -> None:
    path = tuple(error.absolute_path)
    shown = ".".join(str(p) for p in path) or "the file"
    if error.validator == "additionalProperties" and len(path) < 2:
        allowed = {(): "extra", ("extra",): "crisis"}[path]
        for key in error.instance:
            if key != allowed:
                problem(*where.get(path + (key,), (1, 1)), "CRI003",
                        f"{'.'.join(map(str, path + (key,)))} is not allowed here: the crisis data file holds "
                        f"extra.crisis and nothing else (mkdocs.yml may read it with INHERIT, so any other key "
                        f"would change the site's settings); remove it")
        return
    line, col = where.get(path, (1, 1))
    if error.validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in error.schema.get("properties", {}):
                problem(*where.get(path + (key,), (line, col)), "CRI002",
                        f"{shown}.{key} is not a field of the crisis data; allowed: {allowed}")
        return
    if error.validator == "required":
        message = error.message.replace("is a required property", "is missing (required field)")
    elif error.validator == "anyOf":
        message = "a service needs a call or a text number"
    elif error.validator == "pattern":
        message = f"{error.instance!r} does not have the expected form"
        description = error.schema.get("description")
        message += f" ({description})" if description else f" (pattern {error.schema['pattern']})"
    elif error.validator == "enum":
        message = f"{error.instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
    else:
        message = error.message
    problem(line, col, "CRI002", f"{shown}: {message}; see {SCHEMA_PATH.relative_to(ROOT).as_posix()}")


def _config_problems(site: Site, data_path: pathlib.Path) -> list[Problem]:
    """CRI004: ``extra.crisis`` in mkdocs.yml or in a file it inherits other than the data file."""
    problems = []
    path, seen = site.root / CONFIG_NAME, set()
    while path.is_file() and path.resolve() not in seen:
        seen.add(path.resolve())
        if path.resolve() == data_path.resolve():
            break
        try:
            root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            break  # kb.core.site reports a configuration it cannot read
        parent = None
        if isinstance(root, yaml.MappingNode):
            for key, value in root.value:
                if key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
                    parent = value.value
                if key.value == "extra" and isinstance(value, yaml.MappingNode):
                    for sub, _ in value.value:
                        if sub.value == "crisis":
                            problems.append(_problem(
                                site.shown(path), *_mark(sub.start_mark), "CRI004",
                                f"extra.crisis is set here: crisis numbers come from {DATA_NAME} only "
                                f"(read it with INHERIT: {DATA_NAME}); move them there and remove this key"))
        if parent is None:
            break
        path = path.parent / parent
    return problems


# ------------------------------------------------------------------------------------ characters

def dangerous_character(char: str) -> str | None:
    """Why a character must not be in a page, or None: invisible and text-direction characters
    (Unicode format characters, such as U+200B and U+202E), line and paragraph separators, and
    digits other than 0-9 (fullwidth, Arabic-Indic, superscript, circled...)."""
    if char.isascii():
        return None
    category = unicodedata.category(char)
    if category == "Cf":
        return "an invisible or text-direction character"
    if category in ("Zl", "Zp"):
        return "a line or paragraph separator"
    if unicodedata.digit(char, None) is not None or category == "Nd":
        return "a digit other than 0-9"
    return None


def character_problems(shown: str, text: str) -> list[Problem]:
    """CRI007 for each run of dangerous characters of a text (a leading byte order mark is fine)."""
    problems = []
    line, line_start, previous = 1, 0, -2
    for offset, char in enumerate(text):
        if char == "\n":
            line, line_start = line + 1, offset + 1
            continue
        why = dangerous_character(char)
        if why is None or (offset == 0 and char == "\ufeff"):
            continue
        if offset != previous + 1:
            name = unicodedata.name(char, "unnamed")
            problems.append(_problem(shown, line, offset - line_start + 1, "CRI007",
                                     f"U+{ord(char):04X} {name.lower()}: {why}, which makes text read (or a "
                                     f"number dial) differently from what it shows; retype the text with "
                                     f"plain characters and digits 0-9"))
        previous = offset
    return problems


# --------------------------------------------------------------------------------------- links


@dataclasses.dataclass(frozen=True)
class Link:
    scheme: str  # tel or sms
    href: str
    shown: str  # the visible text
    label: str | None  # aria-label, read out instead of the text


def attribute(node: Node, name: str) -> str | None:
    """An attribute's value ("" for one written without a value), or None if the node lacks it."""
    attrs = node.attrs or {}
    return (attrs[name] or "") if name in attrs else None


def text_content(element: Element) -> str:
    """The text of an element and its descendants, as the DOM's ``textContent`` (no comments)."""
    return element.to_text(separator="", strip=False)


def _html_elements(root: Node, name: str) -> list[Element]:
    """The HTML elements called ``name`` under ``root``, in document order (template contents included)."""
    return [element for element in root.query(name) if element.namespace == "html"]


def dialled_links(root: Node) -> Iterator[tuple[Element, Link]]:
    """Every ``<a>``/``<area>`` with an ``href`` of a parsed document that dials (an SVG ``<a>``
    included), in document order."""
    for element in root.query("a[href], area[href]"):
        href = attribute(element, "href") or ""
        scheme = url_scheme(href)
        if scheme in DIALLED_SCHEMES:
            yield element, Link(scheme, href, text_content(element), attribute(element, "aria-label"))


def link_problems(link: Link, data: CrisisData) -> list[tuple[str, str]]:
    """(code, message) of what is wrong with one tel:/sms: link."""
    problems = []
    target = urllib.parse.unquote(TAB_OR_NEWLINE.sub("", link.href.strip()))
    target = target.split(":", 1)[1]
    query = ""
    if link.scheme == "sms":
        target, _, query = target.partition("?")
    number = digits(target)
    listed = data.call_numbers if link.scheme == "tel" else data.text_numbers
    kind = "call" if link.scheme == "tel" else "text"
    odd = re.sub(r"[0-9 ().-]", "", target.removeprefix("+"))
    if odd or not number:
        shown = odd.encode("unicode_escape").decode("ascii") if odd else "no digits"
        problems.append(("CRI005", f"{link.scheme}:{quoted(target)[1:-1]} is not a plain number "
                                   f"({shown} in it): a phone "
                                   f"would dial something else than it shows; write {link.scheme}: and the digits "
                                   f"only, as in {DATA_NAME}"))
    elif number not in listed:
        known = ", ".join(sorted(listed)) or "none"
        problems.append(("CRI005", f"{link.scheme}:{target} dials {number}, which is not a {kind} number of "
                                   f"{DATA_NAME} ({kind} numbers: {known}); link only the numbers listed there, "
                                   f"or add the service there with its source (a maintainer reviews it)"))
    if query:
        words = data.text_words(number)
        body = urllib.parse.parse_qs(query, keep_blank_values=True)
        if set(body) != {"body"} or body["body"] != [w for w in body["body"] if w in words] or len(body["body"]) != 1:
            problems.append(("CRI005", f"sms:{target}?{query} prefills a message other than the word the data "
                                       f"file lists for {number} ({', '.join(sorted(words)) or 'none'}); "
                                       f"remove ?{query}"))
    for what, value in (("visible text", link.shown), ("aria-label", link.label)):
        if value is None or not number or odd:
            continue
        if digits(value) != number:
            problems.append(("CRI006", f"the link's {what} {value.strip()!r} shows "
                                       f"{digits(value) or 'no digits'} but it dials {number}: a reader would call "
                                       f"another number than the one they read; make the link show exactly the "
                                       f"digits it dials, as in [988](tel:988)"))
    return problems


def _parse(html_text: str) -> Node:
    """The tree a browser builds from ``html_text``, read with scripting off so that the links of
    a ``<noscript>`` (which a reader without JavaScript sees) are elements too."""
    return JustHTML(html_text, sanitize=False, scripting_enabled=False).root


def markdown_problems(shown: str, text: str, data: CrisisData, site: Site | None = None) -> list[Problem]:
    """CRI005/CRI006 for the links of one Markdown file, CRI008 for its abbreviations; the file is
    converted with the Markdown extensions of ``site`` (by default the project's) the build runs."""
    text = normalize_newlines(text)
    problems = []
    try:
        rendered = converter(site).convert(body_of(text))
    except Exception:  # noqa: BLE001 - kb.html_safety reports a file Markdown cannot convert
        rendered = ""
    root = _parse(rendered)
    cursor = 0
    for _element, link in dialled_links(root):
        found = -1
        for needle in (link.href, f"{link.scheme}:", link.shown.strip()):
            if needle:
                found = text.find(needle, cursor)
                found = found if found >= 0 else text.lower().find(needle.lower(), cursor)
                if found >= 0:
                    break
        at = line_col(text, found) if found >= 0 else (1, 1)
        cursor = found + 1 if found >= 0 else cursor
        problems += [_problem(shown, *at, code, message) for code, message in link_problems(link, data)]
    for element in _html_elements(root, "abbr"):
        term = text_content(element)
        why = term_problem(term, data)
        if why:
            found = text.find(term)
            problems.append(_problem(shown, *(line_col(text, found) if found >= 0 else (1, 1)), "CRI008",
                                     f"<abbr> on {term!r}: {why}"))
    masked = mask_code(text, front_matter=True)
    for m in re.finditer(r"^\*\[(?P<term>[^\]\n]+)\]:", masked, re.M):
        why = term_problem(m.group("term"), data)
        if why:
            problems.append(_problem(shown, *line_col(text, m.start("term")), "CRI008",
                                     f"the abbreviation *[{m.group('term')}]: {why}"))
    return problems


def term_problem(term: str, data: CrisisData) -> str | None:
    """Why a term may not get a tooltip, or None: a term with a word of digits and no letters (``988``,
    ``116 123``, ``1-555-0100``, ``Call 988``) would put its tooltip on a number as readers see it;
    ``NG116`` or ``PCL-5`` only match themselves. A crisis service's name (or word to text) neither."""
    numbers = [word for word in term.split() if any(c.isdigit() for c in word) and not any(c.isalpha() for c in word)]
    if numbers:
        return ("a term that is a number puts its tooltip on every place that number is shown, a crisis line "
                "included; do not define numbers (write the number in the text, with a tel: link for a crisis line)")
    if term.strip().casefold() in data.names():
        return (f"{term.strip()!r} is a crisis service of {DATA_NAME}: a tooltip on it could give another number; "
                f"remove the entry")
    return None


# ------------------------------------------------------------------------------------------ CSS

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
CONTENT_WORDS = frozenset({"none", "normal", "open-quote", "close-quote", "no-open-quote", "no-close-quote",
                           "attr(href)", "attr(data-label)", "attr(data-kb-url)", "/", "inherit", "initial",
                           "unset"})
"""What a ``content:`` value may hold besides strings: ``attr(href)``, where a printed link goes;
``attr(data-label)``, a stacked table cell's column header (written by kb.accessible.extension from the
header's text, which the checks read like any page text); ``attr(data-kb-url)``, a printed link's full
address (set by the site's print script); ``/`` before a generated text's alternative. Pages cannot
write ``data-`` attributes (the HTML check's allow-list), so these show only what the site wrote."""

CRISIS_SELECTOR = re.compile(r"crisis|banner|\baside\b|aria-label", re.I)
"""A selector that may reach the crisis help landmark (``<aside class="md-banner kb-crisis-banner"
aria-label="Crisis help">`` and the ``.kb-crisis`` parts inside it)."""

HIDING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("display", re.compile(r"none")),
    ("visibility", re.compile(r"hidden|collapse")),
    ("opacity", re.compile(r".*")),
    ("filter", re.compile(r".*")),
    ("position", re.compile(r"absolute|fixed")),
    ("transform", re.compile(r".*")), ("translate", re.compile(r".*")), ("scale", re.compile(r".*")),
    ("rotate", re.compile(r".*")),
    ("clip", re.compile(r".*")), ("clip-path", re.compile(r".*")), ("mask", re.compile(r".*")),
    ("content-visibility", re.compile(r"hidden")),
    ("pointer-events", re.compile(r"none")),
    ("text-indent", re.compile(r".*")),
    ("color", re.compile(r"transparent")),
    ("font-size", re.compile(r"0*\.?0+[a-z%]*")),
    ("height", re.compile(r"0*\.?0+[a-z%]*")), ("max-height", re.compile(r"0*\.?0+[a-z%]*")),
    ("width", re.compile(r"0*\.?0+[a-z%]*")), ("max-width", re.compile(r"0*\.?0+[a-z%]*")),
    ("z-index", re.compile(r"-.*")),
    ("top", re.compile(r"-.*")), ("left", re.compile(r"-.*")), ("right", re.compile(r"-.*")),
    ("bottom", re.compile(r"-.*")), ("margin", re.compile(r".*-.*")), ("margin-top", re.compile(r"-.*")),
    ("margin-left", re.compile(r"-.*")),
)
"""(property, value that hides): declarations refused in a rule whose selector may reach the
crisis help. Any opacity, filter, transform or clip there is refused, whatever its value."""


def check_css(shown: str, text: str) -> list[Problem]:
    """A style sheet's rules that could show another number or hide the crisis help.

    Kept simple on purpose, and strict: comments are dropped, then each declaration is read with
    the selector of its rule (at-rules such as ``@media`` are looked into).

    - CRI009: ``content:`` may hold only strings without digits, ``tel``, ``sms`` or backslash
      escapes (an escape can spell a digit), and the words of :data:`CONTENT_WORDS`: no
      ``counter()``, ``var()``, ``url()`` or ``attr()`` of another attribute, which could all put
      digits on the screen, in the crisis banner or anywhere else.
    - CRI010: in a rule whose selector mentions the crisis help (:data:`CRISIS_SELECTOR`), none of
      the declarations of :data:`HIDING` (``display: none``, ``visibility: hidden``, any
      ``opacity``, ``position: absolute``, a transform, a clip, a zero size, negative offsets...).
    """
    text = text.replace("\r\n", "\n")
    clean = _CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    problems = []
    selector_stack: list[str] = []
    start = 0
    for m in re.finditer(r"[{};]", clean):
        chunk = clean[start:m.start()]
        chunk_start = start
        start = m.end()
        if m.group() == "{":
            selector_stack.append(" ".join(chunk.split()))
            continue
        if m.group() == "}" and not chunk.strip():
            if selector_stack:
                selector_stack.pop()
            continue
        if ":" in chunk and selector_stack and not selector_stack[-1].startswith("@"):
            name, _, value = chunk.partition(":")
            name, value = name.strip().lower(), " ".join(value.split())
            offset = chunk_start + len(chunk) - len(chunk.lstrip())
            at = line_col(text, offset)
            selector = selector_stack[-1]
            if name == "content":
                why = _content_problem(value)
                if why:
                    problems.append(_problem(shown, *at, "CRI009",
                                             f"content: {value} in '{selector}' {why}: generated text can put "
                                             f"another number on the page, the crisis help included; use only "
                                             f"plain text without digits"))
            if CRISIS_SELECTOR.search(selector):
                bare = re.sub(r"\s*!important\s*$", "", value.lower())
                for prop, pattern in HIDING:
                    if name == prop and pattern.fullmatch(bare):
                        problems.append(_problem(shown, *at, "CRI010",
                                                 f"{name}: {value} in '{selector}' can hide or move the crisis "
                                                 f"help, which every page shows; remove the declaration"))
        if m.group() == "}" and selector_stack:
            selector_stack.pop()
    return problems


def _content_problem(value: str) -> str | None:
    for string in _CSS_STRING.findall(value):
        inner = string[1:-1]
        if re.search(r"[0-9]|tel|sms|\\", inner, re.I):
            return f"has {string}, with a digit, tel, sms or an escape"
    rest = _CSS_STRING.sub(" ", value.lower().replace("!important", " "))
    rest = re.sub(r"attr\(\s*href\s*\)", "attr(href)", rest)
    for word in rest.split():
        if word not in CONTENT_WORDS:
            return f"has {word}, which can generate digits"
    return None


# -------------------------------------------------------------------------------------- sources


def _read(path: pathlib.Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # the front matter and HTML checks report unreadable files


def data_path(site: Site) -> pathlib.Path:
    return site.root / DATA_NAME


def check_site(site: Site, today: dt.date | None = None) -> report.CheckResult:
    """The data file, mkdocs.yml, every page, include and glossary, and the style sheets."""
    path = data_path(site)
    data = load_data(path, site.shown(path))
    problems: list[Problem] = list(data.problems) + _config_problems(site, path)
    raw = _read(path)
    if raw is not None:
        problems += character_problems(site.shown(path), raw)
    files = [site.page_path(src) for src in site.pages()]
    files += site.include_files()
    files += [site.glossary] if site.glossary is not None and site.glossary.is_file() else []
    checked = 0
    for file in dict.fromkeys(files):
        text = _read(file)
        if text is None:
            continue
        checked += 1
        shown = site.shown(file)
        problems += character_problems(shown, text)
        problems += markdown_problems(shown, text, data, site)
    if site.glossary is not None and (text := _read(site.glossary)) is not None:  # every term, in code too
        shown, listed = site.shown(site.glossary), {(p.path, p.line) for p in problems if p.code == "CRI008"}
        for term, (_, line) in markdown_text.abbreviations(text).items():
            why = term_problem(term, data)
            if why and (shown, line) not in listed:
                problems.append(_problem(shown, line, 3, "CRI008", f"the abbreviation *[{term}]: {why}"))
    sheets = sorted(site.docs_dir.rglob("*.css")) if site.docs_dir.is_dir() else []
    for sheet in sheets:
        text = _read(sheet)
        if text is not None:
            problems += check_css(site.shown(sheet), text)
    counts = {"files checked": checked + len(sheets), "crisis numbers": len(data.call_numbers | data.text_numbers)}
    return report.CheckResult("crisis numbers", tuple(sorted(set(problems))), counts)


# ---------------------------------------------------------------------------------- built pages


def landmark_problems(root: Node, data: CrisisData) -> list[str]:
    """What is wrong with a built page's crisis help, or nothing.

    The page must have an ``<aside>`` whose ``aria-label`` is "Crisis help" (any case), not hidden
    (no ``hidden``, ``aria-hidden="true"`` or ``inert`` on it or around it), and in it, for each
    region of the data file, a ``tel:`` link to at least one of the region's emergency numbers or
    its main line (the first ``talk`` service with a call number): any markup, order or wording
    passes, as long as those links are there.
    """
    asides = [e for e in _html_elements(root, "aside")
              if (attribute(e, "aria-label") or "").strip().casefold() == LANDMARK_LABEL.casefold()]
    if not asides:
        return [f'no <aside aria-label="{LANDMARK_LABEL}"> landmark: every page shows the crisis help; '
                f"restore it in the theme (overrides/)"]
    aside = asides[0]
    element: Node | None = aside
    hidden = None
    while element is not None:
        for name in ("hidden", "inert"):
            if attribute(element, name) is not None:
                hidden = f"{name} on <{element.name}>"
        if (attribute(element, "aria-hidden") or "").strip().lower() == "true":
            hidden = f'aria-hidden="true" on <{element.name}>'
        element = element.parent
    found = []
    if hidden:
        found.append(f"the crisis help landmark is hidden ({hidden}); remove it")
    linked = {digits(link.href) for _, link in dialled_links(aside) if link.scheme == "tel"}
    for region in data.regions:
        required = data.required(region)
        if required and not required & linked:
            found.append(f"the crisis help has no tel: link to {' or '.join(sorted(required))} for region "
                         f"'{region}' (its emergency number or main line in {DATA_NAME}); link one of them")
    return found


def check_built_html(shown: str, html_text: str, data: CrisisData) -> list[Problem]:
    text = html_text.replace("\r\n", "\n")
    root = _parse(text)
    problems = []
    offsets = [m.start() for m in re.finditer(r"""href\s*=\s*["']?\s*(?:tel|sms)\s*:""", text, re.I)]
    links = list(dialled_links(root))
    for index, (_, link) in enumerate(links):
        at = line_col(text, offsets[index]) if len(offsets) == len(links) else (1, 1)
        problems += [_problem(shown, *at, code, message) for code, message in link_problems(link, data)]
    landmark = re.search(r"""aria-label\s*=\s*["']?\s*crisis help""", text, re.I)
    at = line_col(text, landmark.start()) if landmark else (1, 1)
    for message in landmark_problems(root, data):
        problems.append(_problem(shown, *at, "CRI011", message))
    return problems


def check_built_site(site_dir: pathlib.Path, data: CrisisData, shown_root: pathlib.Path | None = None
                     ) -> tuple[list[Problem], int]:
    """Every HTML page of a built site (404.html included): its tel:/sms: links and its crisis help."""
    problems: list[Problem] = []
    pages = sorted(p for p in site_dir.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file())
    for page in pages:
        shown = Site.shown_from(page, shown_root or pathlib.Path.cwd())
        text = _read(page)
        if text is None:
            problems.append(_problem(shown, 1, 1, "CRI011", "the page cannot be read as UTF-8"))
            continue
        problems += check_built_html(shown, text, data)
    return sorted(problems), len(pages)


# ------------------------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.crisis",
                                     description="Check that no page changes, hides or hijacks the crisis numbers.")
    parser.add_argument("project", nargs="?", default=".", type=pathlib.Path,
                        help="the folder of mkdocs.yml, or the file (default: .)")
    parser.add_argument("--built", type=pathlib.Path, metavar="SITE_DIR", help="check a built site instead")
    parser.add_argument("--format", choices=tuple(report.FORMATS), default="text")
    args = parser.parse_args(argv)
    try:
        site = load(args.project)
    except SiteError as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    if args.built is not None:
        if not args.built.is_dir():
            parser.exit(2, f"{parser.prog}: error: {args.built}: not a folder\n")
        path = data_path(site)
        data = load_data(path, site.shown(path))
        problems, pages = check_built_site(args.built, data)
        result = report.CheckResult("crisis numbers (built site)", tuple(data.problems + problems),
                                    {"pages checked": pages})
    else:
        result = check_site(site)
    sys.stdout.write(report.FORMATS[args.format]([result]))
    return report.status([result])


if __name__ == "__main__":
    sys.exit(main())
