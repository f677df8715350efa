"""Front matter contract: load (raw source → YAML with key positions), validate
(JSON Schema in schema/frontmatter.schema.json plus cross-file checks), report
(text, GitHub annotations, JSON). ``codes`` holds the one table of problem codes.

Run ``python -m kb.check --only "front matter"`` to check every page.
"""
