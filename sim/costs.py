"""Unit costs by payer, applied to activity after the run.

Payers (who bears the cost in the Danish system, MODEL.md §3.3): the region through its hospital
(bed days, ED visits, outpatient visits), general practice (consultations; fees paid by the region but
reported as the GP sector so capacity moves can be read at both ends), and the municipality (home
nursing, the daily fee for patients ready for discharge who wait for a municipal place, and municipal acute
beds when a scenario opens them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import CostConfig

PAYERS: tuple[str, ...] = ("hospital", "general_practice", "municipality")


@dataclass(frozen=True)
class CostItem:
    name: str
    payer: str
    unit_cost_key: str


COST_ITEMS: tuple[CostItem, ...] = (
    CostItem("medical_bed_days", "hospital", "bed_day"),
    CostItem("psychiatric_bed_days", "hospital", "bed_day_psychiatric"),
    CostItem("ed_visits", "hospital", "ed_visit"),
    CostItem("outpatient_visits", "hospital", "outpatient_visit"),
    CostItem("outpatient_phone_contacts", "hospital", "outpatient_phone_contact"),
    CostItem("pro_questionnaires", "hospital", "pro_questionnaire_review"),
    CostItem("gp_consultations", "general_practice", "gp_consultation"),
    CostItem("home_nursing_days", "municipality", "home_nursing_day"),
    CostItem("delayed_discharge_days", "municipality", "delayed_discharge_day"),
    # scenario acute alternatives: occupied municipal acute bed days; the discharging ward's enquiries, each
    # priced as a hospital phone contact (ward staff time, the same unit cost as a clinic's phone contact)
    CostItem("municipal_acute_bed_days", "municipality", "municipal_acute_bed_day"),
    CostItem("ward_enquiries", "hospital", "outpatient_phone_contact"),
)


def patient_costs(activity: pd.DataFrame, costs: CostConfig) -> pd.DataFrame:
    """Cost per patient and payer (DKK) from per-patient activity counts (one column per cost item)."""
    out = pd.DataFrame(index=activity.index)
    for payer in PAYERS:
        out[payer] = 0.0
    for item in COST_ITEMS:
        out[item.payer] += activity.get(item.name, 0.0) * getattr(costs, item.unit_cost_key)
    out["total"] = out[list(PAYERS)].sum(axis=1)
    return out


def top_share(values: np.ndarray, fraction: float) -> float:
    """Share of the total held by the top ``fraction`` of units (cost concentration)."""
    v = np.sort(np.asarray(values, float))[::-1]
    if v.size == 0 or v.sum() <= 0:
        return float("nan")
    k = max(1, int(round(fraction * v.size)))
    return float(v[:k].sum() / v.sum())
