"""Runtime shared by generated API clients (copied verbatim into each as ``_runtime``)."""

from ._auth import basic_auth, resolve
from ._base_client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, AsyncAPIClient, SyncAPIClient
from ._body import build_body
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MissingCredentialError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    UnprocessableEntityError,
    make_status_error,
)
from ._headers import user_agent
from ._operation import Operation, ResponseSpec
from ._raw import async_to_raw_response_wrapper, finish, to_raw_response_wrapper
from ._response import APIResponse
from ._types import NOT_GIVEN, NotGiven, Timeout
from ._urls import build_query, build_url, fill_server_url

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialError",
    "NotFoundError",
    "NotGiven",
    "Operation",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseSpec",
    "SyncAPIClient",
    "Timeout",
    "UnprocessableEntityError",
    "async_to_raw_response_wrapper",
    "basic_auth",
    "build_body",
    "build_query",
    "build_url",
    "fill_server_url",
    "finish",
    "make_status_error",
    "resolve",
    "to_raw_response_wrapper",
    "user_agent",
]
