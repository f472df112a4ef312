"""build_body: python names -> wire aliases, omitted vs None, min_properties."""

from __future__ import annotations

import pytest
from models import FeedbackRequest, Rating
from pydantic import BaseModel, Field

from generator.runtime import NOT_GIVEN, RequestValidationError, build_body


class Rate(BaseModel):
    rating: int | None = Field(None, ge=1, le=5)
    comment: str | None = None


class Wrapper(BaseModel):
    inner: FeedbackRequest
    items: list[FeedbackRequest] = []


def test_python_names_map_to_aliases():
    body = build_body(FeedbackRequest, {"message_id": "m", "rating": Rating.thumbs_down})
    assert body == {"messageId": "m", "rating": "thumbs_down"}


def test_wire_names_are_accepted_too():
    assert build_body(FeedbackRequest, {"messageId": "m"}) == {"messageId": "m"}


def test_not_given_is_omitted_and_none_is_null():
    assert build_body(FeedbackRequest, {"message_id": "m", "comment": NOT_GIVEN}) == {"messageId": "m"}
    assert build_body(FeedbackRequest, {"message_id": "m", "comment": None}) == {
        "messageId": "m",
        "comment": None,
    }


def test_instance_is_dumped_the_same_way():
    instance = FeedbackRequest(messageId="m", comment=None)
    assert build_body(FeedbackRequest, instance=instance) == {"messageId": "m", "comment": None}


def test_nested_instances_keep_unset_fields_out():
    body = build_body(Wrapper, {"inner": FeedbackRequest(messageId="a"), "items": []})
    assert body == {"inner": {"messageId": "a"}, "items": []}


def test_instance_and_fields_together_refused():
    with pytest.raises(RequestValidationError, match="not both"):
        build_body(FeedbackRequest, {"comment": "x"}, FeedbackRequest(messageId="m"))


def test_mutated_instance_is_revalidated():
    instance = FeedbackRequest.model_construct(message_id="m", comment="x" * 99)
    instance.model_fields_set.add("comment")
    with pytest.raises(RequestValidationError, match="comment"):
        build_body(FeedbackRequest, instance=instance)


def test_missing_required_and_unknown_field():
    with pytest.raises(RequestValidationError, match="messageId: Field required"):
        build_body(FeedbackRequest, {})
    with pytest.raises(RequestValidationError, match="Unknown field 'bogus'"):
        build_body(FeedbackRequest, {"message_id": "m", "bogus": 1})


def test_validation_error_is_a_value_error_without_input_values():
    with pytest.raises(ValueError) as info:
        build_body(Rate, {"rating": 99, "comment": 12345})
    message = str(info.value)
    assert "rating" in message and "comment" in message
    assert "99" not in message and "12345" not in message


def test_min_properties_refuses_empty_body():
    with pytest.raises(RequestValidationError) as info:
        build_body(Rate, {"rating": NOT_GIVEN, "comment": NOT_GIVEN}, min_properties=1)
    assert "at least 1" in str(info.value)
    assert "rating" in str(info.value) and "comment" in str(info.value)
    assert build_body(Rate, {"comment": "ok"}, min_properties=1) == {"comment": "ok"}
    # An explicit null is a property, as in JSON Schema.
    assert build_body(Rate, {"rating": None}, min_properties=1) == {"rating": None}
