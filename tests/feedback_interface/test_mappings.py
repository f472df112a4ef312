"""Each mapping must match the generated client it drives; each unsupported combination must be explicit."""

from __future__ import annotations

import importlib
import inspect
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from feedback import (
    MAPPINGS,
    CommentTooLongError,
    FeedbackAdapter,
    MissingTargetError,
    Part,
    Rating,
    Target,
    UnsupportedFeedbackError,
    VendorMapping,
)
from feedback.adapter import plan

CLIENT_ARGS = {
    "elevenlabs": {"api_key": "k"},
    "moveworks": {"access_token": "t", "assistant_name": "a"},
    "algolia": {"application_id": "app", "api_key": "k"},
    "clarityq": {"api_key": "k"},
}
FULL_TARGET = Target(
    conversation_id="c",
    message_id="m",
    response_id="r",
    agent_id="a",
    product_id="p",
    callbacks={Rating.POSITIVE: "cb-up", Rating.NEGATIVE: "cb-down"},
)


@pytest.mark.parametrize("vendor", sorted(MAPPINGS))
@pytest.mark.parametrize("kind", ["Client", "AsyncClient"])
def test_mapping_matches_generated_signature(vendor: str, kind: str) -> None:
    # A spec change that renames an argument the mapping uses must fail here, in CI.
    mapping = MAPPINGS[vendor]
    client = getattr(importlib.import_module(f"generated.{vendor}"), kind)(**CLIENT_ARGS[vendor])
    method = mapping.method(client)
    params = inspect.signature(method).parameters
    missing = mapping.arguments() - set(params)
    assert not missing, f"{vendor} mapping uses arguments the generated method lacks: {missing}"
    required = {n for n, p in params.items() if p.default is inspect.Parameter.empty}
    assert required <= mapping.arguments(), f"{vendor} method requires arguments the mapping never fills: {required}"


def test_mapping_mismatch_is_caught() -> None:
    renamed = VendorMapping(
        vendor="clarityq",
        method=MAPPINGS["clarityq"].method,
        target={"product_id": "product_id", "conversation_id": "conversation_id"},
        rating=MAPPINGS["clarityq"].rating,
        comment="remark",  # not an argument of the generated method
    )
    client = importlib.import_module("generated.clarityq").Client(api_key="k")
    params = inspect.signature(renamed.method(client)).parameters
    assert renamed.arguments() - set(params) == {"remark"}


@pytest.mark.parametrize(
    ("vendor", "rating", "kwargs", "part"),
    [
        ("elevenlabs", Rating.POSITIVE, {"comment": "nice"}, Part.COMMENT),
        ("elevenlabs", Rating.POSITIVE, {"tags": ["t"]}, Part.TAGS),
        ("algolia", Rating.CLEARED, {}, Part.RATING),
        ("moveworks", Rating.CLEARED, {}, Part.RATING),
        ("clarityq", Rating.NEGATIVE, {"tags": ["t"]}, Part.TAGS),
    ],
)
def test_unsupported_raises_then_drops_on_request(vendor: str, rating: Rating, kwargs: Any, part: Part) -> None:
    mapping = MAPPINGS[vendor]
    with pytest.raises(UnsupportedFeedbackError) as info:
        plan(mapping, FULL_TARGET, rating, kwargs.get("comment"), kwargs.get("tags"), drop=())
    assert info.value.part is part and vendor in str(info.value)
    call, dropped = plan(mapping, FULL_TARGET, rating, kwargs.get("comment"), kwargs.get("tags"), drop={part})
    assert dropped == (part,)
    if part is Part.RATING:
        assert call is None  # nothing left worth sending
    else:
        assert call is not None
        dropped_value = kwargs.get("comment", kwargs.get("tags"))
        assert dropped_value not in call.values()  # really not sent


def test_moveworks_needs_the_callback_for_the_chosen_rating() -> None:
    target = Target(conversation_id="c", response_id="r", message_id="m", callbacks={Rating.POSITIVE: "cb-up"})
    with pytest.raises(UnsupportedFeedbackError, match="no callback id for negative"):
        plan(MAPPINGS["moveworks"], target, Rating.NEGATIVE, None, None, drop=())
    call, _ = plan(MAPPINGS["moveworks"], target, Rating.POSITIVE, "why", None, drop=())
    assert call == {
        "conversation_id": "c",
        "response_id": "r",
        "message_id": "m",
        "callback_id": "cb-up",
        "additional_feedback": "why",
    }


def test_missing_target_ids_are_all_named() -> None:
    with pytest.raises(MissingTargetError, match=r"target\.agent_id"):
        plan(MAPPINGS["algolia"], Target(message_id="m"), Rating.POSITIVE, None, None, drop=())
    with pytest.raises(MissingTargetError) as info:
        plan(MAPPINGS["algolia"], Target(), Rating.POSITIVE, None, None, drop=())
    assert info.value.missing == ("message_id", "agent_id")


def test_a_comment_is_not_lost_silently_when_the_rating_is_dropped() -> None:
    # Dropping the rating sends nothing, so the comment goes too: refused unless named, then listed.
    target = Target(conversation_id="c", response_id="r", message_id="m")
    with pytest.raises(UnsupportedFeedbackError, match="comment: nothing is sent") as info:
        plan(MAPPINGS["moveworks"], target, Rating.CLEARED, "hi", None, drop={Part.RATING})
    assert info.value.part is Part.COMMENT
    call, dropped = plan(MAPPINGS["moveworks"], target, Rating.CLEARED, "hi", ["t"], drop=set(Part))
    assert call is None and dropped == (Part.RATING, Part.COMMENT, Part.TAGS)


@pytest.mark.parametrize("vendor", sorted(v for v, m in MAPPINGS.items() if m.max_comment is not None))
def test_comment_longer_than_the_vendor_accepts_is_refused(vendor: str) -> None:
    mapping = MAPPINGS[vendor]
    limit = mapping.max_comment
    assert limit is not None
    call, _ = plan(mapping, FULL_TARGET, Rating.POSITIVE, "x" * limit, None, drop=())
    assert call is not None and call[mapping.comment or ""] == "x" * limit
    with pytest.raises(CommentTooLongError, match=f"at most {limit} characters; this one has {limit + 1}"):
        plan(mapping, FULL_TARGET, Rating.POSITIVE, "x" * (limit + 1), None, drop=())


def test_adapter_picks_mapping_from_client() -> None:
    client = importlib.import_module("generated.algolia").Client(application_id="app", api_key="k")
    assert FeedbackAdapter(client).mapping is MAPPINGS["algolia"]
    with pytest.raises(TypeError, match="no feedback mapping"):
        FeedbackAdapter(object())


def test_vendor_package_is_found_installed_when_not_in_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Outside a checkout there is no generated/: the configured package is imported as installed.
    from feedback import vendors

    site = tmp_path / "site-packages"
    shutil.copytree(
        vendors.ROOT / "generated" / "algolia", site / "algolia", ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setattr(vendors, "ROOT", tmp_path / "no-checkout")
    monkeypatch.syspath_prepend(str(site))
    try:
        package = vendors.client_package("algolia")
        assert package.__name__ == "algolia" and Path(package.__file__).is_relative_to(site)
        client = package.Client(application_id="app", api_key="k")
        assert FeedbackAdapter(client).mapping is MAPPINGS["algolia"]
        with pytest.raises(vendors.PackageNotFoundError, match=r"neither .* exists nor is 'nowhere' installed"):
            vendors.client_package("nowhere")
    finally:
        for name in [m for m in sys.modules if m == "algolia" or m.startswith("algolia.")]:
            del sys.modules[name]
