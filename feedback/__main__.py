"""``python -m feedback send VENDOR ...``: send one rating through the unified interface from a shell."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from feedback.adapter import FeedbackAdapter, plan
from feedback.mapping import CallbackRating
from feedback.mappings import MAPPINGS
from feedback.vendors import client_package, vendor_config
from feedback.vocabulary import FeedbackError, MissingTargetError, Part, Rating, Target, UnsupportedFeedbackError
from generator.errors import GeneratorError

EXIT_OK, EXIT_USAGE, EXIT_INTERNAL, EXIT_REMOTE, EXIT_NETWORK = 0, 2, 3, 4, 5
EXIT_CODES = """exit codes:
  0  sent (or every part the vendor cannot carry was dropped with --drop, and listed)
  2  usage: bad or missing option, missing id or credential, a part the vendor cannot carry
  3  internal error (a bug; rerun with CODEGEN_DEBUG=1 for the traceback)
  4  the vendor answered with an error status or a body that does not match its spec
  5  network: the vendor could not be reached or did not answer in time"""
TARGET_OPTIONS = ("conversation_id", "message_id", "response_id", "agent_id", "product_id")


def option(attr: str) -> str:
    """The command-line spelling of a Target attribute or client argument: ``message_id`` -> ``--message-id``."""
    return "--" + attr.replace("_", "-")


def client_options() -> dict[str, list[tuple[str, str, str | None]]]:
    """Client arguments a vendor sets once per client (``client_headers`` of vendor.yaml): argument -> users."""
    found: dict[str, list[tuple[str, str, str | None]]] = {}
    for vendor in MAPPINGS:
        config = vendor_config(vendor)
        for header in config.client_headers if config else ():
            found.setdefault(header.argument, []).append((vendor, header.header, header.env))
    return found


def vendors_help() -> str:
    """Per vendor: the ids it needs and the environment variables its client reads."""
    lines = ["vendors:"]
    for vendor, mapping in MAPPINGS.items():
        config = vendor_config(vendor)
        needs = [option(a) for a in mapping.target]
        if isinstance(mapping.rating, CallbackRating):
            needs.append("--callback")
        lines.append(f"  {vendor}: needs {' '.join(needs)}")
        if config is None:
            lines.append("    (no vendor.yaml beside this checkout: credentials as the package's README says)")
            continue
        envs = [f"{c.env} ({c.argument})" for c in config.credentials]
        envs += [f"{h.env} (or {option(h.argument)})" for h in config.client_headers if h.env]
        lines.append(f"    reads {', '.join(envs)}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The ``feedback`` command line."""
    parser = argparse.ArgumentParser(
        prog="python -m feedback",
        description="Send user feedback to an assistant vendor through the one interface (feedback/).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    send = actions.add_parser(
        "send",
        help="send one rating to a vendor; credentials come from the vendor's environment variables",
        description="Example: python -m feedback send clarityq --base-url http://127.0.0.1:8000 --product-id P "
        "--conversation-id C --rating positive --comment 'spot on'",
        epilog=vendors_help() + "\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    send.add_argument("vendor", choices=sorted(MAPPINGS), metavar="VENDOR", help=", ".join(sorted(MAPPINGS)))
    send.add_argument("--rating", required=True, choices=[r.value for r in Rating])
    send.add_argument("--comment")
    send.add_argument("--tag", action="append", default=[], dest="tags", help="repeatable")
    send.add_argument("--base-url", help="send here instead of the vendor's server (e.g. a local mock)")
    ids = send.add_argument_group("what the feedback is about (each vendor needs some; see below)")
    for attr in TARGET_OPTIONS:
        ids.add_argument(option(attr), dest=attr)
    ids.add_argument(
        "--callback",
        action="append",
        default=[],
        metavar="RATING=TOKEN",
        help="Moveworks callback id per rating, e.g. positive=eyJ... (repeatable)",
    )
    vendor_specific = send.add_argument_group("vendor-specific client options")
    for argument, users in client_options().items():
        described = "; ".join(
            f"{v}: {header} header, else ${env}" if env else f"{v}: {header}" for v, header, env in users
        )
        vendor_specific.add_argument(option(argument), dest=f"client_{argument}", metavar="VALUE", help=described)
    send.add_argument(
        "--drop",
        action="append",
        default=[],
        choices=[p.value for p in Part],
        help="allow dropping a part the vendor cannot carry (repeatable); the result lists it",
    )
    send.add_argument("--timeout", type=float, default=30.0, help="seconds (default: 30)")
    return parser


def run_send(args: argparse.Namespace) -> int:
    """Build the vendor's client, send through its adapter, print the result as JSON."""
    callbacks = {}
    for item in args.callback:
        rating, sep, token = item.partition("=")
        if not sep or rating not in (Rating.POSITIVE.value, Rating.NEGATIVE.value):
            raise GeneratorError(f"--callback expects positive=TOKEN or negative=TOKEN, got {item!r}")
        callbacks[Rating(rating)] = token
    target = Target(**{attr: getattr(args, attr) for attr in TARGET_OPTIONS}, callbacks=callbacks)
    kwargs: dict[str, Any] = {"timeout": args.timeout, "max_retries": 0}
    if args.base_url:
        kwargs["base_url"] = args.base_url
    for argument, users in client_options().items():
        value = getattr(args, f"client_{argument}")
        if value is None:
            continue
        if args.vendor not in [v for v, _, _ in users]:
            raise GeneratorError(
                f"{option(argument)} applies to {', '.join(v for v, _, _ in users)}, not {args.vendor}"
            )
        kwargs[argument] = value
    feedback = {
        "target": target,
        "rating": Rating(args.rating),
        "comment": args.comment,
        "tags": args.tags or None,
        "drop": {Part(d) for d in args.drop},
    }
    try:
        # Usage problems (missing ids, parts the vendor cannot carry) first, before credentials are looked up.
        plan(MAPPINGS[args.vendor], **feedback)
    except MissingTargetError as exc:
        raise GeneratorError(f"{exc.vendor} needs {' '.join(option(a) for a in exc.missing)}") from None
    except UnsupportedFeedbackError as exc:
        raise GeneratorError(f"{exc} On the command line: --drop {exc.part.value}.") from None
    except FeedbackError as exc:  # a comment longer than the vendor accepts, ...
        raise GeneratorError(str(exc)) from None
    package = client_package(args.vendor)
    try:
        with package.Client(**kwargs) as client:
            result = FeedbackAdapter(client, MAPPINGS[args.vendor]).send(**feedback)
    except package.APIConnectionError as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_NETWORK
    except (package.APIStatusError, package.APIResponseValidationError) as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_REMOTE
    except (package.APIError, FeedbackError) as exc:  # missing credential, arguments refused before sending
        raise GeneratorError(f"{type(exc).__name__}: {exc}") from None
    response = result.response.model_dump(mode="json") if hasattr(result.response, "model_dump") else result.response
    report = {"vendor": result.vendor, "sent": result.sent, "dropped": [p.value for p in result.dropped]}
    print(json.dumps({**report, "response": response}, indent=2, default=str))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see ``EXIT_CODES``)."""
    try:
        args = build_parser().parse_args(argv)
        return run_send(args)
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("CODEGEN_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} (rerun with CODEGEN_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
