"""Scaffold a new page: ``python -m kb.tools.new_page`` (``make new-page``).

Asks for a title, a section (one of the nav's top-level sections), tags (from data/tags.yml)
and a description, or takes them as flags for scripts:

    python -m kb.tools.new_page --title "Sleep and nightmares" --section ptsd \\
        --tags ptsd,recovery --description \\
        "Why PTSD disturbs sleep, what nightmares are like and which treatments help people sleep better."

Writes ``docs/<section folder>/<slug>.md`` with valid front matter (``last_reviewed`` is
today; ``--expires DATE REASON``, repeatable, records a day some of its facts end), a Key points block
and a "For clinicians" section to fill in, and adds the page to
the end of its section in mkdocs.yml's nav. Never overwrites a file. Exit status: 0 written,
2 bad input (nothing written).
"""
from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import re
import sys
import unicodedata
from collections.abc import Callable

import yaml

from kb.core import pages, report
from kb.core.markdown_text import suggest
from kb.core.site import TAGS_FILE
from kb.frontmatter import validate
from kb.frontmatter.load import load_path, load_text
from kb.frontmatter.schema import length, suggested
from kb.tools import nav_edit

EXIT_OK, EXIT_USAGE = 0, 2
TITLE_LENGTH = length("title")
DESCRIPTION_LENGTH = length("description")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class BadAnswer(ValueError):
    """An answer that cannot be used; the message says why and what to do."""


def load_tags(root: pathlib.Path) -> dict[str, str]:
    path = root / TAGS_FILE
    try:
        tags = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BadAnswer(f"cannot read the tag vocabulary {path}: {error}") from None
    if not isinstance(tags, dict):
        raise BadAnswer(f"{path} should map each tag to its description")
    return {str(tag): str(text) for tag, text in tags.items()}


def existing_titles(docs: pathlib.Path) -> dict[str, str]:
    """Title (case-folded) -> page, for every page whose front matter has a title."""
    titles: dict[str, str] = {}
    for src in pages.markdown_pages(docs) if docs.is_dir() else []:
        path = docs / src
        shown = path.relative_to(docs.parent).as_posix()
        meta = load_path(path, shown).data or {}  # problems are the validator's to report
        if isinstance(meta.get("title"), str):
            titles[" ".join(meta["title"].split()).casefold()] = shown
    return titles


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")


def _suggest(word: str, choices: list[str]) -> str:
    close = suggest(word, choices)
    return f" Did you mean {close!r}?" if close else ""


# One checker per answer: each takes the raw answer and returns the value to use, or raises BadAnswer.

def check_title(answer: str, titles: dict[str, str]) -> str:
    title = " ".join(answer.split())
    low, high = TITLE_LENGTH
    if not low <= len(title) <= high:
        raise BadAnswer(f"the title must be {low} to {high} characters; this one has {len(title)}.")
    if title.casefold() in titles:
        raise BadAnswer(f"{titles[title.casefold()]} already has the title {title!r}; titles must be unique.")
    return title


def check_section(answer: str, sections: list[nav_edit.Section]) -> nav_edit.Section:
    wanted = answer.strip().casefold()
    for section in sections:
        if wanted in (section.title.casefold(), section.folder.casefold()):
            return section
    names = [s.folder for s in sections]
    listing = ", ".join(f"{s.folder} ({s.title})" for s in sections)
    raise BadAnswer(f"unknown section {answer.strip()!r}.{_suggest(wanted, names)} Choose one of: {listing}.")


def check_tags(answer: str, vocabulary: dict[str, str]) -> list[str]:
    tags = [t for t in re.split(r"[\s,]+", answer.strip()) if t]
    if not tags:
        raise BadAnswer("give at least one tag from data/tags.yml, separated by commas.")
    unknown = [t for t in tags if t not in vocabulary]
    if unknown:
        hints = "".join(f" {t!r} is not in data/tags.yml.{_suggest(t.lower(), list(vocabulary))}" for t in unknown)
        raise BadAnswer(hints.strip()
                        + " Use tags from data/tags.yml, or add a new tag there with its description first.")
    return list(dict.fromkeys(tags))


def check_description(answer: str) -> str:
    description = " ".join(answer.split())
    low, high = DESCRIPTION_LENGTH
    if not low <= len(description) <= high:
        raise BadAnswer(f"the description must be {low} to {high} characters; this one has {len(description)}.")
    return description


def check_slug(answer: str) -> str:
    slug = answer.strip()
    if not SLUG.match(slug):
        raise BadAnswer(f"the file name {slug!r} must be lowercase letters and digits joined by hyphens, "
                        "e.g. sleep-and-nightmares.")
    return slug


def check_expires(pairs: list[list[str]]) -> list[tuple[dt.date, str]]:
    """``--expires DATE REASON`` pairs; the date must be YYYY-MM-DD (the validator checks the rest)."""
    found = []
    for day, reason in pairs:
        try:
            found.append((dt.date.fromisoformat(day.strip()), " ".join(reason.split())))
        except ValueError:
            raise BadAnswer(f"--expires: expected a date YYYY-MM-DD, got {day!r}, for example "
                            f"--expires {suggested('expires')[0]['date']} \"what ends on that day\".") from None
    return found


def _scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar, quoted only when YAML needs it (``yes``, ``a: b``...)."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return dumped.removesuffix("\n...\n").strip()


def render(title: str, description: str, tags: list[str], today: dt.date,
           expires: list[tuple[dt.date, str]] | None = None) -> str:
    ends = "".join(f"\n  - date: {day.isoformat()}\n    reason: {_scalar(reason)}" for day, reason in expires or [])
    return f"""---
title: {_scalar(title)}
description: {_scalar(description)}
tags: [{", ".join(tags)}]
audience: [{", ".join(suggested("audience"))}]
review_interval_months: {suggested("review_interval_months")}
last_reviewed: {today.isoformat()}{"" if not ends else chr(10) + "expires:" + ends}
---

# {title}

!!! abstract "Key points"

    - Replace these bullets with the 3 to 5 things a reader should take away.
    - Write each one as a short, plain sentence.
    - Cite the source of each fact by its key in data/references.yml.

Write the page here in plain language, in your own words, for patients and families.

## For clinicians: {title.rstrip("?.!")}

Put technical detail here: study designs, effect sizes, doses used in trials and mechanisms.
"""


def check_with_validator(text: str, shown: str, root: pathlib.Path, today: dt.date) -> None:
    """Refuse to write a page the front matter validator would reject (the schema may be stricter than the prompts)."""
    page = load_text(text, shown)
    vocabulary, problems = validate.load_vocabulary(root / TAGS_FILE, TAGS_FILE)
    problems += page.problems + validate.check_page(page, vocabulary, today)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise BadAnswer("the new page's front matter would not pass `make check`; nothing was written:\n  "
                        + "\n  ".join(report.line(problem) for problem in errors))


def _ask(prompt: str, check: Callable[[str], object], ask: Callable[[str], str], out) -> object:
    """Ask until the answer passes ``check``; end of input is a usage error."""
    while True:
        try:
            answer = ask(prompt)
        except EOFError:
            raise BadAnswer(f"no answer for {prompt.strip().rstrip(':')!r} (end of input).") from None
        try:
            return check(answer)
        except BadAnswer as error:
            print(f"  {error}", file=out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m kb.tools.new_page",
        description="Create a page with valid front matter and add it to the navigation. "
                    "Asks for anything not given as a flag.")
    parser.add_argument("--title",
                        help=f"page title, {TITLE_LENGTH[0]}-{TITLE_LENGTH[1]} characters, unique on the site")
    parser.add_argument("--section", help="nav section, by folder (ketamine) or title (Ketamine)")
    parser.add_argument("--tags", help="comma-separated tags from data/tags.yml")
    parser.add_argument("--description",
                        help=f"one or two sentences, {DESCRIPTION_LENGTH[0]}-{DESCRIPTION_LENGTH[1]} characters")
    parser.add_argument("--slug", help="file name without .md (default: made from the title)")
    parser.add_argument("--expires", nargs=2, action="append", default=[], metavar=("DATE", "REASON"),
                        help="a day some of the page's facts end (YYYY-MM-DD) and what ends, for readers; "
                             "the page is due for review that day (repeatable)")
    parser.add_argument("--root", default=".", type=pathlib.Path, help="repository root (default: .)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, ask: Callable[[str], str] = input, today: dt.date | None = None) -> int:
    args = parse_args(argv)
    root: pathlib.Path = args.root
    out = sys.stderr
    try:
        config_path = root / "mkdocs.yml"
        try:
            config_text = config_path.read_text(encoding="utf-8")
        except OSError as error:
            raise BadAnswer(f"cannot read {config_path}: {error.strerror}. "
                            "Run this from the repository root.") from None
        sections = nav_edit.sections(config_text)
        vocabulary = load_tags(root)
        titles = existing_titles(root / "docs")

        checks: dict[str, tuple[str, Callable[[str], object]]] = {
            "title": (f"Title ({TITLE_LENGTH[0]}-{TITLE_LENGTH[1]} characters): ", lambda a: check_title(a, titles)),
            "section": ("Section (folder or title): ", lambda a: check_section(a, sections)),
            "tags": ("Tags (comma-separated, from data/tags.yml): ", lambda a: check_tags(a, vocabulary)),
            "description": (f"Description ({DESCRIPTION_LENGTH[0]}-{DESCRIPTION_LENGTH[1]} characters): ",
                            check_description),
        }
        answers: dict[str, object] = {}
        problems = []
        for name, (_, check) in checks.items():
            flag = getattr(args, name)
            if flag is not None:
                try:
                    answers[name] = check(flag)
                except BadAnswer as error:
                    problems.append(f"--{name}: {error}")
        try:
            expires = check_expires(args.expires)
        except BadAnswer as error:
            problems.append(str(error))
        if problems:  # every bad flag at once, before asking anything
            raise BadAnswer("\n  ".join(["the answers given as flags cannot be used:", *problems]))
        if len(answers) < len(checks):
            print("New page. Sections: " + ", ".join(f"{s.folder} ({s.title})" for s in sections), file=out)
            print("Tags: " + ", ".join(vocabulary), file=out)
        for name, (prompt, check) in checks.items():
            if name not in answers:
                answers[name] = _ask(prompt, check, ask, out)
        title, section, tags, description = (answers[name] for name in checks)
        slug = check_slug(args.slug) if args.slug is not None else slugify(title)
        if not slug:
            raise BadAnswer("the title gives an empty file name; pass --slug.")

        src = f"{section.folder}/{slug}.md"
        if (root / "docs" / src).exists():
            raise BadAnswer(f"docs/{src} already exists; it was not changed. Choose another title or --slug.")
        if src in nav_edit.all_pages(config_text):
            raise BadAnswer(f"{src} is already in the nav of mkdocs.yml.")
        new_config = nav_edit.add_page(config_text, section.title, src)
        day = today or dt.date.today()
        text = render(title, description, tags, day, expires)
        check_with_validator(text, f"docs/{src}", root, day)
        page = root / "docs" / src
        try:
            with open(page, "x", encoding="utf-8", newline="\n") as f:
                f.write(text)
        except FileExistsError:
            raise BadAnswer(f"docs/{src} already exists; it was not changed. Choose another title or --slug.") from None
        except OSError as error:
            raise BadAnswer(f"cannot create docs/{src}: {error.strerror}.") from None
        with open(config_path, "w", encoding="utf-8", newline="") as f:
            f.write(new_config)
    except (BadAnswer, nav_edit.NavError) as error:
        print(f"new-page: error: {error}", file=out)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nnew-page: cancelled; nothing was written.", file=out)
        return EXIT_USAGE
    print(f"Created docs/{src} and added it to the nav under {section.title!r} in mkdocs.yml.\n"
          f"Next: write the page, cite sources with [@key], then run `make check` and `make serve`.")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
