"""Declarative description of how one vendor's generated client spells feedback.

A mapping names the client method and which of its arguments carry each part of the
vocabulary. ``tests/feedback/test_mappings.py`` checks every mapping against the generated
method's real signature, and ``method`` is a typed accessor, so a spec change that renames
an argument or a method fails CI rather than production.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from feedback.vocabulary import Rating

ClientT = TypeVar("ClientT")


class _Unsupported:
    def __repr__(self) -> str:
        return "UNSUPPORTED"


UNSUPPORTED: Any = _Unsupported()  # a rating value the vendor cannot express


@dataclass(frozen=True)
class ValueRating:
    """The rating is one argument with a value per rating (``None`` sends JSON null)."""

    argument: str
    positive: object
    negative: object
    cleared: object = UNSUPPORTED

    def value(self, rating: Rating) -> object:
        """The argument value for ``rating`` (may be UNSUPPORTED)."""
        return {Rating.POSITIVE: self.positive, Rating.NEGATIVE: self.negative, Rating.CLEARED: self.cleared}[rating]


@dataclass(frozen=True)
class CallbackRating:
    """The rating is chosen by sending the opaque callback token the message carried for it."""

    argument: str


@dataclass(frozen=True)
class VendorMapping(Generic[ClientT]):
    """How one vendor's client carries feedback."""

    vendor: str
    method: Callable[[ClientT], Callable[..., Any]]  # client -> bound method, type-checked by mypy
    target: Mapping[str, str]  # Target attribute -> method argument; all required
    rating: ValueRating | CallbackRating
    comment: str | None = None  # argument for free text, None if the vendor has none
    tags: str | None = None  # argument for a list of tags, None if the vendor has none
    max_comment: int | None = None  # longest comment the vendor accepts, in characters; longer ones are refused
    notes: str = ""
    extra: Mapping[str, object] = field(default_factory=dict)  # constant arguments

    def arguments(self) -> set[str]:
        """Every method argument this mapping uses."""
        names = set(self.target.values()) | {self.rating.argument} | set(self.extra)
        return names | {n for n in (self.comment, self.tags) if n}
