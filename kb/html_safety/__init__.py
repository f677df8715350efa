"""HTML safety (kb/html_safety/built.py holds the whole check until it is split by concern)."""
from kb.html_safety.built import *  # noqa: F403
from kb.html_safety.built import _inline_scripts, _parse_document, _shown, _TAB_OR_NEWLINE, main  # noqa: F401
