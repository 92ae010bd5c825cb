"""Who gets the free outpatient slots: the slot allocation policy of a clinic's waiting list.

Region H 2018 l.1441-1455 and the dilemma box l.1475-1485: the right to diagnostic workup within 30
days (l.1447-1448) is followed up as a binary KPI, the share offered workup within 30 days, and "whether
the deadline is overshot by 1 day or 30 days makes no difference" (l.1455). A slot is free in 3 days, the
next in 7; one patient has waited 31 days, the others 24 days or less. Giving the 3-day slot to the
31-day patient (longest wait first) makes 2 breaches; giving it to a 24-day patient (maximising 30-day
compliance) makes 1 breach, but the 31-day patient waits 38 days.

The rules are pure (no model, no randomness): :func:`allocate` assigns a set of free slot days to
waiting referrals under a policy, and :class:`WaitingList` keeps a clinic's list so that each day's
allocation touches only the entries it can need (O(slots + entries near their deadline)), not the whole
list. The mechanism (:class:`SlotAllocation`) gives each clinic with a bounded book a waiting list when it
opens and, each morning, books the assigned slots in the clinic's book
(``sim.agents.outpatient_clinic``).

Policies:

* ``longest_wait_first``: the oldest referral first, each to the earliest free slot it may take.
* ``max_30day_compliance``: as many referrals as possible seen within their deadline. Slots are swept in
  day order and each goes to the available referral with the tightest deadline that can still meet it
  (earliest-deadline-first; this greedy gives a maximum matching in a convex bipartite graph, Glover
  1967, so no other assignment sees more referrals in time). Slots no such referral can use go to the
  already-breached or infeasible referrals, longest wait first.

``book_on_referral`` (usual care) has no waiting list: each referral books the first free slot when it
is made (``AppointmentBook.book``).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Hashable, Iterable, Sequence

from ..capacity import APPOINTMENT_TIME_OF_DAY
from ..config import SLOT_ALLOCATION_POLICIES as POLICIES
from .hooks import Mechanism
from ..facts.core import OutpatientBackground

if TYPE_CHECKING:
    from ..agents.outpatient_clinic import OutpatientClinic

BOOK_ON_REFERRAL, LONGEST_WAIT_FIRST, MAX_30DAY_COMPLIANCE = POLICIES
WAITING_LIST_POLICIES: tuple[str, ...] = (LONGEST_WAIT_FIRST, MAX_30DAY_COMPLIANCE)

_EPS = 1e-9


@dataclass(frozen=True)
class Referral:
    """A waiting referral: ``count`` people referred at time ``requested`` (days), who may be seen from
    ``earliest_day`` on (``None``: from the allocation day)."""

    key: Hashable
    requested: float
    count: int = 1
    earliest_day: int | None = None


@dataclass(frozen=True)
class Assignment:
    """``count`` people of referral ``key`` get slots on ``day``."""

    key: Hashable
    day: int
    count: int


def deadline_day(requested: float, rtt_days: float, appointment_offset: float = 0.0) -> int:
    """The last slot day that keeps the wait within the right: ``day + offset - requested <= rtt_days``."""
    return math.floor(requested + rtt_days - appointment_offset + _EPS)


def wait_days(requested: float, day: int, appointment_offset: float = 0.0) -> float:
    return day + appointment_offset - requested


def allocate(slot_days: Iterable[int], referrals: Sequence[Referral], policy: str, today: int, rtt_days: float,
             appointment_offset: float = 0.0) -> list[Assignment]:
    """Assign free slots (one entry of ``slot_days`` per slot; a day may repeat) to waiting referrals.

    No slot before ``today`` or before a referral's ``earliest_day`` is given; each slot goes to at most
    one person; a referral gets at most ``count`` slots. Referrals left without a slot keep waiting.
    Ties go to the earlier referral, then to the earlier position in ``referrals``.
    """
    free = sorted(d for d in slot_days if d >= today)
    if policy == LONGEST_WAIT_FIRST:
        order = sorted(range(len(referrals)), key=lambda i: (referrals[i].requested, i))
        units = _earliest_free_in_order(free, referrals, order, today)
    elif policy == MAX_30DAY_COMPLIANCE:
        units = _max_compliance(free, referrals, today, rtt_days, appointment_offset)
    else:
        raise ValueError(f"unknown slot allocation policy {policy!r}: allowed values are {', '.join(WAITING_LIST_POLICIES)}")
    return _group(units, referrals)


def _first_day(referral: Referral, today: int) -> int:
    return today if referral.earliest_day is None else max(today, referral.earliest_day)


def _earliest_free_in_order(free: list[int], referrals: Sequence[Referral], order: Iterable[int],
                            today: int) -> list[tuple[int, int]]:
    """Each referral in ``order`` takes, unit by unit, the earliest free slot it may take (removed from ``free``)."""
    units = []
    for i in order:
        lo = _first_day(referrals[i], today)
        for _ in range(referrals[i].count):
            k = bisect_left(free, lo)
            if k == len(free):
                break
            units.append((i, free.pop(k)))
    return units


def _max_compliance(free: list[int], referrals: Sequence[Referral], today: int, rtt_days: float,
                    offset: float) -> list[tuple[int, int]]:
    deadline = [deadline_day(r.requested, rtt_days, offset) for r in referrals]
    first = [_first_day(r, today) for r in referrals]
    remaining = [r.count for r in referrals]
    by_first = sorted(range(len(referrals)), key=lambda i: (first[i], i))
    # pass 1: sweep the slots in day order; each goes to the available referral with the tightest
    # deadline that the slot still meets (earliest deadline first); expired ones drop out of the heap
    units: list[tuple[int, int]] = []
    leftover: list[int] = []
    heap: list[tuple[int, float, int]] = []
    nxt = 0
    for day in free:
        while nxt < len(by_first) and first[by_first[nxt]] <= day:
            i = by_first[nxt]
            nxt += 1
            if remaining[i] > 0:
                heapq.heappush(heap, (deadline[i], referrals[i].requested, i))
        while heap and heap[0][0] < day:
            heapq.heappop(heap)
        if not heap:
            leftover.append(day)
            continue
        i = heap[0][2]
        units.append((i, day))
        remaining[i] -= 1
        if remaining[i] == 0:
            heapq.heappop(heap)
    # pass 2: the slots no referral could use in time go to those who breach anyway, longest wait first
    rest = [Referral(i, r.requested, remaining[i], r.earliest_day) for i, r in enumerate(referrals) if remaining[i] > 0]
    order = sorted(range(len(rest)), key=lambda j: (rest[j].requested, rest[j].key))
    units += [(rest[j].key, day) for j, day in _earliest_free_in_order(leftover, rest, order, today)]
    return units


def _group(units: list[tuple[int, int]], referrals: Sequence[Referral]) -> list[Assignment]:
    """Units ``(referral index, day)`` as assignments, one per referral and day, in day then referral order."""
    counts: dict[tuple[int, int], int] = {}
    for i, day in units:
        counts[(day, i)] = counts.get((day, i), 0) + 1
    return [Assignment(referrals[i].key, day, n) for (day, i), n in sorted(counts.items())]


# --------------------------------------------------------------------------------------------------
# A clinic's waiting list
# --------------------------------------------------------------------------------------------------
class Entry:
    """``count`` people referred at ``requested`` who may be seen from ``earliest_day``; ``patient`` is the
    agent (count 1) or ``None`` for aggregate background referrals."""

    __slots__ = ("requested", "earliest_day", "count", "patient")

    def __init__(self, requested: float, earliest_day: int, count: int, patient: Any = None):
        self.requested = requested
        self.earliest_day = earliest_day
        self.count = count
        self.patient = patient

    def gone(self) -> bool:
        """A patient who left the catchment (death or move) while waiting is not seen."""
        return self.patient is not None and not self.patient.alive


class WaitingList:
    """Referrals waiting for a slot, in referral order, split at the 30-day deadline.

    Referrals join in time order, and the deadline is the referral time plus the right, so both parts
    stay sorted by referral time and every breached referral is older than every on-time one. A day's
    allocation takes candidates from the fronts only: enough for the day's free slots under either policy
    (see :meth:`candidates`), so the work per day does not grow with a long backlog.
    """

    def __init__(self, rtt_days: float, appointment_offset: float):
        self.rtt_days = rtt_days
        self.offset = appointment_offset
        self.on_time: deque[Entry] = deque()   # deadline not yet passed
        self.breached: deque[Entry] = deque()  # can no longer be seen within the right

    def add(self, requested: float, earliest_day: int, count: int = 1, patient: Any = None) -> None:
        if count > 0:
            self.on_time.append(Entry(requested, earliest_day, count, patient))

    def __bool__(self) -> bool:
        return bool(self.on_time) or bool(self.breached)

    def deadline(self, entry: Entry) -> int:
        return deadline_day(entry.requested, self.rtt_days, self.offset)

    def waiting(self) -> list[Entry]:
        """Everyone still waiting (oldest first), without those who left the catchment."""
        return [e for part in (self.breached, self.on_time) for e in part if not e.gone()]

    def breach(self, today: int, offer: Callable[[Entry], None]) -> None:
        """Move the referrals whose deadline has passed to the breached part. ``offer`` sees each first and may
        lower its count (people who go elsewhere under the 30-day right); an entry left with nobody is dropped."""
        while self.on_time and self.deadline(self.on_time[0]) < today:
            entry = self.on_time.popleft()
            if not entry.gone():
                offer(entry)
            if entry.count > 0:
                self.breached.append(entry)

    def candidates(self, policy: str, today: int, n_slots: int, last_slot_day: int) -> list[Entry]:
        """Take from the list the entries a day's allocation of ``n_slots`` slots up to ``last_slot_day``
        can use; give back the ones left over with :meth:`give_back`.

        Longest wait first needs the oldest ``n_slots`` people. Maximising compliance needs every on-time
        referral whose deadline falls in the window (they may expire there), ``n_slots`` more on-time people
        (later ones have later deadlines, so they would never be preferred), and the oldest ``n_slots``
        breached people for the slots left over. Both choices give the same result as the whole list.
        """
        while self.on_time and self.deadline(self.on_time[0]) < today:
            self.breached.append(self.on_time.popleft())
        breached = self._take(self.breached, n_slots)
        if policy == LONGEST_WAIT_FIRST:
            units = sum(e.count for e in breached)
            return [*breached, *self._take(self.on_time, max(0, n_slots - units))]
        on_time: list[Entry] = []
        while self.on_time and (self.on_time[0].gone() or self.deadline(self.on_time[0]) <= last_slot_day):
            entry = self.on_time.popleft()
            if not entry.gone():
                on_time.append(entry)
        return [*breached, *on_time, *self._take(self.on_time, n_slots)]

    @staticmethod
    def _take(part: deque[Entry], units: int) -> list[Entry]:
        out: list[Entry] = []
        while part and units > 0:
            entry = part.popleft()
            if entry.gone():
                continue
            out.append(entry)
            units -= entry.count
        return out

    def give_back(self, entries: Sequence[Entry], today: int) -> None:
        """Put unassigned candidates back at the front, in their order."""
        for entry in reversed(entries):
            if entry.count <= 0:
                continue
            part = self.breached if self.deadline(entry) < today else self.on_time
            part.appendleft(entry)


class SlotAllocation(Mechanism):
    """A clinic's waiting list for new referrals, and the daily allocation of its free slots by the policy."""

    name = "slot_allocation"
    config_sections = ("scenario.slot_allocation",)

    def clinic_opened(self, clinic: OutpatientClinic) -> None:
        # with unbounded slots every policy gives everyone their earliest day, so only a bounded book gets a list
        model = self.model
        allocation = model.cfg.scenario.slot_allocation
        if allocation.policy not in WAITING_LIST_POLICIES or model.cfg.capacity.unlimited_capacity:
            return
        clinic.waiting_list = WaitingList(model.cfg.pathways.rtt_days, APPOINTMENT_TIME_OF_DAY)
        model.env.process(self._allocate_daily(clinic, allocation.policy, allocation.look_ahead_days))

    def _allocate_daily(self, clinic: OutpatientClinic, policy: str, look_ahead_days: int):
        """Each morning, the free slots from today to the booking horizon go to the waiting list by the policy."""
        env = self.model.env
        while True:
            if clinic.elsewhere:
                clinic.waiting_list.breach(int(env.now), clinic.offer_elsewhere)
            allocate_free_slots(clinic, policy, int(env.now), look_ahead_days)
            yield env.timeout(1.0)


def allocate_free_slots(clinic: OutpatientClinic, policy: str, today: int, look_ahead_days: int) -> None:
    """Book the clinic's free slots from ``today`` to the horizon for its waiting list, by the policy."""
    waiting = clinic.waiting_list
    if not waiting:
        return
    slots = clinic.book.free_days(today, today + look_ahead_days)
    if not slots:
        return
    entries = waiting.candidates(policy, today, len(slots), today + look_ahead_days - 1)
    referrals = [Referral(k, e.requested, e.count, e.earliest_day) for k, e in enumerate(entries)]
    rec = clinic.model.recorder
    for a in allocate(slots, referrals, policy, today, clinic.model.cfg.pathways.rtt_days, APPOINTMENT_TIME_OF_DAY):
        entry = entries[a.key]
        booked = clinic.book.book_many(a.day, a.count)
        assert booked == [(a.day, a.count)], (clinic.name, a, booked)
        entry.count -= a.count
        appointment = a.day + APPOINTMENT_TIME_OF_DAY
        if entry.patient is None:
            rec.fact(OutpatientBackground(clinic=clinic.condition, requested=entry.requested, appointment=appointment,
                                          count=a.count))
        else:  # the wait counts from the referral, so the 30-day right is judged as when booked at once
            entry.patient.add_to_agenda(appointment, clinic.attend_new_referral, entry.requested)
    waiting.give_back(entries, today)
