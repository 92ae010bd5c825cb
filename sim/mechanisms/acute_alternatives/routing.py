"""Alternatives to the emergency department (capacity moves, MODEL.md §3.3).

Two mechanisms decide where an acute deterioration goes before the usual path (ED -> ward):

* **Extended treatment responsibility** (``scenario.extended_responsibility``; Region Hovedstaden,
  Slides l.140-142): for ``window_hours`` (72) after a discharge, the GP, the home nurse or the acute
  line (1813) raises an acute deterioration with the *discharging ward* instead of sending the patient to
  the ED (``p_enquiry_routed``). The ward admits directly, skipping the ED (``p_admit_directly``), or
  advises / adjusts treatment at a distance, which may end the unstable phase (``p_advice_stabilises``),
  and the patient stays home. The ward's responsibility also catches part of the failing discharge
  handoffs within the window (``p_handoff_repair``): the receiver asks and gets what was missing. Every
  enquiry is a phone contact of ward staff (cost item ``ward_enquiries``, paid by the hospital). Only a
  deterioration that belongs in the discharging ward is routed there (a psychiatric ward does not take
  a COPD exacerbation).
* **Municipal acute beds** (``scenario.municipal_acute_beds``; Slides l.147-149, l.235; VIVE 2018
  l.1864-1865): an acute *somatic* deterioration of a patient aged ``min_age`` or more, judged not to
  need hospital diagnostics (``p_suitable``), is sent to a free bed of the patient's municipality by the
  GP who would refer to the ED (``p_used_by_gp``) or by the acute line (``p_used_by_acute_line``; Region H
  2018 l.442-446: not established today). If every bed is taken, the patient goes to the ED as usual.
  The stay itself is ``sim.mechanisms.acute_alternatives.municipal_acute.MunicipalAcuteUnit``.

The hospital's responsibility comes first: within the window the ward is asked before the municipality.
Switched off, the mechanism is not active: no hook reaches it (``sim.mechanisms.hooks``), so usual care is
unchanged to the bit.

Randomness: every decision draws from the patient's own ``acute_alternative`` stream, a fixed number of
draws per decision point, so switching a mechanism on does not shift the patient's other streams.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...config import CONDITIONS, MunicipalAcuteBedsConfig, municipal_acute_beds
from ..hooks import TO_ED, Mechanism
from .municipal_acute import MunicipalAcuteUnit
from ...facts.acute_alternatives import MunicipalAcuteReferral, WardEnquiry
from ...facts.core import Contact, HandoffRepair

if TYPE_CHECKING:
    from ...agents.discharge import DischargeHandoffs
    from ...agents.hospital import HospitalWard
    from ...agents.patient import Patient
    from ...model import CareModel

SMI = CONDITIONS.index("smi")

# where an acute deterioration goes next (returned by AcuteAlternatives.before_ed; TO_ED is usual care's)
TO_WARD = "ward"      # admitted directly by the discharging ward (no ED visit)
HANDLED = "home"      # handled without the hospital: a municipal acute stay or the ward's advice

# who raised the deterioration (labels in the fact tables)
VIA_GP, VIA_ACUTE_LINE, VIA_HOME_NURSE = "gp", "acute_line", "home_nurse"


def offered_municipal_bed(cfg: MunicipalAcuteBedsConfig, age: float, condition: int, referred_by_gp: bool,
                          u_suitable: float, u_used: float) -> bool:
    """The routing rule: is this acute deterioration sent to a municipal acute bed (if one is free)?

    Somatic (not severe mental illness), aged ``min_age`` or more, suitable for care without hospital
    diagnostics (``u_suitable < p_suitable``) and the referrer uses the offer (``u_used`` below the GP's or
    the acute line's probability).
    """
    if condition == SMI or age < cfg.min_age:
        return False
    p_used = cfg.p_used_by_gp if referred_by_gp else cfg.p_used_by_acute_line
    return u_suitable < cfg.p_suitable and u_used < p_used


class AcuteAlternatives(Mechanism):
    """The scenario's acute alternatives for one model: the municipal units and the wards' 72-hour window."""

    name = "acute_alternatives"
    config_sections = ("scenario.municipal_acute_beds", "scenario.extended_responsibility")
    # municipal acute beds and the discharging ward's 72-hour responsibility
    patient_stream_purposes = ("acute_alternative",)

    def __init__(self, model: CareModel):
        super().__init__(model)
        sc = model.cfg.scenario
        self.beds_cfg = sc.municipal_acute_beds
        self.ward_cfg = sc.extended_responsibility
        self._enabled = self.beds_cfg.enabled or self.ward_cfg.enabled
        self.window_days = self.ward_cfg.window_hours / 24.0
        self.units: list[MunicipalAcuteUnit] = []
        # the latest discharge per person: (time, ward, discharged to home nursing)
        self._last_discharge: dict[int, tuple[float, HospitalWard, bool]] = {}

    @property
    def active(self) -> bool:
        return self._enabled

    def add_agents(self) -> None:
        if self.beds_cfg.enabled:
            self.units = [MunicipalAcuteUnit(self.model, mu, beds)
                          for mu, beds in zip(self.model.municipalities, municipal_acute_beds(self.model.cfg))]

    def start_results(self, now: float) -> None:
        for unit in self.units:
            unit.occupied.restart(now)

    # -- the hook before the ED (sim.mechanisms.hooks) ---------------------------------------------------------------
    def before_ed(self, patient: Patient, condition: int, referred_by_gp: bool):
        """SimPy generator: where an acute deterioration goes. Returns ``TO_ED``, ``TO_WARD`` or ``HANDLED``."""
        if not self._enabled:
            return TO_ED
        if self.ward_cfg.enabled:
            entry = self._discharging_ward(patient, condition, referred_by_gp)
            if entry is not None:
                return entry
        if self.beds_cfg.enabled:
            transferred = yield from self._municipal_bed(patient, condition, referred_by_gp)
            if transferred is False:
                return HANDLED
        return TO_ED

    def _discharging_ward(self, patient: Patient, condition: int, referred_by_gp: bool) -> str | None:
        model = self.model
        now = model.env.now
        last = self._last_discharge.get(patient.person_id)
        if last is None:
            return None
        discharged, ward, home_nursing = last
        if now - discharged > self.window_days or model.ward_for(condition) is not ward:
            return None
        cfg = self.ward_cfg
        draw = patient.streams.get("acute_alternative")
        routed = draw.random() < cfg.p_enquiry_routed
        admit = draw.random() < cfg.p_admit_directly
        stabilises = draw.random() < cfg.p_advice_stabilises
        if not routed:
            return None
        source = VIA_GP if referred_by_gp else (VIA_HOME_NURSE if home_nursing else VIA_ACUTE_LINE)
        rec = model.recorder
        if admit:
            rec.fact(WardEnquiry(person_id=patient.person_id, time=now, ward=ward.name, source=source,
                                 outcome="admitted_directly"))
            return TO_WARD
        rec.fact(WardEnquiry(person_id=patient.person_id, time=now, ward=ward.name, source=source, outcome="advice"))
        rec.fact(Contact(person_id=patient.person_id, time=now, actor=ward.name))
        if stabilises:
            patient.stabilise(ward.name)
        return HANDLED

    def _municipal_bed(self, patient: Patient, condition: int, referred_by_gp: bool):
        """SimPy generator: None if not sent (or no bed free), else True/False = transferred on to hospital."""
        model = self.model
        now = model.env.now
        age = patient.age_at_entry + (now - patient.entry_time) / 365.0
        if condition == SMI or age < self.beds_cfg.min_age:
            return None  # no draw: the deterministic criteria come first
        draw = patient.streams.get("acute_alternative")
        u_suitable, u_used = draw.random(), draw.random()
        if not offered_municipal_bed(self.beds_cfg, age, condition, referred_by_gp, u_suitable, u_used):
            return None
        unit = self.units[patient.municipality]
        route = VIA_GP if referred_by_gp else VIA_ACUTE_LINE
        accepted = unit.has_free_bed()
        model.recorder.fact(MunicipalAcuteReferral(person_id=patient.person_id, municipality=unit.municipality.index,
                                                   time=now, route=route, accepted=accepted))
        if not accepted:
            return None
        return (yield from unit.stay(patient, condition, route))

    # -- the hook after the discharge handoffs are drawn (sim.agents.discharge) ---------------------------
    def repair_handoffs(self, handoffs: DischargeHandoffs) -> None:
        handoffs.failed_gp, handoffs.failed_municipality = self.after_discharge_handoffs(
            handoffs.patient, handoffs.ward, handoffs.failed_gp, handoffs.failed_municipality, handoffs.to_home_nursing)

    def after_discharge_handoffs(self, patient: Patient, ward: HospitalWard, failed_gp: bool, failed_mun: bool,
                                 to_home_nursing: bool) -> tuple[bool, bool]:
        """Open the ward's window for this patient and let it catch failing handoffs. Returns the handoffs'
        (failed to GP, failed to municipality) after the ward's repairs."""
        if not self.ward_cfg.enabled:
            return failed_gp, failed_mun
        model = self.model
        now, rec = model.env.now, model.recorder
        pid = patient.person_id
        self._last_discharge[pid] = (now, ward, to_home_nursing)
        draw = patient.streams.get("acute_alternative")
        p = self.ward_cfg.p_handoff_repair
        repair_gp, repair_mun = draw.random() < p, draw.random() < p
        if failed_gp and repair_gp:
            failed_gp = False
            rec.fact(WardEnquiry(person_id=pid, time=now, ward=ward.name, source=VIA_GP, outcome="handoff_repaired"))
            rec.fact(HandoffRepair(person_id=pid, time=now, team=ward.name, target="general_practice"))
        if failed_mun and repair_mun:
            failed_mun = False
            rec.fact(WardEnquiry(person_id=pid, time=now, ward=ward.name, source=VIA_HOME_NURSE,
                                 outcome="handoff_repaired"))
            rec.fact(HandoffRepair(person_id=pid, time=now, team=ward.name, target="municipality"))
        return failed_gp, failed_mun
