"""What payment steering produces (sim/payment.py; config group ``payment``): what each payer pays and earns
for a patient group. Formulas read a patient group's measures (``g``) passed in at compute time."""

from __future__ import annotations

from .. import payment
from ..costs import PAYERS
from ..kpi import KPI


def ledger(g) -> dict[str, float]:
    """The payment ledger of one patient group (computed once per group, ``g.memo``)."""
    def compute() -> dict[str, float]:
        w, m = g.w, g.m
        activity = {
            # the hospital's own activity: stays at other hospitals are paid by the region to them (cost_region_dkk)
            "medical_admissions": w.own_medical_admissions[m].sum(), "medical_bed_days": w.medical_bed_days[m].sum(),
            "psychiatric_admissions": w.own_psychiatric_admissions[m].sum(), "psychiatric_bed_days": w.psychiatric_bed_days[m].sum(),
            "ed_visits": w.ed_visits[m].sum(), "outpatient_visits": w.outpatient_visits[m].sum(),
            "outpatient_phone_contacts": w.phone_contacts[m].sum(), "gp_consultations": w.gp_contacts[m].sum(),
        }
        cost_by_payer = {payer: g.costs[payer] for payer in PAYERS}
        return payment.ledger(activity, cost_by_payer, g.py, w.model.cfg.payment, w.model.cfg.costs)
    return g.memo("payment_ledger", compute)


def _from_ledger(name: str):
    return lambda g: ledger(g)[name]


def _net_spending_description(payer: str) -> str:
    text = f"net spending of {payer.replace('_', ' ')} (what it pays minus what it earns; the four payers add up to cost_total_dkk)"
    if payer == "general_practice":
        text += "; 0 when general practice's only cost is its consultations: their fee is their unit cost (costs.gp_consultation)"
    return text


GROUP_KPIS: tuple[KPI, ...] = (
    KPI("drg_value_dkk", "DKK", "DRG/DAGS tariff value of the hospital activity (admissions, bed days until ready for discharge, ED, outpatient visits, phone contacts), whatever the payment model (Region H 2018 l.1408-1415: activity stays monitored)", "group",
        _from_ledger("drg_value_dkk")),
    KPI("hospital_revenue_dkk", "DKK", "what the region pays the hospital: tariff_share x DRG value + (1 - tariff_share) x the budget frame (frame per patient-year x patient-years)", "group",
        _from_ledger("hospital_revenue_dkk")),
    KPI("hospital_result_dkk", "DKK", "hospital revenue minus the hospital's cost (cost_hospital_dkk)", "group",
        _from_ledger("hospital_result_dkk")),
    KPI("general_practice_revenue_dkk", "DKK", "consultation fees the region pays general practice", "group",
        _from_ledger("general_practice_revenue_dkk")),
    KPI("municipal_cofinancing_dkk", "DKK", "municipal co-financing paid to the region: a share of the DRG value (an accounting transfer, Slides l.75-85)", "group",
        _from_ledger("municipal_cofinancing_dkk")),
    *(KPI(f"net_spending_{payer}_dkk", "DKK", _net_spending_description(payer), "group", _from_ledger(f"net_spending_{payer}_dkk"))
      for payer in payment.NET_SPENDING_PAYERS),
)
