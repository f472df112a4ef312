"""Runtime shared by generated API clients (copied verbatim into each as ``_runtime``)."""

from ._auth import basic_auth, resolve
from ._base_client import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncAPIClient,
    SyncAPIClient,
)
from ._body import build_body, jsonable
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
from ._lazy import LazyModule
from ._multipart import FileContent, FileInput
from ._operation import Operation, ResponseSpec
from ._params import ParamStyle
from ._raw import (
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    finish,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from ._response import APIResponse
from ._sse import ServerSentEvent
from ._streaming import AsyncStream, AsyncStreamedResponse, Stream, StreamedResponse
from ._types import NOT_GIVEN, NotGiven, Timeout
from ._urls import build_query, build_url, fill_server_url

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
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
    "AsyncStream",
    "AsyncStreamedResponse",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "FileContent",
    "FileInput",
    "InternalServerError",
    "LazyModule",
    "MissingCredentialError",
    "NotFoundError",
    "NotGiven",
    "Operation",
    "ParamStyle",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseSpec",
    "ServerSentEvent",
    "Stream",
    "StreamedResponse",
    "SyncAPIClient",
    "Timeout",
    "UnprocessableEntityError",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "basic_auth",
    "build_body",
    "build_query",
    "build_url",
    "fill_server_url",
    "finish",
    "jsonable",
    "make_status_error",
    "resolve",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
    "user_agent",
]
