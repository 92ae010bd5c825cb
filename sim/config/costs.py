"""Unit costs in DKK (``costs.*``)."""

from __future__ import annotations

from dataclasses import dataclass

from .params import param, probability


# --------------------------------------------------------------------------------------------------
# Unit costs (DKK). The documents give none: Danish orders of magnitude, each an assumption.
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CostConfig:
    name: str = param("danish_2024", unit="label", source="assumption: a label naming the unit-cost table used in reports", doc="unit-cost table")
    bed_day: float = param(
        4500.0, unit="DKK per bed day (medical ward)", lo=0.0, hi=1e7,
        source="assumption: Danish DRG tariffs put a medical bed day in the low thousands of DKK (VIVE 2018 research notes: bed days in the thousands)")
    bed_day_psychiatric: float = param(
        5000.0, unit="DKK per bed day", lo=0.0, hi=1e7, source="assumption: psychiatric bed days cost about as much as medical ones")
    delayed_discharge_day: float = param(
        2200.0, unit="DKK per day, paid by the municipality", lo=0.0, hi=1e7,
        source="assumption: Danish municipalities pay the region a daily fee for patients ready for discharge who wait for municipal care (færdigbehandlingstakst), order of magnitude")
    ed_visit: float = param(
        2800.0, unit="DKK per emergency-department visit", lo=0.0, hi=1e7, source="assumption: Danish DAGS-tariff order of magnitude")
    outpatient_visit: float = param(
        1900.0, unit="DKK per outpatient visit", lo=0.0, hi=1e7, source="assumption: Danish DAGS-tariff order of magnitude")
    outpatient_phone_contact: float = param(
        400.0, unit="DKK per phone or portal contact with the clinic", lo=0.0, hi=1e7,
        source="assumption: a nurse's or doctor's phone consultation, a fraction of a visit (DAGS telephone-consultation order of magnitude)")
    pro_questionnaire_review: float = param(
        150.0, unit="DKK per returned PRO questionnaire", lo=0.0, hi=1e7,
        source="assumption: about ten minutes of a nurse's time to review the algorithm's score and act on it, plus the portal's running cost")
    gp_consultation: float = param(
        320.0, unit="DKK per GP consultation", lo=0.0, hi=1e7,
        source="assumption: GP fee per consultation plus a share of capitation, hundreds of DKK (PLO fee schedule order of magnitude)")
    ed_boarding_day: float = param(
        4500.0, unit="DKK per day a patient waits in the acute admission unit for a ward bed, paid by the hospital", lo=0.0, hi=1e7,
        source="assumption: a patient waiting for a bed takes a trolley, nursing and doctors' time in the acute admission unit, "
               "about what a medical bed day costs (bed_day); plausible range 3,000-7,000",
        doc="boarding is costed by the hour, so a queue for beds is never free")
    transfer: float = param(
        2500.0, unit="DKK per transfer of an admitted patient to another hospital, paid by the region", lo=0.0, hi=1e7,
        source="assumption: patient transport between hospitals by ambulance or sitting transport and the staff time of the "
               "transfer; plausible range 1,500-5,000")
    elsewhere_price_ratio: float = param(
        1.1, unit="price of care bought elsewhere relative to the own unit cost", lo=0.0, hi=10.0,
        source="assumption: another region's hospital or a private clinic is paid the DRG/DAGS tariff, which covers overheads "
               "the own marginal cost leaves out; plausible range 1.0-1.4",
        doc="applied to bed days at another hospital and outpatient visits elsewhere (the extended free choice of hospital)")
    home_nursing_day: float = param(
        600.0, unit="DKK per day of post-discharge home nursing", lo=0.0, hi=1e7,
        source="assumption: about one home-nursing hour a day at municipal hourly prices in the hundreds of DKK")
    # -- capacity costs: paid for capacity whether it is used or not (capacity moves, sim/capacity_calendar.py)
    capacity_bed_day: float = param(
        3000.0, unit="DKK per medical bed available per day", lo=0.0, hi=1e7,
        source="assumption: staffing and overhead of an open medical bed, about two-thirds of the activity cost of a bed day (costs.bed_day); paid whether the bed is used or not",
        doc="what keeping a medical bed open costs; closing beds frees this amount (capacity moves)")
    capacity_bed_day_psychiatric: float = param(
        3300.0, unit="DKK per psychiatric bed available per day", lo=0.0, hi=1e7,
        source="assumption: as capacity_bed_day, in proportion to the psychiatric bed-day cost")
    capacity_outpatient_slot: float = param(
        1200.0, unit="DKK per ordinary outpatient slot offered", lo=0.0, hi=1e7,
        source="assumption: clinic staff time of one visit, below the visit tariff (costs.outpatient_visit) that also covers tests; paid whether the slot is booked or not")
    capacity_subacute_slot: float = param(
        2500.0, unit="DKK per sub-acute outpatient slot offered", lo=0.0, hi=1e7,
        source="assumption: a slot held free for sub-acute patients within days needs specialist time and diagnostics on standby, about twice an ordinary slot (Region H 2018 l.1115-1116 on holding slots free)")
    capacity_gp_slot: float = param(
        300.0, unit="DKK per GP consultation slot offered (same-day or planned)", lo=0.0, hi=1e7,
        source="assumption: GP time of one consultation, near the fee per consultation (costs.gp_consultation); added GP capacity is paid whether used or not")
    capacity_home_nursing_place_day: float = param(
        500.0, unit="DKK per post-discharge home-nursing place available per day", lo=0.0, hi=1e7,
        source="assumption: municipal home-nursing staff kept for one place, below the cost of a used day (costs.home_nursing_day)")
    municipal_acute_bed_day: float = param(
        2500.0, unit="DKK per occupied municipal acute bed day, paid by the municipality", lo=0.0, hi=1e7,
        source="assumption: 24-hour municipal nursing with a doctor on call costs about half a medical bed day (bed_day) and a little more than the delayed-discharge fee (delayed_discharge_day); no figure in the sources",
        doc="per occupied bed day, allocated to the patient; empty staffed beds cost municipal_acute_vacant_bed_day_share of it")
    municipal_acute_vacant_bed_day_share: float = probability(
        0.8, unit="share of municipal_acute_bed_day an empty staffed municipal acute bed still costs",
        source="assumption: a 24-hour unit is staffed for its beds whether they are used or not; only consumables, meals and doctor visits follow the patient",
        doc="0 costs occupied days only; the vacant cost goes to the municipality, allocated to the unit's patients by their bed days")
