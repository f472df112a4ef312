"""The mock server: serve a vendor's operations from its spec, offline, with the faults real servers have.

- ``routes.py``: the spec's operations as routes (IR operations + normalized JSON Schemas).
- ``schemas.py``: JSON Schema views of the document and cached validators.
- ``synth.py``: deterministic payloads valid against a schema.
- ``checks.py``: request (and, proxying, response) checks with located problems.
- ``faults.py``: ``--fault`` / ``Mock-Fault`` specs and the ``Prefer`` header.
- ``app.py``: the aiohttp application (CORS, journal, proxy, SSE, binary bodies).
- ``server.py``: ``MockServer``, ``mock_server()`` and the foreground runner for the CLI.
- ``pytest_plugin.py``: the ``mock_api`` fixture.

May import ``generator.errors``, ``generator.spec`` and ``generator.ir`` (it reads the IR via
``generator.ir.load`` and the normalized spec document); never the emitters, the output
writer, ``generated/`` or ``feedback/``.
"""

from generator.mock.app import RecordedRequest, Reply
from generator.mock.server import MockServer, mock_server

__all__ = ["MockServer", "RecordedRequest", "Reply", "mock_server"]
