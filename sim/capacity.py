"""Capacity primitives owned by agents: appointment books and time-weighted counters.

Beds and home-nursing places are ``simpy.Resource`` objects (a patient holds one while it is used).
GP time and outpatient slots are *appointment books*: a daily number of slots, booked ahead, where a
request gets the first day on or after its earliest acceptable day that still has a free slot. The
wait is then known at booking time, so booking costs no SimPy events; the patient's process simply
sleeps until the appointment.
"""

from __future__ import annotations

import math

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


class AppointmentBook:
    """Daily slots booked first-come-first-served from an earliest acceptable day.

    ``book(day)`` is amortised O(1): full days point to the next candidate day (a union-find with
    path compression), so a long backlog is skipped in one jump.
    """

    def __init__(self, name: str, slots_per_weekday: float, horizon_days: int, unlimited: bool = False,
                 weekend_closed: bool = True):
        self.name = name
        self.slots_per_weekday = float(slots_per_weekday)
        self.unlimited = unlimited
        self.weekend_closed = weekend_closed
        self._capacity: list[int] = []
        self._booked: list[int] = []
        self._next: list[int] = []
        self._open_days = 0
        self._extend(max(8, int(horizon_days)))

    # -- internals -----------------------------------------------------------------------------------
    def _extend(self, n_days: int) -> None:
        start = len(self._capacity)
        caps = weekday_capacity(self.slots_per_weekday, n_days, start, self.weekend_closed, self._open_days)
        self._open_days += sum(1 for d in range(start, start + n_days) if not (self.weekend_closed and d % 7 >= 5))
        self._capacity.extend(caps)
        self._booked.extend([0] * n_days)
        self._next.extend(d if caps[d - start] > 0 else d + 1 for d in range(start, start + n_days))

    def _find(self, day: int) -> int:
        nxt = self._next
        root = day
        while True:
            if root >= len(nxt):
                if self.slots_per_weekday <= 0:
                    raise RuntimeError(f"appointment book {self.name!r} has no capacity at all")
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


