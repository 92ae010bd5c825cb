"""What the clinics' slot allocation produces (sim/scenarios/slot_allocation.py): referrals still on a
waiting list at the end, and how the sub-acute reserve slots were used. Formulas read the results window ``w``."""

from __future__ import annotations

from ..agents.outpatient_clinic import CONTROL, SUBACUTE
from ..kpi import KPI, Measure


def _reserve_use(w) -> dict[str, float]:
    """How the clinics' sub-acute reserve slots in the window were used: by sub-acute patients or by
    fixed controls the clinic booked into them (DRG steering, Region H 2018 l.1536-1541)."""
    d0, d1 = int(w.t0), int(w.t1)
    planned = used_controls = used_subacute = 0
    for clinic in w.model.clinics:
        if clinic.reserve is None:
            continue
        planned += clinic.planned_reserve_slots(d0, d1)
        used_controls += clinic.reserve_bookings_between(CONTROL, d0, d1)
        used_subacute += clinic.reserve_bookings_between(SUBACUTE, d0, d1)
    return {"reserve_slots_planned": float(planned), "reserve_slots_booked_by_controls": float(used_controls),
            "reserve_slots_booked_by_subacute": float(used_subacute)}


MEASURES: tuple[Measure, ...] = (
    Measure("still_waiting", lambda w: [entry for clinic in w.model.clinics for entry in clinic.still_waiting()]),
    Measure("reserve_use", _reserve_use),
)

WAITING_LIST_KPIS: tuple[KPI, ...] = (
    KPI("outpatient_waiting_list_end_all", "referrals", "new referrals still on a clinic's waiting list without a slot at the end of the run (only under a waiting-list slot allocation policy; not in the wait KPIs above)", "system",
        lambda w: float(sum(n for _, n in w.still_waiting))),
    KPI("outpatient_waiting_list_end_oldest_days_all", "days", "the longest wait so far of a new referral still on a waiting list at the end of the run (0 when nobody waits)", "system",
        lambda w: float(max((w.t1 - t for t, _ in w.still_waiting), default=0.0))),
)
RESERVE_KPIS: tuple[KPI, ...] = (
    KPI("reserve_slots_planned", "slots", "sub-acute reserve slots the clinics planned for the window (before unused ones are released the day before); 0 without a reserve", "system",
        lambda w: w.reserve_use["reserve_slots_planned"]),
    KPI("reserve_slots_booked_by_controls", "slots", "reserve slots in the window booked by fixed controls (the clinic fills them because an empty slot earns no tariff under DRG, Region H 2018 l.1536-1541)", "system",
        lambda w: w.reserve_use["reserve_slots_booked_by_controls"]),
    KPI("reserve_slots_booked_by_subacute", "slots", "reserve slots in the window booked by patient-initiated (sub-acute) contacts", "system",
        lambda w: w.reserve_use["reserve_slots_booked_by_subacute"]),
)
