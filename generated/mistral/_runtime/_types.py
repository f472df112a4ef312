"""Small shared types: the NOT_GIVEN sentinel and the Timeout alias."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

import httpx

__all__ = ["NOT_GIVEN", "NotGiven", "Timeout"]


class NotGiven:
    """Marks an argument the caller did not pass, as opposed to an explicit ``None``.

    ``None`` is sent as JSON ``null``; ``NOT_GIVEN`` is not sent at all.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # A singleton keeps `is NOT_GIVEN` checks valid even after copy/pickle.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

Timeout: TypeAlias = float | httpx.Timeout
