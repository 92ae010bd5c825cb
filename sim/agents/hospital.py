"""Hospital agents: the emergency department and the wards that own beds.

Acute path (MODEL.md §3.2): ED assessment -> admission if the ED decides so -> a bed (``find_bed``: a free
bed, a corridor bed, a bed freed by discharging the most stable patient, a wait in the acute admission unit,
a bed on another ward or at another hospital; ``sim.agents.ward_pressure``) -> length of stay -> discharge,
possibly delayed until municipal home nursing has a place -> discharge handoffs to the GP and, with home
nursing, to the municipality (``sim.agents.discharge``).

Wherever the patient is, the stay goes on the record and is costed, and a death ends it there: the bed,
the place in the queue and the admission row are settled at that instant (``admit`` catches the
``simpy.Interrupt`` the patient's life process sends).

Beds can change over time (a capacity calendar, ``sim.capacity_calendar``); how the ward keeps its beds, ends
stays early and follows the calendar is ``sim.agents.ward_beds``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import simpy

from ..capacity import AdjustableResource, TimeWeighted, lognormal_params
from .discharge import discharge_handoffs
from .patient import BOARDING, IN_BED, IN_ED
from .ward_beds import BedStay, WardBeds
from .ward_pressure import DIED_WAITING, ON_WARD, OTHER_HOSPITAL, OTHER_WARD, STILL_WAITING, StayResult, WardPressure
from ..facts.core import Admission, Contact, EdVisit, Handoff

if TYPE_CHECKING:
    from ..model import CareModel
    from .patient import Patient

UNLIMITED_BEDS = 10**9


class EmergencyDepartment(mesa.Agent):
    """Assesses acute arrivals and decides on admission. Its own capacity is not a bottleneck here
    (assumption: boarding for a ward bed is the wait that matters, MODEL.md §3.2)."""

    def __init__(self, model: CareModel):
        super().__init__(model)
        self.name = "emergency_department"

    def assess(self, patient: Patient):
        """SimPy generator: the ED visit; returns True if the patient is to be admitted."""
        env, rec, path = self.model.env, self.model.recorder, self.model.cfg.pathways
        arrival = env.now
        patient.location = IN_ED
        rec.event(patient.person_id, "queue", "ed_arrival", arrival, None, self.name)
        rec.fact(Contact(person_id=patient.person_id, time=arrival, actor=self.name))
        try:
            yield env.timeout(path.ed_assessment_hours / 24.0)
        except simpy.Interrupt:
            rec.fact(EdVisit(person_id=patient.person_id, time=arrival, admitted=False))
            raise
        admit = patient.streams.get("clinical").random() < path.p_admit_from_ed
        rec.fact(EdVisit(person_id=patient.person_id, time=arrival, admitted=admit))
        return admit


def _until(event: simpy.Event, ended: simpy.Event | None) -> simpy.Event:
    return event if ended is None else event | ended


class HospitalWard(WardBeds, mesa.Agent):
    """A ward with normed beds (a SimPy resource with room for corridor beds); boarding is the wait for one.
    The keeping of the beds (occupancy, stays ended early, the capacity calendar) is ``WardBeds``."""

    def __init__(self, model: CareModel, name: str, beds: int, bed_day_cost_key: str):
        super().__init__(model)
        self.name = name
        unlimited = model.cfg.capacity.unlimited_beds or model.cfg.capacity.unlimited_capacity
        self.beds_count = UNLIMITED_BEDS if unlimited else max(1, int(beds))
        self.pressure = WardPressure(model.env, model.cfg.overload, self.beds_count, unlimited)
        self.beds = AdjustableResource(model.env, capacity=self.pressure.places(self.beds_count))
        # planned capacity over time [(absolute day, beds)]; a second entry means beds open or close
        self.capacity_levels = [(0.0, float(self.beds_count))] if unlimited else model.capacity_plan.ward_levels(name)
        self._normed_now = self.beds_count
        calendar = len(self.capacity_levels) > 1
        if calendar:
            model.env.process(self._follow_calendar(model.cfg.scenario.capacity_moves.ward_closure_notice_days))
        # stays the ward may end early (a closure, or pressure); without either every stay runs its course
        self._endable = calendar or self.pressure.enabled
        self._bed_stays: dict[object, BedStay] = {}
        self._by_planned_end: list[BedStay] = []  # a heap; stays already gone are skipped when met
        self.bed_day_cost_key = bed_day_cost_key
        self.occupied = TimeWeighted()   # patients in the ward's beds, normed and corridor
        self.corridor = TimeWeighted()   # of which above the normed beds (over-occupancy)
        self.boarding = TimeWeighted()   # patients waiting for a bed in the acute admission unit
        self._free_bed_ids: list[int] = []
        self._next_bed_id = 0
        # stays in progress, so KPIs can count bed days of patients still in bed when a run ends
        self._open_stays: dict[int, list] = {}
        self._stay_counter = 0
        self._waiting: dict[object, tuple[int, int, float]] = {}  # request -> (person, condition, arrival) while boarding

    def _open(self, row: list) -> int:
        self._stay_counter += 1
        self._open_stays[self._stay_counter] = row
        return self._stay_counter

    def open_stay_rows(self, now: float) -> list[tuple]:
        """Stays not yet ended, as ``admissions`` rows that end now (not yet ready: ready = now), and waits for
        a bed not yet ended, as rows that are no admission (their waiting days so far are on the record)."""
        stays = [(pid, ward, cond, arrival, admitted, now if ready is None else ready, now, place)
                 for pid, ward, cond, arrival, admitted, ready, place in self._open_stays.values()]
        waits = [(pid, self.name, cond, arrival, now, now, now, STILL_WAITING) for pid, cond, arrival in self._waiting.values()]
        return stays + waits

    # -- finding a bed -------------------------------------------------------------------------------
    def find_bed(self, entity_id: int, condition: int = -1):
        """SimPy generator: a bed for someone the ED decided to admit (``sim.agents.ward_pressure`` gives the
        order). Returns ``(place, request)``: a bed of this ward, else a bed on another ward (its request),
        else another hospital (no request). A death while waiting gives the place in the queue back."""
        env, pressure = self.model.env, self.pressure
        arrival = env.now
        request = self.beds.request()
        if not request.triggered and pressure.enabled:
            self._discharge_for_room(arrival)  # the freed bed goes to the first in the queue
        if request.triggered:
            return ON_WARD, request
        if pressure.can_board(len(self.beds.queue) - 1):
            self.boarding.change(+1, arrival)
            self._waiting[request] = (entity_id, condition, arrival)
            if entity_id >= 0:  # background demand has no agents and no event log
                self.model.recorder.event(entity_id, "queue", "bed_wait", arrival, None, self.name)
            try:
                yield _until(request, None if pressure.max_boarding_days == float("inf") else env.timeout(pressure.max_boarding_days))
            except simpy.Interrupt:
                self.boarding.change(-1, env.now)
                del self._waiting[request]
                if request.triggered:
                    self.beds.release(request)
                else:
                    request.cancel()
                raise
            self.boarding.change(-1, env.now)
            del self._waiting[request]
            if request.triggered:
                return ON_WARD, request
        request.cancel()
        outlier = pressure.outlier_bed()
        if outlier is not None:
            return OTHER_WARD, outlier
        return OTHER_HOSPITAL, None

    # -- stays ---------------------------------------------------------------------------------------
    def admit(self, patient: Patient, condition: int, mean_los: float):
        """SimPy generator: a modelled patient's stay from the decision to admit; returns a ``StayResult``."""
        model = self.model
        env, rec, path = model.env, model.recorder, model.cfg.pathways
        pid = patient.person_id
        clinical = patient.streams.get("clinical")
        mu, sigma = lognormal_params(mean_los, path.los_cv)
        # teams may shorten the stay when they secure follow-up at home or take over treatment
        los = model.hooks.length_of_stay(patient, self, condition, clinical.lognormvariate(mu, sigma))
        needs_home_nursing = clinical.random() < patient.p_home_nursing
        arrival = env.now
        patient.location = BOARDING
        try:
            place, request = yield from self.find_bed(pid, condition)
        except simpy.Interrupt:  # died waiting for a bed: the wait is on the record, as no admission
            rec.fact(Admission(person_id=pid, ward=self.name, condition=condition, arrival=arrival, admitted=env.now,
                               ready=env.now, left=env.now, place=DIED_WAITING))
            raise
        admitted = env.now
        patient.location = IN_BED
        transfer_failed = False
        bed_id = stay = None
        if place == ON_WARD:
            bed_id = self._take_bed(pid, admitted)
            stay = self._track(pid, request, bed_id, admitted + los)
            rec.fact(Contact(person_id=pid, time=admitted, actor=self.name))
        else:  # moved to another ward or hospital: a handoff that can fail, and one more actor
            transfer_failed = patient.streams.get("overload").random() < model.cfg.overload.p_transfer_handoff_fails
            rec.fact(Handoff(person_id=pid, time=admitted, target=place, failed=transfer_failed))
            rec.fact(Contact(person_id=pid, time=admitted, actor=f"{self.name}/{place}"))
            rec.event(pid, "resource_use", "admitted", admitted, None, f"{self.name}/{place}")
        key = self._open([pid, self.name, condition, arrival, admitted, None, place])
        arranged_during_stay = model.hooks.at_admission(patient, self, admitted)  # e.g. a team's in-reach visit
        municipality = model.municipalities[patient.municipality]
        prearranged = None
        if needs_home_nursing and arranged_during_stay:
            # home nursing is arranged during the stay, so the place is ready by discharge
            prearranged = municipality.request_home_nursing(pid)
        ended = stay.ended if stay is not None else None
        try:
            yield _until(env.timeout(los), ended)
            ready = env.now
            self._open_stays[key][5] = ready
            if stay is not None:
                stay.ready = True
            if ended is None or not ended.triggered:
                alignment = model.hooks.alignment_days(patient)
                if alignment > 0:  # e.g. the ward aligns the discharge with each coordinator (specialisation dilemma)
                    yield _until(env.timeout(alignment), ended)
            if prearranged is None and needs_home_nursing:
                prearranged = municipality.request_home_nursing(pid)
            if prearranged is not None and (ended is None or not ended.triggered):
                # delayed discharge: the bed is held until the municipality has a place (ended early: the
                # patient goes home and the place starts when one frees up)
                yield _until(prearranged, ended)
        except simpy.Interrupt:  # died in hospital
            self._leave_place(place, stay, request, bed_id, pid, env.now)
            row = self._open_stays.pop(key)
            rec.fact(Admission(person_id=pid, ward=self.name, condition=condition, arrival=arrival, admitted=admitted,
                               ready=env.now if row[5] is None else row[5], left=env.now, place=place))
            raise
        self._leave_place(place, stay, request, bed_id, pid, env.now)
        del self._open_stays[key]
        rec.fact(Admission(person_id=pid, ward=self.name, condition=condition, arrival=arrival, admitted=admitted,
                           ready=ready, left=env.now, place=place))
        served = min(1.0, (ready - admitted) / los) if los > 0 else 1.0
        return StayResult(needs_home_nursing, served, stay is not None and stay.under_pressure, transfer_failed)

    def _leave_place(self, place: str, stay: BedStay | None, request, bed_id: int | None, entity_id: int, now: float) -> None:
        if place == ON_WARD:
            self._release_stay(stay, request, bed_id, entity_id, now)
            return
        if place == OTHER_WARD:
            self.pressure.outlier_beds.release(request)
        if entity_id >= 0:
            self.model.recorder.event(entity_id, "resource_use_end", "discharged", now, None, f"{self.name}/{place}")

    def background_stay(self, los: float):
        """SimPy process: an admission of someone outside the modelled caseload (background demand)."""
        env, rec = self.model.env, self.model.recorder
        arrival = env.now
        place, request = yield from self.find_bed(-1)
        admitted = env.now
        if place == OTHER_HOSPITAL:  # the stay happens elsewhere: nothing more of it here
            rec.fact(Admission(person_id=-1, ward=self.name, condition=-1, arrival=arrival, admitted=admitted,
                               ready=admitted + los, left=admitted + los, place=place))
            return
        key = self._open([-1, self.name, -1, arrival, admitted, None, place])
        if place == ON_WARD:
            self._set_occupied(+1, admitted)
            stay = self._track(-1, request, None, admitted + los)
            try:
                yield env.timeout(los)
            except simpy.Interrupt:
                pass  # the ward ended the stay early (a closure or pressure) and gave the bed back
        else:
            stay = None
            yield env.timeout(los)
        self._leave_place(place, stay, request, None, -1, env.now)
        del self._open_stays[key]
        rec.fact(Admission(person_id=-1, ward=self.name, condition=-1, arrival=arrival, admitted=admitted,
                           ready=env.now, left=env.now, place=place))

    def discharge_handoffs(self, patient: Patient, stay: StayResult) -> bool:
        """Hand the patient over to the GP and home nursing (``sim.agents.discharge``); True if something failed."""
        return discharge_handoffs(self, patient, stay)
