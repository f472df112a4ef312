"""The intermediate model: the one contract that models, clients, diff and import read.

Plain frozen dataclasses built from a normalized document by ``ir_builder``. Nothing
downstream of it looks at the raw spec. Schemas are one class per kind, in the manner
of openapi-python-client; every nullable spelling of OpenAPI 3.0 and 3.1 ends up as
``nullable=True`` here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias


@dataclass(frozen=True, slots=True)
class Constraints:
    """Validation keywords that narrow a schema; ``None`` where not set."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    min_properties: int | None = None
    max_properties: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaBase:
    """What every schema kind carries."""

    description: str = ""
    nullable: bool = False
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    has_default: bool = False
    default: Any = None
    constraints: Constraints = field(default_factory=Constraints)
    sunset: str | None = None  # x-sunset, as written


@dataclass(frozen=True, slots=True, kw_only=True)
class RefSchema(SchemaBase):
    """A reference to a named schema in ``Api.schemas``."""

    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StringSchema(SchemaBase):
    """A string (``constraints.format`` says date-time, uuid, ...)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IntegerSchema(SchemaBase):
    """An integer."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberSchema(SchemaBase):
    """A number (float)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BooleanSchema(SchemaBase):
    """A boolean."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NullSchema(SchemaBase):
    """Only JSON null."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AnySchema(SchemaBase):
    """No type constraint at all."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumSchema(SchemaBase):
    """A closed set of values; ``member_names`` from ``x-enum-varnames`` when given.

    ``python_names`` are the members' Python names, one per value, decided once here
    (``naming.enum_member_names``): never a keyword nor an attribute of ``str``/``int``.
    """

    values: tuple[Any, ...]
    value_type: Literal["string", "integer", "number", "boolean", "mixed"]
    member_names: tuple[str, ...] | None = None
    python_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ArraySchema(SchemaBase):
    """A list of ``items``; with ``prefix_items`` (2020-12 ``prefixItems``) its first items typed one by one."""

    items: Schema
    prefix_items: tuple[Schema, ...] = ()

    def fixed_tuple(self) -> tuple[Schema, ...] | None:
        """The item schemas when this is exactly a tuple (``prefixItems`` with as many min and max items)."""
        n = len(self.prefix_items)
        if n and self.constraints.min_items == n and self.constraints.max_items == n:
            return self.prefix_items
        return None


@dataclass(frozen=True, slots=True)
class Property:
    """One property of an object schema."""

    name: str  # the wire name
    python_name: str  # the model attribute name (naming.field_name): no BaseModel attribute, keyword or used builtin
    schema: Schema
    required: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectSchema(SchemaBase):
    """An object with named properties; ``additional`` is the schema of extra keys."""

    properties: tuple[Property, ...] = ()
    additional: Schema | bool = True
    property_names: Schema | None = None  # the schema every key must match (`propertyNames`)
    # Every name in `required`, including those without a property here (an allOf part may
    # only require what another part defines).
    required_names: tuple[str, ...] = ()

    def property(self, name: str) -> Property | None:
        """The property with wire name ``name``, if any."""
        return next((p for p in self.properties if p.name == name), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class UnionSchema(SchemaBase):
    """``oneOf``/``anyOf`` of several variants (a null variant is folded into ``nullable``)."""

    variants: tuple[Schema, ...]
    kind: Literal["oneOf", "anyOf"] = "oneOf"
    discriminator: str | None = None
    mapping: tuple[tuple[str, str], ...] = ()  # discriminator value -> schema name, as the spec maps them


@dataclass(frozen=True, slots=True, kw_only=True)
class AllOfSchema(SchemaBase):
    """``allOf`` composition."""

    parts: tuple[Schema, ...]


Schema: TypeAlias = (
    RefSchema
    | StringSchema
    | IntegerSchema
    | NumberSchema
    | BooleanSchema
    | NullSchema
    | AnySchema
    | EnumSchema
    | ArraySchema
    | ObjectSchema
    | UnionSchema
    | AllOfSchema
)


@dataclass(frozen=True, slots=True)
class NamedSchema:
    """A schema under ``components/schemas``; ``class_name`` is its generated model class.

    Inline objects, enums and ``allOf`` compositions that need a class of their own are
    named here too (``ir.names``), with ``hoisted_from`` the pointer they were found at.
    """

    name: str
    class_name: str
    schema: Schema
    original_name: str  # as the vendor spelled it, before sanitizing
    hoisted_from: str | None = None


ParamLocation = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """An operation parameter."""

    name: str
    python_name: str
    location: ParamLocation
    required: bool
    schema: Schema
    description: str = ""
    deprecated: bool = False
    style: str | None = None
    explode: bool | None = None
    sunset: str | None = None  # x-sunset, as written
    content_type: str | None = None  # a parameter declared with `content` instead of `schema`
    allow_reserved: bool = False

    @property
    def effective_style(self) -> tuple[str, bool]:
        """``(style, explode)`` with OpenAPI's defaults for the location filled in."""
        style = self.style or {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}[self.location]
        return style, self.explode if self.explode is not None else style == "form"


@dataclass(frozen=True, slots=True)
class MediaType:
    """One content type of a body and its schema."""

    content_type: str
    schema: Schema | None
    # multipart/form-data and form bodies: part name -> `encoding.contentType`, as written.
    encoding: tuple[tuple[str, str], ...] = ()

    @property
    def is_json(self) -> bool:
        """True when the body is JSON (see ``is_json_media_type``)."""
        return is_json_media_type(self.content_type)

    @property
    def kind(self) -> str:
        """json | form | multipart | event-stream | jsonl | text | binary, from the media type."""
        return media_kind(self.content_type)


def media_kind(content_type: str) -> str:
    """Classify a media type by how a client sends or reads it."""
    media = content_type.split(";", 1)[0].strip().lower()
    if is_json_media_type(media):
        return "json"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media.startswith("multipart/"):
        return "multipart"
    if media == "text/event-stream":
        return "event-stream"
    if media in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return "jsonl"
    if media.startswith("text/") or media in ("application/xml", "application/yaml"):
        return "text"
    return "binary"


def key_enum(schema: ObjectSchema, schemas: Mapping[str, NamedSchema]) -> NamedSchema | None:
    """The string enum a map's keys must be (``propertyNames: {$ref: ...}``), which types them; else None."""
    keys = schema.property_names
    target = schemas.get(keys.name) if isinstance(keys, RefSchema) else None
    if target is not None and isinstance(target.schema, EnumSchema) and target.schema.value_type == "string":
        return target
    return None


def is_json_media_type(content_type: str) -> bool:
    """``application/json``, ``text/json`` or any ``+json`` suffix, parameters and case ignored."""
    media = content_type.split(";")[0].strip().lower()
    return media in ("application/json", "text/json") or media.endswith("+json")


@dataclass(frozen=True, slots=True)
class RequestBody:
    """The request body; ``content[0]`` is the preferred (JSON when offered) media type."""

    required: bool
    content: tuple[MediaType, ...]
    description: str = ""

    @property
    def preferred(self) -> MediaType | None:
        """The media type the client sends."""
        return self.content[0] if self.content else None


@dataclass(frozen=True, slots=True)
class Response:
    """A declared response for one status code (``"200"``, ``"4XX"``, ``"default"``)."""

    status: str
    description: str
    content: tuple[MediaType, ...] = ()
    headers: tuple[str, ...] = ()
    # The body is streamed as it arrives: text/event-stream, or marked `x-fern-streaming`.
    streaming: bool = False

    @property
    def is_success(self) -> bool:
        """True for 2xx statuses."""
        return self.status.startswith("2")

    @property
    def preferred(self) -> MediaType | None:
        """The media type the client parses."""
        return self.content[0] if self.content else None


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """A security scheme and, when the vendor config binds it, the client argument that fills it."""

    name: str
    type: str  # apiKey | http | oauth2 | openIdConnect | mutualTLS
    location: str | None = None  # header | query | cookie, for apiKey
    parameter_name: str | None = None  # header/query/cookie name, for apiKey
    scheme: str | None = None  # bearer | basic, for http
    description: str = ""


# Argument names every generated method already has; the builder renames spec parameters
# around them and the client emitter keeps body fields off them.
RESERVED_ARGUMENTS = frozenset({"self", "body", "extra_headers", "timeout", "max_retries"})


@dataclass(frozen=True, slots=True)
class Operation:
    """One HTTP operation.

    ``group_path`` is the chain of resource attributes from the client and ``python_name`` the
    method's name on the last one, exactly as the generated client spells them (``ir.names``).
    """

    operation_id: str
    method: str  # upper case
    path: str
    group_path: tuple[
        str, ...
    ]  # resource nesting in the client, e.g. ("conversational_ai", "conversations", "feedback")
    python_name: str  # method name on its resource
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    deprecated: bool
    security: tuple[tuple[str, ...], ...] | None  # alternatives of scheme names; None inherits the API's
    idempotent: bool
    sunset: str | None = None
    stability: str | None = None  # x-stability-level (draft | alpha | beta | stable), as written
    # Wire name -> keyword argument, for the fields of an object request body the method flattens.
    body_arguments: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        """``METHOD /path`` as users and the diff name it."""
        return f"{self.method} {self.path}"


@dataclass(frozen=True, slots=True)
class ServerVariable:
    """A ``{VARIABLE}`` in a server URL."""

    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Server:
    """A base URL with its variables."""

    url: str
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()


@dataclass(frozen=True, slots=True)
class Credential:
    """A client constructor argument that carries a secret (vendor config + security scheme)."""

    argument: str
    env: str
    scheme: str
    header: str | None  # where it is sent; None for query/cookie placement
    location: str  # header | query | cookie
    prefix: str = ""  # e.g. "Bearer "
    server_variable: str | None = None
    # HTTP Basic: ``argument`` is the user name, this second argument (and env var) the password.
    password_argument: str | None = None
    password_env: str | None = None


@dataclass(frozen=True, slots=True)
class ClientHeader:
    """A header set once on the client rather than per call (Moveworks ``Assistant-Name``)."""

    argument: str
    env: str | None
    header: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something the spec declares that the client leaves out because it cannot be modelled, and why."""

    kind: Literal["operation", "schema", "response"]
    name: str  # operationId, schema name, or "operationId status"
    where: str  # "GET /path" for operations and responses, the schema name for schemas
    reason: str
    pointer: str  # where the problem is, in the normalized document


@dataclass(frozen=True, slots=True)
class Api:
    """A whole vendor API."""

    title: str
    version: str
    openapi_version: str
    description: str
    servers: tuple[Server, ...]
    security: tuple[tuple[str, ...], ...]
    security_schemes: tuple[SecurityScheme, ...]
    operations: tuple[Operation, ...]
    schemas: tuple[NamedSchema, ...]
    credentials: tuple[Credential, ...] = ()
    client_headers: tuple[ClientHeader, ...] = ()
    skipped: tuple[Skipped, ...] = ()  # left out; "schema" entries are typed as any value instead

    def schema(self, name: str) -> NamedSchema | None:
        """The named schema ``name``, if any."""
        return next((s for s in self.schemas if s.name == name), None)

    def operation(self, operation_id: str) -> Operation | None:
        """The operation with this operationId, if any."""
        return next((o for o in self.operations if o.operation_id == operation_id), None)
