"""Fault specs (``--fault`` and the ``Mock-Fault`` header) and the ``Prefer`` header.

A fault spec is ``KIND[=VALUE][@RATE][*COUNT]``:

==============  =====================================================  ==============
kind            effect                                                 value
==============  =====================================================  ==============
``latency``     wait before answering                                  milliseconds
``429``         answer 429 with ``Retry-After``                        seconds (1)
``5xx``         answer a server error                                  status (500)
``reset``       send the headers and half the body, then a TCP reset   -
``trickle``     send the body in 8-byte chunks with a pause between    ms/chunk (100)
``truncate``    cut the JSON body in half (Content-Length matches)     -
``malformed``   replace the JSON body with broken JSON                 -
==============  =====================================================  ==============

``@RATE`` (0..1, default 1) is the chance per request; ``*COUNT`` (server flag only) limits
the fault to the first COUNT requests it fires on. Several specs are separated by commas.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from generator.errors import GeneratorError

KINDS = ("latency", "429", "5xx", "reset", "trickle", "truncate", "malformed")
DEFAULTS = {"latency": 0.0, "429": 1.0, "5xx": 500.0, "trickle": 100.0}


class FaultSpecError(GeneratorError):
    """A fault spec that does not parse."""


@dataclass
class Fault:
    """One parsed fault spec; ``remaining`` counts down when ``*COUNT`` was given."""

    kind: str
    value: float
    rate: float = 1.0
    remaining: int | None = None
    text: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def fires(self, rng: random.Random) -> bool:
        """Whether this fault hits the current request (and use up one of its count)."""
        with self._lock:
            if self.remaining is not None and self.remaining <= 0:
                return False
            if self.rate < 1.0 and rng.random() >= self.rate:
                return False
            if self.remaining is not None:
                self.remaining -= 1
            return True


def parse_faults(text: str, *, allow_count: bool = True) -> list[Fault]:
    """Parse comma-separated fault specs; FaultSpecError names the bad one."""
    faults = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        spec, count = item, None
        if "*" in spec:
            spec, _, count_text = spec.partition("*")
            if not allow_count:
                raise FaultSpecError(f"fault {item!r}: *COUNT is for the --fault flag only")
            if not count_text.isdigit() or int(count_text) < 1:
                raise FaultSpecError(f"fault {item!r}: *COUNT must be a positive integer")
            count = int(count_text)
        rate = 1.0
        if "@" in spec:
            spec, _, rate_text = spec.partition("@")
            try:
                rate = float(rate_text)
            except ValueError:
                rate = -1.0
            if not 0.0 <= rate <= 1.0:
                raise FaultSpecError(f"fault {item!r}: @RATE must be a number from 0 to 1")
        kind, sep, value_text = spec.partition("=")
        kind = kind.strip().lower()
        if kind not in KINDS:
            raise FaultSpecError(f"fault {item!r}: unknown kind {kind!r} (known: {', '.join(KINDS)})")
        value = DEFAULTS.get(kind, 0.0)
        if sep:
            number = _number(value_text, kind)
            if number is None:
                raise FaultSpecError(f"fault {item!r}: {value_text!r} is not a number")
            value = number
            if value < 0 or (kind == "5xx" and not 500 <= value <= 599):
                raise FaultSpecError(f"fault {item!r}: value out of range")
        faults.append(Fault(kind, value, rate, count, item))
    return faults


def _number(text: str, kind: str) -> float | None:
    """A fault value in its kind's unit: ``ms`` or ``s`` suffixes convert (latency/trickle in ms, 429 in s)."""
    text = text.strip()
    scale = 1.0
    if kind != "5xx" and text.endswith("ms"):
        text, scale = text[:-2], (1.0 if kind != "429" else 0.001)
    elif kind != "5xx" and text.endswith("s"):
        text, scale = text[:-1], (1000.0 if kind != "429" else 1.0)
    try:
        return float(text) * scale
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Prefer:
    """What a ``Prefer`` header asks for, as Prism reads it."""

    code: int | None = None
    example: str | None = None
    dynamic: bool | None = None


def parse_prefer(text: str) -> Prefer | str:
    """The Prefer header's mock preferences, or an error message."""
    code = example = None
    dynamic = None
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        key, _, value = part.partition("=")
        key, value = key.strip().lower(), value.strip().strip('"')
        if key == "code":
            if not (value.isdigit() and 100 <= int(value) <= 599):
                return f"Prefer code={value!r} is not an HTTP status"
            code = int(value)
        elif key == "example":
            example = value
        elif key == "dynamic":
            if value not in ("true", "false"):
                return f"Prefer dynamic={value!r}: expected true or false"
            dynamic = value == "true"
        # Other preferences (return=minimal, ...) are not the mock's and are ignored, as RFC 7240 allows.
    return Prefer(code, example, dynamic)
