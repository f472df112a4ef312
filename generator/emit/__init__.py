"""Emitters: turn the intermediate model into Python source for one vendor package.

- ``client.py``: the client modules, rendered from ``templates/``.
- ``models.py``: the Pydantic v2 models.
- ``pysource.py``: safe literals and docstrings for spec text inside generated code.
- ``formatting.py``: one ruff pass over everything generated.
- ``templates.py``: where the Jinja templates are, in a checkout or an installed wheel.

May import ``generator.ir``, ``generator.spec.config``, ``generator.errors`` and
``generator.naming``; never the output writer, the diff, the importer or the CLI.
"""
