"""Unit costs by payer, applied to activity after the run.

Payers (who bears the cost in the Danish system, MODEL.md §3.3): the region through its hospital
(bed days, ED visits, outpatient visits, waiting for a bed), general practice (consultations; fees paid by
the region but reported as the GP sector so capacity moves can be read at both ends), the municipality (home
nursing, the daily fee for patients ready for discharge who wait for a municipal place, and municipal acute
beds when a scenario opens them), and the region directly for care it buys elsewhere when the hospital has
no room (beds at another hospital and the transport there, visits elsewhere under the 30-day right).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import CostConfig
from .kpi import CostItem

# "region": care the region buys outside the catchment's hospital when that hospital has no room (a bed at
# another hospital, a visit elsewhere under the 30-day right); the region's own hospital is "hospital"
PAYERS: tuple[str, ...] = ("hospital", "general_practice", "municipality", "region")


# the core cost items; a mechanism declares its own next to its KPIs (sim.outcomes assembles them all)
COST_ITEMS: tuple[CostItem, ...] = (
    CostItem("medical_bed_days", "bed days", "hospital", "bed_day", lambda w: w.medical_bed_days),
    CostItem("psychiatric_bed_days", "bed days", "hospital", "bed_day_psychiatric", lambda w: w.psychiatric_bed_days),
    CostItem("ed_visits", "visits", "hospital", "ed_visit", lambda w: w.ed_visits),
    CostItem("outpatient_visits", "visits", "hospital", "outpatient_visit", lambda w: w.outpatient_visits),
    # outreach calls are priced as phone contacts
    CostItem("outpatient_phone_contacts", "contacts", "hospital", "outpatient_phone_contact",
             lambda w: w.phone_contacts + w.outreach_calls),
    CostItem("pro_questionnaires", "questionnaires", "hospital", "pro_questionnaire_review", lambda w: w.pro_questionnaires),
    CostItem("gp_consultations", "consultations", "general_practice", "gp_consultation", lambda w: w.gp_contacts),
    CostItem("home_nursing_days", "place-days", "municipality", "home_nursing_day", lambda w: w.home_nursing_days),
    CostItem("delayed_discharge_days", "bed days", "municipality", "delayed_discharge_day", lambda w: w.delayed_days),
)


def patient_costs(activity: pd.DataFrame, costs: CostConfig, items: tuple[CostItem, ...] = COST_ITEMS,
                  prices: dict[str, float] | None = None) -> pd.DataFrame:
    """Cost per patient and payer (DKK) from per-patient activity counts (one column per cost item), adding
    the items in the order given (the sums are floating point: the order is part of the result). ``prices``
    holds the unit cost of each item priced by its mechanism rather than by a ``CostConfig`` key."""
    out = pd.DataFrame(index=activity.index)
    for payer in PAYERS:
        out[payer] = 0.0
    for item in items:
        price = getattr(costs, item.unit_cost_key) if item.unit_cost_key is not None else (prices or {})[item.name]
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
