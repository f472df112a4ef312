"""Check a normalized document against the OpenAPI schema (openapi-spec-validator)."""

from __future__ import annotations

import json
import multiprocessing
import re
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from generator.errors import SpecError, SpecWarning, join_pointer
from generator.spec.loader import iter_refs

# Below this size a child process costs more than it saves.
BACKGROUND_MIN_BYTES = 256 * 1024

# Violations that only concern keys OpenAPI does not define: real vendor specs carry stray
# keys (an operation `title`, say); they cannot change the generated code, so they warn.
_UNKNOWN_KEY = re.compile(
    # Python jsonschema and jsonschema-rs word it differently.
    r"does not match any of the regexes: '\^x-'|(Unevaluated|Additional) properties are not allowed"
)


def validate_document(doc: dict[str, Any], file: Path | None = None) -> list[SpecWarning]:
    """Raise SpecError at the most specific OpenAPI violation; return warnings for tolerated ones."""
    # Imported here: it is the slowest import of a run, and large specs validate in a child.
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    version = str(doc.get("openapi", ""))
    if version.startswith("3.0"):
        validator_cls: Any = OpenAPIV30SpecValidator
    elif version.startswith("3.1"):
        validator_cls = OpenAPIV31SpecValidator
    else:
        raise SpecError(
            f"unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x", file=file, pointer="/openapi"
        )
    # Collect errors one by one: the validator checks the OpenAPI JSON schema first, then runs
    # keyword checks that can crash on a malformed document; the errors found before a crash
    # are the ones that explain it, so they must not be lost with it.
    errors: list[Any] = []
    crash: SpecWarning | None = None
    try:
        for error in validator_cls(without_schema_cycles(doc)).iter_errors():
            errors.append(error)
    except RecursionError:
        # openapi-spec-validator follows some circular schemas forever; our own loader and
        # model builder handle cycles, so the document is still usable.
        crash = SpecWarning("validator", "openapi-spec-validator recursed without end on circular schemas; "
                            "document not schema-checked", "", file)  # fmt: skip
    except Exception as exc:
        crash = SpecWarning("validator", f"openapi-spec-validator failed ({type(exc).__name__}); "
                            "document not schema-checked", "", file)  # fmt: skip
    warnings = [crash] if crash is not None else []
    fatal = []
    for error in errors:
        message = getattr(error, "message", str(error))
        pointer = _pointer(error, doc)
        if _UNKNOWN_KEY.search(message):
            warnings.append(SpecWarning("unknown-key", _short(message), pointer, file))
        elif re.search(r"/(default|example)(/|$)", pointer):
            # A default or example that contradicts its own schema: documentation, not shape.
            warnings.append(SpecWarning("bad-example", _short(message), pointer, file))
        else:
            fatal.append(error)
    if fatal:
        error = max(fatal, key=lambda e: len(getattr(e, "absolute_path", ())))
        more = f" (and {len(fatal) - 1} more)" if len(fatal) > 1 else ""
        raise SpecError(f"invalid OpenAPI: {_short(error.message)}{more}", file=file, pointer=_pointer(error, doc))
    return warnings


def _short(message: str) -> str:
    # The jsonschema-rs backend appends the failing schema and instance; the first line says it.
    message = message.strip().split("\n", 1)[0]
    return message if len(message) <= 300 else message[:300] + "..."


def _pointer(error: Any, doc: dict[str, Any]) -> str:
    path = list(getattr(error, "absolute_path", []) or [])
    if path:
        return join_pointer(*path)
    # Checks of `default`/`example` values report no path: find the offending value.
    instance = getattr(error, "instance", None)
    for pointer, value in _values_under(doc, ("default", "example")):
        if value == instance:
            return pointer
    return ""


def _values_under(node: Any, keys: tuple[str, ...], pointer: str = "") -> Iterator[tuple[str, Any]]:
    stack = [(node, pointer)]
    while stack:
        current, ptr = stack.pop()
        if isinstance(current, dict):
            for k, v in current.items():
                child = ptr + join_pointer(k)
                if k in keys:
                    yield child, v
                stack.append((v, child))
        elif isinstance(current, list):
            stack.extend((v, f"{ptr}/{i}") for i, v in enumerate(current))


class PendingValidation:
    """A validation running in a forked child while the caller renders; ``result()`` joins it."""

    def __init__(self, doc: dict[str, Any], file: Path | None, size: int) -> None:
        self._outcome: tuple[str, Any] | None = None
        self._process: Any = None
        self._conn: Connection | None = None
        if size >= BACKGROUND_MIN_BYTES and "fork" in multiprocessing.get_all_start_methods():
            # fork, not spawn: the child shares the parsed document without pickling it.
            receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
            process = multiprocessing.get_context("fork").Process(
                target=_validate_in_child, args=(doc, file, sender), daemon=True
            )
            process.start()
            sender.close()
            self._process, self._conn = process, receiver
        else:
            self._outcome = _outcome_of(doc, file)

    def result(self) -> list[SpecWarning]:
        """Warnings of a valid document; raises the SpecError of an invalid one."""
        if self._outcome is None:
            assert self._conn is not None
            try:
                self._outcome = self._conn.recv()
            except EOFError:
                self._outcome = ("warnings", [SpecWarning("validator", "validation process died; not checked")])
            finally:
                self._conn.close()
                self._process.join()
        kind, value = self._outcome
        if kind == "error":
            message, file, pointer = value
            raise SpecError(message, file=file, pointer=pointer)
        return list(value)


def _outcome_of(doc: dict[str, Any], file: Path | None) -> tuple[str, Any]:
    try:
        return ("warnings", validate_document(doc, file))
    except SpecError as exc:
        # SpecError has keyword-only fields; send plain values across the pipe.
        return ("error", (exc.message, exc.file, exc.pointer))


def _validate_in_child(doc: dict[str, Any], file: Path | None, conn: Connection) -> None:
    try:
        conn.send(_outcome_of(doc, file))
    finally:
        conn.close()


def without_schema_cycles(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``doc`` whose $refs closing a cycle between component schemas are ``{}``.

    openapi-spec-validator follows recursive schemas without end (its issue #400), spending
    seconds before a RecursionError. Cutting only the cycle-closing edges keeps every other
    check. Documents without cycles are returned as they are.
    """
    prefix = "#/components/schemas/"
    schemas = (doc.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return doc
    edges: dict[str, set[str]] = {name: set() for name in schemas}
    for name, schema in schemas.items():
        for _ptr, _obj, ref in iter_refs(schema):
            target = ref[len(prefix) :] if ref.startswith(prefix) else ""
            if target in edges:
                edges[name].add(target)
    component = strongly_connected(edges)
    cyclic = {n for n, targets in edges.items() if any(component[t] == component[n] for t in targets)}
    if not cyclic:
        return doc
    copy: dict[str, Any] = json.loads(json.dumps(doc))
    for name in cyclic:
        for _ptr, obj, ref in list(iter_refs(copy["components"]["schemas"][name])):
            target = ref[len(prefix) :] if ref.startswith(prefix) else ""
            if target in component and component[target] == component[name]:
                del obj["$ref"]
    return copy


def strongly_connected(edges: dict[str, set[str]]) -> dict[str, int]:
    """Tarjan's strongly connected components, iteratively: node -> component number."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in edges:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(edges[root])))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
    return component
