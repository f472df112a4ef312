"""The one vocabulary for user feedback, whatever the vendor: rating, comment, tags, target."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Rating(enum.Enum):
    """What the user said about an answer."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    CLEARED = "cleared"  # withdraw an earlier rating


@dataclass(frozen=True)
class Target:
    """What the feedback is about. Each vendor needs a different subset of these ids.

    ``callbacks`` holds Moveworks-style opaque tokens per rating, taken from the message
    (``feedback.helpful.callback_id`` → ``Rating.POSITIVE``).
    """

    conversation_id: str | None = None
    message_id: str | None = None
    response_id: str | None = None
    agent_id: str | None = None
    product_id: str | None = None
    callbacks: dict[Rating, str] = field(default_factory=dict)


class Part(enum.Enum):
    """A piece of feedback a vendor may be unable to carry."""

    RATING = "rating"
    COMMENT = "comment"
    TAGS = "tags"


class FeedbackError(Exception):
    """Base class of the interface's own errors."""


class UnsupportedFeedbackError(FeedbackError):
    """The vendor cannot carry part of the feedback and the caller did not allow dropping it."""

    def __init__(self, vendor: str, part: Part, reason: str) -> None:
        super().__init__(
            f"{vendor} cannot carry the {part.value}: {reason}. "
            f"Pass drop={{Part.{part.name}}} to send without it (the result will list it as dropped)."
        )
        self.vendor = vendor
        self.part = part


class MissingTargetError(FeedbackError):
    """The target lacks ids the vendor needs; ``missing`` names every one (``Target`` attributes)."""

    def __init__(self, vendor: str, missing: list[str]) -> None:
        super().__init__(f"{vendor} needs " + ", ".join(f"target.{attr}" for attr in missing))
        self.vendor = vendor
        self.missing = tuple(missing)


class CommentTooLongError(FeedbackError):
    """The comment is longer than the vendor accepts; nothing was sent."""

    def __init__(self, vendor: str, length: int, limit: int) -> None:
        super().__init__(f"{vendor} accepts comments of at most {limit} characters; this one has {length}")
        self.vendor = vendor
        self.length = length
        self.limit = limit


@dataclass(frozen=True)
class FeedbackResult:
    """What was sent, what was dropped on the caller's request, and the vendor's answer."""

    vendor: str
    sent: bool
    dropped: tuple[Part, ...] = ()
    response: object = None
