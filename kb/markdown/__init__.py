"""Python-Markdown extensions for the site's own syntax, usable by any generator that runs them.

- ``kb.markdown.citations``: ``[@key]`` citations → numbered notes, each page's reference list, the
  site-wide bibliography and the cited works as structured data.
- ``kb.markdown.glossary``: the glossary file → a tooltip for every term on every page (Python-Markdown's
  ``abbr`` with its ``glossary`` option), terms reachable by keyboard, and the glossary page.
- ``kb.markdown.schema_reference``: contributor reference text generated from the schemas.

Options come from ``mkdocs.yml`` (``markdown_extensions``); relative paths are read from the working
folder, as ``pymdownx.snippets`` reads them, so builds run from the repository root. None of them
raises on bad content: the checks (``make check`` and the build's check hook) report it.
"""
