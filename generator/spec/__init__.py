"""The spec stage: read a vendor's OpenAPI document and config, and make it regular.

- ``loader.py``: parse YAML/JSON with line tracking, bundle file ``$ref``s, located errors.
- ``normalize.py``: named passes for real-world quirks, each warning what it changed.
- ``validate.py``: check the normalized document against the OpenAPI schema.
- ``config.py``: the vendor config (``specs/<vendor>/vendor.yaml``).
- ``vendors.py``: which vendors ``specs/`` holds, and the unknown-vendor error.

May import ``generator.errors`` and ``generator.naming`` only: nothing downstream (IR,
emitters, output, diff, importer, CLI).
"""
