"""Which runtime exception each documented response status raises, named for docs and diffs.

The runtime decides this when a response arrives (``runtime/_exceptions.status_error_class``);
the generator only needs the names. ``tests/test_status_errors.py`` keeps the two in step.
"""

from __future__ import annotations

STATUS_EXCEPTIONS = {
    "400": "BadRequestError",
    "401": "AuthenticationError",
    "403": "PermissionDeniedError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "422": "UnprocessableEntityError",
    "429": "RateLimitError",
}


def exception_name(status: str) -> str:
    """The exception class a response with this OpenAPI status key raises (``"404"``, ``"5XX"``, ``"default"``)."""
    if status in STATUS_EXCEPTIONS:
        return STATUS_EXCEPTIONS[status]
    return "InternalServerError" if status.startswith("5") else "APIStatusError"
