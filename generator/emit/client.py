"""Build the view of one vendor's client from the intermediate model and render its templates.

Everything the templates print is computed here: identifiers are sanitized, spec text is
turned into escaped literals or docstrings (``pysource``), and type annotations are built
from the IR. The templates only lay the pieces out.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache

import jinja2

from generator import ir
from generator.emit.pysource import docstring, docstring_text, py_literal
from generator.emit.templates import templates_dir
from generator.ir.status_errors import exception_name
from generator.naming import CLIENT_MODULE_NAMES, class_name, snake_name, unique
from generator.spec.config import VendorConfig

FORM_TYPE = "application/x-www-form-urlencoded"
DATE_FORMATS = {"date": "dt.date", "date-time": "dt.datetime"}
FILE_ANNOTATION = "FileInput"


@dataclass
class Arg:
    """One argument of a generated method."""

    name: str
    annotation: str
    required: bool
    wire: str
    description: str
    sample: str = "..."  # a value for the README example


@dataclass
class OperationView:
    """Everything a template needs to render one method."""

    name: str
    const: str
    method: str
    path: str
    operation_id: str
    idempotent: bool
    responses: list[tuple[str, str, str, str]]  # status, model expression, content type literal, stream literal
    path_args: list[Arg]
    query_args: list[Arg]
    header_args: list[Arg]
    cookie_args: list[Arg]
    field_args: list[Arg]
    body_model: str | None  # models.X when fields are offered, else None
    body_arg: Arg | None  # the single `body` argument (model instance or whole value)
    body_kind: str  # "" | json_fields | json_value | form_fields | form_value | multipart_fields | content
    body_content_type: str
    min_properties: int | None
    returns: str
    doc: str
    async_returns: str = ""
    styles: list[tuple[str, str, str]] = field(default_factory=list)  # location, wire name, ParamStyle(...)
    accept: str | None = None  # literal, when not application/json
    part_types: list[tuple[str, str]] = field(default_factory=list)  # part name literal, content type literal

    @property
    def positional(self) -> list[Arg]:
        """Arguments before ``*``: the path parameters."""
        return self.path_args

    @property
    def keyword(self) -> list[Arg]:
        """Keyword-only arguments other than body fields, required first."""
        args = self.query_args + self.header_args + self.cookie_args
        return [a for a in args if a.required] + [a for a in args if not a.required]


@dataclass
class ResourceView:
    """A resource class: a node of the operations' group paths."""

    path: tuple[str, ...]
    class_name: str
    operations: list[OperationView] = field(default_factory=list)
    children: list[tuple[str, ResourceView]] = field(default_factory=list)


@dataclass
class CredentialView:
    """A constructor argument carrying a secret."""

    argument: str
    env: str
    header: str | None
    prefix: str
    header_value: str  # Python expression for the header value, from the argument
    required: bool
    server_variable: str | None
    description: str
    password_argument: str | None = None  # HTTP Basic: the second argument, with its own env var
    password_env: str | None = None
    location: str = "header"  # header | query | cookie
    parameter: str = ""  # the query parameter or cookie name, for query/cookie placement


@dataclass
class ClientView:
    """The whole client module."""

    title: str
    package: str
    alias: str
    base_url: str
    server_variables: list[tuple[str, str, str]]  # variable, argument, default literal
    credentials: list[CredentialView]
    client_headers: list[tuple[str, str, str | None, str]]  # argument, header, env, description
    root: ResourceView
    resources: list[ResourceView]
    operations: list[OperationView]
    class_doc: str
    example: str


class TypeNamer:
    """Python annotations for IR schemas, as the generated client spells them."""

    def __init__(self, api: ir.Api) -> None:
        self.schemas = {s.name: s for s in api.schemas}

    def resolve(self, schema: ir.Schema | None, depth: int = 0) -> ir.Schema | None:
        """Follow references to the schema they name."""
        while isinstance(schema, ir.RefSchema) and depth < 20:
            target = self.schemas.get(schema.name)
            schema = target.schema if target is not None else None
            depth += 1
        return schema

    def param_annotation(self, schema: ir.Schema) -> str:
        """Like ``annotation``, but date and date-time strings take ``dt.date`` / ``dt.datetime``."""
        resolved = self.resolve(schema)
        if isinstance(resolved, ir.StringSchema) and resolved.constraints.format in DATE_FORMATS:
            text = DATE_FORMATS[resolved.constraints.format]
            return text + (" | None" if schema.nullable or resolved.nullable else "")
        if isinstance(resolved, ir.ArraySchema):
            items = self.resolve(resolved.items)
            if isinstance(items, ir.StringSchema) and items.constraints.format in DATE_FORMATS:
                return f"list[{DATE_FORMATS[items.constraints.format]}]" + (" | None" if schema.nullable else "")
        return self.annotation(schema, as_input=True)

    def is_file(self, schema: ir.Schema | None) -> bool:
        """A ``format: binary`` string (or a ``contentMediaType`` one in 3.1): a file part."""
        resolved = self.resolve(schema)
        return isinstance(resolved, ir.StringSchema) and resolved.constraints.format in ("binary", "byte-stream")

    def is_file_list(self, schema: ir.Schema | None) -> bool:
        """An array of files."""
        resolved = self.resolve(schema)
        return isinstance(resolved, ir.ArraySchema) and self.is_file(resolved.items)

    def annotation(self, schema: ir.Schema, *, as_input: bool, depth: int = 0) -> str:
        """A type annotation for ``schema``; inputs accept plain values for wrapper models."""
        text = self._base(schema, as_input=as_input, depth=depth)
        nullable = schema.nullable
        target = self.schemas.get(schema.name) if isinstance(schema, ir.RefSchema) else None
        # A class keeps its own `nullable` (an inline nullable object is hoisted with it), as in models.py.
        if target is not None and isinstance(target.schema, (ir.ObjectSchema, ir.EnumSchema, ir.AllOfSchema)):
            nullable = nullable or target.schema.nullable
        if nullable and text not in ("Any", "None") and not text.endswith(" | None"):
            text += " | None"
        return text

    def _base(self, schema: ir.Schema, *, as_input: bool, depth: int) -> str:
        if depth > 20:
            return "Any"
        if isinstance(schema, ir.RefSchema):
            target = self.schemas.get(schema.name)
            if target is None:
                return "Any"
            if as_input and isinstance(target.schema, ir.EnumSchema):
                # Callers may pass the enum member or its plain value ("like", 1).
                plain = self._base(target.schema, as_input=True, depth=depth + 1)
                return f"models.{target.class_name}" + (f" | {plain}" if plain != "Any" else "")
            if isinstance(target.schema, (ir.ObjectSchema, ir.EnumSchema, ir.AllOfSchema)) or not as_input:
                return f"models.{target.class_name}"
            # Wrapper (root) models: callers pass the plain value; the body model validates it.
            return self.annotation(target.schema, as_input=True, depth=depth + 1)
        if isinstance(schema, ir.StringSchema):
            return "str"
        if isinstance(schema, ir.IntegerSchema):
            return "int"
        if isinstance(schema, ir.NumberSchema):
            return "float"
        if isinstance(schema, ir.BooleanSchema):
            return "bool"
        if isinstance(schema, ir.NullSchema):
            return "None"
        if isinstance(schema, ir.EnumSchema):
            literals = [v for v in schema.values if isinstance(v, (str, int, bool)) and v is not None]
            if literals and len(literals) == len(schema.values):
                return "Literal[" + ", ".join(py_literal(v) for v in literals) + "]"
            return "Any"
        if isinstance(schema, ir.ArraySchema):
            fixed = schema.fixed_tuple()
            if fixed is not None:
                return "tuple[" + ", ".join(self.annotation(s, as_input=as_input, depth=depth + 1) for s in fixed) + "]"
            kinds: list[str] = []  # with typed first items and an open tail, an item is of one of their types
            for sub in (*schema.prefix_items, schema.items):
                text = self.annotation(sub, as_input=as_input, depth=depth + 1)
                if text == "Any":
                    return "list[Any]"
                kinds.extend(piece for piece in text.split(" | ") if piece not in kinds)
            return f"list[{' | '.join(kinds)}]"
        if isinstance(schema, ir.ObjectSchema):
            key = "str"
            target = ir.key_enum(schema, self.schemas)
            if target is not None:
                # As models.py types the key; an input map may also be keyed by the plain values.
                key = f"models.{target.class_name}"
                if as_input:
                    key += " | " + self._base(target.schema, as_input=True, depth=depth + 1)
            if not schema.properties and isinstance(schema.additional, ir.SchemaBase):
                return f"dict[{key}, {self.annotation(schema.additional, as_input=as_input, depth=depth + 1)}]"
            return f"dict[{key}, Any]"
        if isinstance(schema, ir.UnionSchema):
            parts: list[str] = []
            for variant in schema.variants:
                text = self.annotation(variant, as_input=as_input, depth=depth + 1)
                if text == "Any":
                    return "Any"
                for piece in text.split(" | "):
                    if piece not in parts:
                        parts.append(piece)
            return " | ".join(parts) if parts else "Any"
        return "Any"

    def sample(self, schema: ir.Schema, depth: int = 0) -> str:
        """A Python expression of a valid value, for usage examples."""
        if isinstance(schema, ir.RefSchema) and depth < 5:
            target = self.schemas.get(schema.name)
            if target is not None and isinstance(target.schema, ir.EnumSchema) and target.schema.values:
                return f"models.{target.class_name}({py_literal(target.schema.values[0])})"
            return self.sample(target.schema, depth + 1) if target is not None else "None"
        if isinstance(schema, ir.EnumSchema) and schema.values:
            return py_literal(schema.values[0])
        if isinstance(schema, ir.StringSchema):
            return '"00000000-0000-4000-8000-000000000000"' if schema.constraints.format == "uuid" else '"text"'
        if isinstance(schema, (ir.IntegerSchema, ir.NumberSchema)):
            return "1"
        if isinstance(schema, ir.BooleanSchema):
            return "True"
        if isinstance(schema, ir.ArraySchema):
            return "[]"
        return "None" if schema.nullable else "..."

    def object_of(self, schema: ir.Schema | None) -> tuple[str, ir.ObjectSchema] | None:
        """The named object model behind a request body schema, if it is one."""
        if isinstance(schema, ir.RefSchema):
            target = self.schemas.get(schema.name)
            if target is not None and isinstance(target.schema, ir.ObjectSchema):
                return target.class_name, target.schema
        return None


@cache
def module_names() -> frozenset[str]:
    """Names method bodies of the client module use, read from the import block of ``templates/client.py.jinja``.

    The IR, which may not read templates, keeps argument names off ``naming.CLIENT_MODULE_NAMES``;
    tests/emit_models/test_naming_authority.py keeps that list equal to this one.
    """
    source = (templates_dir() / "client.py.jinja").read_text(encoding="utf-8")
    header = source.split("\n{%", 1)[0]  # the module header, before the first Jinja statement
    header = re.sub(r"\{\{.*?\}\}", "_", re.sub(r"\{#.*?#\}", "", header, flags=re.DOTALL))
    # ast.walk: `models` is imported (and assigned) inside an `if TYPE_CHECKING:` block.
    names = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(ast.parse(header))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    names |= {
        target.id
        for node in ast.walk(ast.parse(header))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    return frozenset(names) | {"response"}  # a local variable of every method body


def build_view(api: ir.Api, config: VendorConfig) -> ClientView:
    """Compute the client module's view from the IR."""
    types = TypeNamer(api)
    const_names: set[str] = set()
    operations = [_operation_view(op, api, types, const_names) for op in api.operations]

    # Group paths are the client's attribute chains, decided in the IR (ir.names).
    root = ResourceView((), "Client")
    index: dict[tuple[str, ...], ResourceView] = {(): root}
    taken_classes: set[str] = {"Client", "AsyncClient"}
    for op, view in zip(api.operations, operations, strict=True):
        node = root
        for depth in range(1, len(op.group_path) + 1):
            path = op.group_path[:depth]
            if path not in index:
                name = class_name("_".join(path) + "_resource", taken_classes)
                taken_classes.add(name)
                child = ResourceView(path, name)
                index[path] = child
                node.children.append((path[-1], child))
            node = index[path]
        node.operations.append(view)
    resources = [r for p, r in sorted(index.items(), key=lambda kv: (-len(kv[0]), kv[0])) if p]

    server = api.servers[0] if api.servers else None
    bound = {c.server_variable: c.argument for c in api.credentials if c.server_variable}
    taken_args = {a for c in api.credentials for a in (c.argument, c.password_argument) if a} | {
        h.argument for h in api.client_headers
    } | {
        "base_url", "timeout", "max_retries", "default_headers", "http_client", "self", "headers", "auth_headers",
    } | CLIENT_MODULE_NAMES  # fmt: skip
    server_variables = []
    for var in server.variables if server else ():
        arg = bound.get(var.name)
        if arg is None:
            arg = snake_name(var.name, taken_args)
            taken_args.add(arg)
        server_variables.append((var.name, arg, py_literal(var.default)))
    credentials = [
        CredentialView(
            argument=c.argument,
            env=c.env,
            header=c.header if c.location == "header" else None,
            prefix=c.prefix,
            header_value=(
                f"basic_auth({c.argument}, {c.password_argument})"  # base64 of "user:password", RFC 7617
                if c.prefix == "Basic " and c.password_argument
                else (py_literal(c.prefix) + " + " if c.prefix else "") + c.argument
            ),
            required=any(c.argument == cc.argument for cc in config.credentials),
            server_variable=c.server_variable,
            description=next((s.description for s in api.security_schemes if s.name == c.scheme), ""),
            password_argument=c.password_argument,
            password_env=c.password_env,
            location=c.location,
            parameter=c.header or "",
        )
        for c in api.credentials
    ]
    alias = (
        config.client_class if config.client_class not in ("Client", "AsyncClient") else config.client_class + "Alias"
    )
    first = operations[0] if operations else None
    return ClientView(
        title=api.title,
        package=config.package,
        alias=alias,
        base_url=py_literal(server.url if server else ""),
        server_variables=server_variables,
        credentials=credentials,
        client_headers=[(h.argument, h.header, h.env, h.description) for h in api.client_headers],
        root=root,
        resources=resources,
        operations=operations,
        class_doc=docstring([f"Client for {api.title} {api.version}.", "", *api.description.splitlines()], "    "),
        example=_example(config, api, first, index),
    )


def _operation_view(op: ir.Operation, api: ir.Api, types: TypeNamer, const_names: set[str]) -> OperationView:
    def arg(p: ir.Parameter) -> Arg:
        annotation = types.param_annotation(p.schema) if p.content_type is None else "Any"
        return Arg(p.python_name, annotation, p.required, p.name, p.description, types.sample(p.schema))

    by_loc: dict[str, list[Arg]] = {"path": [], "query": [], "header": [], "cookie": []}
    styles: list[tuple[str, str, str]] = []
    for p in op.parameters:
        by_loc[p.location].append(arg(p))
        style, explode = p.effective_style
        default = {"path": ("simple", False), "query": ("form", True)}.get(p.location)
        if p.content_type is not None or p.allow_reserved or (default is not None and (style, explode) != default):
            extra = f", content_type={py_literal(p.content_type)}" if p.content_type is not None else ""
            extra += ", allow_reserved=True" if p.allow_reserved else ""
            spec = f"ParamStyle({py_literal(style)}, {explode}{extra})"
            styles.append((py_literal(p.location), py_literal(p.name), spec))
        elif p.location in ("header", "cookie") and explode != (p.location == "cookie"):
            styles.append((py_literal(p.location), py_literal(p.name), f"ParamStyle({py_literal(style)}, {explode})"))
    argument_of = dict(op.body_arguments)

    field_args: list[Arg] = []
    body_model = None
    body_arg = None
    body_kind = ""
    content_type = ""
    min_properties = None
    part_types: list[tuple[str, str]] = []
    body = op.request_body
    media = body.preferred if body else None
    if body is not None and media is not None:
        content_type = media.content_type
        kind = media.kind
        is_form = kind == "form"
        obj = types.object_of(media.schema) if kind in ("json", "form") else None
        inline = types.resolve(media.schema) if kind == "multipart" else None
        if obj is not None:
            body_model = f"models.{obj[0]}"
            for prop in obj[1].properties:
                if prop.name not in argument_of:
                    continue  # read-only: the server sets it
                name = argument_of[prop.name]
                annotation = types.annotation(prop.schema, as_input=True)
                field_args.append(
                    Arg(name, annotation, prop.required, prop.name, prop.schema.description, types.sample(prop.schema))
                )
            body_kind = "form_fields" if is_form else "json_fields"
            body_arg = Arg(
                "body", f"{body_model} | None", False, "", "The whole request body as a model, instead of the fields."
            )
            min_properties = obj[1].constraints.min_properties
        elif isinstance(inline, ir.ObjectSchema) and inline.properties:
            # multipart/form-data: one argument per part; files take a path, bytes, a file or a tuple.
            for prop in inline.properties:
                if prop.name not in argument_of:
                    continue  # read-only: the server sets it
                name = argument_of[prop.name]
                if types.is_file(prop.schema):
                    annotation, sample = FILE_ANNOTATION, 'b"file contents"'
                elif types.is_file_list(prop.schema):
                    annotation, sample = f"list[{FILE_ANNOTATION}]", '[b"file contents"]'
                else:
                    annotation, sample = types.annotation(prop.schema, as_input=True), types.sample(prop.schema)
                field_args.append(Arg(name, annotation, prop.required, prop.name, prop.schema.description, sample))
            body_kind = "multipart_fields"
            part_types = [(py_literal(n), py_literal(t)) for n, t in media.encoding]
        elif kind in ("json", "form"):
            annotation = types.annotation(media.schema, as_input=True) if media.schema else "Any"
            body_kind = "form_value" if is_form else "json_value"
            if is_form:
                annotation = "Mapping[str, object]"
            body_arg = Arg("body", annotation, body.required, "", body.description or "The request body.")
        elif kind == "multipart":
            body_kind = "multipart_value"
            body_arg = Arg(
                "body",
                "Mapping[str, object]",
                body.required,
                "",
                body.description or "The parts, by name: files as a path, bytes, a file or a tuple; other values.",
            )
            part_types = [(py_literal(n), py_literal(t)) for n, t in media.encoding]
        else:
            body_kind = "content"
            binary = kind == "binary"
            body_arg = Arg(
                "body",
                "FileContent" if binary else "str | bytes",
                body.required,
                "",
                body.description
                or f"The request body ({media.content_type})"
                + (": bytes, a binary file or a path." if binary else "."),
            )

    responses = []
    success_types: list[str] = []
    async_types: list[str] = []
    accept: str | None = None
    for r in op.responses:
        m = r.preferred
        stream = "None"
        if m is None:
            model, ctype = "None", "None"
            sync_type = async_type = "None"
        else:
            ctype = py_literal(m.content_type)
            model, stream, sync_type, async_type = _response_types(r, m, types)
        responses.append((py_literal(r.status), model, ctype, stream))
        if r.is_success:
            if m is not None and m.kind != "json" and accept is None:
                accept = py_literal(m.content_type)
            if sync_type not in success_types:
                success_types.append(sync_type)
            if async_type not in async_types:
                async_types.append(async_type)
    returns = _union(success_types)
    async_returns = _union(async_types)

    const = unique("_OP_" + "_".join([*op.group_path, op.python_name]).upper(), const_names)
    const_names.add(const)
    view = OperationView(
        name=op.python_name,
        const=const,
        method=py_literal(op.method),
        path=py_literal(op.path),
        operation_id=py_literal(op.operation_id),
        idempotent=op.idempotent,
        responses=responses,
        path_args=by_loc["path"],
        query_args=by_loc["query"],
        header_args=by_loc["header"],
        cookie_args=by_loc["cookie"],
        field_args=field_args,
        body_model=body_model,
        body_arg=body_arg,
        body_kind=body_kind,
        body_content_type=py_literal(content_type),
        min_properties=min_properties,
        returns=returns,
        doc="",
        async_returns=async_returns,
        styles=styles,
        accept=accept,
        part_types=part_types,
    )
    view.doc = docstring(_doc_lines(op, view), "        ")
    return view


def _union(types: list[str]) -> str:
    """The return annotation for the success responses' types (None last, Any absorbing)."""
    returns = " | ".join(t for t in types if t != "None") or "None"
    if "None" in types and returns != "None":
        returns += " | None"
    if "Any" in returns.split(" | "):
        returns = "Any"
    return returns


def _response_types(r: ir.Response, m: ir.MediaType, types: TypeNamer) -> tuple[str, str, str, str]:
    """(model for ResponseSpec, stream literal, sync return type, async return type) of one response."""
    kind = m.kind
    model = types.annotation(m.schema, as_input=False) if m.schema is not None else "Any"
    if r.streaming and kind in ("event-stream", "json", "jsonl"):
        obj = types.resolve(m.schema)
        frame = (
            kind == "event-stream"
            and isinstance(obj, ir.ObjectSchema)
            and obj.property("event") is not None
            and obj.property("data") is not None
        )
        stream = "sse-frame" if frame else "sse" if kind == "event-stream" else "jsonl"
        return model, py_literal(stream), f"Stream[{model}]", f"AsyncStream[{model}]"
    if r.streaming:
        return "bytes", py_literal("bytes"), "StreamedResponse", "AsyncStreamedResponse"
    if kind in ("json", "jsonl"):
        return model, "None", model, model
    if kind == "binary":
        return "bytes", "None", "bytes", "bytes"
    if kind == "text":
        return "str", "None", "str", "str"
    return "None", "None", "None", "None"  # event stream on a non-success status: not parsed


def _doc_lines(op: ir.Operation, view: OperationView) -> list[str]:
    lines = [op.summary or f"{op.method} {op.path}"]
    if op.description and op.description.strip() != op.summary.strip():
        lines += ["", *op.description.strip().splitlines()]
    lines += ["", f"``{op.method} {op.path}`` (operationId ``{op.operation_id}``)."]
    if op.deprecated:
        lines += ["", "Deprecated by the vendor" + (f"; sunset {op.sunset}." if op.sunset else ".")]
    args = view.path_args + view.keyword + view.field_args + ([view.body_arg] if view.body_arg else [])
    if args:
        # Where each argument goes, so an argument the spec leaves undescribed still gets a line worth reading.
        where = {id(a): f"Path parameter ``{a.wire}``." for a in view.path_args}
        for kind, group in (("Query", view.query_args), ("Header", view.header_args), ("Cookie", view.cookie_args)):
            where.update({id(a): f"{kind} parameter ``{a.wire}``." for a in group})
        where.update({id(a): f"Body field ``{a.wire}``." for a in view.field_args})
        lines += ["", "Args:"]
        for a in args:
            text = " ".join(a.description.split()) or where.get(id(a), "")
            lines.append(f"    {a.name}: {text}".rstrip())
    errors = [(r.status, r.description) for r in op.responses if not r.is_success and r.status != "DEFAULT"]
    if errors:
        lines += ["", "Raises:"]
        for status, description in errors:
            lines.append(f"    {exception_name(status)}: {status} {' '.join(description.split())}".rstrip())
    return lines


def _example(
    config: VendorConfig, api: ir.Api, view: OperationView | None, index: dict[tuple[str, ...], ResourceView]
) -> str:
    """A usage example for the generated README (run by the tests)."""
    if view is None:
        return ""
    op = next(o for o in api.operations if o.python_name == view.name)
    chain = ["client"]
    node = index[()]
    for depth in range(1, len(op.group_path) + 1):
        child = index[op.group_path[:depth]]
        attr = next(a for a, c in node.children if c is child)
        chain.append(attr)
        node = child
    call_args = [a.sample for a in view.path_args]
    call_args += [f"{a.name}={a.sample}" for a in view.keyword + view.field_args if a.required]
    # A body that must carry at least N properties (ClarityQ: rating or comment) gets optional ones too.
    given = sum(1 for a in view.field_args if a.required)
    for a in view.field_args:
        if view.min_properties is None or given >= view.min_properties:
            break
        if not a.required and a.sample != "...":
            call_args.append(f"{a.name}={a.sample}")
            given += 1
    return ".".join(chain) + f".{view.name}(" + ", ".join(call_args) + ")"


@cache
def environment() -> jinja2.Environment:
    """The compiled Jinja environment (one per process)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["literal"] = py_literal
    # Spec text inside a docstring: escaped so it cannot close the string (repr() alone does not).
    env.filters["doc"] = docstring_text
    return env


def render_client(api: ir.Api, config: VendorConfig) -> dict[str, str]:
    """Client modules for one vendor, keyed by file name within its package."""
    view = build_view(api, config)
    env = environment()
    return {
        "_client.py": env.get_template("client.py.jinja").render(v=view),
        "__init__.py": env.get_template("package_init.py.jinja").render(v=view),
        "README.md": env.get_template("README.md.jinja").render(v=view, api=api),
    }
