"""Turn hostile spec text into safe, deterministic Python identifiers."""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Container

# Names the generated package defines or imports itself; a vendor schema must never take them.
RESERVED_CLASS_NAMES = frozenset(
    {
        # runtime and client names
        "Client", "AsyncClient", "Response", "APIResponse", "Error", "APIError", "APIStatusError",
        "Operation", "ResponseSpec", "NotGiven", "NOT_GIVEN", "Timeout", "SyncAPIClient",
        "AsyncAPIClient", "Resource", "AsyncResource",
        # names models.py imports from pydantic, typing and the stdlib
        "BaseModel", "RootModel", "Field", "ConfigDict", "Annotated", "Any", "Literal", "Optional",
        "Union", "Enum", "StrEnum", "IntEnum", "AnyUrl", "AwareDatetime", "UUID", "Decimal",
        "date", "datetime", "time", "timedelta", "Dict", "List", "Set", "Tuple", "Type",
    }
)  # fmt: skip

# Digits stay with the word before them: "ConversationsV1Role" -> conversations, v1, role.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")


def ascii_words(text: str) -> list[str]:
    """Split arbitrary text into ASCII words (camelCase, snake_case, kebab and spaces)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded)


def class_name(text: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A PascalCase class name for ``text`` that is not reserved and not in ``taken``."""
    words = ascii_words(text)
    base = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    if base[0].isdigit():
        base = "Model" + base
    if base in RESERVED_CLASS_NAMES or keyword.iskeyword(base) or hasattr(builtins, base):
        base += "Model"
    return unique(base, taken)


def snake_name(text: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A snake_case identifier for ``text``: not a keyword, not in ``taken``."""
    words = ascii_words(text)
    base = "_".join(w.lower() for w in words) or "value"
    if base[0].isdigit():
        base = "n" + base
    if keyword.iskeyword(base) or keyword.issoftkeyword(base):
        base += "_"
    return unique(base, taken)


def unique(base: str, taken: Container[str]) -> str:
    """``base``, or ``base2``, ``base3``... whichever is first not in ``taken``."""
    if base not in taken:
        return base
    counter = 2
    while f"{base}{counter}" in taken:
        counter += 1
    return f"{base}{counter}"
