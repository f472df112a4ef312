"""What a walk below a pair of schemas reports, worked out once and reported again at each place that walks it.

Findings are reported per operation, as oasdiff reports them: a changed component used by forty operations
used to be walked forty times. Now the first walk below the pair is recorded (each finding as the place it was
emitted at, derived from the pair's place by steps such as "property x" or "its items", with the rule, message
and impact the checks gave it) and the others replay it: the same steps from their own place, through that
place's emitter, so that each finding names its own operation, location, subject and model field exactly as a
walk of its own would.

A recording serves a place whose key is the same: the caller puts in the key everything the walk reads from
the place (its area, depth, access...). The walk also reads the cycle guard it is given, but only by asking
whether it holds a guard: an entry keeps the guards the walk asked about, and serves a guard set that holds
exactly the same ones of them. Guards it adds, it keeps too, and a replay adds them to a set that grows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, MutableSet, Set
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from generator.diff.checks.context import Emit, Impact, Step, Where

G = TypeVar("G", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Event:
    """One ``emit`` of a recorded walk, at one of its entry's places."""

    place: int
    rule: str
    message: str
    impact: Impact


@dataclass(frozen=True, slots=True)
class Entry:
    """A recorded walk, and what of the guard set it depends on."""

    asked: frozenset[Hashable]  # every guard the walk asked the set about
    held: frozenset[Hashable]  # those of them the set held when the walk began
    added: tuple[Hashable, ...]  # what the walk added to a set that grows (keywords.py's ``seen``)
    # The places it emitted at (and those between): place i + 1 is (j, step), derived from place j by the
    # step, place 0 being the pair's own.
    places: tuple[tuple[int, Step], ...]
    events: tuple[Event, ...]


class Memo:
    """The walks recorded in one diff, by key; and what the walks being recorded have done so far."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, list[Entry]] = {}
        self._recording = 0  # walks being recorded, nested
        # While any is: every emit, guard asked about and guard added, in order (each recording takes its tail).
        self._emitted: list[tuple[Where, str, str, Impact]] = []
        self._asked: list[Hashable] = []
        self._added: list[Hashable] = []

    def note(self, place: Where, rule: str, message: str, impact: Impact) -> None:
        """An emit at ``place`` (called by every emitter)."""
        if self._recording:
            self._emitted.append((place, rule, message, impact))

    def ask(self, guard: Hashable, guards: Set[Hashable]) -> bool:
        """Whether ``guards`` holds ``guard``: how a walk that may be recorded asks its cycle guard."""
        if self._recording:
            self._asked.append(guard)
        return guard in guards

    def add(self, guard: G, guards: MutableSet[G]) -> None:
        """Add ``guard`` to a guard set that grows during a walk."""
        if self._recording:
            self._added.append(guard)
        guards.add(guard)

    def find(self, key: Hashable, guards: Set[Hashable]) -> Entry | None:
        """A recording that serves ``key`` with this guard set, if any."""
        for entry in self._entries.get(key, ()):
            if entry.asked & guards == entry.held:
                return entry
        return None

    def replay(
        self, entry: Entry, place: Where, emitter: Callable[[Where], Emit], grown: MutableSet[Any] | None = None
    ) -> None:
        """Report a recorded walk at ``place``, as walking it there would (adding to ``grown`` what it added)."""
        if self._recording:
            self._asked.extend(entry.asked)
            self._added.extend(entry.added)
        if grown is not None:
            for guard in entry.added:
                grown.add(guard)
        wheres = [place]
        for parent, step in entry.places:
            wheres.append(wheres[parent].then(step))
        at, emit = -1, None
        for event in entry.events:
            if event.place != at or emit is None:  # consecutive events of one place share its emitter
                at, emit = event.place, emitter(wheres[event.place])
            emit(event.rule, event.message, event.impact)

    @contextmanager
    def record(self, key: Hashable, guards: Set[Hashable], place: Where) -> Iterator[None]:
        """Record the walk run inside the ``with`` (below the pair at ``place``) for ``key``."""
        if not self._recording:  # the logs serve the recordings in progress only
            self._emitted.clear()
            self._asked.clear()
            self._added.clear()
        emitted, asked, added = len(self._emitted), len(self._asked), len(self._added)
        self._recording += 1
        try:
            yield
        finally:
            self._recording -= 1
        # Not reached when the walk raised: nothing is kept of a walk that did not finish.
        places: list[tuple[int, Step]] = []
        numbers = {id(place): 0}  # by id of a place self._emitted holds (or its parents) meanwhile

        def number(where: Where) -> int:
            found = numbers.get(id(where))
            if found is None:
                if where.parent is None:
                    raise ValueError("an emit below a pair at a place not derived from the pair's")
                places.append((number(where.parent), where.step))
                found = numbers[id(where)] = len(places)
            return found

        events = tuple(Event(number(w), rule, message, impact) for w, rule, message, impact in self._emitted[emitted:])
        asked_set, added_set = frozenset(self._asked[asked:]), tuple(self._added[added:])
        # What the set held at the start: it has only grown since, by what the walk added (never held before).
        held = (asked_set & guards) - frozenset(added_set)
        self._entries.setdefault(key, []).append(Entry(asked_set, held, added_set, tuple(places), events))
