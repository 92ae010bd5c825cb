"""Capacity moves: hospital controls handed over to general practice, with transfer friction.

Under the 2018 GP agreement stable type 2 diabetes and COPD patients followed at hospital were to be
ended there and followed by their GP (Region H 2018 l.1131-1138, l.1543-1546); in practice moving
patients is hard (Slides l.205-206: "OK18 - hard in practice to move patients").

At a control from ``transfer_from_day`` on, a stable patient (not in an unstable phase; the clinic is
assumed to judge stability correctly) of a condition in ``transfer_conditions`` is handed over with
probability ``p_transfer_at_control``. The hospital follow-up ends either way. With probability
``transfer_friction`` the transfer fails: ``lost`` (no GP check is booked: the patient drops out of
planned follow-up) or ``delayed`` (the first GP check comes ``transfer_delay_days`` late). Otherwise
the existing discharge-to-GP path books an annual GP check. The capacity side (fewer outpatient
slots, GP slots added or not) is in the capacity calendar (``sim.capacity_calendar``); the calendar is this
mechanism's config check (:meth:`CapacityMoves.config_problems`), and the plan it resolves is kept by the
validated config for the model's capacity owners.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ..capacity_calendar import calendar_problems, resolve_plan
from ..config import CONDITIONS
from .hooks import Mechanism
from ..facts.capacity_moves import ControlTransfer

if TYPE_CHECKING:
    from ..agents.outpatient_clinic import OutpatientClinic
    from ..agents.patient import Patient
    from ..config import SimConfig
    from ..model import CareModel


def control_transfer(model: CareModel, condition: int) -> Callable[[OutpatientClinic, Patient], bool] | None:
    """The clinic's hand-over rule for this condition, or None when its controls are not moved."""
    moves = model.cfg.scenario.capacity_moves
    if CONDITIONS[condition] not in moves.transfer_conditions:
        return None
    start = model.warmup_days + moves.transfer_from_day
    path = model.cfg.pathways

    def hand_over(clinic: OutpatientClinic, patient: Patient) -> bool:
        now = model.env.now
        if now < start or patient.unstable:
            return False
        draw = patient.streams.get("followup")
        if draw.random() >= moves.p_transfer_at_control:
            return False
        outcome = moves.friction_outcome if draw.random() < moves.transfer_friction else "completed"
        model.recorder.fact(ControlTransfer(person_id=patient.person_id, condition=condition, time=now,
                                            outcome=outcome))
        if outcome == "completed":
            clinic.discharge_to_gp(patient)  # books the annual GP check when no hospital follow-up is left
            return True
        patient.hospital_followed[condition] = False
        clinic.follow(patient, -1)
        if outcome == "delayed" and not any(patient.hospital_followed) and path.gp_annual_check_for_gp_followed:
            practice = model.practices[patient.practice_index]
            practice.book_check_for(patient, now + path.control_interval_days + moves.transfer_delay_days)
        return True  # "lost": nobody books the GP check

    return hand_over


class CapacityMoves(Mechanism):
    """Controls handed over to general practice at a control (the clinics' side of the capacity calendar)."""

    name = "capacity_moves"
    config_sections = ("scenario.capacity_moves",)
    patient_stream_purposes = ("followup",)  # the hand-over decision at a control

    @classmethod
    def config_problems(cls, cfg: SimConfig) -> list[str]:
        """The capacity calendar's problems (entries, funding, levels at every date, the transfer day)."""
        return super().config_problems(cfg) + calendar_problems(cfg)

    @classmethod
    def check_config(cls, cfg: SimConfig) -> tuple[list[str], Any]:
        """The calendar resolved once: its problems, and the plan (``sim.capacity_calendar.CapacityPlan``) every
        replication's capacity owners are built from."""
        plan, problems = resolve_plan(cfg)
        return super().config_problems(cfg) + problems, plan

    def __init__(self, model: CareModel):
        super().__init__(model)
        self._hand_over: dict[int, Callable[[OutpatientClinic, Patient], bool] | None] = {}

    @property
    def active(self) -> bool:
        return bool(self.model.cfg.scenario.capacity_moves.transfer_conditions)

    def hands_over_at_control(self, clinic: OutpatientClinic, patient: Patient) -> bool:
        condition = clinic.condition
        if condition not in self._hand_over:
            self._hand_over[condition] = control_transfer(self.model, condition)
        hand_over = self._hand_over[condition]
        return hand_over is not None and hand_over(clinic, patient)
