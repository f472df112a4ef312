"""Invalid requests sent raw (httpx, no client-side checks) get problem+json listing every problem, located."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from generator.mock import MockServer
from tests.mock.conftest import CATALOG, CONVERSATION, PRODUCT

MockApi = Callable[..., MockServer]
CLARITYQ_PATH = f"/api/v1/products/{PRODUCT}/conversations/{CONVERSATION}/feedback"
BEARER = {"Authorization": "Bearer t0ken"}


def problems(response: httpx.Response) -> dict[str, str]:
    assert response.headers["content-type"] == "application/problem+json"
    doc = response.json()
    assert doc["status"] == response.status_code
    return {e["location"]: e["message"] for e in doc["errors"]}


def test_every_problem_is_listed_with_its_location(mock_api: MockApi) -> None:
    mock = mock_api("clarityq")
    body = {"rating": "GREAT", "comment": "x" * 2001}
    r = httpx.put(mock.url + CLARITYQ_PATH, json=body)  # no X-API-Key either
    found = problems(r)
    assert r.status_code == 401  # a missing credential answers 401, and still lists the body's problems
    assert set(found) == {"credential/ApiKeyAuth", "body/rating", "body/comment"}
    assert "X-API-Key" in found["credential/ApiKeyAuth"]
    assert "longer than 2000 characters" in found["body/comment"]
    assert '"GREAT" is not one of "POSITIVE" or "NEGATIVE"' in found["body/rating"]
    [entry] = mock.journal
    assert entry["valid"] is False and len(entry["problems"]) == 3


def test_body_too_long_and_wrong_enum_get_the_documented_422(mock_api: MockApi) -> None:
    mock = mock_api("algolia")
    headers = {"x-algolia-application-id": "app", "x-algolia-api-key": "key"}
    body = {"agentId": "a", "messageId": "m", "vote": 7, "notes": "n" * 1001, "tags": ["t" * 51]}
    r = httpx.post(mock.url + "/1/feedback", json=body, headers=headers)
    assert r.status_code == 422
    found = problems(r)
    assert set(found) == {"body/vote", "body/notes", "body/tags/0"}
    assert "longer than 1000 characters" in found["body/notes"]
    assert "7 is not one of 0 or 1" in found["body/vote"]


def test_missing_required_query_and_bad_values_get_the_documented_400(mock_api: MockApi) -> None:
    mock = mock_api(str(CATALOG))
    r = httpx.get(mock.url + "/items?status=gone&tag=" + "x" * 21 + "&page=2", headers=BEARER)
    assert r.status_code == 400  # the operation documents 400, not 422
    found = problems(r)
    assert found["query/limit"] == "required query parameter is missing"
    assert "is not one of" in found["query/status"]
    assert "query/tag/0" in found
    assert found["query/page"] == "query parameter is not declared by the operation"


def test_missing_credential_alone_gets_401(mock_api: MockApi) -> None:
    for vendor, path, body in [
        ("elevenlabs", "/v1/convai/conversations/c1/feedback", {"feedback": "like"}),
        ("moveworks", "/conversations/c/responses/r/messages/m/feedback", {"callback_id": "cb"}),
    ]:
        mock = mock_api(vendor)
        r = httpx.post(mock.url + path, json=body, headers={"Assistant-Name": "a"})
        assert r.status_code == 401, r.text
        assert [loc for loc in problems(r) if loc.startswith("credential/")], r.text


def test_typed_parameters_and_formats(mock_api: MockApi) -> None:
    mock = mock_api(str(CATALOG))
    found = problems(httpx.get(mock.url + "/items/not-a-uuid", headers=BEARER))
    assert found == {"path/item_id": '"not-a-uuid" is not a "uuid"'}
    found = problems(httpx.get(mock.url + "/items?limit=many", headers=BEARER))
    assert found == {"query/limit": "'many' is not an integer"}
    found = problems(httpx.get(mock.url + "/items?limit=0", headers=BEARER))
    assert found == {"query/limit": "0 is less than the minimum of 1"}
    assert httpx.get(mock.url + "/items?limit=5&tag=a&tag=b", headers=BEARER).status_code == 200


def test_body_shape_problems(mock_api: MockApi) -> None:
    mock = mock_api(str(CATALOG))
    url = mock.url + "/items"
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, {"body": "not JSON"}),
        ({"content": b"name=x", "headers": {"Content-Type": "text/plain"}}, {"header/content-type": "is not declared"}),
        ({}, {"body": "required request body is missing"}),
        ({"json": {"status": "draft", "sku": "abc"}}, {"body": "required property", "body/sku": "does not match"}),
    ]
    for kwargs, expected in cases:
        found = problems(httpx.post(url, headers={**BEARER, **kwargs.pop("headers", {})}, **kwargs))
        assert set(found) == set(expected), found
        for where, words in expected.items():
            assert words in found[where], found


def test_unknown_path_and_method(mock_api: MockApi) -> None:
    mock = mock_api(str(CATALOG))
    r = httpx.get(mock.url + "/nothing", headers=BEARER)
    assert r.status_code == 404 and "path" in problems(r)
    r = httpx.delete(mock.url + "/items", headers=BEARER)
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
    r = httpx.get(mock.url.removesuffix("/v2") + "/items", headers=BEARER)
    assert r.status_code == 404 and "base path" in problems(r)["path"]


def test_form_bodies_and_cookies_are_checked_field_by_field(mock_api: MockApi) -> None:
    mock = mock_api(str(CATALOG))
    search = mock.url + "/items/search"
    found = problems(httpx.post(search, data={"page": "0", "extra": "x"}, headers=BEARER))
    assert found == {"body/q": "required form field is missing", "body/page": "0 is less than the minimum of 1"}
    assert httpx.post(search, data={"q": "lamp", "page": "2"}, headers=BEARER).status_code == 200
    upload = mock.url + "/items/3f1c2a4e-1b2c-4d3e-8f40-5a6b7c8d9e0f/image"
    found = problems(
        httpx.put(upload, data={"caption": "c" * 81, "position": "left"}, files={"x": b"1"}, headers=BEARER)
    )
    assert set(found) == {"body/file", "body/caption", "body/position"}
    assert found["body/position"] == "'left' is not an integer"
    ok = httpx.put(upload, data={"caption": "front"}, files={"file": ("a.png", b"\x89PNG...")}, headers=BEARER)
    assert ok.status_code == 204, ok.text
    found = problems(httpx.get(mock.url + "/items?limit=1", headers=BEARER, cookies={"region": "mars"}))
    assert found == {"cookie/region": '"mars" is not one of "eu" or "us"'}
