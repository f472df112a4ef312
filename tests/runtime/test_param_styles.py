"""Parameter serialization, row by row from the OpenAPI specification's style-examples table.

The table (OpenAPI 3.1 "Style Examples") serializes a parameter ``color`` holding an empty
string, ``"blue"``, ``["blue", "black", "brown"]`` and ``{"R": 100, "G": 200, "B": 150}``.
Each cell is checked on the wire, as the loopback server received it, sync and async.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import MakeRunner
from runtime_server import Reply, ScriptedServer

from generator.runtime import Operation, ParamStyle, ResponseSpec

EMPTY = ""
STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}
VALUES = {"empty": EMPTY, "string": STRING, "array": ARRAY, "object": OBJECT}

# style, explode, {column: expected}; columns the table marks n/a are absent.
TABLE: list[tuple[str, bool, dict[str, str]]] = [
    ("matrix", False, {"empty": ";color", "string": ";color=blue", "array": ";color=blue,black,brown",
                       "object": ";color=R,100,G,200,B,150"}),
    ("matrix", True, {"empty": ";color", "string": ";color=blue", "array": ";color=blue;color=black;color=brown",
                      "object": ";R=100;G=200;B=150"}),
    ("label", False, {"empty": ".", "string": ".blue", "array": ".blue.black.brown", "object": ".R.100.G.200.B.150"}),
    ("label", True, {"empty": ".", "string": ".blue", "array": ".blue.black.brown", "object": ".R=100.G=200.B=150"}),
    ("form", False, {"empty": "color=", "string": "color=blue", "array": "color=blue,black,brown",
                     "object": "color=R,100,G,200,B,150"}),
    ("form", True, {"empty": "color=", "string": "color=blue", "array": "color=blue&color=black&color=brown",
                    "object": "R=100&G=200&B=150"}),
    ("simple", False, {"string": "blue", "array": "blue,black,brown", "object": "R,100,G,200,B,150"}),
    ("simple", True, {"string": "blue", "array": "blue,black,brown", "object": "R=100,G=200,B=150"}),
    # The table prints these two without the leading "color=" that the query carries.
    ("spaceDelimited", False, {"array": "blue%20black%20brown", "object": "R%20100%20G%20200%20B%20150"}),
    ("pipeDelimited", False, {"array": "blue|black|brown", "object": "R|100|G|200|B|150"}),
    ("deepObject", True, {"object": "color[R]=100&color[G]=200&color[B]=150"}),
]  # fmt: skip

ROWS = [
    pytest.param(style, explode, column, expected, id=f"{style}-{'explode' if explode else 'no-explode'}-{column}")
    for style, explode, cells in TABLE
    for column, expected in cells.items()
]


def _op(path: str, location: str, style: str, explode: bool, name: str = "color") -> Operation:
    return Operation(
        method="GET",
        path=path,
        operation_id="getColor",
        idempotent=True,
        responses={"200": ResponseSpec(None, None)},
        styles={(location, name): ParamStyle(style, explode)},
    )


@pytest.mark.parametrize(("style", "explode", "column", "expected"), ROWS)
async def test_style_table_row(
    server: ScriptedServer, make_runner: MakeRunner, style: str, explode: bool, column: str, expected: str
) -> None:
    value: Any = VALUES[column]
    runner = make_runner()
    if style in ("matrix", "label"):
        # RFC 6570 style: the expression carries its own prefix, appended to the segment.
        server.script(Reply(200))
        await runner.request(_op("/v1/colors{color}", "path", style, explode), path_params={"color": value})
        assert server.requests[-1].path == "/v1/colors" + expected
    elif style == "simple":
        server.script(Reply(200), Reply(200))
        await runner.request(_op("/v1/colors/{color}", "path", style, explode), path_params={"color": value})
        assert server.requests[-1].path == "/v1/colors/" + expected
        # simple is also the header style.
        await runner.request(_op("/v1/colors", "header", style, explode, "X-Color"), headers={"X-Color": value})
        assert server.requests[-1].headers["x-color"] == expected
    else:
        server.script(Reply(200))
        await runner.request(_op("/v1/colors", "query", style, explode), query={"color": value})
        query = expected if style in ("form", "deepObject") else f"color={expected}"
        assert server.requests[-1].path == "/v1/colors?" + query


def test_table_covers_every_row_of_the_specification() -> None:
    # 11 rows; 4 + 4 + 4 + 4 + 4 + 4 + 3 + 3 + 2 + 2 + 1 cells that are not n/a.
    assert len(TABLE) == 11
    assert len(ROWS) == 35


@pytest.mark.parametrize(
    ("explode", "value", "cookie"),
    [
        (True, "blue", "color=blue"),
        (False, ARRAY, "color=blue,black,brown"),
        (True, ARRAY, "color=blue; color=black; color=brown"),
        (False, OBJECT, "color=R,100,G,200,B,150"),
        (True, OBJECT, "R=100; G=200; B=150"),
        (True, "a b;c", "color=a%20b%3Bc"),  # what RFC 6265 forbids in a cookie value is encoded
    ],
)
async def test_cookie_parameters_are_sent_form_style(
    server: ScriptedServer, make_runner: MakeRunner, explode: bool, value: Any, cookie: str
) -> None:
    server.script(Reply(200))
    runner = make_runner()
    await runner.request(_op("/v1/colors", "cookie", "form", explode), cookies={"color": value})
    assert server.requests[-1].headers["cookie"] == cookie


async def test_content_encoded_and_date_parameters(server: ScriptedServer, make_runner: MakeRunner) -> None:
    op = Operation(
        method="GET",
        path="/v1/search",
        operation_id="search",
        idempotent=True,
        responses={"200": ResponseSpec(None, None)},
        styles={("query", "filter"): ParamStyle("form", True, content_type="application/json")},
    )
    server.script(Reply(200))
    runner = make_runner()
    await runner.request(
        op,
        query={
            "filter": {"color": "red", "size": 2},
            "since": dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC),
            "day": dt.date(2024, 5, 1),
        },
    )
    assert server.requests[-1].path == (
        "/v1/search?filter=%7B%22color%22%3A%22red%22%2C%22size%22%3A2%7D"
        "&since=2024-05-01T12%3A30%3A00%2B00%3A00&day=2024-05-01"
    )


async def test_deep_object_with_a_model_and_reserved_characters(
    server: ScriptedServer, make_runner: MakeRunner
) -> None:
    from models import FeedbackRequest

    server.script(Reply(200))
    runner = make_runner()
    body = FeedbackRequest.model_validate({"messageId": "m&1=x"})
    await runner.request(_op("/v1/colors", "query", "deepObject", True), query={"color": body})
    # Wire names (aliases), values percent-encoded so '&' and '=' cannot start a new pair.
    assert server.requests[-1].path == "/v1/colors?color[messageId]=m%261%3Dx"


async def test_cookie_names_cannot_add_cookies(server: ScriptedServer, make_runner: MakeRunner) -> None:
    from generator.runtime import RequestValidationError

    server.script(Reply(200))
    runner = make_runner()
    await runner.request(_op("/v1/colors", "cookie", "form", True, "a=b; c"), cookies={"a=b; c": "v"})
    assert server.requests[-1].headers["cookie"] == "a%3Db%3B%20c=v"
    with pytest.raises(RequestValidationError, match="Invalid header name"):
        make_runner(auth_cookies={"sid; admin=1": "s"})  # a credential's cookie name is refused up front
