"""Review dates: when a page's facts were last checked and when they are due again."""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

from kb.frontmatter.schema import spec

INTERVAL = "review_interval_months"


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


def next_review(last_reviewed: dt.date, interval_months: int) -> dt.date:
    return add_months(last_reviewed, interval_months)


def is_overdue(last_reviewed: dt.date, interval_months: int, today: dt.date | None = None) -> bool:
    """Past its next review date; due today is not yet overdue."""
    return next_review(last_reviewed, interval_months) < (today or dt.date.today())
