"""The front matter fixtures and what a contributor must see for each bad one, shared by the command
line and build tests."""
from __future__ import annotations

from tests.support.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "frontmatter"
TODAY = "2026-11-27"  # the fixtures' reference day; review dates are checked as of it

# file → (code, line, field, a phrase the message or fix must contain)
CASES: dict[str, tuple[str, int, str, str]] = {
    "colon-in-value.md": ("FM006", 2, "", "double quotes"),
    "tab-indent.md": ("FM006", 7, "", "spaces, not tabs"),
    "unclosed-list.md": ("FM006", 5, "", "starts on line 4"),
    "unclosed-quote.md": ("FM006", 6, "", "close the quote"),
    "duplicate-key.md": ("FM007", 6, "title", "first on line 2"),
    "list-not-mapping.md": ("FM008", 2, "", "a list"),
    "scalar-not-mapping.md": ("FM008", 2, "", "single value"),
    "empty.md": ("FM005", 1, "", "holds no keys"),
    "empty-comment-only.md": ("FM005", 1, "", "holds no keys"),
    "no-closing-fence.md": ("FM004", 1, "", "never closed"),
    "closing-fence-at-eof.md": ("FM004", 3, "", "line break"),
    "no-front-matter.md": ("FM002", 1, "", "no front matter"),
    "multimarkdown.md": ("FM003", 1, "", "MultiMarkdown"),
    "utf16.md": ("FM001", 1, "", "UTF-16"),
    "utf16-no-bom.md": ("FM001", 1, "", "UTF-16"),
    "invalid-utf8.md": ("FM001", 6, "", "0xe9"),
    "yes-as-title.md": ("FM018", 2, "title", 'got a boolean (YAML reads yes as true'),
    "no-as-subtitle.md": ("FM018", 6, "subtitle", 'put the text in quotes: subtitle: "no"'),
    "version-number.md": ("FM018", 6, "subtitle", 'YAML reads 1.10 as a number'),
    "impossible-date.md": ("FM013", 5, "last_reviewed", "2026-02-30"),
    "ambiguous-date.md": ("FM012", 5, "last_reviewed", "write 2024-01-05 for 5 January 2024 or 2024-05-01"),
    "slash-date.md": ("FM012", 5, "last_reviewed", 'got "2024/01/05". Fix: write 2024-01-05'),
    "unpadded-date.md": ("FM012", 5, "last_reviewed", "write 2024-01-05"),
    "integer-date.md": ("FM012", 5, "last_reviewed", "the number 20240105. Fix: write 2024-01-05"),
    "quoted-date.md": ("FM012", 5, "last_reviewed", "remove the quotes"),
    "future-date.md": ("FM014", 5, "last_reviewed", "in the future"),
    "overdue.md": ("FM015", 5, "last_reviewed", "due for review on 2025-01-05"),
    "python-tag.md": ("FM009", 6, "subtitle", "!!python/object/apply:os.system"),
    "custom-tag.md": ("FM009", 6, "subtitle", "!include"),
    "alias-bomb.md": ("FM010", 7, "", "aliases"),
    "huge.md": ("FM010", 1, "", "the limit is 16,384"),
    "deep-nesting.md": ("FM010", 6, "", "levels deep"),
    "non-string-key.md": ("FM011", 6, "2024", "read as a number"),
    "zero-width-key.md": ("FM011", 4, "tags", "U+200B"),
    "nbsp-key.md": ("FM011", 5, "last_reviewed", "U+00A0"),
    "unknown-key.md": ("FM016", 6, "last_review", "did you mean last_reviewed?"),
    "missing-key.md": ("FM017", 7, "description", "add a line"),
    "unknown-tag.md": ("FM021", 4, "tags", "did you mean ketamine?"),
    "uppercase-tag.md": ("FM022", 4, "tags", "write ptsd"),
    "title-too-long.md": ("FM019", 2, "title", "shorten it by 9"),
    "bad-audience.md": ("FM020", 6, "audience", '"doctors" is not allowed'),
    "string-not-list.md": ("FM018", 4, "tags", "write a list: tags: [ptsd]"),
    "markup-in-values.md": ("FM030", 2, "title", '"<" is not allowed in plain text'),
    # What a hostile or careless pull request tried (each passed the check, or crashed the build, before):
    "rtl-title.md": ("FM030", 2, "title", "U+202E right-to-left override"),
    "nan-boost.md": ("FM018", 9, "search.boost", "not-a-number"),
    "template-outside.md": ("FM020", 8, "template", "is not allowed; the allowed values are "),
    "unknown-icon.md": ("FM031", 8, "icon", "is not a file of the theme's icons"),
    "undeclared-status.md": ("FM020", 8, "status", "not a status the site declares"),
    "tab-after-colon.md": ("FM006", 8, "", "a tab follows the colon"),
    "nul-after-4k.md": ("FM001", 13, "", "NUL bytes"),
    # The record of changes readers see is checked like every other key.
    "changes-bad-kind.md": ("FM020", 10, "changes.kind", '"fix" is not allowed'),
    "changes-future-date.md": ("FM014", 9, "changes.date", "in the future"),
    # End dates of a page's facts (expires): a date and a reason for readers, not before the last review.
    "expires-before-review.md": ("FM032", 9, "expires.date", "2026-10-31 is before last_reviewed (2026-11-27)"),
    "expires-quoted-date.md": ("FM012", 9, "expires.date", "remove the quotes: date: 2026-12-31"),
    "expires-impossible-date.md": ("FM013", 9, "expires.date", '"2026-12-32" is not a real date'),
    "expires-no-reason.md": ("FM017", 9, "expires.reason", 'Fix: add "reason: '),
    "expires-short-reason.md": ("FM019", 10, "expires.reason", "the limit is 10-160 characters"),
    "expires-reason-markup.md": ("FM030", 10, "expires.reason", '"<" is not allowed in plain text'),
    "expires-not-a-list.md": ("FM018", 8, "expires", "write a list, for example expires: [{date: "),
    "expires-passed.md": ("FM015", 5, "last_reviewed", "due for review on 2026-11-20 (the end date of some of its "
                                                       "facts in expires: The temporary rule for online"),
}
NOTICES = {"overdue.md", "expires-passed.md"}
"""Cases that are reported but fail nothing: a page past its review date."""
