"""Credentials: where each comes from (argument or env var) and which header carries it."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from ._exceptions import MissingCredentialError, RequestValidationError
from ._headers import check_header

__all__ = ["Credential", "basic_auth", "resolve"]


def basic_auth(username: str, password: str) -> str:
    """The ``Authorization`` value for HTTP Basic (RFC 7617): base64 of UTF-8 ``username:password``."""
    if ":" in username:
        # RFC 7617 section 2: the user-id cannot contain a colon; the server would split it elsewhere.
        raise RequestValidationError("An HTTP Basic user name cannot contain ':'.")
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def resolve(value: str | None, env_var: str, argument: str, what: str = "credential") -> str:
    """Return the explicit value, else the env var read now; raise MissingCredentialError naming ``what``."""
    if value:
        return value
    from_env = os.environ.get(env_var)
    if from_env:
        return from_env
    raise MissingCredentialError(argument=argument, env_var=env_var, what=what)


@dataclass(frozen=True)
class Credential:
    """Where a credential comes from and which header carries it.

    Example: ``Credential("api_key", "VENDOR_API_KEY", "Authorization", "Bearer ")``.
    """

    argument: str
    env_var: str
    header: str
    prefix: str = ""

    def headers(self, value: str | None) -> dict[str, str]:
        """Resolve the credential and return the header carrying it."""
        secret = resolve(value, self.env_var, self.argument)
        header_value = f"{self.prefix}{secret}"
        check_header(self.header, header_value)
        return {self.header: header_value}

    def __repr__(self) -> str:
        # Describes where the secret goes; never holds the secret itself.
        return f"Credential(argument={self.argument!r}, env_var={self.env_var!r}, header={self.header!r})"
