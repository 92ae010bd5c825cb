"""The SimPy environment of the model: SimPy's own, with far-future events parked by day.

Every patient keeps one pending timeout (the next change in its life, often months away), so SimPy's
event heap holds tens of thousands of entries while only a few hundred fall due on any one day. Each
``heappop`` then walks a deep heap of scattered tuples, and that was the largest single item of a
Randers profile (docs/performance.md). :class:`DayBucketEnvironment` keeps in the heap only the events
due before the end of the current day and parks later ones in per-day buckets, moving a day's bucket
into the heap when the clock reaches that day.

The processing order is exactly SimPy's: every event gets its heap key ``(time, priority, id)`` when it
is scheduled, as in ``simpy.Environment.schedule``, and keeps it while parked. The heap always holds
every event due before ``_open_until`` (a whole day), and parked events are all due at or after it, so
the heap's smallest key is always the smallest of all pending events. Results are therefore identical
to a plain ``simpy.Environment`` (tests/model/test_engine.py compares both event by event).
"""

from __future__ import annotations

import math
from heapq import heapify, heappop, heappush

import simpy
from simpy.core import EmptySchedule, StopSimulation
from simpy.events import NORMAL, EventPriority


class DayBucketEnvironment(simpy.Environment):
    """``simpy.Environment`` whose event heap holds only events due before the end of the current day."""

    def __init__(self, initial_time: float = 0):
        super().__init__(initial_time)
        self._open_until = math.floor(initial_time) + 1  # every event due before this time is in the heap
        self._parked: dict[int, list] = {}                # day -> heap entries due on that day
        self._parked_days: list[int] = []                 # heap of the keys of _parked

    def schedule(self, event: simpy.Event, priority: EventPriority = NORMAL, delay: float = 0) -> None:
        at = self._now + delay
        entry = (at, priority, next(self._eid), event)  # the key SimPy would give it, taken now
        if at < self._open_until or at == math.inf:
            heappush(self._queue, entry)
            return
        day = int(at)
        bucket = self._parked.get(day)
        if bucket is None:
            self._parked[day] = [entry]
            heappush(self._parked_days, day)
        else:
            bucket.append(entry)

    def _open_next_day(self) -> None:
        """Move the earliest parked day into the heap (and every day before it is empty)."""
        day = heappop(self._parked_days)
        queue = self._queue
        queue.extend(self._parked.pop(day))
        heapify(queue)  # O(n) for the whole day; keys are unique, so the pop order does not depend on layout
        self._open_until = day + 1

    def peek(self) -> float:
        queue = self._queue
        while self._parked_days and (not queue or queue[0][0] >= self._open_until):
            self._open_next_day()
        return queue[0][0] if queue else math.inf

    def step(self) -> None:
        """SimPy's ``Environment.step`` (4.1), after opening parked days until the heap holds the next event."""
        queue = self._queue
        while self._parked_days and (not queue or queue[0][0] >= self._open_until):
            self._open_next_day()
        try:
            self._now, _, _, event = heappop(queue)
        except IndexError:
            raise EmptySchedule from None

        callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]
        try:
            for callback in callbacks:
                callback(event)
        except StopSimulation:
            event.callbacks = callbacks[callbacks.index(callback) + 1:]
            self.schedule(event, EventPriority(-1))
            raise

        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc


def processed_events(env: simpy.Environment) -> int:
    """SimPy events processed so far: events scheduled minus events still pending.

    Every scheduled event takes the next id of ``env._eid`` and leaves the schedule exactly once, when
    ``step()`` processes it, so this equals the number of ``step()`` calls that processed an event,
    without wrapping ``step`` (which costs a Python call per event). Reading the id counter advances it
    by one; that only changes the ids of later events, not their order, and is meant for the end of a run.
    """
    pending = len(env._queue) + sum(len(bucket) for bucket in getattr(env, "_parked", {}).values())
    return next(env._eid) - pending
