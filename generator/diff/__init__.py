"""The API diff: compare two versions of a vendor's API and say what each change does to the client.

``inputs.py`` loads the two sides (spec files, vendor names, a vendor at a git revision, or two
globs in composed mode) without refusing what validation would; ``options.py`` cuts the documents
down as oasdiff's options do; ``compare.py`` walks both sides and hands each pair to the rule
families in ``checks/`` (one module per family, each declaring its ids; ``implemented.py`` is
their union, ``rules.py`` binds id → level); ``rollup.py``, ``render.py`` and ``render_html.py``
report; ``locate.py`` finds line numbers; ``ignore.py`` reads accepted findings; ``gc_pause.py``
keeps the cyclic garbage collector off the large acyclic trees while sides load and compare.

May import ``generator.errors``, ``generator.naming``, ``generator.spec`` and ``generator.ir``;
never the emitters, the output writer, the pipeline, the importer or the CLI.
"""
