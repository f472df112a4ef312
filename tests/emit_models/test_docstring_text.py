"""Spec prose inside generated docstrings reads back exactly (models put field descriptions there)."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit.pysource import docstring_text

QUOTES = st.lists(st.sampled_from(['"', '"""', "\\", "\\\\", "a", "'", "\n", "\x00"]), max_size=8).map("".join)


@settings(max_examples=300, derandomize=True)
@given(text=st.one_of(QUOTES, st.text(max_size=20)))
def test_docstring_text_round_trips(text: str) -> None:
    assert ast.literal_eval('"""' + docstring_text(text) + '"""') == text


def test_an_escaped_final_quote_is_not_escaped_twice() -> None:
    # '"""' was written `\"\"\\"`: the last backslash escaped the escape and left a bare quote.
    assert ast.literal_eval('"""' + docstring_text('"""') + '"""') == '"""'
