"""How a hospital ward keeps its beds: occupancy and corridor beds, stays it may end early, the capacity calendar.

Beds can change over time (a capacity calendar, ``sim.capacity_calendar``). The ward's policy when
beds close (``HospitalWard._follow_calendar``):

1. ``scenario.capacity_moves.ward_closure_notice_days`` before the closure the ward stops filling the
   closing beds: it admits only while fewer beds than the coming capacity are in use (patients already
   in those beds stay; new patients board and wait).
2. At the closure instant (processed before any other event of that instant) the patients still above
   the new capacity are discharged early, those nearest to their planned discharge first (patients
   ready for discharge and waiting for home nursing before anyone still in treatment). Their stay ends
   then; the ``closure_discharges`` fact table records each one. A patient waiting for home nursing goes
   home and the home-nursing place starts when one frees up.

So beds in use never exceed the calendar's capacity (plus the corridor beds over-occupancy allows), also at
the instant capacity drops. When beds open, waiting (boarding) patients get them at once.

``WardBeds`` is a part of :class:`~sim.agents.hospital.HospitalWard` (a base class it inherits), kept apart
from the patient's stay (``HospitalWard.admit``) because keeping beds is a responsibility of its own.
"""

from __future__ import annotations

import heapq

import simpy

from ..capacity import urgent_timeout
from ..facts.capacity_moves import ClosureDischarge
from ..facts.core import PressureDischarge


class BedStay:
    """A stay in one of the ward's own beds (normed or corridor): a stay the ward may end early."""

    __slots__ = ("entity_id", "request", "bed_id", "planned_end", "order", "ended", "ready", "gone", "under_pressure")

    def __init__(self, entity_id: int, request, bed_id: int | None, planned_end: float, order: int,
                 ended: simpy.Event | simpy.Process):
        self.entity_id, self.request, self.bed_id = entity_id, request, bed_id
        # a patient's stay waits on an event the ward fires; a background stay's process is interrupted instead
        # (no extra event per stay for the many background admissions)
        self.planned_end, self.order, self.ended = planned_end, order, ended
        self.ready = False           # the treatment is over (waiting for alignment or home nursing)
        self.gone = False            # the bed is given back
        self.under_pressure = False  # ended early to make room for an acute patient

    def __lt__(self, other: BedStay) -> bool:  # the ward's discharge order: nearest planned end first
        return (self.planned_end, self.order) < (other.planned_end, other.order)


class WardBeds:
    """The bed-keeping of a ward (mixed into ``HospitalWard``, whose state it reads and changes)."""

    # -- beds in use ---------------------------------------------------------------------------------
    def _set_occupied(self, delta: int, now: float) -> None:
        self.occupied.change(delta, now)
        self._update_corridor(now)

    def _update_corridor(self, now: float) -> None:
        over = max(0.0, self.occupied.level - self._normed_now)
        if over != self.corridor.level:
            self.corridor.change(over - self.corridor.level, now)

    def _take_bed(self, entity_id: int, now: float) -> int:
        """A bed number for the event log (vidigi animates resource_id as a bed)."""
        self._set_occupied(+1, now)
        if self._free_bed_ids:
            bed_id = self._free_bed_ids.pop()
        else:
            self._next_bed_id += 1
            bed_id = self._next_bed_id
        self.model.recorder.event(entity_id, "resource_use", "admitted", now, bed_id, self.name)
        return bed_id

    def _leave_bed(self, entity_id: int, request, bed_id: int | None, now: float) -> None:
        self.beds.release(request)
        self._set_occupied(-1, now)
        if bed_id is not None:
            self._free_bed_ids.append(bed_id)
            self.model.recorder.event(entity_id, "resource_use_end", "discharged", now, bed_id, self.name)

    # -- stays the ward can end early ----------------------------------------------------------------
    def _track(self, entity_id: int, request, bed_id: int | None, planned_end: float) -> BedStay | None:
        if not self._endable:
            return None
        env = self.model.env
        ended = env.event() if entity_id >= 0 else env.active_process
        stay = BedStay(entity_id, request, bed_id, planned_end, self._stay_counter, ended)
        self._bed_stays[request] = stay
        heapq.heappush(self._by_planned_end, stay)
        return stay

    def _release_stay(self, stay: BedStay | None, request, bed_id: int | None, entity_id: int, now: float) -> None:
        """The patient leaves a bed of this ward (unless the ward already ended the stay)."""
        if stay is not None:
            if stay.gone:
                return
            stay.gone = True
            del self._bed_stays[request]
        self._leave_bed(entity_id, request, bed_id, now)

    def _end_early(self, stay: BedStay, now: float, record: type[PressureDischarge | ClosureDischarge]) -> None:
        stay.gone = True
        del self._bed_stays[stay.request]
        self._leave_bed(stay.entity_id, stay.request, stay.bed_id, now)
        self.model.recorder.fact(record(person_id=stay.entity_id, ward=self.name, time=now,
                                        days_early=max(0.0, stay.planned_end - now), ready=stay.ready))
        if isinstance(stay.ended, simpy.Process):
            stay.ended.interrupt("ended early")
        else:
            stay.ended.succeed()

    def _discharge_for_room(self, now: float) -> None:
        """Pressure discharge: end the stay nearest to its planned end if it is close enough."""
        heap = self._by_planned_end
        while heap and heap[0].gone:
            heapq.heappop(heap)
        if heap and heap[0].planned_end - now <= self.pressure.cfg.pressure_discharge_max_days_early:
            stay = heapq.heappop(heap)
            stay.under_pressure = True
            self._end_early(stay, now, PressureDischarge)

    # -- capacity calendar ---------------------------------------------------------------------------
    def capacity_at(self, time: float) -> int:
        """Beds the calendar gives the ward at ``time`` (a change counts from its instant on)."""
        level = self.capacity_levels[0][1]
        for start, beds in self.capacity_levels:
            if start <= time:
                level = beds
        return int(level)

    def _follow_calendar(self, notice_days: float):
        """SimPy process: apply the calendar. Admission capacity is the smallest calendar capacity from now
        to ``notice_days`` ahead; at a change the patients above the new capacity are discharged early."""
        env = self.model.env
        changes = [t for t, _ in self.capacity_levels[1:]]
        moments = sorted({*changes, *(max(0.0, t - notice_days) for t in changes)})
        for moment in moments:
            if moment > env.now:
                yield urgent_timeout(env, moment - env.now)
            now = env.now
            capacity = self.capacity_at(now)
            ahead = [self.capacity_at(t) for t in changes if now < t <= now + notice_days]
            self.beds.set_capacity(self.pressure.places(min([capacity, *ahead])))
            if now in changes:
                self._normed_now = capacity
                self._close_beds_above(self.pressure.places(capacity), now)
                self._update_corridor(now)

    def _close_beds_above(self, places: int, now: float) -> None:
        excess = len(self.beds.users) - places
        if excess <= 0:
            return
        stays = sorted(self._bed_stays.values())
        assert len(stays) == len(self.beds.users), "every bed in use belongs to a stay the ward can end"
        for stay in stays[:excess]:
            self._end_early(stay, now, ClosureDischarge)
