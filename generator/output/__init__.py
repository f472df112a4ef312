"""Output: put rendered files on disk, or compare them with what is there.

- ``writer.py``: replace ``generated/`` atomically, write only changed files, compare trees.
- ``manifest.py``: content hashes that let ``check`` skip regeneration.

May import ``generator.errors``, and ``generator.emit.templates`` to fingerprint the templates.
"""
