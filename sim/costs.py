"""Unit costs by payer, applied to activity after the run.

Payers (who bears the cost in the Danish system, MODEL.md §3.3): the region through its hospital
(bed days, ED visits, outpatient visits, waiting for a bed), general practice (consultations; fees paid by
the region but reported as the GP sector so capacity moves can be read at both ends), the municipality (home
nursing, the daily fee for patients ready for discharge who wait for a municipal place, and municipal acute
beds when a scenario opens them), and the region directly for care it buys elsewhere when the hospital has
no room (beds at another hospital and the transport there, visits elsewhere under the 30-day right).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import CostConfig

# "region": care the region buys outside the catchment's hospital when that hospital has no room (a bed at
# another hospital, a visit elsewhere under the 30-day right); the region's own hospital is "hospital"
PAYERS: tuple[str, ...] = ("hospital", "general_practice", "municipality", "region")


@dataclass(frozen=True)
class CostItem:
    name: str
    payer: str
    unit_cost_key: str
    price_ratio_key: str | None = None  # a second CostConfig key the unit cost is multiplied by


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
    # overload (sim/agents/ward_pressure.py): waiting for a bed, and care bought elsewhere when there is no room
    CostItem("boarding_days", "hospital", "ed_boarding_day"),
    CostItem("medical_bed_days_elsewhere", "region", "bed_day", "elsewhere_price_ratio"),
    CostItem("psychiatric_bed_days_elsewhere", "region", "bed_day_psychiatric", "elsewhere_price_ratio"),
    CostItem("transfers_to_other_hospitals", "region", "transfer"),
    CostItem("outpatient_visits_elsewhere", "region", "outpatient_visit", "elsewhere_price_ratio"),
)


def patient_costs(activity: pd.DataFrame, costs: CostConfig) -> pd.DataFrame:
    """Cost per patient and payer (DKK) from per-patient activity counts (one column per cost item)."""
    out = pd.DataFrame(index=activity.index)
    for payer in PAYERS:
        out[payer] = 0.0
    for item in COST_ITEMS:
        price = getattr(costs, item.unit_cost_key)
        if item.price_ratio_key is not None:
            price *= getattr(costs, item.price_ratio_key)
        out[item.payer] += activity.get(item.name, 0.0) * price
    out["total"] = out[list(PAYERS)].sum(axis=1)
    return out


def top_share(values: np.ndarray, fraction: float) -> float:
    """Share of the total held by the top ``fraction`` of units (cost concentration)."""
    v = np.sort(np.asarray(values, float))[::-1]
    if v.size == 0 or v.sum() <= 0:
        return float("nan")
    k = max(1, int(round(fraction * v.size)))
    return float(v[:k].sum() / v.sum())
