"""Payment ledger: what each payer pays and earns under a payment model, and budget neutrality.

Costs (``sim.costs``) say what care *uses*, priced by payer. This module says who *pays whom* for it
(Region H 2018 §4; research notes §4.3):

* the region pays its hospital: under ``drg`` the DRG/DAGS tariff value of the activity (per admission,
  bed day, ED visit, outpatient visit and phone contact); under ``budget`` a fixed frame per chronic
  patient-year, independent of activity; under ``mixed`` ``theta`` x tariff value + (1 - theta) x frame;
* the region pays general practice its consultation fees (``costs.gp_consultation``: the GP sector's cost
  per consultation *is* the fee the region pays);
* municipalities pay the region a co-financing share of the DRG value of their citizens' hospital
  activity (an accounting transfer, Slides l.75-85), computed under every model;
* the municipality's fee for patients waiting for discharge stays, as in ``sim.costs``, the municipality's
  cost of those bed days (the hospital's ledger leaves them out on both sides).

Net spending per payer (positive: the payer is out of pocket):

    region            = hospital revenue + GP fees - co-financing + care bought elsewhere (costs' payer "region")
    hospital          = hospital cost - hospital revenue         (= -result)
    general practice  = GP cost - GP fees                        (new functions placed in practices)
    municipality      = municipal cost + co-financing

Transfers cancel, so the four add up to the total cost of care: the ledger's identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .config import CostConfig, PaymentConfig
from .statistics import mean_ci

NET_SPENDING_PAYERS: tuple[str, ...] = ("region", "hospital", "general_practice", "municipality")

# activity item (summed over patients) -> its tariff in PaymentConfig
TARIFFS: tuple[tuple[str, str], ...] = (
    ("medical_admissions", "tariff_admission_medical"),
    ("medical_bed_days", "tariff_bed_day_medical"),
    ("psychiatric_admissions", "tariff_admission_psychiatric"),
    ("psychiatric_bed_days", "tariff_bed_day_psychiatric"),
    ("ed_visits", "tariff_ed_visit"),
    ("outpatient_visits", "tariff_outpatient_visit"),
    ("outpatient_phone_contacts", "tariff_phone_contact"),
)
ACTIVITY_ITEMS: tuple[str, ...] = tuple(item for item, _ in TARIFFS) + ("gp_consultations",)


def drg_value(activity: Mapping[str, float], payment: PaymentConfig) -> float:
    """DRG/DAGS tariff value of hospital activity: sum of tariff x count (bed days up to ready for discharge)."""
    return float(sum(getattr(payment, tariff) * activity[item] for item, tariff in TARIFFS))


def ledger(activity: Mapping[str, float], cost_by_payer: Mapping[str, float], patient_years: float,
           payment: PaymentConfig, costs: CostConfig) -> dict[str, float]:
    """Payment KPIs of one patient group from its activity totals, its cost by payer and its patient-years."""
    value = drg_value(activity, payment)
    frame = payment.budget_frame_per_patient_year * patient_years
    theta = payment.tariff_share
    revenue = theta * value + (1.0 - theta) * frame
    gp_fees = costs.gp_consultation * activity["gp_consultations"]
    cofinancing = payment.municipal_cofinancing_share * value
    hospital_cost = cost_by_payer["hospital"]
    return {
        "drg_value_dkk": value,
        "hospital_revenue_dkk": revenue,
        "hospital_result_dkk": revenue - hospital_cost,
        "general_practice_revenue_dkk": gp_fees,
        "municipal_cofinancing_dkk": cofinancing,
        "net_spending_region_dkk": revenue + gp_fees - cofinancing + cost_by_payer.get("region", 0.0),
        "net_spending_hospital_dkk": hospital_cost - revenue,
        "net_spending_general_practice_dkk": cost_by_payer["general_practice"] - gp_fees,
        "net_spending_municipality_dkk": cost_by_payer["municipality"] + cofinancing,
    }


@dataclass(frozen=True)
class Neutrality:
    payer: str
    neutral: bool
    mean: float          # paired difference of net spending, scenario - baseline (DKK)
    low: float           # 95% CI
    high: float
    tolerance: float     # DKK

    def text(self) -> str:
        ci = "no CI (one replication)" if np.isnan(self.low) else f"95% CI [{self.low:+,.0f}, {self.high:+,.0f}]"
        head = f"budget neutral for {self.payer.replace('_', ' ')}? "
        if np.isnan(self.low):
            verdict = "not judged"
        elif self.low >= -self.tolerance and self.high <= self.tolerance:
            verdict = "yes (within tolerance)"
        elif self.neutral:
            verdict = "undetermined (no difference shown: the CI contains 0 but is wider than the tolerance)"
        else:
            verdict = "no: spends more" if self.low > 0 else "no: spends less"
        return f"{head}{verdict}; net spending {self.mean:+,.0f} DKK, {ci}, tolerance ±{self.tolerance:,.0f} DKK"


def budget_neutrality(payer: str, differences, tolerance: float) -> Neutrality:
    """The rule: neutral when the 95% t-interval of the paired differences in the payer's net spending
    contains 0 or lies within +/- ``tolerance`` (DKK). With one replication there is no interval and no verdict."""
    mean, half = mean_ci(differences)
    low, high = mean - half, mean + half
    if np.isnan(half):
        return Neutrality(payer, False, mean, float("nan"), float("nan"), tolerance)
    neutral = (low <= 0.0 <= high) or (low >= -tolerance and high <= tolerance)
    return Neutrality(payer, bool(neutral), mean, float(low), float(high), tolerance)


def neutrality_tolerance(baseline_total_cost: float, payment: PaymentConfig) -> float:
    """Tolerance in DKK: a share of the baseline's total cost of chronic care (mean over replications)."""
    return payment.neutrality_tolerance * abs(baseline_total_cost)
