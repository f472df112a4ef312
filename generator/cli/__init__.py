"""The command line, ``python -m generator COMMAND``: the only layer that reads argv or prints.

- ``main.py``: the parser and exit-code handling; the only importer of ``cmd_*`` modules.
- ``cmd_generate.py``, ``cmd_import.py``, ``cmd_diff.py``: one command each (``feedback send`` lives in
  ``feedback/__main__.py``, above the generator).
- ``options.py``: options shared by commands; ``progress.py``: the terminal progress line.

May import anything in ``generator``; nothing in ``generator`` imports it.
"""
