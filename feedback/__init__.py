"""One way to tell every assistant vendor "this answer was good" (or bad, or never mind).

>>> adapter = FeedbackAdapter(generated.clarityq.Client())
>>> adapter.send(Target(product_id=..., conversation_id=...), Rating.POSITIVE, comment="spot on")
"""

from feedback.adapter import AsyncFeedbackAdapter, FeedbackAdapter, mapping_for
from feedback.mapping import UNSUPPORTED, CallbackRating, ValueRating, VendorMapping
from feedback.mappings import MAPPINGS
from feedback.vocabulary import (
    CommentTooLongError,
    FeedbackError,
    FeedbackResult,
    MissingTargetError,
    Part,
    Rating,
    Target,
    UnsupportedFeedbackError,
)

__all__ = [
    "MAPPINGS",
    "UNSUPPORTED",
    "AsyncFeedbackAdapter",
    "CallbackRating",
    "CommentTooLongError",
    "FeedbackAdapter",
    "FeedbackError",
    "FeedbackResult",
    "MissingTargetError",
    "Part",
    "Rating",
    "Target",
    "UnsupportedFeedbackError",
    "ValueRating",
    "VendorMapping",
    "mapping_for",
]
