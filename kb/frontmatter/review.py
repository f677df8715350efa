"""Review dates: when a page's facts were last checked and when they are due again.

A page is due for review ``review_interval_months`` after ``last_reviewed``, or earlier: on the
first date in ``expires``, when some of its facts stop being true (a temporary rule ends, a
label changes). :func:`due` gives that date and, when an end date sets it, the reasons.
overrides/partials/kb-dates.html computes the same date for readers (tests/test_generators.py).
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kb.frontmatter.schema import spec

REVIEWED, INTERVAL, EXPIRES = "last_reviewed", "review_interval_months", "expires"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interval_of(meta: Mapping[str, Any]) -> int | None:
    """The page's review interval in months, if it is a whole number the contract allows."""
    value = meta.get(INTERVAL)
    limits = spec(INTERVAL)
    if isinstance(value, int) and not isinstance(value, bool) and limits["minimum"] <= value <= limits["maximum"]:
        return value
    return None


def is_date(value: Any) -> bool:
    """A YAML date (not a date and time)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def expiries_of(meta: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
    """The page's usable ``expires`` entries as (date, reason), soonest first; the checks report the rest."""
    entries = meta.get(EXPIRES)
    if not isinstance(entries, list):
        return []
    found = [(item["date"], item["reason"]) for item in entries
             if isinstance(item, Mapping) and is_date(item.get("date")) and isinstance(item.get("reason"), str)]
    return sorted(found, key=lambda pair: pair[0])


def next_review(last_reviewed: dt.date, interval_months: int) -> dt.date:
    return add_months(last_reviewed, interval_months)


@dataclass(frozen=True)
class Due:
    """When a page is next due for review, and why when an end date of its facts sets the date."""

    date: dt.date
    reasons: tuple[str, ...] = ()  # the expires reasons of that date; () when the interval sets it

    def overdue(self, today: dt.date) -> bool:
        """Past the date; due today is not yet overdue."""
        return self.date < today

    @property
    def why(self) -> str:
        """The reasons as one line for reports ("" when the review interval sets the date)."""
        return "; ".join(self.reasons)


def due(meta: Mapping[str, Any]) -> Due | None:
    """The earlier of the first ``expires`` date and ``last_reviewed`` + ``review_interval_months``
    (None without a usable ``last_reviewed`` and interval). On a tie the end date is the reason."""
    last, interval = meta.get(REVIEWED), interval_of(meta)
    if not is_date(last) or interval is None:
        return None
    scheduled = next_review(last, interval)
    expiries = expiries_of(meta)
    if not expiries or expiries[0][0] > scheduled:
        return Due(scheduled)
    first = expiries[0][0]
    return Due(first, tuple(reason for day, reason in expiries if day == first))
