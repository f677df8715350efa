"""Which pages are due for review: ``python -m kb.tools.review_report [docs] [--format text|json|markdown]``.

For maintainers (``make review-report``): every page under the docs folder with its last
review, its interval and its next review date (``kb.frontmatter.review.due``: the interval, or sooner an end
date of some of its facts in ``expires``, whose reason the report gives), soonest first, so
overdue pages come first.
Pages without a usable ``last_reviewed`` are listed before everything else: nobody can say
when their facts were checked. Front matter is read with the front matter validator's loader
(``kb.frontmatter.load``) and dates are computed by ``kb.frontmatter.review``; this module only sorts and
prints. Exit status: 0 report printed, 2 usage error.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import pathlib
import sys
from typing import Any

from kb.core import pages
from kb.core.cli import date_argument
from kb.frontmatter import review
from kb.frontmatter.load import load_path

EXIT_OK, EXIT_USAGE = 0, 2
SOON_DAYS = 60

# Status, in report order, with the label the text report prints.
STATUSES: dict[str, str] = {
    "no-date": "NO DATE",
    "overdue": "OVERDUE",
    "due-soon": "due soon",
    "ok": "ok",
}


@dataclasses.dataclass(frozen=True)
class Entry:
    path: str
    title: str
    status: str
    last_reviewed: dt.date | None
    interval_months: int
    next_review: dt.date | None
    days_left: int | None  # negative when overdue
    why: str = ""  # the expires reason(s) when an end date of the page's facts sets next_review

    def sort_key(self) -> tuple[int, dt.date, str]:
        return (0 if self.next_review is None else 1, self.next_review or dt.date.min, self.path)

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for key in ("last_reviewed", "next_review"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def entry(path: str, meta: dict[str, Any] | None, today: dt.date, soon_days: int = SOON_DAYS) -> Entry:
    meta = meta or {}
    title = meta.get("title") if isinstance(meta.get("title"), str) else ""
    interval = review.interval_of(meta)
    last = meta.get("last_reviewed")
    if not isinstance(last, dt.date) or isinstance(last, dt.datetime) or interval is None:
        return Entry(path, title, "no-date", last if isinstance(last, dt.date) else None, interval or 0, None, None)
    due = review.due(meta)
    assert due is not None  # a usable last_reviewed and interval
    days_left = (due.date - today).days
    if due.overdue(today):
        status = "overdue"
    elif days_left <= soon_days:
        status = "due-soon"
    else:
        status = "ok"
    return Entry(path, title, status, last, interval, due.date, days_left, due.why)


def collect(docs: pathlib.Path, today: dt.date, soon_days: int = SOON_DAYS) -> list[Entry]:
    """Every page under ``docs``, sorted: no usable date first, then by next review date."""
    entries = []
    for src in pages.markdown_pages(docs):
        file = docs / src
        shown = file.as_posix()
        entries.append(entry(shown, load_path(file, shown).data, today, soon_days))
    return sorted(entries, key=Entry.sort_key)


def summary(entries: list[Entry]) -> dict[str, int]:
    return {status: sum(e.status == status for e in entries) for status in STATUSES}


def ending_soon(entries: list[Entry]) -> list[Entry]:
    """Pages not yet due whose facts end within SOON_DAYS: worth updating before readers see them lapse."""
    return [e for e in entries if e.status == "due-soon" and e.why]



def render_text(entries: list[Entry], today: dt.date, docs: str) -> str:
    counts = summary(entries)
    lines = [
        f"Review report for {docs}/ on {today.isoformat()}: {len(entries)} pages, {counts['overdue']} overdue, "
        f"{counts['due-soon']} due within {SOON_DAYS} days, {counts['no-date']} without a valid last_reviewed.",
        "",
    ]
    rows = [("Status", "Next review", "Last reviewed", "Every", "Due in", "Page", "Title, and why it is due then")]
    for e in entries:
        rows.append((
            STATUSES[e.status],
            e.next_review.isoformat() if e.next_review else "-",
            e.last_reviewed.isoformat() if e.last_reviewed else "-",
            f"{e.interval_months} mo" if e.interval_months else "-",
            f"{e.days_left} d" if e.days_left is not None else "-",
            e.path,
            e.title + (f" (facts end: {e.why})" if e.why else ""),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        # widths has one entry fewer than row: the last column is not padded, so zip stops before it
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
    if counts["no-date"]:
        lines += ["", "Pages marked NO DATE: run `make check` to see what is wrong with their last_reviewed or "
                      "review_interval_months."]
    if counts["overdue"]:
        lines += ["", "To clear an overdue page: check its facts against current sources, then set "
                      "last_reviewed to the date of that check."]
    if any(e.why for e in entries if e.status in ("overdue", "due-soon")):
        lines += ["", "A page whose facts end (expires): update the page for what holds after that date, then "
                      "remove the expires entry, or give its new end date if the end moved."]
    return "\n".join(lines).rstrip() + "\n"


def render_json(entries: list[Entry], today: dt.date, docs: str) -> str:
    return json.dumps({
        "today": today.isoformat(),
        "docs": docs,
        "soon_days": SOON_DAYS,
        "summary": summary(entries),
        "ending_soon": len(ending_soon(entries)),
        "pages": [e.as_json() for e in entries],
    }, indent=2, ensure_ascii=False) + "\n"


def render_markdown(entries: list[Entry], today: dt.date, docs: str) -> str:
    """The body of the issue that lists the pages to review (opened by .github/workflows/review.yml): pages past
    their review date, then pages whose facts end (``expires``) within SOON_DAYS, each with the reason."""
    due = [e for e in entries if e.status in ("no-date", "overdue")]
    soon = ending_soon(entries)

    def item(e: Entry) -> str:
        if not e.next_review:
            return f"- [ ] `{e.path}` {e.title}: no valid review date"
        because = f" because its facts end: {e.why}" if e.why else ""
        return (f"- [ ] `{e.path}` {e.title}: due {e.next_review.isoformat()}{because}; last reviewed "
                f"{e.last_reviewed.isoformat()}")

    lines = [f"Pages past their review date on {today.isoformat()}: {len(due)}."]
    if due:
        lines += ["", *(item(e) for e in due)]
        lines += ["", "Readers of these pages see a notice that they may be out of date. To clear one, check its "
                      "facts against current sources, then set `last_reviewed` to the date of that check "
                      "(and add a `changes` entry if anything changed)."]
    if soon:
        lines += ["", f"Pages whose facts end within {SOON_DAYS} days (front matter `expires`): {len(soon)}. "
                      "Update them before that day, so readers never see facts that no longer hold.", ""]
        lines += [item(e) for e in soon]
    lines += ["", "When a page's facts end, update the page for what holds after that date, then remove its "
                  "`expires` entry (or give the new end date). This issue is updated every week."]
    return "\n".join(lines) + "\n"


FORMATS = {"text": render_text, "json": render_json, "markdown": render_markdown}



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.tools.review_report",
                                     description="Pages by next review date, overdue first.")
    parser.add_argument("docs", nargs="?", default="docs", help="folder of pages (default: docs)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text")
    parser.add_argument("--today", type=date_argument, default=None, help="report as of this date (default: today)")
    args = parser.parse_args(argv)
    docs = pathlib.Path(args.docs)
    if not docs.is_dir():
        print(f"review-report: error: {docs} is not a folder of pages", file=sys.stderr)
        return EXIT_USAGE
    today = args.today or dt.date.today()
    entries = collect(docs, today)
    sys.stdout.write(FORMATS[args.format](entries, today, docs.as_posix().rstrip("/")))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
