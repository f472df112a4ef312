"""Turn hostile spec text into safe, deterministic Python identifiers."""

from __future__ import annotations

import builtins
import functools
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
        "BaseModel", "RootModel", "Field", "ConfigDict", "BeforeValidator", "Annotated", "Any", "Literal", "Optional",
        "Union", "Enum", "StrEnum", "IntEnum", "AnyUrl", "AwareDatetime", "UUID", "Decimal",
        "date", "datetime", "time", "timedelta", "Dict", "List", "Set", "Tuple", "Type",
    }
)  # fmt: skip

# Module-level names of the client module (templates/client.py.jinja) that method bodies use:
# an argument of the same name would shadow them (a `models` parameter broke `models.X`).
CLIENT_MODULE_NAMES = frozenset(
    {
        "annotations", "os", "Mapping", "Any", "Literal", "cast", "overload", "httpx", "models",
        "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "NOT_GIVEN", "APIResponse", "AsyncAPIClient", "NotGiven",
        "Operation", "ResponseSpec", "SyncAPIClient", "Timeout", "async_to_raw_response_wrapper", "basic_auth",
        "build_body", "fill_server_url", "finish", "resolve", "to_raw_response_wrapper", "response", "PACKAGE",
        "__version__", "jsonable", "user_agent", "AsyncStream", "AsyncStreamedResponse", "DEFAULT_MAX_RESPONSE_BYTES",
        "FileContent", "FileInput", "LazyModule", "ParamStyle", "Stream", "StreamedResponse", "TYPE_CHECKING",
        "__all__", "async_to_streamed_response_wrapper", "dt", "to_streamed_response_wrapper",
    }
)  # fmt: skip
# Attributes the client classes already have: an operation or resource of the same name
# would replace them (a `timeout` tag replaced the client's timeout, a `request` operation
# the method every operation calls).
CLIENT_ATTRIBUTES = frozenset(
    {
        "base_url", "timeout", "max_retries", "max_response_bytes", "default_headers", "user_agent", "request", "close",
        "aclose", "strict_response_validation", "is_async", "with_raw_response", "with_streaming_response",
    }
)  # fmt: skip
RESOURCE_ATTRIBUTES = frozenset({"with_raw_response", "with_streaming_response"})

# Digits stay with the word before them: "ConversationsV1Role" -> conversations, v1, role.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")


def ascii_words(text: str) -> list[str]:
    """Split arbitrary text into ASCII words (camelCase, snake_case, kebab and spaces)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded)


def class_name(text: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A PascalCase class name for ``text`` that is not reserved and not in ``taken``."""
    return unique(_class_base(text), taken)


def snake_name(text: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A snake_case identifier for ``text``: not a keyword, not in ``taken``."""
    return unique(_snake_base(text), taken)


# Names recur (a property name in many models, an operation's words in several places), and
# splitting them into words is the slow part: the bases are remembered.
@functools.lru_cache(maxsize=65536)
def _class_base(text: str) -> str:
    words = ascii_words(text)
    base = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    if base[0].isdigit():
        base = "Model" + base
    if base in RESERVED_CLASS_NAMES or keyword.iskeyword(base) or hasattr(builtins, base):
        base += "Model"
    return base


@functools.lru_cache(maxsize=65536)
def _snake_base(text: str) -> str:
    words = ascii_words(text)
    base = "_".join(w.lower() for w in words) or "value"
    if base[0].isdigit():
        base = "n" + base
    if keyword.iskeyword(base) or keyword.issoftkeyword(base):
        base += "_"
    return base


def unique(base: str, taken: Container[str]) -> str:
    """``base``, or ``base2``, ``base3``... whichever is first not in ``taken``."""
    if base not in taken:
        return base
    counter = 2
    while f"{base}{counter}" in taken:
        counter += 1
    return f"{base}{counter}"


# Attributes of pydantic's BaseModel and RootModel (pydantic is pinned; tests/test_model_names.py
# keeps this equal to dir()): a field of the same name would replace a method every model needs.
MODEL_ATTRIBUTES = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "model_computed_fields", "model_config", "model_construct",
        "model_copy", "model_dump", "model_dump_json", "model_extra", "model_fields", "model_fields_set",
        "model_json_schema", "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
        "model_validate_json", "model_validate_strings", "parse_file", "parse_obj", "parse_raw", "schema",
        "schema_json", "update_forward_refs", "validate",
    }
)  # fmt: skip
# Builtins that models.py uses in annotations: a field of that name would shadow the type for
# the fields after it (pydantic resolves annotations in the class namespace).
MODEL_MODULE_BUILTINS = frozenset({"str", "int", "float", "bool", "list", "dict", "bytes"})
# pydantic's protected namespaces: a model with a field starting so turns the check off (the field
# names are already clear of every real attribute).
MODEL_PROTECTED_PREFIXES = ("model_validate", "model_dump")
# Public attributes of str and int (and Enum's own): an enum member of that name would shadow the
# method (`Align.center` hid `str.center`; mypy --strict rejects it).
ENUM_ATTRIBUTES = frozenset(
    {
        "as_integer_ratio", "bit_count", "bit_length", "capitalize", "casefold", "center", "conjugate", "count",
        "denominator", "encode", "endswith", "expandtabs", "find", "format", "format_map", "from_bytes", "imag",
        "index", "is_integer", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower",
        "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "maketrans",
        "numerator", "partition", "real", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust",
        "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title",
        "to_bytes", "translate", "upper", "zfill", "name", "value", "mro",
    }
)  # fmt: skip


def field_name(
    text: str, taken: set[str] | frozenset[str] = frozenset(), shadowed: Container[str] = MODEL_MODULE_BUILTINS
) -> str:
    """A model field name for wire name ``text``: snake_case, never a model attribute nor a name in ``shadowed``.

    ``shadowed`` is the builtins the class's own annotations use (all of them when unknown): a field
    ``bytes`` is fine beside ``int`` fields, but would hide the type from a ``bytes`` field after it.
    """
    base = snake_name(text)
    if base in MODEL_ATTRIBUTES or base in shadowed:
        base += "_"
    return unique(base, taken)


def enum_member_names(values: tuple[object, ...], varnames: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Python names of enum members, one per value, unique, deterministic, never a str/int attribute."""
    taken: set[str] = set()
    names = []
    for i, value in enumerate(values):
        if varnames is not None:
            text = varnames[i]
        elif isinstance(value, bool):
            text = str(value).lower()
        elif isinstance(value, int):
            text = f"value_minus_{-value}" if value < 0 else f"value_{value}"
        elif isinstance(value, float):
            text = "value_" + repr(value).replace("-", "minus_").replace(".", "_")
        elif value is None:
            text = "none"
        else:
            text = str(value)
        base = snake_name(text)
        if not ascii_words(text):
            base = "empty" if text == "" else "value"
        if base in ENUM_ATTRIBUTES:
            base += "_"
        name = unique(base, taken)
        taken.add(name)
        names.append(name)
    return tuple(names)
