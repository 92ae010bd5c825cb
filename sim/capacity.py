"""Capacity primitives owned by agents: appointment books and time-weighted counters.

Beds and home-nursing places are ``simpy.Resource`` objects (a patient holds one while it is used);
:class:`AdjustableResource` lets a capacity calendar change their number during a run.
GP time and outpatient slots are *appointment books*: a daily number of slots, booked ahead, where a
request gets the first day on or after its earliest acceptable day that still has a free slot. The
wait is then known at booking time, so booking costs no SimPy events; the patient's process simply
sleeps until the appointment. A book's daily rate may change on planned days (a capacity calendar is
a plan known in advance), so a booking made a year ahead already sees the capacity of that day.
"""

from __future__ import annotations

import math

import simpy
from simpy.events import URGENT

APPOINTMENT_TIME_OF_DAY = 0.5  # appointments are at noon of their day (days are the time unit)


def weekday_capacity(slots_per_weekday: float, n_days: int, start_day: int = 0, weekend_closed: bool = True,
                     open_days_before: int = 0) -> list[int]:
    """Integer slots per day whose running total tracks ``slots_per_weekday`` exactly (no rounding drift).

    Day 0 is a Monday. Fractional capacities (small catchments) are spread evenly over the open days;
    ``open_days_before`` continues the running total when a book is extended.
    """
    caps = []
    open_days = open_days_before
    for d in range(start_day, start_day + n_days):
        if weekend_closed and d % 7 >= 5:
            caps.append(0)
            continue
        before = math.floor(open_days * slots_per_weekday + 1e-9)
        open_days += 1
        caps.append(math.floor(open_days * slots_per_weekday + 1e-9) - before)
    return caps


class AdjustableResource(simpy.Resource):
    """A ``simpy.Resource`` whose capacity can change during a run (a capacity calendar).

    Raising the capacity grants waiting requests at once, in queue order. Lowering it only stops new
    grants: users above the new capacity keep their slot until they release it (a caller that must
    never exceed the new capacity, such as a ward closing beds, ends those uses itself). Without a
    call to :meth:`set_capacity` it behaves exactly like ``simpy.Resource``.
    """

    def set_capacity(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"capacity must be >= 0, got {capacity}")
        self._capacity = int(capacity)
        # Resource._do_put grants one request per pass of _trigger_put: repeat while there is room
        while self.put_queue and len(self.users) < self._capacity:
            self._trigger_put(None)


def urgent_timeout(env: simpy.Environment, delay: float) -> simpy.Event:
    """A timeout processed before every ordinary event of its instant (capacity changes come first)."""
    event = simpy.Event(env)
    event._ok = True
    event._value = None
    env.schedule(event, URGENT, delay)
    return event


class AppointmentBook:
    """Daily slots booked first-come-first-served from an earliest acceptable day.

    ``book(day)`` is amortised O(1): full days point to the next candidate day (a union-find with
    path compression), so a long backlog is skipped in one jump.

    ``changes`` is a planned capacity calendar: ``[(first_day, slots_per_weekday), ...]`` in day order;
    from ``first_day`` on the book has the new daily rate. Days are built with the rate planned for
    them, so bookings far ahead respect future changes. The running total of slots tracks the
    integral of the planned rate to within one slot (no rounding drift), segment by segment.
    """

    def __init__(self, name: str, slots_per_weekday: float, horizon_days: int, unlimited: bool = False,
                 weekend_closed: bool = True, changes: list[tuple[int, float]] | None = None):
        self.name = name
        self.slots_per_weekday = float(slots_per_weekday)
        self.unlimited = unlimited
        self.weekend_closed = weekend_closed
        self._capacity: list[int] = []
        self._booked: list[int] = []
        self._next: list[int] = []
        self._open_days = 0
        # rate segments: (first day, slots per weekday, open days before it, cumulative slots before it)
        self._segments: list[tuple[int, float, int, float]] = [(0, self.slots_per_weekday, 0, 0.0)]
        self._pending_changes = sorted((int(d), float(r)) for d, r in (changes or []))
        if any(d < 0 or r < 0 for d, r in self._pending_changes):
            raise ValueError(f"appointment book {name!r}: changes need a day >= 0 and a rate >= 0")
        self.released: dict[int, int] = {}  # slots given away unused per day (move_unused)
        self._extend(max(8, int(horizon_days)))

    # -- internals -----------------------------------------------------------------------------------
    def _open(self, d: int) -> bool:
        return not (self.weekend_closed and d % 7 >= 5)

    def _extend(self, n_days: int) -> None:
        start = len(self._capacity)
        if not self._pending_changes and len(self._segments) == 1:
            caps = weekday_capacity(self.slots_per_weekday, n_days, start, self.weekend_closed, self._open_days)
            self._open_days += sum(1 for d in range(start, start + n_days) if self._open(d))
        else:
            caps = self._planned_capacity(start, n_days)
        self._capacity.extend(caps)
        self._booked.extend([0] * n_days)
        self._next.extend(d if caps[d - start] > 0 else d + 1 for d in range(start, start + n_days))

    def _planned_capacity(self, start: int, n_days: int) -> list[int]:
        """Slots of days [start, start + n_days) under the piecewise rate (segment 0 is exactly
        ``weekday_capacity``, so a book without changes is unchanged)."""
        caps = []
        for d in range(start, start + n_days):
            if self._pending_changes and d >= self._pending_changes[0][0]:
                first, rate = self._pending_changes.pop(0)
                _, old_rate, old_open, old_cum = self._segments[-1]
                cum = old_cum + (self._open_days - old_open) * old_rate  # the same expression as the last slot's
                self._segments.append((first, rate, self._open_days, cum))
            if not self._open(d):
                caps.append(0)
                continue
            _, rate, seg_open, seg_cum = self._segments[-1]
            k = self._open_days - seg_open
            before = math.floor(seg_cum + k * rate + 1e-9)
            self._open_days += 1
            caps.append(math.floor(seg_cum + (k + 1) * rate + 1e-9) - before)
        return caps

    def final_rate(self) -> float:
        """Slots per weekday after the last planned change."""
        return self._pending_changes[-1][1] if self._pending_changes else self._segments[-1][1]

    def _find(self, day: int, or_none: bool = False) -> int | None:
        nxt = self._next
        root = day
        while True:
            if root >= len(nxt):
                if self.final_rate() <= 0 and not self._pending_changes:
                    if or_none:
                        return None
                    raise RuntimeError(f"appointment book {self.name!r} has no capacity from day {day} on")
                self._extend(max(len(nxt), root + 1 - len(nxt) + 365))
                nxt = self._next
            parent = nxt[root]
            if parent == root:
                break
            root = parent
        while day != root:  # path compression
            nxt[day], day = root, nxt[day]
        return root

    # -- public --------------------------------------------------------------------------------------
    def book(self, earliest_day: int) -> int:
        """Book one slot on the first day >= ``earliest_day`` with room; return that day."""
        if self.unlimited:
            return earliest_day
        day = self._find(earliest_day)
        self._booked[day] += 1
        if self._booked[day] >= self._capacity[day]:
            self._next[day] = day + 1
        return day

    def book_many(self, earliest_day: int, n: int) -> list[tuple[int, int]]:
        """Book ``n`` slots from ``earliest_day``; return ``[(day, count), ...]`` in day order."""
        if n <= 0:
            return []
        if self.unlimited:
            return [(earliest_day, n)]
        out = []
        day = earliest_day
        while n > 0:
            day = self._find(day)
            take = min(n, self._capacity[day] - self._booked[day])
            self._booked[day] += take
            if self._booked[day] >= self._capacity[day]:
                self._next[day] = day + 1
            out.append((day, take))
            n -= take
        return out

    def move_unused(self, day: int, to: "AppointmentBook", today: int) -> int:
        """Move this day's unbooked slots to another book (a reserve released the day before)."""
        if self.unlimited or day >= len(self._capacity):
            return 0
        unused = self._capacity[day] - self._booked[day]
        if unused <= 0:
            return 0
        self._capacity[day] -= unused
        self._next[day] = day + 1
        self.released[day] = self.released.get(day, 0) + unused
        to._add(day, unused, today)
        return unused

    def _add(self, day: int, n: int, today: int) -> None:
        while day >= len(self._capacity):
            self._extend(len(self._capacity))
        self._capacity[day] += n
        self._next[day] = day
        # path compression may have made earlier days jump past this one: point them back
        for k in range(max(0, today), day):
            if self._next[k] > day:
                self._next[k] = k if self._booked[k] < self._capacity[k] else k + 1

    def free_days(self, d0: int, d1: int) -> list[int]:
        """The unbooked slots on days ``d0 <= day < d1``: one entry (the day) per slot, in day order."""
        while d1 > len(self._capacity):
            self._extend(len(self._capacity))
        return [d for d in range(max(0, d0), d1) for _ in range(self._capacity[d] - self._booked[d])]

    def first_free_day(self, earliest_day: int) -> int:
        """The day the next request from ``earliest_day`` would get (does not book)."""
        return earliest_day if self.unlimited else self._find(earliest_day)

    def first_free_day_or_none(self, earliest_day: int) -> int | None:
        """As :meth:`first_free_day`, or None if the book has no free slot from that day on
        (a sub-acute reserve whose planned capacity ends)."""
        return earliest_day if self.unlimited else self._find(earliest_day, or_none=True)

    def released_between(self, d0: int, d1: int) -> int:
        """Slots of days [d0, d1) given away unused by :meth:`move_unused`."""
        return sum(n for d, n in self.released.items() if d0 <= d < d1)

    def booked_between(self, d0: int, d1: int) -> int:
        return sum(self._booked[max(0, d0):max(0, min(d1, len(self._booked)))])

    def capacity_between(self, d0: int, d1: int) -> int:
        if d1 > len(self._capacity):
            self._extend(d1 - len(self._capacity))
        return sum(self._capacity[max(0, d0):d1])


def earliest_day(now: float, same_day: bool) -> int:
    """First day a request made at ``now`` can be seen: today if before noon and same-day is wanted."""
    today = int(now)
    if same_day and now - today < APPOINTMENT_TIME_OF_DAY:
        return today
    return today + 1


class TimeWeighted:
    """A level (beds in use, queue length) and its time integral, updated only when it changes."""

    __slots__ = ("level", "area", "last", "peak")

    def __init__(self, level: float = 0.0, now: float = 0.0):
        self.level = level
        self.area = 0.0
        self.last = now
        self.peak = level

    def change(self, delta: float, now: float) -> None:
        self.area += self.level * (now - self.last)
        self.last = now
        self.level += delta
        if self.level > self.peak:
            self.peak = self.level

    def restart(self, now: float) -> None:
        """Forget the integral so far (end of warm-up)."""
        self.area = 0.0
        self.last = now
        self.peak = self.level

    def mean(self, since: float, now: float) -> float:
        span = now - since
        if span <= 0:
            return float(self.level)
        return (self.area + self.level * (now - self.last)) / span


def lognormal_params(mean: float, cv: float) -> tuple[float, float]:
    """(mu, sigma) of a lognormal with this mean and coefficient of variation."""
    sigma2 = math.log1p(cv * cv)
    return math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)


