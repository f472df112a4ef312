"""The vendors' mappings. Adding a vendor is adding one entry here (see README).

The generated packages are imported for type checking only: mypy checks each accessor
against its client, while at run time a package is imported when a client is built
(``feedback.vendors.client_package``), by the ``package`` its ``vendor.yaml`` configures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from feedback.mapping import UNSUPPORTED, CallbackRating, ValueRating, VendorMapping

if TYPE_CHECKING:
    import generated.algolia as algolia
    import generated.clarityq as clarityq
    import generated.elevenlabs as elevenlabs
    import generated.moveworks as moveworks


def _elevenlabs(c: elevenlabs.Client | elevenlabs.AsyncClient) -> Any:
    return c.conversational_ai.conversations.feedback.create


def _moveworks(c: moveworks.Client | moveworks.AsyncClient) -> Any:
    return c.messages.submit_feedback


def _algolia(c: algolia.Client | algolia.AsyncClient) -> Any:
    return c.feedback.create_feedback


def _clarityq(c: clarityq.Client | clarityq.AsyncClient) -> Any:
    return c.feedback.submit_conversation_feedback


ELEVENLABS: VendorMapping[Any] = VendorMapping(
    vendor="elevenlabs",
    method=_elevenlabs,
    target={"conversation_id": "conversation_id"},
    rating=ValueRating("feedback", positive="like", negative="dislike", cleared=None),
    notes="per conversation; no comment field",
)
MOVEWORKS: VendorMapping[Any] = VendorMapping(
    vendor="moveworks",
    method=_moveworks,
    target={"conversation_id": "conversation_id", "response_id": "response_id", "message_id": "message_id"},
    rating=CallbackRating("callback_id"),
    comment="additional_feedback",
    notes="the message's feedback.helpful / feedback.unhelpful callback_id selects the rating",
)
ALGOLIA: VendorMapping[Any] = VendorMapping(
    vendor="algolia",
    method=_algolia,
    target={"message_id": "message_id", "agent_id": "agent_id"},
    rating=ValueRating("vote", positive=1, negative=0, cleared=UNSUPPORTED),
    comment="notes",
    tags="tags",
    max_comment=1000,
    notes="each call creates a new entry; there is no way to clear a vote",
)
CLARITYQ: VendorMapping[Any] = VendorMapping(
    vendor="clarityq",
    method=_clarityq,
    target={"product_id": "product_id", "conversation_id": "conversation_id"},
    rating=ValueRating("rating", positive="POSITIVE", negative="NEGATIVE", cleared=None),
    comment="comment",
    max_comment=2000,
    notes="per conversation's latest answer; null clears the rating",
)

MAPPINGS: dict[str, VendorMapping[Any]] = {m.vendor: m for m in (ELEVENLABS, MOVEWORKS, ALGOLIA, CLARITYQ)}
