"""Capacity owned by the agents: beds, slots and places per 1,000 inhabitants (``capacity.*``)."""

from __future__ import annotations

from dataclasses import dataclass

from .params import param, probability
from .dimensions import PER_CONDITION


# --------------------------------------------------------------------------------------------------
# Capacity owned by the agents
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CapacityConfig:
    medical_beds_per_1000: float = param(
        1.0, unit="beds per 1,000 inhabitants", lo=0.0, hi=1000.0,
        source="assumption: acute medical beds sized so baseline occupancy is about 85-90%, as in Danish medical wards",
        doc="beds of the medical ward (somatic admissions)")
    psychiatric_beds_per_1000: float = param(
        0.19, unit="beds per 1,000 inhabitants", lo=0.0, hi=1000.0,
        source="assumption: psychiatric beds sized so baseline occupancy is about 80-90% (a small ward needs more slack than a large one for the same wait)",
        doc="beds of the psychiatric ward (admissions for severe mental illness)")
    unlimited_beds: bool = param(
        False, unit="flag", source="assumption: verification switch (extreme-value tests)",
        doc="give wards unbounded beds (no boarding)")
    gp_consultations_per_gp_day: float = param(
        28.0, unit="consultations per GP per weekday", lo=0.0, hi=1000.0,
        source="assumption: a Danish GP's daily face-to-face and phone consultations, order of magnitude",
        doc="GP appointment capacity; practices are closed at weekends (acute demand then goes to the acute line 1813)")
    gp_acute_share: float = probability(
        0.5, unit="share of GP capacity held for same-day (acute) contacts",
        source="assumption: Danish practices hold part of each day for same-day contacts")
    outpatient_slots_per_1000_week: list[float] = param(
        [0.49, 0.47, 0.72, 0.29, 0.19], unit=f"slots per 1,000 inhabitants per weekday-week {PER_CONDITION}",
        lo=0.0, hi=10000.0, length=5,
        source="assumption: clinic capacity sized so that baseline utilisation is high (about 90%) and the 30-day right (Region H 2018 l.1447-1448) is met for most but not all new referrals",
        doc="one outpatient clinic per condition; slots are spread over weekdays")
    home_nursing_places_per_1000: float = param(
        0.8, unit="concurrent post-discharge home-nursing places per 1,000 inhabitants", lo=0.0, hi=1000.0,
        source="assumption: municipal home-nursing capacity for newly discharged patients, sized so some discharges wait (delayed-discharge days, VIVE 2018 l.2274)",
        doc="split between municipalities by population share")
    unlimited_capacity: bool = param(
        False, unit="flag", source="assumption: verification switch (extreme-value tests)",
        doc="unbounded beds, GP time, outpatient slots and home-nursing places: every wait is zero")
