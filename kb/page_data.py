"""What a reader sees around a page's text: review dates, structured data, link-preview fields.

Plain Python, no MkDocs: ``page_data()`` takes a page's front matter, its source path and
public URL, the site settings and the references the page cites, and returns every value the
theme renders. ``hooks/reader.py`` adapts it to MkDocs; tests call it directly.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import string
from collections.abc import Hashable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

from kb import review

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# Who a page is written for (front matter `audience`) -> schema.org audience.
# Patient is a MedicalAudience subtype; the others are MedicalAudience with a plain audienceType.
AUDIENCES: dict[str, dict[str, str]] = {
    "patients": {"@type": "Patient"},
    "families": {"@type": "MedicalAudience", "audienceType": "Caregiver"},
    "clinicians": {"@type": "MedicalAudience", "audienceType": "Clinician"},
}
DEFAULT_AUDIENCE = ("patients", "families", "clinicians")

# What every page is about; pages tagged with a key below are also about that subject.
CONDITION: dict[str, Any] = {
    "@type": "MedicalCondition",
    "name": "Post-traumatic stress disorder",
    "alternateName": "PTSD",
    "code": {"@type": "MedicalCode", "code": "6B40", "codingSystem": "ICD-11"},
}
TAG_SUBJECTS: dict[str, dict[str, Any]] = {
    "ketamine": {"@type": "Drug", "name": "Ketamine"},
}

NON_SCHOLARLY = frozenset({"guideline", "label", "regulatory", "other"})
"""Reference types that are not journal articles (kb.bibliography TYPE_LABELS keys)."""

REPORT_TEMPLATE = "report-error.yml"
REPORT_TITLE = "Error on page: {title}"
REPORT_BODY = (
    "Page: {url}\n"
    "Source file: {src}\n\n"
    "What is wrong, and where on the page?\n\n"
    "What should it say instead? A source helps (DOI or link):\n"
)


@dataclasses.dataclass(frozen=True)
class Review:
    last_reviewed: dt.date
    next_review: dt.date
    overdue: bool

    @property
    def last_reviewed_text(self) -> str:
        return format_date(self.last_reviewed)

    @property
    def next_review_text(self) -> str:
        return format_date(self.next_review)


@dataclasses.dataclass(frozen=True)
class PageData:
    title: str
    description: str
    url: str
    review: Review | None
    report_url: str
    open_graph: tuple[tuple[str, str], ...]
    json_ld: dict[str, Any]
    citation_json: tuple[str, ...] = ()  # safe_json of each json_ld["citation"] item, in order

    @property
    def json_ld_text(self) -> str:
        """``safe_json(self.json_ld)``, with each cited work's JSON written once per build rather than
        once per citing page (a popular source is cited by hundreds of pages)."""
        if not self.citation_json or list(self.json_ld)[-1] != "citation":
            return safe_json(self.json_ld)
        head = safe_json({key: value for key, value in self.json_ld.items() if key != "citation"})
        return f'{head[:-1]},"citation":[{",".join(self.citation_json)}]}}'


def format_date(day: dt.date) -> str:
    """``27 November 2026``: day, month name, year, as UK and US health sites both read it."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def as_date(value: object) -> dt.date | None:
    """A front matter date: YAML gives ``date`` for 2026-11-27, ``str`` when quoted."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def review_of(meta: Mapping[str, Any], today: dt.date) -> Review | None:
    """Review dates from ``last_reviewed`` and ``review_interval_months``; None without a date."""
    last = as_date(meta.get("last_reviewed"))
    if last is None:
        return None
    interval = meta.get("review_interval_months")
    interval = interval if isinstance(interval, int) and not isinstance(interval, bool) and interval > 0 else None
    return _review(last, interval, today)


@functools.lru_cache(maxsize=1024)
def _review(last: dt.date, interval: int | None, today: dt.date) -> Review:
    """One frozen Review per date and interval: many pages were reviewed on the same day."""
    return Review(
        last_reviewed=last,
        next_review=review.next_review(last, interval),
        overdue=review.is_overdue(last, interval, today),
    )


def safe_json(data: object) -> str:
    """JSON that can sit inside ``<script>``: ``<``, ``>`` and ``&`` become ``\\u003c`` and so on."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def report_url(issues_url: str, src_uri: str, title: str, url: str) -> str:
    """A new-issue link prefilled with the issue form, the page's source path and a title.

    The query is what ``urlencode(..., quote_via=quote)`` gives, built piece by piece: percent-encoding
    works character by character, so the form's fixed text is encoded once rather than for every page.
    """
    query = (f"template={_encoded_text(REPORT_TEMPLATE)}&page={_quote(src_uri)}"
             f"&title={_encoded(REPORT_TITLE, title=title)}&body={_encoded(REPORT_BODY, url=url, src=src_uri)}")
    return f"{issues_url}{'&' if '?' in issues_url else '?'}{query}"


class _PercentEncoded(dict):
    """A ``str.translate`` table: each character to ``quote(character, safe="")``, worked out the
    first time it is met. Percent-encoding is character by character, so translating a text gives
    ``quote(text, safe="")``; urllib does it byte by byte in Python, several times slower."""

    def __missing__(self, codepoint: int) -> str:
        self[codepoint] = encoded = quote(chr(codepoint), safe="")
        return encoded


_PERCENT_ENCODED = _PercentEncoded()


def _quote(text: str) -> str:
    return text.translate(_PERCENT_ENCODED)


@functools.lru_cache(maxsize=256)
def _encoded_text(text: str) -> str:
    return _quote(text)


@functools.lru_cache(maxsize=16)
def _pieces(template: str) -> tuple[tuple[str, str | None], ...]:
    """A ``str.format`` template as (literal text, field name or None) pairs."""
    return tuple((literal, field) for literal, field, _, _ in string.Formatter().parse(template))


def _encoded(template: str, **values: str) -> str:
    """``quote(template.format(**values), safe="")``, with the template's own text encoded once."""
    return "".join(_encoded_text(literal) + (_quote(values[field]) if field is not None else "")
                   for literal, field in _pieces(template))


def _field(entry: object, name: str) -> Any:
    """A reference field from a YAML mapping or from an object with attributes."""
    if isinstance(entry, Mapping):
        return entry.get(name)
    return getattr(entry, name, None)


_PERSON = re.compile(r"[A-Z][\w'’.-]*(?: [\w'’.-]+)* [A-Z]{1,3}")  # Vancouver style: surname, initials
_ET_AL = re.compile(r",?\s*et al\.?$")


def authors_of(authors: str) -> list[dict[str, str]]:
    """Vancouver author lists ("Feder A, Costi S, et al.") as schema.org Persons; anything else (an
    agency, a guideline panel) as one Organization."""
    names = [name.strip() for name in _ET_AL.sub("", authors.strip()).split(",")]
    if all(_PERSON.fullmatch(name) for name in names):
        return [{"@type": "Person", "name": name} for name in names]
    return [{"@type": "Organization", "name": authors.strip()}]


def reference_work(key: str, entry: object) -> dict[str, Any]:
    """One ``data/references.yml`` entry as a schema.org ScholarlyArticle (or CreativeWork)."""
    scholarly = _field(entry, "type") not in NON_SCHOLARLY
    work: dict[str, Any] = {"@type": "ScholarlyArticle" if scholarly else "CreativeWork", "identifier": key}
    if _field(entry, "title"):
        work["name"] = str(_field(entry, "title"))
    if _field(entry, "authors"):
        work["author"] = authors_of(str(_field(entry, "authors")))
    if _field(entry, "container"):
        name = str(_field(entry, "container"))
        # A journal for articles; the issuing body for guidelines, labels and agency documents
        work["isPartOf" if scholarly else "publisher"] = (
            {"@type": "Periodical", "name": name} if scholarly else {"@type": "Organization", "name": name})
    if _field(entry, "year"):
        work["datePublished"] = str(_field(entry, "year"))
    links = []
    if _field(entry, "doi"):
        links.append(f"https://doi.org/{_field(entry, 'doi')}")
    if _field(entry, "pmid"):
        links.append(f"https://pubmed.ncbi.nlm.nih.gov/{_field(entry, 'pmid')}/")
    if _field(entry, "url"):
        links.append(str(_field(entry, "url")))
    if links:
        work["url"] = links[0]
        if len(links) > 1:
            work["sameAs"] = links[1:]
    return work


_WORKS: dict[str, tuple[object, dict[str, Any], str]] = {}
"""key -> (entry, :func:`reference_work` of it, that work's :func:`safe_json`): each entry is cited by many
pages, and its work is shared by their ``json_ld``, which is only ever serialised. Valid for that very
entry object (a bibliography read again is worked out again), looked up by key: hashing a frozen entry
compares every field, and cost more than the rest of a page's data."""


def _work(key: str, entry: object) -> tuple[dict[str, Any], str | None]:
    """The entry's work and its JSON; for an entry that may change (a mapping), not kept, and no JSON."""
    cached = _WORKS.get(key)
    if cached is not None and cached[0] is entry:
        return cached[1], cached[2]
    work = reference_work(key, entry)
    if not isinstance(entry, Hashable):
        return work, None
    _WORKS[key] = (entry, work, safe_json(work))
    return work, _WORKS[key][2]


def audience_of(meta: Mapping[str, Any]) -> list[dict[str, str]]:
    names = meta.get("audience") or DEFAULT_AUDIENCE
    if isinstance(names, str):
        names = [names]
    return [AUDIENCES[name] for name in names if name in AUDIENCES]


def page_data(
    meta: Mapping[str, Any],
    *,
    src_uri: str,
    url: str,
    title: str,
    site_name: str,
    site_url: str,
    site_description: str = "",
    issues_url: str = "",
    references: Iterable[tuple[str, object]] = (),
    is_homepage: bool = False,
    language: str = "en",
    today: dt.date | None = None,
) -> PageData:
    """Everything the theme shows about one page, from its front matter and the site settings.

    ``title`` is the page's plain-text title (front matter ``title`` or its first heading);
    ``url`` its absolute public URL; ``references`` the ``(key, entry)`` pairs it cites, in order.
    """
    today = today or dt.date.today()
    description = str(meta.get("description") or site_description or "")
    page_review = review_of(meta, today)
    tags = meta.get("tags") if isinstance(meta.get("tags"), list) else []

    open_graph = [
        ("og:type", "website" if is_homepage else "article"),
        ("og:site_name", site_name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url),
    ]
    if page_review and not is_homepage:
        open_graph.append(("article:modified_time", page_review.last_reviewed.isoformat()))

    json_ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "description": description,
        "url": url,
        "inLanguage": language,
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": site_url},
        # The dictionaries below are shared by every page, as _work's are: json_ld is only serialised.
        "about": [CONDITION, *(TAG_SUBJECTS[tag] for tag in tags if tag in TAG_SUBJECTS)],
        "audience": audience_of(meta),
    }
    if page_review:
        json_ld["lastReviewed"] = page_review.last_reviewed.isoformat()
    works = [_work(key, entry) for key, entry in references]
    if works:
        json_ld["citation"] = [work for work, _ in works]
    citation_json = tuple(text for _, text in works)

    return PageData(
        title=title,
        description=description,
        url=url,
        review=page_review,
        report_url=report_url(issues_url, src_uri, title, url) if issues_url else "",
        open_graph=tuple(open_graph),
        json_ld=json_ld,
        citation_json=citation_json if None not in citation_json else (),
    )
