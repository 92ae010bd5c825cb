"""Outcomes of overload: where patients waited, where they were treated instead, and what it cost.

The KPIs here say which of the wards' and clinics' pressure rules happened, how often and at what cost
(``sim.agents.ward_pressure``, the extended free choice in ``sim.agents.outpatient_clinic``), and which
queues kept growing (``sim.queue_growth``). ``sim.outcomes`` lists them with the others and computes
them through the functions below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .agents.patient import BOARDING, HOME, IN_BED, IN_ED, JOINED_OUTCOMES
from .agents.ward_pressure import NOT_ADMITTED, ON_WARD, OTHER_HOSPITAL, OTHER_WARD
from .kpi import KPI, overlap

if TYPE_CHECKING:
    from .model import CareModel

# deteriorations that began while the patient waited: at home for a GP or clinic slot (they made the
# episode acute), or in the acute admission unit for a bed
WAITING = (JOINED_OUTCOMES[HOME], JOINED_OUTCOMES[BOARDING])
IN_HOSPITAL = (IN_ED, BOARDING, IN_BED)

GROUP_KPIS: tuple[KPI, ...] = (
    KPI("boarding_days_per_1000py", "per 1,000 patient-years", "days waiting in the acute admission unit for a ward bed after the decision to admit (costed per day)", "group"),
    KPI("pressure_discharges_per_1000py", "per 1,000 patient-years", "stays a full ward ended early to make room for an acute patient", "group"),
    KPI("other_ward_admissions_per_1000py", "per 1,000 patient-years", "admissions placed on another ward of the hospital because the ward had no bed within the boarding limit", "group"),
    KPI("other_hospital_admissions_per_1000py", "per 1,000 patient-years", "admissions placed at another hospital (paid by the region) because the hospital had no bed", "group"),
    KPI("bed_days_other_hospital_per_1000py", "per 1,000 patient-years", "bed days at other hospitals (included in bed_days_per_1000py)", "group"),
    KPI("deteriorations_while_waiting_per_1000py", "per 1,000 patient-years", "deteriorations that began while the patient waited for care: at home for a GP or clinic slot (they make the episode acute) or in the acute admission unit for a bed", "group"),
    KPI("deaths_in_hospital", "persons", "deaths in the results window in the ED, waiting for a bed or in a hospital bed (anywhere)", "group"),
    KPI("deaths_waiting_for_bed", "persons", "deaths in the results window while waiting for a bed", "group"),
    KPI("adverse_events_per_1000py", "per 1,000 patient-years", "harm of waiting and of transitions: deteriorations that became acute before treatment, deteriorations while waiting for a bed, and failed handoffs (at discharges and transfers)", "group"),
    KPI("outpatient_referrals_elsewhere_per_1000py", "per 1,000 patient-years", "new referrals seen at another hospital or a private clinic because the clinic could not see them within the 30-day right (extended free choice, paid by the region)", "group"),
    KPI("control_delay_mean_days", "days", "mean days from a fixed control's due date to the appointment (attended or not): how far a full clinic pushes controls back", "group"),
)
SYSTEM_KPIS: tuple[KPI, ...] = (
    KPI("corridor_bed_days", "bed days", "bed days on corridor beds above the wards' normed beds (over-occupancy), all admissions, both wards", "system"),
    KPI("boarding_end_all", "persons", "people waiting for a ward bed at the end of the run, both wards", "system"),
    KPI("pressure_discharges_all", "stays", "stays ended early under pressure in the results window, all admissions", "system"),
    KPI("other_ward_admission_share_all", "share of admissions", "share of all admissions (including background) placed on another ward of the hospital", "system"),
    KPI("other_hospital_admission_share_all", "share of admissions", "share of all admissions (including background) placed at another hospital", "system"),
    KPI("outpatient_referrals_elsewhere_share_all", "share of new referrals", "share of all new referrals to the modelled clinics (including background) seen elsewhere under the 30-day right", "system"),
)
QUEUE_KPIS: tuple[KPI, ...] = (
    KPI("queue_length_mean", "persons or days", "time average of the queue's daily level over the results window: people waiting, or days to the first free slot of an appointment book (sim/queue_growth.py)", "queue"),
    KPI("queue_trend_per_year", "persons or days per year", "least-squares slope of the queue's daily level over the results window", "queue"),
    KPI("queue_growing", "1 = yes, 0 = no", "1 when the queue keeps growing over the results window (four rising quarter means and a rise above run.queue_growth_min_rise and run.queue_growth_rise_share of the mean)", "queue"),
)


class OverloadActivity:
    """Per-patient overload activity in the window ``[t0, t1]`` (arrays indexed by person id)."""

    def __init__(self, model: CareModel, w, adm_all: pd.DataFrame, deteriorations: pd.DataFrame):
        rec, t0, t1 = model.recorder, w.t0, w.t1
        adm = adm_all[adm_all.person_id >= 0]
        waited = overlap(adm.arrival.to_numpy(), adm.admitted.to_numpy(), t0, t1)
        self.boarding_days = w.total(adm.person_id, waited)
        in_window = adm[adm.admitted.between(t0, t1)]
        self.other_ward = w.count(in_window.person_id[in_window.place == OTHER_WARD])
        self.other_hospital = w.count(in_window.person_id[in_window.place == OTHER_HOSPITAL])
        pressure = rec.table("pressure_discharges")
        self.pressure_discharges = w.count(pressure.person_id[pressure.time.between(t0, t1)])
        self.while_waiting = w.count(deteriorations.person_id[deteriorations.outcome.isin(WAITING)])
        self.while_boarding = w.count(deteriorations.person_id[deteriorations.outcome == JOINED_OUTCOMES[BOARDING]])
        deaths = rec.table("deaths_in_care")
        deaths = deaths[deaths.time.between(t0, t1)]
        self.deaths_in_hospital = w.count(deaths.person_id[deaths.place.isin(IN_HOSPITAL)])
        self.deaths_waiting = w.count(deaths.person_id[deaths.place == BOARDING])
        elsewhere = rec.table("referrals_elsewhere")
        elsewhere = elsewhere[elsewhere.seen.between(t0, t1)]
        self.referrals_elsewhere = w.count(elsewhere.person_id)
        self.referrals_elsewhere_all = float(elsewhere["count"].sum())
        op = rec.table("outpatient")
        controls = op[(op.kind == "control") & op.appointment.between(t0, t1)]
        self.control_delay_sum = w.total(controls.person_id, controls.appointment - controls.requested)
        self.controls = w.count(controls.person_id)

    def group_kpis(self, w, m: np.ndarray, per_1000) -> dict[str, float]:
        ratio = lambda a, b: float(a / b) if b > 0 else float("nan")  # noqa: E731
        adverse = w.late + self.while_boarding + w.failed_handoffs
        return {
            "boarding_days_per_1000py": per_1000(self.boarding_days),
            "pressure_discharges_per_1000py": per_1000(self.pressure_discharges),
            "other_ward_admissions_per_1000py": per_1000(self.other_ward),
            "other_hospital_admissions_per_1000py": per_1000(self.other_hospital),
            "bed_days_other_hospital_per_1000py": per_1000(w.medical_bed_days_elsewhere + w.psychiatric_bed_days_elsewhere),
            "deteriorations_while_waiting_per_1000py": per_1000(self.while_waiting),
            "deaths_in_hospital": float(self.deaths_in_hospital[m].sum()),
            "deaths_waiting_for_bed": float(self.deaths_waiting[m].sum()),
            "adverse_events_per_1000py": per_1000(adverse),
            "outpatient_referrals_elsewhere_per_1000py": per_1000(self.referrals_elsewhere),
            "control_delay_mean_days": ratio(self.control_delay_sum[m].sum(), self.controls[m].sum()),
        }


def system_kpis(model: CareModel, w, activity: OverloadActivity, new_referrals_all: float) -> dict[str, float]:
    """Overload KPIs over all admissions and referrals (background included)."""
    t0, t1 = w.t0, w.t1
    wards = (model.medical_ward, model.psychiatric_ward)
    adm = w.admissions_all[~w.admissions_all.place.isin(NOT_ADMITTED)]
    pressure = model.recorder.table("pressure_discharges")
    n = len(adm)
    share = lambda place: float((adm.place == place).sum() / n) if n else float("nan")  # noqa: E731
    elsewhere = activity.referrals_elsewhere_all
    return {
        "corridor_bed_days": float(sum(ward.corridor.mean(t0, t1) for ward in wards) * (t1 - t0)),
        "boarding_end_all": float(sum(ward.boarding.level for ward in wards)),
        "pressure_discharges_all": float(pressure.time.between(t0, t1).sum()),
        "other_ward_admission_share_all": share(OTHER_WARD),
        "other_hospital_admission_share_all": share(OTHER_HOSPITAL),
        "outpatient_referrals_elsewhere_share_all": float(elsewhere / (elsewhere + new_referrals_all))
        if elsewhere + new_referrals_all > 0 else float("nan"),
    }


def split_bed_days(adm: pd.DataFrame) -> dict[str, np.ndarray]:
    """Masks for the cost items: stays in the hospital's own beds (its ward, corridor and other wards) and at
    other hospitals, medical and psychiatric."""
    psych = (adm.ward == "psychiatric_ward").to_numpy()
    away = (adm.place == OTHER_HOSPITAL).to_numpy()
    own = adm.place.isin((ON_WARD, OTHER_WARD)).to_numpy()
    return {"medical_own": own & ~psych, "psychiatric_own": own & psych,
            "medical_elsewhere": away & ~psych, "psychiatric_elsewhere": away & psych}
