"""The glossary: ``terms`` reads includes/abbreviations.md (GLO001-GLO003) and writes the glossary
page; ``check`` finds the abbreviations pages use and reports those the glossary lacks (GLO004);
``extension`` is the Python-Markdown extension (tooltips, focusable terms, the glossary page).

The names below are the feature's interface for the runner, the extension, the crisis check and the
tests.
"""
from kb.glossary.check import NOT_ABBREVIATIONS, check_site, find_abbreviations, prose, undefined
from kb.glossary.terms import CODES, DEFAULT_PATH, GLOSSARY_MARKER, Glossary, Term, load, parse, render_glossary

__all__ = ["CODES", "DEFAULT_PATH", "GLOSSARY_MARKER", "Glossary", "NOT_ABBREVIATIONS", "Term", "check_site",
           "find_abbreviations", "load", "parse", "prose", "render_glossary", "undefined"]
