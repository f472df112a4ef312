"""The intermediate model (IR): the one contract that emitters, diff and import read.

- ``model.py``: plain frozen dataclasses, one class per schema kind.
- ``builder.py``: builds an ``Api`` from a normalized document and its vendor config.
- ``names.py``: the naming authority, run last by the builder: class, resource and method names.
- ``load.py``: runs the spec stages (load, normalize, validate) and the builder for one vendor.
- ``status_errors.py``: which exception class each HTTP status becomes.

May import ``generator.errors``, ``generator.naming`` and ``generator.spec``; never the
emitters, the output writer, the diff, the importer or the CLI.
"""

from generator.ir.model import (
    RESERVED_ARGUMENTS,
    AllOfSchema,
    AnySchema,
    Api,
    ArraySchema,
    BooleanSchema,
    ClientHeader,
    Constraints,
    Credential,
    EnumSchema,
    IntegerSchema,
    MediaType,
    NamedSchema,
    NullSchema,
    NumberSchema,
    ObjectSchema,
    Operation,
    Parameter,
    ParamLocation,
    Property,
    RefSchema,
    RequestBody,
    Response,
    Schema,
    SchemaBase,
    SecurityScheme,
    Server,
    ServerVariable,
    Skipped,
    StringSchema,
    UnionSchema,
    is_json_media_type,
    key_enum,
)

__all__ = [
    "RESERVED_ARGUMENTS",
    "AllOfSchema",
    "AnySchema",
    "Api",
    "ArraySchema",
    "BooleanSchema",
    "ClientHeader",
    "Constraints",
    "Credential",
    "EnumSchema",
    "IntegerSchema",
    "MediaType",
    "NamedSchema",
    "NullSchema",
    "NumberSchema",
    "ObjectSchema",
    "Operation",
    "ParamLocation",
    "Parameter",
    "Property",
    "RefSchema",
    "RequestBody",
    "Response",
    "Schema",
    "SchemaBase",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Skipped",
    "StringSchema",
    "UnionSchema",
    "is_json_media_type",
    "key_enum",
]
