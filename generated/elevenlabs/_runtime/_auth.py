"""Credentials: an explicit argument or an environment variable, and the HTTP Basic encoding."""

from __future__ import annotations

import base64
import os

from ._exceptions import MissingCredentialError

__all__ = ["basic_auth", "resolve"]


def basic_auth(user_and_password: str) -> str:
    """The ``Authorization`` value for HTTP Basic from ``"user:password"`` (RFC 7617)."""
    return "Basic " + base64.b64encode(user_and_password.encode("utf-8")).decode("ascii")


def resolve(value: str | None, env_var: str, argument: str, what: str = "credential") -> str:
    """Return the explicit value, else the env var read now; raise MissingCredentialError naming ``what``."""
    if value:
        return value
    from_env = os.environ.get(env_var)
    if from_env:
        return from_env
    raise MissingCredentialError(argument=argument, env_var=env_var, what=what)
