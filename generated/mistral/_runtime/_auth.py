"""Credentials: an explicit argument or an environment variable, and the HTTP Basic encoding."""

from __future__ import annotations

import base64
import os

from ._exceptions import MissingCredentialError, RequestValidationError

__all__ = ["basic_auth", "resolve"]


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
