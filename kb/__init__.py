"""Plain-Python checks, data and Markdown extensions of the knowledge base.

Nothing here imports MkDocs: the hooks in ``hooks/`` adapt these modules to MkDocs events, and the
command line and tests call them directly. Data flows one way, from the top of this map down to the
adapters; a module imports only from the lines above it, never from a line below, and no feature
imports another: what features share lives in ``core/``.

``core/``: what every feature uses; imports no feature
    ``problems`` (one ``Problem``, the registry of problem codes: every check registers its own
    table), ``report`` (``CheckResult``; text, GitHub annotations, JSON), ``site`` (mkdocs.yml read
    as data → ``Site``; the extensions a check may convert a file with), ``pages`` (the pages MkDocs
    lists; a page's front matter block and values), ``includes`` (pymdownx.snippets' includes; the
    page as the build reads it), ``yaml_bounds`` (YAML read within size and alias limits),
    ``markdown_text`` (masking code, line ends, positions, escaping, links and URL schemes,
    abbreviations, "did you mean", quoting, dates), ``cli`` (shared arguments).

Checks of one concern, one module each: ``configuration`` (CFG), ``bounds`` (BND),
``readability`` (RDB), ``content_files`` (CNT: includes and links), ``static_files`` (STA),
``crisis`` (CRI).

Feature folders, each holding its syntax, check, rendering and Python-Markdown extension:
    ``frontmatter/`` (FM): ``load``, ``validate``, ``codes``, ``schema``, ``review`` (review dates),
    ``reference`` (contributor reference generated from the schemas and code tables) and
    ``extension`` (its markers).
    ``citations/`` (CIT, BIB): ``syntax`` (``[@key]`` with positions), ``check``, ``render``
    (footnotes, the reference list), ``structured_data`` (cited works as JSON-LD), ``extension``,
    and ``bibliography`` (data/references.yml).
    ``glossary/`` (GLO): ``terms`` (the glossary file, the glossary page), ``check``
    (abbreviations used but not defined), ``extension``.
    ``updates/``, ``trials/`` (TRI): the feature in the package, its ``extension`` beside it.
    ``accessible/``: the extension giving tables and icons accessible names.
    ``html_safety/`` (HTM): ``codes``, ``policy`` (allow-lists, advice), ``parse`` (HTML read as a
    browser reads it, with positions, by justhtml), ``csp`` (the Content-Security-Policy and the
    reviewed theme scripts), ``source`` (a Markdown file: source and rendered passes), ``built``
    (built pages); ``python -m kb.html_safety``.

``check``: the runner, every check in one table (``python -m kb.check``, ``make check``).
``codes_reference``: the extension writing every registered problem code on the page about the
checks; it imports the runner, so it sits above every check.

``tools/``: contributor tools: ``new_page`` (``make new-page``), ``nav_edit``, ``review_report``.

Test support (the static server, Chromium's launch) lives in ``tests/support/``, outside the package.
"""
