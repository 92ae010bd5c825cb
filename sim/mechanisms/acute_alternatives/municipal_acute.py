"""Municipal acute beds (akutpladser): a municipality's alternative to an acute admission.

A scenario (``scenario.municipal_acute_beds``) opens a unit of acute beds in each municipality
(Slides l.147-149 "acute functions in the municipalities", l.235; VIVE 2018 l.1864-1865). Who is sent
here is decided in ``sim.mechanisms.acute_alternatives.routing``; this agent owns the beds and runs the stay:

* a bed is a ``simpy.Resource`` place, taken only if one is free (otherwise the patient goes the usual
  way, to the ED), held for a lognormal stay;
* a share of stays is transferred on to hospital early (the patient then goes through the ED);
* the other stays end at home: the stay may have ended the unstable phase, and the handoff home stays
  inside the municipality (its own nursing), so it fails less often than a hospital discharge handoff;
* a patient who needs home nursing afterwards (the same probability as after a hospital stay) waits in
  the acute bed for a home-nursing place, so both municipal capacities interact.

After a stay that ends at home the patient has the same post-discharge window of raised risk as after a
hospital discharge: the vulnerability after an acute episode belongs to the patient, not the place
(an assumption that does not favour the scenario). A municipal stay is **not** a hospital admission: it
is not counted in admissions or 30-day readmissions; ``acute_care_return_rate_30d`` counts both.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa
import simpy

from ...agents.patient import IN_MUNICIPAL_BED
from ...capacity import TimeWeighted, lognormal_params
from ...facts.acute_alternatives import MunicipalAcuteStay
from ...facts.core import Contact, Handoff

if TYPE_CHECKING:
    from ...agents.municipality import Municipality
    from ...agents.patient import Patient
    from ...model import CareModel

UNLIMITED = 10**9


class MunicipalAcuteUnit(mesa.Agent):
    """The acute beds of one municipality (paid by the municipality per occupied bed day)."""

    def __init__(self, model: CareModel, municipality: Municipality, beds: int):
        super().__init__(model)
        self.municipality = municipality
        self.name = f"municipal_acute_{municipality.name}"
        self.beds_count = UNLIMITED if model.cfg.capacity.unlimited_capacity else int(beds)
        self.beds = simpy.Resource(model.env, capacity=self.beds_count)
        self.occupied = TimeWeighted()
        self._free_bed_ids: list[int] = []
        self._next_bed_id = 0
        self._open_stays: dict[int, tuple] = {}  # stays in progress, for bed days at the end of a run
        self._stay_counter = 0

    def has_free_bed(self) -> bool:
        return self.beds.count < self.beds.capacity and not self.beds.queue

    def open_stay_rows(self, now: float) -> list[tuple]:
        """Stays not yet ended, as ``municipal_acute_stays`` rows that end now (not transferred)."""
        return [(pid, self.municipality.index, cond, route, start, now, False)
                for pid, cond, route, start in self._open_stays.values()]

    def stay(self, patient: Patient, condition: int, route: str):
        """SimPy generator: a stay in a free bed (check ``has_free_bed`` first). Returns True if the patient
        was transferred on to hospital, False if the stay ended at home."""
        model = self.model
        env, rec, path = model.env, model.recorder, model.cfg.pathways
        cfg = model.cfg.scenario.municipal_acute_beds
        pid = patient.person_id
        draw = patient.streams.get("acute_alternative")
        # a fixed number of draws per stay, whatever happens, so the stream stays aligned across variants
        mu, sigma = lognormal_params(cfg.stay_mean_days, path.los_cv)
        length = draw.lognormvariate(mu, sigma)
        transferred = draw.random() < cfg.p_transfer_to_hospital
        transfer_after = draw.expovariate(1.0 / cfg.transfer_mean_days) if cfg.transfer_mean_days > 0 else 0.0
        stabilises = draw.random() < cfg.p_stabilises
        handoff_failed = draw.random() < cfg.p_handoff_fail
        needs_home_nursing = draw.random() < patient.p_home_nursing
        if transferred:
            length = min(length, transfer_after)

        request = self.beds.request()
        yield request  # a free bed: granted at once
        start = env.now
        patient.location = IN_MUNICIPAL_BED
        self.occupied.change(+1, start)
        bed_id = self._free_bed_ids.pop() if self._free_bed_ids else self._take_new_bed_id()
        self._stay_counter += 1
        stay_key = self._stay_counter
        self._open_stays[stay_key] = (pid, condition, route, start)
        rec.event(pid, "resource_use", "municipal_acute_admitted", start, bed_id, self.name)
        rec.fact(Contact(person_id=pid, time=start, actor=self.name))
        try:
            yield env.timeout(length)
            if not transferred and needs_home_nursing:
                # as after a hospital stay, home nursing needs a free place; the patient waits in the acute bed
                # (a municipal bed day, no delayed-discharge fee: the municipality owns both)
                yield self.municipality.request_home_nursing(pid)
        except simpy.Interrupt:  # died in the acute bed
            self._leave(request, bed_id, stay_key, pid, condition, route, start, False)
            raise
        self._leave(request, bed_id, stay_key, pid, condition, route, start, transferred)
        now = env.now
        if transferred:
            return True
        if stabilises:
            patient.stabilise(self.name)
        rec.fact(Handoff(person_id=pid, time=now, target="municipal_home_care", failed=handoff_failed))
        patient.post_discharge_until = now + path.post_discharge_days
        patient.failed_handoff_until = now + path.post_discharge_days if handoff_failed else -math.inf
        patient.rates_changed()
        return False

    def _leave(self, request, bed_id: int, stay_key: int, pid: int, condition: int, route: str, start: float,
               transferred: bool) -> None:
        now = self.model.env.now
        self.beds.release(request)
        self.occupied.change(-1, now)
        self._free_bed_ids.append(bed_id)
        del self._open_stays[stay_key]
        self.model.recorder.event(pid, "resource_use_end", "municipal_acute_left", now, bed_id, self.name)
        self.model.recorder.fact(MunicipalAcuteStay(person_id=pid, municipality=self.municipality.index,
                                                    condition=condition, route=route, start=start, end=now,
                                                    transferred=transferred))

    def _take_new_bed_id(self) -> int:
        self._next_bed_id += 1
        return self._next_bed_id
