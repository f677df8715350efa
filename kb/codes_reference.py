"""The reference of every problem code, generated from the code tables the checks register.

Python-Markdown extension (``- kb.codes_reference`` in ``mkdocs.yml``): the line
:data:`MARKER` becomes one section per check, each code with its severity, title, why it matters
and how to fix it, so the page about the checks cannot drift from what they report. It imports
the runner, :mod:`kb.check`, so that every check's table is registered: it sits above every check.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

import kb.check  # noqa: F401 (every check, so that every code table is registered)
from kb.core import problems
from kb.core.markdown_text import escape_markdown
from kb.core.problems import Code

MARKER = "<!-- problem-codes -->"

CHECK_NAMES = {
    "CFG": "Configuration", "BND": "Size and nesting", "FM": "Front matter", "BIB": "Bibliography",
    "CIT": "Citations", "GLO": "Glossary", "RDB": "Reading level", "HTM": "Raw HTML", "CNT": "Includes and links",
    "STA": "Other files of the docs folder", "CRI": "Crisis numbers", "TRI": "Trial results",
}
"""Code prefix → the heading its codes get in the contributor reference, in the order the checks run."""


def render_all_codes(groups: Mapping[str, Sequence[Code]]) -> str:
    """Every registered code but the front matter ones (which have their own reference page), one
    section per check: code, severity, title, why it matters and how to fix it."""
    out = ["Front matter codes (`FM`) are explained one by one in the "
           "[front matter reference](front-matter.md#problem-codes)."]
    order = [prefix for prefix in CHECK_NAMES if prefix in groups] + sorted(set(groups) - set(CHECK_NAMES))
    for prefix in order:
        if prefix == "FM":
            continue
        out += ["", f"### {CHECK_NAMES.get(prefix, prefix)} (`{prefix}`)", ""]
        for c in groups[prefix]:
            fix = f"*Fix:* {escape_markdown(c.fix, code_spans=True)}" if c.fix else ""
            told = " ".join(filter(None, [escape_markdown(c.explanation, code_spans=True), fix]))
            out.append(f"- **{c.code}** ({c.severity}) {escape_markdown(c.title)}{'. ' + told if told else ''}")
    return "\n".join(out) + "\n"


class CodesReferencePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            out += render_all_codes(problems.prefixes()).split("\n") if line.strip() == MARKER else [line]
        return out


class CodesReferenceExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # After snippets (32), before raw HTML is set aside (20): the marker is an HTML comment.
        md.preprocessors.register(CodesReferencePreprocessor(md), "kb_codes_reference", 31)


def makeExtension(**kwargs) -> CodesReferenceExtension:  # noqa: N802 (Python-Markdown's name)
    return CodesReferenceExtension(**kwargs)
