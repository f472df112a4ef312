"""``python -m generator feedback send VENDOR ...``: try the unified feedback interface from a shell."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any

from generator.errors import GeneratorError


def register(sub: Any) -> None:
    """Add ``feedback send`` to the CLI."""
    fb = sub.add_parser("feedback", help="send feedback through the one interface (feedback/)")
    actions = fb.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    send = actions.add_parser(
        "send",
        help="send one rating to a vendor; credentials come from the vendor's environment variables",
        description="Example: feedback send clarityq --base-url http://127.0.0.1:8000 --product-id P "
        "--conversation-id C --rating positive --comment 'spot on'",
    )
    send.add_argument("vendor", help="a vendor with a feedback mapping (elevenlabs, moveworks, algolia, clarityq)")
    send.add_argument("--rating", required=True, choices=["positive", "negative", "cleared"])
    send.add_argument("--comment")
    send.add_argument("--tag", action="append", default=[], dest="tags", help="repeatable")
    send.add_argument("--base-url", help="send here instead of the vendor's server (e.g. a local mock)")
    for name in ("conversation-id", "message-id", "response-id", "agent-id", "product-id"):
        send.add_argument(f"--{name}")
    send.add_argument(
        "--callback",
        action="append",
        default=[],
        metavar="RATING=TOKEN",
        help="Moveworks callback id per rating, e.g. positive=eyJ... (repeatable)",
    )
    send.add_argument(
        "--drop",
        action="append",
        default=[],
        choices=["rating", "comment", "tags"],
        help="allow dropping a part the vendor cannot carry (repeatable); reported in the result",
    )
    send.add_argument("--timeout", type=float, default=30.0)
    send.set_defaults(func=run_send)


def run_send(args: argparse.Namespace) -> int:
    """Build the vendor's client, send through its adapter, print the result as JSON."""
    from feedback import MAPPINGS, FeedbackAdapter, FeedbackError, Part, Rating, Target, UnsupportedFeedbackError

    if args.vendor not in MAPPINGS:
        raise GeneratorError(f"no feedback mapping for {args.vendor!r} (known: {', '.join(sorted(MAPPINGS))})")
    package = importlib.import_module(f"generated.{args.vendor}")
    callbacks = {}
    for item in args.callback:
        rating, sep, token = item.partition("=")
        if not sep or rating not in ("positive", "negative"):
            raise GeneratorError(f"--callback expects positive=TOKEN or negative=TOKEN, got {item!r}")
        callbacks[Rating(rating)] = token
    target = Target(
        conversation_id=args.conversation_id,
        message_id=args.message_id,
        response_id=args.response_id,
        agent_id=args.agent_id,
        product_id=args.product_id,
        callbacks=callbacks,
    )
    try:
        client = package.Client(
            **({"base_url": args.base_url} if args.base_url else {}), timeout=args.timeout, max_retries=0
        )
        with client:
            result = FeedbackAdapter(client).send(
                target,
                Rating(args.rating),
                comment=args.comment,
                tags=args.tags or None,
                drop={Part(d) for d in args.drop},
            )
    except (FeedbackError, package.APIError) as exc:
        hint = f" On the command line: --drop {exc.part.value}." if isinstance(exc, UnsupportedFeedbackError) else ""
        print(f"error: {type(exc).__name__}: {exc}{hint}", file=sys.stderr)
        return 2
    response = result.response.model_dump(mode="json") if hasattr(result.response, "model_dump") else result.response
    print(
        json.dumps(
            {
                "vendor": result.vendor,
                "sent": result.sent,
                "dropped": [p.value for p in result.dropped],
                "response": response,
            },
            indent=2,
            default=str,
        )
    )
    return 0
