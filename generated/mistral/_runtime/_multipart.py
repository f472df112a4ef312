"""Upload bodies: ``multipart/form-data`` parts and raw binary (``application/octet-stream``) content.

A file is given as a path (``pathlib.Path``), bytes, a binary file object, or a tuple
``(filename, content)`` / ``(filename, content, content_type)``. A plain ``str`` is a text
value, never a path, so a field's text cannot be mistaken for a file to read.
"""

from __future__ import annotations

import json
import mimetypes
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, TypeAlias

from ._encoding import to_param_string
from ._exceptions import RequestValidationError
from ._types import NotGiven

__all__ = ["FileContent", "FileInput", "MultipartParts", "build_multipart", "read_content"]

FileContent: TypeAlias = bytes | IO[bytes] | os.PathLike[str]
FileInput: TypeAlias = FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
# httpx's `files=` shape: (part name, (filename, content, content type)).
MultipartParts: TypeAlias = list[tuple[str, tuple[str | None, bytes | IO[bytes], str | None]]]


def _is_file(value: object) -> bool:
    return isinstance(value, bytes | bytearray | memoryview | os.PathLike | tuple) or callable(
        getattr(value, "read", None)
    )


def _guess(filename: str | None) -> str:
    return (mimetypes.guess_type(filename)[0] if filename else None) or "application/octet-stream"


def _file_part(
    name: str, value: Any, part_type: str | None, opened: list[IO[bytes]]
) -> tuple[str | None, bytes | IO[bytes], str | None]:
    filename: str | None = None
    if isinstance(value, tuple):
        if len(value) != 2:
            raise RequestValidationError(
                f"File part {name!r}: a tuple must be (filename, content) or (filename, content, content_type)."
            )
        filename, value = value
    content: bytes | IO[bytes]
    if isinstance(value, os.PathLike):
        path = Path(value)
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise RequestValidationError(f"File part {name!r}: cannot open {path.name!r} ({exc.strerror}).") from None
        opened.append(handle)
        content = handle
        filename = filename if filename is not None else path.name
    elif isinstance(value, bytes | bytearray | memoryview):
        content = bytes(value)
    elif callable(getattr(value, "read", None)):
        content = value
        if filename is None:
            raw_name = getattr(value, "name", None)
            filename = Path(raw_name).name if isinstance(raw_name, str) else None
    else:
        raise RequestValidationError(
            f"File part {name!r}: expected a path, bytes or a binary file object, got {type(value).__name__}."
        )
    if filename is None:
        filename = name  # many servers refuse a file part without a filename
    return filename, content, part_type or _guess(filename)


def build_multipart(
    values: Mapping[str, object], part_types: Mapping[str, str] | None = None
) -> tuple[MultipartParts, list[IO[bytes]]]:
    """The parts for ``values`` (NOT_GIVEN and None left out) and the files opened for them (to close).

    Files become file parts; mappings, models and lists of them become JSON parts; other
    values text parts; a list of files or scalars repeats the part. ``part_types`` is the
    spec's ``encoding.contentType`` per part.
    """
    types = part_types or {}
    parts: MultipartParts = []
    opened: list[IO[bytes]] = []
    try:
        for name, value in values.items():
            if isinstance(value, NotGiven) or value is None:
                continue
            part_type = types.get(name)
            items = value if isinstance(value, list) and not _is_json_part(value) else [value]
            for item in items:
                parts.append((name, _part(name, item, part_type, opened)))
    except BaseException:
        for handle in opened:
            handle.close()
        raise
    return parts, opened


def _is_json_part(value: list[Any]) -> bool:
    return any(isinstance(v, Mapping) or hasattr(v, "model_dump") for v in value)


def _part(
    name: str, value: Any, part_type: str | None, opened: list[IO[bytes]]
) -> tuple[str | None, bytes | IO[bytes], str | None]:
    if isinstance(value, tuple) and len(value) == 3:
        filename, content, content_type = value
        part = _file_part(name, (filename, content), part_type, opened)
        return part[0], part[1], content_type or part[2]
    if _is_file(value):
        return _file_part(name, value, part_type, opened)
    if isinstance(value, Mapping | list) or hasattr(value, "model_dump"):
        data = _jsonable(value)
        try:
            encoded = json.dumps(data, separators=(",", ":"), allow_nan=False).encode()
        except (TypeError, ValueError) as exc:
            raise RequestValidationError(f"Part {name!r} is not JSON-serialisable: {exc}") from None
        return None, encoded, part_type or "application/json"
    return None, to_param_string(value).encode(), part_type


def _jsonable(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def read_content(value: object, what: str = "request body") -> bytes:
    """Raw body bytes from bytes, text (UTF-8), a binary file object or a path."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, os.PathLike):
        try:
            return Path(value).read_bytes()
        except OSError as exc:
            raise RequestValidationError(f"The {what}: cannot read {Path(value).name!r} ({exc.strerror}).") from None
    read = getattr(value, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, str):
            return data.encode()
        if isinstance(data, bytes):
            return data
    raise RequestValidationError(f"The {what} must be bytes, str, a binary file or a path, not {type(value).__name__}.")
