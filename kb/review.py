"""Review dates: when a page's facts were last checked and when they are due again."""
from __future__ import annotations

import calendar
import datetime as dt

DEFAULT_INTERVAL_MONTHS = 12


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(last_reviewed: dt.date, interval_months: int | None = None) -> dt.date:
    return add_months(last_reviewed, interval_months or DEFAULT_INTERVAL_MONTHS)


def is_overdue(last_reviewed: dt.date, interval_months: int | None = None, today: dt.date | None = None) -> bool:
    return next_review(last_reviewed, interval_months) < (today or dt.date.today())
