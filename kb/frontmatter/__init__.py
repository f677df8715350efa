"""Front matter contract: load (raw source → YAML with key positions), validate
(JSON Schema in schema/frontmatter.schema.json plus cross-file checks), review dates
(``review``), the contributor reference generated from the schema (``reference``) and its
Markdown extension (``extension``). ``codes`` holds the table of FM problem codes.

Run ``python -m kb.check --only "front matter"`` to check every page.
"""
