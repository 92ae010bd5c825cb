"""How the region pays its hospital (config group ``payment``) and its cross-field rules."""

from __future__ import annotations

import typing
from typing import Literal

import math
from dataclasses import dataclass

from .params import param, probability


# --------------------------------------------------------------------------------------------------
# Payment and steering: how the region pays its hospital (config group `payment`)
# --------------------------------------------------------------------------------------------------
PaymentModel = Literal["drg", "budget", "mixed"]
PAYMENT_MODELS: tuple[str, ...] = typing.get_args(PaymentModel)


@dataclass(frozen=True)
class PaymentConfig:
    name: str = param("drg", unit="label", source="assumption: a label naming the payment preset used in reports",
                      doc="payment preset (configs/payment/)")
    sources: dict[str, str] = param(
        {}, unit="parameter -> source", source="assumption: payment presets cite a source for each value they change",
        doc="provenance of the values a file in configs/payment/ sets")
    model: str = param(
        "drg", choices=PaymentModel, unit="drg | budget | mixed",
        source="Region H 2018 l.1497-1498 (hospitals and departments are budgeted on DRG activity); l.1014-1016, l.1509-1531 (tariff-exempt and partly exempt departments)",
        doc="drg: the hospital earns DRG/DAGS tariffs per admission, bed day and contact; budget: a fixed frame independent of activity (takstfri); mixed: a tariff share of the hospital under DRG, the rest under the frame (double steering)")
    tariff_share: float = probability(
        1.0, unit="share of the hospital's revenue that follows activity (theta)",
        source="Region H 2018 l.1509-1531 (three projects fully exempt, five partly, two not exempt)",
        doc="must be 1 under drg, 0 under budget and strictly between 0 and 1 under mixed")
    # -- DRG/DAGS tariffs. The documents give none (Region H 2018 §4.3 of the research notes); values are set so
    # the tariff value of an average chronic stay or visit is close to its unit cost (costs.*), as DRG rates are
    # computed from average costs, except phone contacts, which earn less than they cost.
    tariff_admission_medical: float = param(
        15000.0, unit="DKK per medical admission (DRG episode)", lo=0.0, hi=1e8,
        source="assumption: DRG pays mainly per episode; 15,000 plus 1,500 per bed day gives 22,500 DKK for a 5-day stay, its cost at costs.bed_day",
        doc="shorter stays cost less but earn almost the same, so under DRG a shorter stay improves the hospital's result")
    tariff_bed_day_medical: float = param(
        1500.0, unit="DKK per medical bed day (until ready for discharge)", lo=0.0, hi=1e7,
        source="assumption: a per-day component standing in for the long-stay payment beyond the DRG trim point; days waiting for home nursing earn nothing (the municipality's fee, costs.delayed_discharge_day, covers them)")
    tariff_admission_psychiatric: float = param(
        18000.0, unit="DKK per psychiatric admission", lo=0.0, hi=1e8,
        source="assumption: as for medical stays; 18,000 plus 4,000 per day gives 90,000 DKK for an 18-day stay, its cost at costs.bed_day_psychiatric")
    tariff_bed_day_psychiatric: float = param(
        4000.0, unit="DKK per psychiatric bed day (until ready for discharge)", lo=0.0, hi=1e7,
        source="assumption: long psychiatric stays are paid mostly per day")
    tariff_ed_visit: float = param(
        2800.0, unit="DKK per emergency-department visit", lo=0.0, hi=1e7,
        source="assumption: DAGS acute ambulatory tariff equal to the visit's cost (costs.ed_visit); paid also when the visit leads to an admission (a simplification)")
    tariff_outpatient_visit: float = param(
        1900.0, unit="DKK per attended outpatient visit", lo=0.0, hi=1e7,
        source="assumption: DAGS outpatient tariff equal to the visit's cost (costs.outpatient_visit); Region H 2018 l.1558-1560 (the settlement counts patients treated and how much)")
    tariff_phone_contact: float = param(
        150.0, unit="DKK per phone or portal contact", lo=0.0, hi=1e7,
        source="assumption: telephone and virtual contacts earn a small tariff, below their cost (costs.outpatient_phone_contact), which makes the bias to physical attendance that Region H 2018 l.343-347, l.570-575 describe")
    # -- the tariff-exempt frame
    budget_frame_per_patient_year: float = param(
        8000.0, unit="DKK per chronic patient-year", lo=0.0, hi=1e8,
        source="assumption: Region H 2018 does not say how exempt budgets were set (research notes §4.1); the frame is frozen at about the baseline's DRG value per patient-year (measured 7,700-8,030 DKK on the small and Randers catchments, seeds 0-1, one year), so moving usual care from DRG to a budget is itself roughly neutral",
        doc="the hospital's frame under budget = this x the chronic patients' patient-years in the window; it does not change with admissions, bed days or visits (with common random numbers patient-years differ between scenarios only where a death or move waits for the end of an episode, about 0.01%)")
    # -- transfers between payers
    municipal_cofinancing_share: float = probability(
        0.2, unit="share of the DRG value of hospital activity the municipality pays the region",
        source="Slides l.75-85 (municipal co-financing moves about DKK 23 bn a year and is well documented not to work); the flat share is an assumption of that order against regional health spending",
        doc="an accounting transfer from municipalities to the region, computed under every payment model; no agent responds to it (Slides l.77-83)")
    # -- steering that changes behaviour (agent decisions); 0 keeps the behaviour of every scenario as it is
    p_fill_reserve_with_controls: float = probability(
        0.0, unit="probability per control booking under full DRG (scaled by tariff_share)",
        source="Region H 2018 l.1536-1541 (clinics not exempt 'must still achieve activity': empty slots are 'scary'); size not in the document, so off by default",
        doc="with a sub-acute reserve (needs-based controls), the clinic books a fixed control into a reserve slot with probability p x tariff_share when the reserve offers a slot no later than the ordinary book: the slot then surely earns a tariff, and the reserve is eroded before sub-acute patients call")
    adoption_elasticity: float = probability(
        0.0, unit="fall in the switch probability per unit tariff_share",
        source="Region H 2018 l.1262-1274, l.577-581 (partly exempt departments found it harder to cut attendances for fear of the financial consequences); research notes suggest 0.5-1.0; 0 keeps the value_based_controls scenario as it is",
        doc="the clinician offers needs-based follow-up with probability scenario.controls.p_switch_at_control x (1 - elasticity x tariff_share)")
    # -- reporting
    neutrality_tolerance: float = probability(
        0.01, unit="share of the baseline's total cost of chronic care",
        source="assumption: a change of net spending within 1% of the cost of chronic care is within a regional budget's usual slack; it sets when a paired difference counts as budget neutral",
        doc="a scenario is budget neutral for a payer when the 95% CI of the paired difference in that payer's net spending lies within +/- this tolerance, or contains 0")



def payment_problems(pay: PaymentConfig) -> list[str]:
    """The payment model and its tariff share must agree (a half-set mixed model is a typo, not a choice)."""
    theta = pay.tariff_share
    if math.isnan(theta) or not 0.0 <= theta <= 1.0:
        return []  # the range check has named it already
    if pay.model == "drg" and theta != 1.0:
        return [f"payment.tariff_share = {theta:g} with payment.model = drg: under DRG all revenue follows activity, "
                "so the share must be 1 (use payment=mixed for a partial share)"]
    if pay.model == "budget" and theta != 0.0:
        return [f"payment.tariff_share = {theta:g} with payment.model = budget: a tariff-exempt budget has share 0 "
                "(use payment=mixed for a partial share)"]
    if pay.model == "mixed" and not 0.0 < theta < 1.0:
        return [f"payment.tariff_share = {theta:g} with payment.model = mixed: a mixed model needs a share strictly "
                "between 0 and 1, e.g. payment.tariff_share=0.5 (0 is payment=budget, 1 is payment=drg)"]
    return []
