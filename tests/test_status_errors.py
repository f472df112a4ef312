"""The names the generator prints for statuses are the exceptions the runtime really raises."""

from __future__ import annotations

import pytest

from generator.ir.status_errors import exception_name
from generator.runtime._exceptions import status_error_class


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 405, 408, 409, 410, 418, 422, 429, 500, 502, 503, 599])
def test_names_match_runtime(status: int) -> None:
    assert exception_name(str(status)) == status_error_class(status).__name__


def test_ranges_and_default() -> None:
    assert exception_name("5XX") == "InternalServerError"
    assert exception_name("4XX") == exception_name("default") == "APIStatusError"
