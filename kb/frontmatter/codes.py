"""The one table of front matter problem codes.

Every problem the front matter validator reports carries one of these codes. The
table is data: the loader, the validator and the report formats read it, and the
contributor reference page is generated from it.

Shape (stable; fields are never renamed):

``CODES``
    A tuple of :class:`Code` records in code order. Each record has

    ``code``
        Stable identifier ``FMnnn``. A code is never reused for another meaning;
        a retired code stays in the table with ``severity`` ``"retired"``.
    ``name``
        Short snake_case identifier used by the Python modules (``bad_date``).
    ``severity``
        ``"error"`` or ``"warning"`` (both fail ``make check`` and ``mkdocs build --strict``;
        a non-strict build stops on errors only), or ``"notice"`` (reported; fails nothing).
    ``title``
        A few words, sentence case, no final full stop.
    ``explanation``
        One or two sentences: what is wrong and why it matters.
    ``fix``
        One or two sentences: how a contributor fixes it.

``BY_CODE`` and ``BY_NAME`` index the same records by ``code`` and ``name``.
``Code._asdict()`` gives a plain dict of one record.
"""
from __future__ import annotations

from kb.core.problems import Code, register

CODES: tuple[Code, ...] = (
    Code(
        "FM001", "encoding", "error", "File is not UTF-8",
        "The page could not be read as UTF-8 text (for example it was saved as UTF-16, or holds bytes that are "
        "not valid UTF-8). MkDocs stops with a traceback on such files.",
        "Save the file as UTF-8 (with or without a byte order mark) in your editor.",
    ),
    Code(
        "FM002", "missing", "error", "No front matter",
        "Every page under docs/ starts with a front matter block between two lines of three dashes. Without it the "
        "page has no title, description, tags or review date.",
        "Add a block at the very top of the file: a line `---`, the keys title, description, tags and "
        "last_reviewed, and a closing line `---`.",
    ),
    Code(
        "FM003", "multimarkdown", "error", "Metadata without --- fences",
        "The first line looks like `Key: value` but is not inside a `---` block. MkDocs then reads it as "
        "MultiMarkdown metadata and silently removes it from the page.",
        "Put the metadata between two `---` lines at the top, or, if the line is page text, start the page with "
        "its front matter block and a heading.",
    ),
    Code(
        "FM004", "unclosed", "error", "Front matter block not closed",
        "The page starts with `---` but no later line is exactly `---`, so the whole page would be read as front "
        "matter, or the block is dropped.",
        "Add a line with exactly `---` after the last front matter key.",
    ),
    Code(
        "FM005", "empty", "error", "Empty front matter",
        "The block between the two `---` lines holds no keys, so the page has no title, description, tags or "
        "review date.",
        "Write the required keys title, description, tags and last_reviewed between the two `---` lines.",
    ),
    Code(
        "FM006", "yaml_syntax", "error", "Front matter is not valid YAML",
        "The YAML parser could not read the block, for example because of a colon followed by a space inside a "
        "plain value, a tab used for indentation, or an unclosed list or quote. MkDocs would silently drop the "
        "whole block.",
        "Put values that contain `: `, `#` or start with a special character in double quotes, indent with spaces "
        "only, and close every `[`, `{` and quote.",
    ),
    Code(
        "FM007", "duplicate_key", "error", "Key written twice",
        "The same key appears more than once. YAML readers silently keep only the last value, so the first one "
        "is lost without a word.",
        "Keep one copy of the key and delete the other.",
    ),
    Code(
        "FM008", "not_mapping", "error", "Front matter is not a set of keys",
        "The block is a list or a single value instead of `key: value` lines, so MkDocs drops it.",
        "Write one `key: value` per line, with no leading `- `.",
    ),
    Code(
        "FM009", "unsafe_tag", "error", "YAML tag not allowed",
        "A YAML tag such as `!!python/object` or `!custom` was used. Tags can make a YAML reader build objects or "
        "run code, so they are refused and nothing is executed.",
        "Remove the tag and write a plain value; quote the value if it starts with `!`.",
    ),
    Code(
        "FM010", "too_large", "error", "Front matter too large",
        "The block is larger than the limits (16 KiB of text, 1,000 values, 20 aliases) or expands through YAML "
        "aliases into too many values. Real front matter is a few short lines; this guards the build against "
        "accidental or hostile input.",
        "Keep front matter to the documented keys; move long text into the page body and do not use YAML "
        "anchors (`&`) and aliases (`*`).",
    ),
    Code(
        "FM011", "bad_key", "error", "Key is not a plain name",
        "A key is not a plain text name: it is a number, a date, a boolean, a list, or contains an invisible "
        "character such as a zero-width space or a non-breaking space, so it would never match the expected key.",
        "Retype the key as plain lowercase letters and underscores, for example `last_reviewed`.",
    ),
    Code(
        "FM012", "bad_date", "error", "Date not written as YYYY-MM-DD",
        "A date must be an ISO date, year-month-day with four, two and two digits, written without quotes so that "
        "YAML reads it as a date. Forms such as 2024/01/05, 2024-1-5, 20240105 or 05/01/2024 (which could mean "
        "5 January or 1 May) are not dates to the site.",
        "Write the date as YYYY-MM-DD without quotes, for example `last_reviewed: 2024-01-05`.",
    ),
    Code(
        "FM013", "impossible_date", "error", "Date does not exist",
        "The value has the YYYY-MM-DD shape but is not a day of the calendar (for example 2026-02-30 or "
        "2026-13-01). MkDocs would silently drop the whole front matter.",
        "Check the date against a calendar and correct the day or month.",
    ),
    Code(
        "FM014", "future_date", "error", "Review date in the future",
        "last_reviewed records when a person checked the page; it cannot be later than today.",
        "Write the date on which the page was actually checked, today at the latest.",
    ),
    Code(
        "FM015", "review_overdue", "notice", "Page overdue for review",
        "The page's next review date (last_reviewed plus review_interval_months, or the first end date in "
        "expires if that comes sooner) has passed. Readers see a notice that the page may be out of date, with "
        "the reason when an end date set it; `make review-report` lists it first and a weekly job opens an "
        "issue. The build does not fail, because the date passing is not a change anyone made.",
        "Check the page's facts against current sources, then set last_reviewed to the date of that check; "
        "remove an expires entry whose facts you updated, or give its new end date.",
    ),
    Code(
        "FM016", "unknown_key", "error", "Unknown key",
        "The key is not part of the front matter contract, so nothing reads it; often it is a misspelling of a "
        "real key.",
        "Use the suggested key, or remove it. The allowed keys are listed in schema/frontmatter.schema.json.",
    ),
    Code(
        "FM017", "missing_key", "error", "Required key missing",
        "Every page needs title, description, tags, audience, last_reviewed and review_interval_months.",
        "Add the missing key to the front matter block.",
    ),
    Code(
        "FM018", "wrong_type", "error", "Value of the wrong kind",
        "The value is not the kind the key needs, for example a number or a list where text belongs. YAML reads "
        "yes/no/on/off as true/false and 1.10 as the number 1.1, so such text must be quoted.",
        "Write the kind of value shown in the message; put text in double quotes if YAML would read it as "
        "something else.",
    ),
    Code(
        "FM019", "bad_length", "error", "Too short or too long",
        "Titles and descriptions have the lengths the contract gives (see their keys), so that they fit navigation, "
        "search results and link previews; lists such as tags need at least one item.",
        "Shorten or lengthen the text, or add items to the list, to fit the limits given in the message.",
    ),
    Code(
        "FM020", "not_allowed", "error", "Value not allowed",
        "The value is not one of the values this key accepts (for example an audience other than patients, "
        "families or clinicians).",
        "Use one of the values listed in the message.",
    ),
    Code(
        "FM021", "unknown_tag", "error", "Tag not in the vocabulary",
        "Tags come from one controlled list, data/tags.yml, so that pages on the same topic share one tag.",
        "Use the suggested tag, or another tag from data/tags.yml; to add a tag, add it with a description to "
        "data/tags.yml in the same change.",
    ),
    Code(
        "FM022", "bad_tag", "error", "Tag not written in lowercase words",
        "Tags are lowercase words joined by hyphens (for example `fact-check`); `PTSD` and `ptsd` would otherwise "
        "be two different tags.",
        "Write the tag in lowercase, with hyphens instead of spaces.",
    ),
    Code(
        "FM023", "duplicate_title", "error", "Title used by another page",
        "Two pages with the same title cannot be told apart in navigation, search results or browser tabs.",
        "Make the title say what is specific to this page.",
    ),
    Code(
        "FM024", "repeated_item", "error", "Item listed twice",
        "A list such as tags or audience holds the same item more than once.",
        "Delete the repeated item.",
    ),
    Code(
        "FM025", "out_of_range", "error", "Number out of range",
        "A number is outside the range its key accepts (the range is in the message and the key's reference).",
        "Use a number inside the range given in the message.",
    ),
    Code(
        "FM026", "bad_format", "error", "Value does not match the expected form",
        "The value does not have the form the key needs (for example an icon that is not a path like "
        "material/pill).",
        "Write the value in the form shown in the message and in the examples of the contributor reference.",
    ),
    Code(
        "FM027", "vocabulary", "error", "Tag vocabulary unreadable",
        "data/tags.yml is missing or is not a mapping of lowercase tags to descriptions, so no tag can be checked.",
        "Restore data/tags.yml as `tag: description` lines.",
    ),
    Code(
        "FM028", "unreadable", "error", "File could not be read",
        "The page could not be opened (for example it was removed during the check or its permissions forbid "
        "reading it).",
        "Check that the file exists and that you can read it.",
    ),
    Code(
        "FM029", "not_in_nav", "warning", "Page not in the navigation",
        "The page is not listed under nav in mkdocs.yml (nor matched by not_in_nav), so readers cannot reach "
        "it from the menus; the strict build fails on it too.",
        "Add the page to nav in mkdocs.yml where it belongs (`make new-page` does this), or delete it.",
    ),
    Code(
        "FM030", "not_plain_text", "error", "Markup or invisible characters in plain text",
        "Titles, descriptions, subtitles and change summaries are shown as written in the page, the navigation, "
        "search results and link previews, where the theme prints them as HTML. A <, > or \" could become "
        "markup or end an attribute, and an invisible or text-direction character (such as U+202E) can make "
        "text read differently from what it says.",
        "Write the text without <, > and \" (use “ and ” for quotes) and retype it to drop invisible characters.",
    ),
    Code(
        "FM031", "theme_file_missing", "error", "No such template or icon",
        "template and icon name files of the theme (a template in overrides/ or Material's, an icon among "
        "Material's icons); a name that is not there would stop the build with a traceback, and a path out of "
        "the theme's folders is refused.",
        "Name a template or icon that exists, or remove the key.",
    ),
    Code(
        "FM032", "expiry_before_review", "error", "End date before the last review",
        "An expires date is the last day some of the page's facts hold. One before last_reviewed means the "
        "facts had already ended when the page was checked, yet the page still says they hold (or the entry "
        "was left behind), and the page would show as overdue for ever.",
        "Update the page's text for what holds now and remove the expires entry, or, if the end date moved "
        "(a rule was extended), write the new date.",
    ),
)

BY_CODE: dict[str, Code] = {entry.code: entry for entry in CODES}
BY_NAME: dict[str, Code] = {entry.name: entry for entry in CODES}

assert len(BY_CODE) == len(CODES) and len(BY_NAME) == len(CODES), "codes and names must be unique"

problem = register(CODES)
"""``problem(path, line, col, "FM012", message, field=..., fix=...)``: a front matter problem."""
