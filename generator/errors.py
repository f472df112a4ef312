"""Located errors and warnings for everything that reads a spec."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class GeneratorError(Exception):
    """An error the user can act on; the CLI prints it without a traceback and exits 2."""


class SpecError(GeneratorError):
    """A problem in an input document, located by file, JSON pointer and line where known."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        pointer: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = Path(file) if file is not None else None
        self.pointer = pointer
        self.line = line

    def __str__(self) -> str:
        return format_location(self.file, self.pointer, self.line) + self.message


@dataclass(frozen=True, slots=True)
class SpecWarning:
    """Something the loader changed or tolerated, with the pass that did it."""

    code: str
    message: str
    pointer: str = ""
    file: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        return f"warning[{self.code}]: " + format_location(self.file, self.pointer, self.line) + self.message


def format_location(file: Path | None, pointer: str | None, line: int | None) -> str:
    """Render ``file:line: at /json/pointer: `` (parts omitted when unknown)."""
    parts = []
    if file is not None:
        parts.append(f"{file}:{line}" if line is not None else str(file))
    if pointer:
        parts.append(f"at {pointer}")
    return ": ".join(parts) + (": " if parts else "")


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(*tokens: str | int) -> str:
    """Build a JSON pointer from raw tokens."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def split_pointer(pointer: str) -> list[str]:
    """Split a JSON pointer into unescaped tokens."""
    if pointer in ("", "#"):
        return []
    pointer = pointer.removeprefix("#")
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [unescape_pointer_token(t) for t in pointer[1:].split("/")]


def unescape_pointer_token(token: str) -> str:
    """Unescape one JSON pointer token (RFC 6901): ``~1`` is ``/``, then ``~0`` is ``~``."""
    return token.replace("~1", "/").replace("~0", "~")
