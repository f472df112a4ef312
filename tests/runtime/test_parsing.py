"""Lenient response parsing: strict first, raw values kept where the spec lags behind."""

from __future__ import annotations

from typing import Any

from models import Author, Feedback, Rating

from generator.runtime._parsing import get_adapter, lenient_validate


def test_valid_data_is_strictly_validated():
    parsed = lenient_validate(Feedback, {"feedbackId": "f", "rating": "thumbs_up", "score": "5"})
    assert isinstance(parsed, Feedback)
    assert parsed.rating is Rating.thumbs_up
    assert parsed.score == 5


def test_unknown_enum_value_and_extra_fields_do_not_crash():
    data = {
        "feedbackId": "f",
        "rating": "neutral",  # enum value added by the vendor after the spec
        "score": 3,
        "newField": {"a": 1},  # field the spec does not know (model forbids extras)
        "authors": [{"userId": "u1", "role": "thumbs_up"}, {"userId": "u2", "role": "robot"}],
    }
    parsed = lenient_validate(Feedback, data)
    assert isinstance(parsed, Feedback)
    assert parsed.feedback_id == "f"
    assert parsed.rating == "neutral"  # raw value kept
    assert parsed.score == 3
    assert parsed.model_extra == {"newField": {"a": 1}}
    first, second = parsed.authors
    assert isinstance(first, Author) and first.role is Rating.thumbs_up
    assert isinstance(second, Author) and second.role == "robot"
    assert "feedback_id" in parsed.model_fields_set


def test_missing_required_field_becomes_none():
    parsed = lenient_validate(Feedback, {"feedbackId": "f", "rating": "thumbs_up"})
    assert parsed.score is None
    assert parsed.authors == []  # default kept


def test_collections_and_optionals():
    items = lenient_validate(list[Author], [{"userId": "u", "role": "x"}])
    assert isinstance(items[0], Author) and items[0].role == "x"
    mapping = lenient_validate(dict[str, Author], {"k": {"userId": "u", "role": "y"}})
    assert mapping["k"].role == "y"
    optional = lenient_validate(Author | None, {"userId": "u", "role": "z"})
    assert isinstance(optional, Author) and optional.role == "z"
    assert lenient_validate(Author | None, None) is None
    assert lenient_validate(Any, {"x": 1}) == {"x": 1}
    assert lenient_validate(int, "not a number") == "not a number"


def test_adapters_are_cached():
    assert get_adapter(list[Author]) is get_adapter(list[Author])
