"""The API diff: compare two versions of a vendor's API through the intermediate model.

``inputs.py`` loads the two sides (spec files, vendor names, or a vendor at a git revision);
the comparison reports findings whose ids and levels the rule modules declare; ``render.py``
prints them as text or JSON.

May import ``generator.errors``, ``generator.naming``, ``generator.spec`` and ``generator.ir``;
never the emitters, the output writer, the pipeline, the importer or the CLI.
"""
