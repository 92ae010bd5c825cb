"""What the outpatient control mechanisms produce (needs-based and PRO-triggered follow-up, in
sim/agents/outpatient_clinic.py): questionnaires and their errors, and who is on which follow-up. Formulas
read the results window (``w``) or a patient group's measures (``g``) passed in at compute time. (The PRO
review's cost item stays among the core items in sim.costs: the order of the cost sums is part of the result.)"""

from __future__ import annotations

import pandas as pd

from ..kpi import KPI, Measure


def _pro_answered(w) -> pd.DataFrame:
    pro = w.table_between("pro_questionnaires")
    return pro[pro.answered]


MEASURES: tuple[Measure, ...] = (
    Measure("pro_answered", _pro_answered),
    Measure("pro_questionnaires", lambda w: w.count(w.pro_answered.person_id)),
    Measure("pro_missed_unstable", lambda w: w.count(w.pro_answered.person_id[w.pro_answered.unstable & ~w.pro_answered.flagged])),
    Measure("pro_false_alarms", lambda w: w.count(w.pro_answered.person_id[~w.pro_answered.unstable & w.pro_answered.flagged])),
)

GROUP_KPIS: tuple[KPI, ...] = (
    KPI("pro_questionnaires_per_1000py", "per 1,000 patient-years", "PRO questionnaires returned and scored", "group",
        lambda g: g.per_1000(g.w.pro_questionnaires)),
    KPI("pro_missed_unstable_per_1000py", "per 1,000 patient-years", "PRO questionnaires returned during an unstable phase that the algorithm did not flag (false negatives)", "group",
        lambda g: g.per_1000(g.w.pro_missed_unstable)),
    KPI("pro_false_alarms_per_1000py", "per 1,000 patient-years", "PRO questionnaires of stable patients that the algorithm flagged (a visit that finds nothing)", "group",
        lambda g: g.per_1000(g.w.pro_false_alarms)),
)
SYSTEM_KPIS: tuple[KPI, ...] = (
    KPI("needs_based_followups_end", "patient-conditions", "patients (per condition) on needs-based follow-up at the end of the run", "system",
        lambda w: float(w.model.needs_based_patients)),
    KPI("pro_followups_end", "patient-conditions", "patients (per condition) on PRO-triggered follow-up at the end of the run", "system",
        lambda w: float(w.model.pro_followed_patients)),
)
