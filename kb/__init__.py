"""Plain-Python checks and data for the knowledge base.

Nothing here imports MkDocs: the hooks in ``hooks/`` adapt these modules to MkDocs
events, and the command line and tests call them directly.
"""
