"""Citations: ``[@key]`` in Markdown → positions → check against the bibliography → footnotes.

``syntax`` finds the citations of a text; ``bibliography`` reads data/references.yml (the module
other features use for sources, such as the trial results); ``check`` reports unknown keys,
malformed citations and unused entries (CIT, with the bibliography's BIB); ``render`` writes
footnote references and the site-wide reference list, ``structured_data`` the cited works as
JSON-LD; ``extension`` is the Python-Markdown extension that puts them in pages.

The names below are the feature's interface for the runner, the extension and the tests.
"""
from kb.citations.check import CODES, check_pages, check_site, load_bibliography, scan
from kb.citations.render import BIBLIOGRAPHY_MARKER, REFERENCES_HEADING, as_footnotes, bibliography_markdown, cited_keys
from kb.citations.syntax import Citation, find_citations

__all__ = ["BIBLIOGRAPHY_MARKER", "CODES", "REFERENCES_HEADING", "Citation", "as_footnotes", "bibliography_markdown",
           "check_pages", "check_site", "cited_keys", "find_citations", "load_bibliography", "scan"]
