"""Hospital agents: the emergency department and the wards that own beds.

Acute path (MODEL.md §3.2): ED assessment -> admission if the ED decides so -> a bed if one is free,
otherwise boarding (waiting in the ED for a bed) -> length of stay -> discharge, possibly delayed
until municipal home nursing has a place -> discharge handoffs to the GP and, with home nursing, to
the municipality. Each handoff can fail; a failed handoff raises the patient's deterioration rate
for the post-discharge window (see ``Patient.deterioration_rate``).

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

So beds in use never exceed the calendar's capacity, also at the instant capacity drops. When beds
open, waiting (boarding) patients get them at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from ..capacity import AdjustableResource, TimeWeighted, lognormal_params, urgent_timeout
from ..scenarios.specialisation import GENERAL_PRACTICE, MUNICIPALITY

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
        rec.event(patient.person_id, "queue", "ed_arrival", arrival, None, self.name)
        rec.fact("contacts", patient.person_id, arrival, self.name)
        yield env.timeout(path.ed_assessment_hours / 24.0)
        admit = patient.streams.get("clinical").random() < path.p_admit_from_ed
        rec.fact("ed_visits", patient.person_id, arrival, admit)
        return admit


class HospitalWard(mesa.Agent):
    """A ward with a fixed number of beds (a SimPy resource); boarding is the wait for one."""

    def __init__(self, model: CareModel, name: str, beds: int, bed_day_cost_key: str):
        super().__init__(model)
        self.name = name
        unlimited = model.cfg.capacity.unlimited_beds or model.cfg.capacity.unlimited_capacity
        self.beds_count = UNLIMITED_BEDS if unlimited else max(1, int(beds))
        self.beds = AdjustableResource(model.env, capacity=self.beds_count)
        # planned capacity over time [(absolute day, beds)]; a second entry means beds open or close
        self.capacity_levels = [(0.0, float(self.beds_count))] if unlimited else model.capacity_plan.ward_levels(name)
        self._stays_by_request: dict | None = None  # stays that a closure may end (only with a calendar)
        if len(self.capacity_levels) > 1:
            self._stays_by_request = {}
            model.env.process(self._follow_calendar(model.cfg.scenario.capacity_moves.ward_closure_notice_days))
        self.bed_day_cost_key = bed_day_cost_key
        self.occupied = TimeWeighted()
        self.boarding = TimeWeighted()
        self._free_bed_ids: list[int] = []
        self._next_bed_id = 0
        # stays in progress, so KPIs can count bed days of patients still in bed when a run ends
        self._open_stays: dict[int, list] = {}
        self._stay_counter = 0

    # -- bed bookkeeping for the event log (vidigi animates resource_id as a bed) -------------------
    def _take_bed_id(self) -> int:
        if self._free_bed_ids:
            return self._free_bed_ids.pop()
        self._next_bed_id += 1
        return self._next_bed_id

    def _occupy(self, entity_id: int, now: float):
        self.boarding.change(-1, now)
        self.occupied.change(+1, now)
        bed_id = self._take_bed_id()
        self.model.recorder.event(entity_id, "resource_use", "admitted", now, bed_id, self.name)
        return bed_id

    def _open(self, row: list) -> int:
        self._stay_counter += 1
        self._open_stays[self._stay_counter] = row
        return self._stay_counter

    def open_stay_rows(self, now: float) -> list[tuple]:
        """Stays not yet ended, as ``admissions`` rows that end now (not yet ready: ready = now)."""
        return [(pid, ward, cond, arrival, admitted, now if ready is None else ready, now)
                for pid, ward, cond, arrival, admitted, ready in self._open_stays.values()]

    def _vacate(self, entity_id: int, request, bed_id: int, now: float) -> None:
        self.beds.release(request)
        self.occupied.change(-1, now)
        self._free_bed_ids.append(bed_id)
        self.model.recorder.event(entity_id, "resource_use_end", "discharged", now, bed_id, self.name)

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
            self.beds.set_capacity(min([capacity, *ahead]))
            if now in changes:
                self._close_beds_above(capacity, now)

    def _close_beds_above(self, capacity: int, now: float) -> None:
        excess = len(self.beds.users) - capacity
        if excess <= 0:
            return
        stays = sorted(self._stays_by_request.values(), key=lambda stay: (stay["planned_end"], stay["order"]))
        assert len(stays) == len(self.beds.users), "every bed in use belongs to a stay the ward can end"
        for stay in stays[:excess]:
            request = stay["request"]
            del self._stays_by_request[request]
            if stay["bed_id"] is None:
                self.beds.release(request)
                self.occupied.change(-1, now)
            else:
                self._vacate(stay["entity_id"], request, stay["bed_id"], now)
            self.model.recorder.fact("closure_discharges", stay["entity_id"], self.name, now,
                                     max(0.0, stay["planned_end"] - now), stay["ready"])
            stay["closed"].succeed()

    def _closable(self, entity_id: int, request, bed_id: int | None, planned_end: float):
        """An event the ward triggers if it ends this stay at a bed closure (None without a calendar)."""
        if self._stays_by_request is None:
            return None, None
        stay = {"entity_id": entity_id, "request": request, "bed_id": bed_id, "planned_end": planned_end,
                "ready": False, "order": self._stay_counter, "closed": self.model.env.event()}
        self._stays_by_request[request] = stay
        return stay, stay["closed"]

    def _still_in_bed(self, stay, request) -> bool:
        """True if the stay was not ended by a closure; stops the ward from ending it from now on."""
        if stay is None:
            return True
        if stay["closed"].triggered:
            return False
        del self._stays_by_request[request]
        return True

    # -- stays ---------------------------------------------------------------------------------------
    def admit(self, patient: Patient, condition: int, mean_los: float):
        """SimPy generator: a modelled patient's stay; returns True if discharged to home nursing."""
        model = self.model
        env, rec, path = model.env, model.recorder, model.cfg.pathways
        pid = patient.person_id
        arrival = env.now
        self.boarding.change(+1, arrival)
        rec.event(pid, "queue", "bed_wait", arrival, None, self.name)
        request = self.beds.request()
        yield request
        admitted = env.now
        bed_id = self._occupy(pid, admitted)
        stay = self._open([pid, self.name, condition, arrival, admitted, None])
        rec.fact("contacts", pid, admitted, self.name)
        for team in patient.teams:  # in-reach: the patient's team visits during the admission
            if team.role.joint_discharge_plan or team.role.prearranges_home_nursing:
                rec.fact("contacts", pid, admitted, team.name)
        clinical = patient.streams.get("clinical")
        mu, sigma = lognormal_params(mean_los, path.los_cv)
        los = self._length_of_stay(patient, condition, clinical.lognormvariate(mu, sigma))
        needs_home_nursing = clinical.random() < patient.p_home_nursing
        prearranged = None
        if needs_home_nursing and any(t.role.prearranges_home_nursing for t in patient.teams):
            # the team arranges home nursing during the stay, so the place is ready by discharge
            prearranged = env.process(model.municipalities[patient.municipality].start_home_nursing(pid))
        closable, closed = self._closable(pid, request, bed_id, admitted + los)
        timer = env.timeout(los)
        yield timer if closed is None else timer | closed
        ready = env.now
        self._open_stays[stay][5] = ready
        if closed is None:
            alignment = model.specialisation.alignment_days(patient)
            if alignment > 0:  # the ward aligns the discharge with each coordinator (specialisation dilemma)
                yield env.timeout(alignment)
            if prearranged is not None:
                yield prearranged
            elif needs_home_nursing:  # delayed discharge: the bed is held until the municipality has a place
                yield from model.municipalities[patient.municipality].start_home_nursing(pid)
        else:
            yield from self._leave_closable_bed(patient, closable, closed, prearranged, needs_home_nursing)
        if self._still_in_bed(closable, request):
            self._vacate(pid, request, bed_id, env.now)
        del self._open_stays[stay]
        rec.fact("admissions", pid, self.name, condition, arrival, admitted, ready, env.now)
        return needs_home_nursing

    def _leave_closable_bed(self, patient: Patient, closable, closed, prearranged, needs_home_nursing: bool):
        """SimPy generator: the end of a stay in a ward whose beds may close. If a closure ends the stay,
        a home-nursing wait continues at home (the place starts when one frees up)."""
        env = self.model.env
        closable["ready"] = True
        municipality = self.model.municipalities[patient.municipality]
        if closed.triggered:  # ended by the closure before the patient was ready
            if needs_home_nursing and prearranged is None:
                env.process(municipality.start_home_nursing(patient.person_id))
            return
        if prearranged is not None:
            yield prearranged | closed
        elif needs_home_nursing:
            wait = env.process(municipality.start_home_nursing(patient.person_id))
            yield wait | closed

    def _length_of_stay(self, patient: Patient, condition: int, los: float) -> float:
        """The ward discharges earlier when a team secures follow-up at home (coordinator with a mandate)
        or takes over treatment (ACT team for psychiatric stays)."""
        saved_days = max((t.role.early_discharge_days for t in patient.teams if t.acts_on(condition)), default=0.0)
        if self.name == "psychiatric_ward":
            share = max((t.role.psychiatric_stay_saved_share for t in patient.teams if t.acts_on(condition)), default=0.0)
            los *= 1.0 - share
        floor = self.model.cfg.pathways.min_stay_share_early_discharge * los
        return max(floor, los - saved_days) if saved_days > 0 else los

    def background_stay(self, los: float):
        """SimPy process: an admission of someone outside the modelled caseload (background demand)."""
        env = self.model.env
        arrival = env.now
        self.boarding.change(+1, arrival)
        request = self.beds.request()
        yield request
        admitted = env.now
        self.boarding.change(-1, admitted)
        self.occupied.change(+1, admitted)
        stay = self._open([-1, self.name, -1, arrival, admitted, None])
        closable, closed = self._closable(-1, request, None, admitted + los)
        timer = env.timeout(los)
        yield timer if closed is None else timer | closed
        if self._still_in_bed(closable, request):
            self.beds.release(request)
            self.occupied.change(-1, env.now)
        del self._open_stays[stay]
        self.model.recorder.fact("admissions", -1, self.name, -1, arrival, admitted, env.now, env.now)

    def discharge_handoffs(self, patient: Patient, to_home_nursing: bool) -> bool:
        """Hand the patient over to the GP (always) and home nursing (if used). Returns True if the patient
        leaves with a failed handoff or a failed coordinator link.

        A complex-care team's joint discharge plan makes the handover explicit (lower failure probability);
        a coordinator who learns of the discharge in time can rescue a failing handoff, and its calls take
        the GP's time (a planned slot each). How specialised the pathway is (``model.specialisation``) adds
        handoffs between hospital units, erodes every handoff, and makes coordinators actors with links of
        their own; at its reference level without coordinators it changes nothing.
        """
        model = self.model
        now, rec, path, pathway = model.env.now, model.recorder, model.cfg.pathways, model.specialisation
        draw = patient.streams.get("handoff")
        plan = [t for t in patient.teams if t.role.joint_discharge_plan]
        coordinators = pathway.coordinators(patient)
        p_gp = min([path.p_handoff_fail_gp] + [t.role.p_fail_gp_with_plan for t in plan])
        p_mun = min([path.p_handoff_fail_municipality] + [t.role.p_fail_municipality_with_plan for t in plan])
        p_gp = pathway.handoff_failure(p_gp, patient, GENERAL_PRACTICE, bool(coordinators))
        p_mun = pathway.handoff_failure(p_mun, patient, MUNICIPALITY, bool(coordinators))
        failed_gp = draw.random() < p_gp
        failed_mun = to_home_nursing and draw.random() < p_mun
        covering = [t for t in patient.teams if t.role.covers_handoffs]
        acting: list = []
        failed_patient_links = 0
        if covering:
            team_draw = patient.streams.get("team")
            practice = model.practices[patient.practice_index]
            for team in covering:
                if team_draw.random() >= team.role.information_access:
                    continue  # the coordinator did not hear of this discharge in time
                if pathway.patient_link_fails(patient):
                    failed_patient_links += 1
                    continue  # heard, but did not reach the patient: one more loose end, nothing done
                acting.append(team)
                for _ in range(int(round(team.role.partner_slots_per_discharge))):
                    slot = practice.book_check(now)
                    rec.fact("gp_contacts", patient.person_id, practice.index, now, slot, "coordination", False)
                rec.fact("contacts", patient.person_id, now, team.name)
                if failed_gp and pathway.attempt_repair(team_draw.random(), team.role.p_handoff_repair, GENERAL_PRACTICE):
                    failed_gp = False
                    rec.fact("handoff_repairs", patient.person_id, now, team.name, "general_practice")
                if failed_mun and pathway.attempt_repair(team_draw.random(), team.role.p_handoff_repair, MUNICIPALITY):
                    failed_mun = False
                    rec.fact("handoff_repairs", patient.person_id, now, team.name, "municipality")
        # extended treatment responsibility (a scenario): the ward may catch a failing handoff in its window
        failed_gp, failed_mun = model.acute_alternatives.after_discharge_handoffs(patient, self, failed_gp, failed_mun,
                                                                                 to_home_nursing)
        rec.fact("handoffs", patient.person_id, now, "general_practice", failed_gp)
        if to_home_nursing:
            rec.fact("handoffs", patient.person_id, now, "municipality", failed_mun)
        unit_handoffs, failed_units = pathway.unit_handoffs(patient, acting)
        links, failed_links = pathway.coordinator_links(patient, coordinators)
        failed_links += failed_patient_links
        failed_handoffs = int(failed_gp) + int(failed_mun) + failed_units
        failed = failed_handoffs > 0 or failed_links > 0
        rec.fact("transitions", patient.person_id, now, 1 + int(to_home_nursing) + unit_handoffs, failed_handoffs,
                 len(coordinators), links + len(coordinators), failed_links, patient.unstable, failed or patient.unstable)
        return failed
