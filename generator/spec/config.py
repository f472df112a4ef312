"""Vendor config: the small ``vendor.yaml`` beside each spec that says how to build its client."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import SpecError, join_pointer
from generator.naming import class_name, snake_name
from generator.spec.loader import line_of, parse_text, read_text

CONFIG_FILE = "vendor.yaml"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class CredentialConfig:
    """Binds a client argument and env var to a security scheme or a credential header."""

    argument: str
    env: str
    scheme: str | None = None
    header: str | None = None
    server_variable: str | None = None
    # HTTP Basic schemes only: the password's argument and env var (``argument``/``env`` are the user name's).
    password_argument: str | None = None
    password_env: str | None = None


@dataclass(frozen=True)
class ClientHeaderConfig:
    """A header parameter that the client sets once, from an argument or env var."""

    argument: str
    header: str
    env: str | None = None


@dataclass(frozen=True)
class VendorConfig:
    """Everything ``vendor.yaml`` says."""

    name: str
    directory: Path
    package: str
    client_class: str
    spec: str = "openapi.yaml"
    credentials: tuple[CredentialConfig, ...] = ()
    client_headers: tuple[ClientHeaderConfig, ...] = ()
    default_base_url: str | None = None
    idempotent_operations: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def spec_path(self) -> Path:
        """The vendor's OpenAPI document."""
        return self.directory / self.spec

    @property
    def config_path(self) -> Path:
        """This config's file."""
        return self.directory / CONFIG_FILE


def credential_env(package: str, argument: str) -> str:
    """The environment variable a credential is read from when no config names one: ``PACKAGE_ARGUMENT``."""
    return f"{snake_name(package).upper()}_{argument.upper()}"


def default_config(name: str, directory: Path) -> VendorConfig:
    """Defaults for a spec without a vendor.yaml (tests and ad-hoc runs)."""
    package = snake_name(name)
    return VendorConfig(name=name, directory=directory, package=package, client_class=class_name(name) + "Client")


def load_config(directory: Path) -> VendorConfig:
    """Read and check ``<directory>/vendor.yaml``; errors are located by line and pointer."""
    path = directory / CONFIG_FILE
    text = read_text(path)
    try:
        return _check_config(directory, path, parse_text(text, path))
    except SpecError as exc:
        if exc.line is None and exc.pointer and exc.file == path:
            exc.line = line_of(path, exc.pointer, text)
        raise


def _check_config(directory: Path, path: Path, data: Any) -> VendorConfig:
    if not isinstance(data, dict):
        raise SpecError("vendor config must be a mapping", file=path, pointer="/")
    known = {
        "package", "client_class", "spec", "credentials", "client_headers",
        "default_base_url", "idempotent_operations",
    }  # fmt: skip
    unknown = [key for key in data if key not in known]
    if unknown:
        raise SpecError(
            f"unknown vendor config key {unknown[0]!r}"
            + (f" (and {', '.join(map(repr, unknown[1:]))})" if unknown[1:] else "")
            + f"; known: {', '.join(sorted(known))}",
            file=path,
            pointer=join_pointer(str(unknown[0])),
        )

    def text(key: str, pattern: re.Pattern[str] | None = None, pointer: str = "", value: Any = None) -> str:
        value = data.get(key) if value is None else value
        if not isinstance(value, str) or not value or (pattern is not None and not pattern.match(value)):
            raise SpecError(
                f"`{key}` must be a string" + (f" matching {pattern.pattern}" if pattern else ""),
                file=path,
                pointer=pointer or "/" + key,
            )
        return value

    credentials = []
    for i, item in enumerate(_list(data, "credentials", path)):
        ptr = f"/credentials/{i}"
        if not isinstance(item, dict) or ("scheme" in item) == ("header" in item):
            raise SpecError(
                "each credential needs `argument`, `env` and one of `scheme` or `header`", file=path, pointer=ptr
            )
        credentials.append(
            CredentialConfig(
                argument=text("argument", _IDENT, ptr + "/argument", item.get("argument")),
                env=text("env", _ENV, ptr + "/env", item.get("env")),
                scheme=item.get("scheme"),
                header=item.get("header"),
                server_variable=item.get("server_variable"),
                password_argument=(
                    text("password_argument", _IDENT, ptr + "/password_argument", item["password_argument"])
                    if item.get("password_argument") is not None
                    else None
                ),
                password_env=(
                    text("password_env", _ENV, ptr + "/password_env", item["password_env"])
                    if item.get("password_env") is not None
                    else None
                ),
            )
        )
    headers = []
    for i, item in enumerate(_list(data, "client_headers", path)):
        ptr = f"/client_headers/{i}"
        if not isinstance(item, dict):
            raise SpecError("each client header needs `argument` and `header`", file=path, pointer=ptr)
        headers.append(
            ClientHeaderConfig(
                argument=text("argument", _IDENT, ptr + "/argument", item.get("argument")),
                header=text("header", None, ptr + "/header", item.get("header")),
                env=text("env", _ENV, ptr + "/env", item["env"]) if item.get("env") is not None else None,
            )
        )
    ids = _list(data, "idempotent_operations", path)
    if not all(isinstance(i, str) for i in ids):
        raise SpecError("`idempotent_operations` must list operationIds", file=path, pointer="/idempotent_operations")
    base_url = data.get("default_base_url")
    if base_url is not None and not (isinstance(base_url, str) and base_url.startswith(("https://", "http://"))):
        raise SpecError("`default_base_url` must be an http(s) URL", file=path, pointer="/default_base_url")
    return VendorConfig(
        name=directory.name,
        directory=directory,
        package=text("package", _PACKAGE),
        client_class=text("client_class", _IDENT),
        spec=text("spec") if "spec" in data else "openapi.yaml",
        credentials=tuple(credentials),
        client_headers=tuple(headers),
        default_base_url=base_url,
        idempotent_operations=tuple(ids),
    )


def _list(data: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise SpecError(f"`{key}` must be a list", file=path, pointer="/" + key)
    return value
