"""Send feedback through a generated client using its vendor mapping."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from feedback.mapping import UNSUPPORTED, CallbackRating, VendorMapping
from feedback.mappings import MAPPINGS
from feedback.vendors import vendor_of_module
from feedback.vocabulary import (
    CommentTooLongError,
    FeedbackResult,
    MissingTargetError,
    Part,
    Rating,
    Target,
    UnsupportedFeedbackError,
)


def mapping_for(client: object) -> VendorMapping[Any]:
    """The mapping of the generated package ``client`` comes from."""
    module = type(client).__module__  # generated.elevenlabs._client in-tree, elevenlabs._client installed
    vendor = vendor_of_module(module, list(MAPPINGS))
    if vendor is None:
        raise TypeError(f"no feedback mapping for {type(client).__name__} from {module}")
    return MAPPINGS[vendor]


def plan(
    mapping: VendorMapping[Any],
    target: Target,
    rating: Rating,
    comment: str | None,
    tags: Sequence[str] | None,
    drop: Collection[Part],
) -> tuple[dict[str, Any] | None, tuple[Part, ...]]:
    """The keyword arguments to call the vendor with (None: nothing can be sent) and what was dropped."""
    vendor = mapping.vendor
    kwargs: dict[str, Any] = dict(mapping.extra)
    dropped: list[Part] = []
    missing = [attr for attr in mapping.target if getattr(target, attr) is None]
    if missing:
        raise MissingTargetError(vendor, missing)
    for attr, argument in mapping.target.items():
        kwargs[argument] = getattr(target, attr)

    def unsupported(part: Part, reason: str) -> None:
        if part not in drop:
            raise UnsupportedFeedbackError(vendor, part, reason)
        dropped.append(part)

    send = True
    if isinstance(mapping.rating, CallbackRating):
        token = target.callbacks.get(rating)
        if rating is Rating.CLEARED:
            unsupported(Part.RATING, "it has no way to withdraw a rating")
            send = False
        elif token is None:
            unsupported(Part.RATING, f"target.callbacks has no callback id for {rating.value}")
            send = False
        else:
            kwargs[mapping.rating.argument] = token
    else:
        value = mapping.rating.value(rating)
        if value is UNSUPPORTED:
            unsupported(Part.RATING, f"it has no value for a {rating.value} rating")
            send = False
        else:
            kwargs[mapping.rating.argument] = value
    # Once the rating is dropped nothing is sent, so a comment or tags would vanish with it: they are
    # refused (or, when the caller allows it, dropped and listed) like any other part that cannot go out.
    nothing_sent = "nothing is sent once the rating is dropped"
    if comment is not None:
        if mapping.comment is None:
            unsupported(Part.COMMENT, "it has no comment field")
        elif not send:
            unsupported(Part.COMMENT, nothing_sent)
        elif mapping.max_comment is not None and len(comment) > mapping.max_comment:
            raise CommentTooLongError(vendor, len(comment), mapping.max_comment)
        else:
            kwargs[mapping.comment] = comment
    if tags:
        if mapping.tags is None:
            unsupported(Part.TAGS, "it has no tags field")
        elif not send:
            unsupported(Part.TAGS, nothing_sent)
        else:
            kwargs[mapping.tags] = list(tags)
    return (kwargs if send else None), tuple(dropped)


class _Adapter:
    """What both adapters share: the client, its mapping, and turning a call into a result."""

    def __init__(self, client: object, mapping: VendorMapping[Any] | None = None) -> None:
        self.client = client
        self.mapping = mapping or mapping_for(client)

    def _prepare(
        self,
        target: Target,
        rating: Rating,
        comment: str | None,
        tags: Sequence[str] | None,
        drop: Collection[Part],
    ) -> tuple[Any, dict[str, Any] | None, tuple[Part, ...]]:
        """The bound client method, its keyword arguments (None: nothing to send), what was dropped."""
        kwargs, dropped = plan(self.mapping, target, rating, comment, tags, drop)
        return self.mapping.method(self.client), kwargs, dropped


class FeedbackAdapter(_Adapter):
    """``send(target, rating, comment=..., tags=...)`` on a generated sync client."""

    def send(
        self,
        target: Target,
        rating: Rating,
        *,
        comment: str | None = None,
        tags: Sequence[str] | None = None,
        drop: Collection[Part] = (),
    ) -> FeedbackResult:
        """Send the feedback; raise UnsupportedFeedbackError unless the missing part is in ``drop``."""
        method, kwargs, dropped = self._prepare(target, rating, comment, tags, drop)
        response = method(**kwargs) if kwargs is not None else None
        return FeedbackResult(self.mapping.vendor, sent=kwargs is not None, dropped=dropped, response=response)


class AsyncFeedbackAdapter(_Adapter):
    """``await send(target, rating, ...)`` on a generated async client."""

    async def send(
        self,
        target: Target,
        rating: Rating,
        *,
        comment: str | None = None,
        tags: Sequence[str] | None = None,
        drop: Collection[Part] = (),
    ) -> FeedbackResult:
        """Send the feedback; raise UnsupportedFeedbackError unless the missing part is in ``drop``."""
        method, kwargs, dropped = self._prepare(target, rating, comment, tags, drop)
        response = await method(**kwargs) if kwargs is not None else None
        return FeedbackResult(self.mapping.vendor, sent=kwargs is not None, dropped=dropped, response=response)
