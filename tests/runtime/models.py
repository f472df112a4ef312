"""Pydantic models shaped like datamodel-code-generator output (snake_case + wire aliases)."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from generator.runtime import Operation, ResponseSpec


class Rating(Enum):
    thumbs_up = "thumbs_up"
    thumbs_down = "thumbs_down"


class FeedbackRequest(BaseModel):
    # extra="forbid" as the generator emits for additionalProperties: false.
    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(..., alias="messageId")
    rating: Rating | None = None
    comment: str | None = Field(None, max_length=50)


class Author(BaseModel):
    user_id: str = Field(..., alias="userId")
    role: Rating


class Feedback(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feedback_id: str = Field(..., alias="feedbackId")
    rating: Rating
    score: int
    authors: list[Author] = []


class ErrorBody(BaseModel):
    code: str
    message: str


class ValidationErrorBody(BaseModel):
    detail: list[dict[str, object]]


GET_ITEM = Operation(
    method="GET",
    path="/v1/items/{item_id}",
    operation_id="getItem",
    idempotent=True,
    responses={
        "200": ResponseSpec(Feedback, "application/json"),
        "422": ResponseSpec(ValidationErrorBody, "application/json"),
        "4XX": ResponseSpec(ErrorBody, "application/json"),
        "default": ResponseSpec(ErrorBody, "application/json"),
    },
)

CREATE_FEEDBACK = Operation(
    method="POST",
    path="/v1/conversations/{conversation_id}/feedback",
    operation_id="createFeedback",
    idempotent=False,
    responses={
        "201": ResponseSpec(Feedback, "application/json"),
        "204": ResponseSpec(None, None),
        "default": ResponseSpec(ErrorBody, "application/json"),
    },
)

FEEDBACK_JSON = {"feedbackId": "f1", "rating": "thumbs_up", "score": 5}
