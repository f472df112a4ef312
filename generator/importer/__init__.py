"""Vendor additional endpoints: copy operations and the components they need from a vendor's document.

``source`` fetches and extracts the OpenAPI document (file, URL, or docs page with an embedded
block), ``select`` picks operations and their transitive components, ``merge`` folds them into
the vendor's spec, ``run`` ties it together with validation, atomic writes and regeneration.
"""

from generator.importer.errors import ImportConflict, ImportError_

# Seconds to wait for a URL source; here, in the light package module, so the CLI can show it.
DEFAULT_TIMEOUT = 20.0

__all__ = ["DEFAULT_TIMEOUT", "ImportConflict", "ImportError_"]
