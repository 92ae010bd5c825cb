"""What a ward does when its beds run out (``overload.*``; MODEL.md §6: no queue hides a patient).

A patient the emergency department has decided to admit gets, in this order (``HospitalWard.find_bed``):

1. a free normed bed;
2. a corridor bed: the ward takes patients above its normed beds up to ``corridor_beds_share`` of them
   (over-occupancy), paid as bed days like any other;
3. a bed freed by a **pressure discharge**: the ward ends the stay nearest to its planned end if that is
   at most ``pressure_discharge_max_days_early`` days away (patients ready for discharge and waiting for
   home nursing come first: they go home and home nursing starts when a place frees). A stay cut short
   has treated the unstable phase less (``Patient._acute_path``) and its discharge handoffs fail more
   often (``pressure_discharge_handoff_fail_ratio``): its readmission risk follows from that;
4. a wait for a bed in the acute admission unit (boarding), while it has a place
   (``boarding_places_share`` of the normed beds) and for at most ``max_boarding_hours``; the patient is
   costed per day there (``costs.ed_boarding_day``) and the illness goes on (``sim.agents.patient``);
5. a bed on **another ward** of the hospital (outlying patients, ``outlier_beds_share`` of the beds) if
   one is free; the move is a handoff that can fail (``p_transfer_handoff_fails``);
6. as a last resort **another hospital**: the region pays the stay there (``costs.elsewhere_price_ratio``
   on the bed days) and the transport (``costs.transfer``); the move is a handoff that can fail.

With ``overload.enabled`` false (or unlimited beds) the ward is a plain queue: every patient waits for a
normed bed for as long as it takes. That is what the queueing verification (Erlang-C) needs.
"""

from __future__ import annotations

import math

import simpy

from ..config import OverloadConfig

# where a stay takes place (the ``place`` column of the ``admissions`` fact table)
ON_WARD, OTHER_WARD, OTHER_HOSPITAL = "ward", "other_ward", "other_hospital"
# a wait for a bed that ended without a bed: the person died, or was still waiting when the run ended; the
# row keeps the wait on the record (and costed) but is no admission
DIED_WAITING, STILL_WAITING = "died_waiting", "still_waiting"
NOT_ADMITTED = (DIED_WAITING, STILL_WAITING)


def ward_places(normed_beds: int, cfg: OverloadConfig) -> int:
    """Normed beds plus the corridor beds ``overload.corridor_beds_share`` allows (rounded to whole beds)."""
    if not cfg.enabled:
        return normed_beds
    return normed_beds + math.floor(cfg.corridor_beds_share * normed_beds + 0.5)


class WardPressure:
    """The sizes the rules above work with, for one ward."""

    def __init__(self, env: simpy.Environment, cfg: OverloadConfig, normed_beds: int, unlimited: bool):
        self.cfg = cfg
        self.enabled = cfg.enabled and not unlimited
        self.max_boarding_days = cfg.max_boarding_hours / 24.0 if self.enabled else math.inf
        self.boarding_places = max(1, math.floor(cfg.boarding_places_share * normed_beds + 0.5)) if self.enabled else math.inf
        outliers = math.floor(cfg.outlier_beds_share * normed_beds + 0.5) if self.enabled else 0
        # beds on other wards the hospital can lend; taken only when free (the other wards' own patients come first)
        self.outlier_beds = simpy.Resource(env, capacity=outliers) if outliers > 0 else None

    def places(self, normed_beds: int) -> int:
        """Beds the ward can fill: the normed beds plus the corridor beds over-occupancy allows."""
        return ward_places(normed_beds, self.cfg) if self.enabled else normed_beds

    def can_board(self, waiting: int) -> bool:
        """True if the acute admission unit has a place for one more patient waiting for a bed."""
        return waiting < self.boarding_places

    def outlier_bed(self) -> simpy.Resource | None:
        """A bed on another ward if one is free now (the request is granted at once), else None."""
        beds = self.outlier_beds
        if beds is None or beds.count >= beds.capacity:
            return None
        return beds.request()

    def discharge_handoff_ratio(self, under_pressure: bool) -> float:
        return self.cfg.pressure_discharge_handoff_fail_ratio if under_pressure else 1.0


class StayResult:
    """How a modelled patient's hospital stay ended (what the discharge handoffs and treatment depend on)."""

    __slots__ = ("to_home_nursing", "served_share", "under_pressure", "transfer_failed")

    def __init__(self, to_home_nursing: bool, served_share: float, under_pressure: bool, transfer_failed: bool):
        self.to_home_nursing = to_home_nursing
        self.served_share = served_share        # share of the planned (clinical) stay the patient had
        self.under_pressure = under_pressure    # ended early to make room (pressure discharge)
        self.transfer_failed = transfer_failed  # the handoff at a transfer to another ward or hospital failed
