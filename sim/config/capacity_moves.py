"""Capacity moves as a declarative capacity calendar (``scenario.capacity_moves``), resolved by
``sim.capacity_calendar``."""

from __future__ import annotations

import typing
from typing import Literal

from dataclasses import dataclass

from .dimensions import Condition
from .params import AssignedOnce, param, probability


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms IV: capacity moves as a declarative capacity calendar (sim/capacity_calendar.py)
# --------------------------------------------------------------------------------------------------
CapacityResource = Literal["medical_beds", "psychiatric_beds", "outpatient_slots", "subacute_slots", "gp_planned_slots",
                           "home_nursing_places"]
CAPACITY_RESOURCES: tuple[str, ...] = typing.get_args(CapacityResource)
# an entry names a condition only for a per-condition resource (the calendar checks which)
CalendarCondition = Literal["", Condition]
PER_CONDITION_RESOURCES: tuple[str, ...] = ("outpatient_slots", "subacute_slots")
FrictionOutcome = Literal["lost", "delayed"]
FRICTION_OUTCOMES: tuple[str, ...] = typing.get_args(FrictionOutcome)


@dataclass  # immutable all the same: see AssignedOnce (a frozen list entry would refuse command-line overrides)
class CapacityChangeConfig(AssignedOnce):
    """One dated change of a named capacity in the calendar ``scenario.capacity_moves.calendar``.

    The change is ``share`` x the preset's capacity of that resource plus ``per_1000`` x inhabitants/1000
    (so a calendar works for every catchment preset); beds and home-nursing places are rounded to whole
    units. Alternatively ``funded_by`` names an earlier entry that frees capacity: this entry's amount is
    then derived so that its capacity cost equals ``funded_share`` of the cost that entry frees
    (budget-neutral when the shares of all entries it funds sum to 1).
    """
    name: str = param("", unit="label", source="assumption: entries are named so that errors, moves and KPIs can refer to them",
                      doc="unique name of the entry (a move is reported in group move=<name>)")
    day: int = param(0, unit="day counted from the start of the results window (negative: during the warm-up)",
                     lo=-36500, hi=36500, source="assumption: a plan is dated relative to the results window so it works for every warm-up",
                     doc="the change takes effect at the start of this day")
    resource: str = param("medical_beds", choices=CapacityResource, unit="medical_beds | psychiatric_beds | outpatient_slots | subacute_slots | gp_planned_slots | home_nursing_places",
                          source="assumption: the capacities MODEL.md §3.3 names for capacity moves")
    condition: str = param("", choices=CalendarCondition, unit="copd | t2d | heart_disease | smi | dementia (outpatient and sub-acute slots only)",
                           source="assumption: one outpatient clinic per condition (MODEL.md §3.2)")
    share: float = param(0.0, unit="change as a share of the preset's capacity of this resource (sub-acute slots: of the clinic's slots)",
                         lo=-1.0, hi=100.0, source="assumption: a share of the preset scales with every catchment")
    per_1000: float = param(0.0, unit="change per 1,000 inhabitants (beds, places, or slots per week)", lo=-1e6, hi=1e6,
                            source="assumption: an absolute change scaled by the catchment")
    funded_by: str = param("", unit="name of an entry that frees capacity",
                           source="assumption: a budget-neutral move derives the receiving amount from the capacity cost freed (MODEL.md §3.3)")
    funded_share: float = probability(1.0, unit="share of the freed capacity cost this entry receives",
                                      source="assumption: by default the whole freed amount moves")


@dataclass(frozen=True)
class CapacityMovesConfig:
    calendar: list[CapacityChangeConfig] = param(
        [], unit="list of dated capacity changes",
        source="VIVE 2018 l.2279-2280 (a medical ward closed, resources moved to sub-acute outpatient slots); Slides l.203-206 (move resources to patients' needs)",
        doc="the capacity calendar: each entry changes one capacity on one day; empty in usual care")
    ward_closure_notice_days: float = param(
        14.0, unit="days", lo=0.0, hi=3650.0,
        source="assumption: a ward stops filling beds that are to close a couple of weeks ahead, so few patients remain when they close",
        doc="before beds close the ward admits only up to the coming capacity; patients still above it at the closure are discharged early")
    gp_referrals_use_subacute: bool = param(
        True, unit="flag",
        source="VIVE 2018 l.2279-2280 (the freed resources went to sub-acute outpatient slots); Region H 2018 l.1115-1116 (free slots for sub-acute patients)",
        doc="a GP referral of a deteriorating patient gets a sub-acute slot when the calendar opened sub-acute slots in that clinic and one is free no later than an ordinary slot")
    transfer_conditions: list[str] = param(
        [], choices=Condition, unit="conditions whose stable hospital-followed patients are handed to GP follow-up",
        source="Region H 2018 l.1131-1133, l.1543-1546 (COPD and type 2 diabetes controls moved to GPs under the 2018 GP agreement)",
        doc="empty: no transfer")
    transfer_from_day: int = param(
        0, unit="day counted from the start of the results window", lo=-36500, hi=36500,
        source="assumption: the transfer starts when the results window starts, like the calendar's days")
    p_transfer_at_control: float = probability(
        0.4, unit="probability a stable patient of a transfer condition is handed to the GP at a control",
        source="assumption: SST 2013 l.3029-3033 (22% of hospital-treated COPD patients could be followed in primary care by the stratification criteria); the 2018 agreement aimed wider (Region H 2018 l.1543-1546)")
    transfer_friction: float = probability(
        0.5, unit="share of transfers that fail (the GP follow-up is not set up, or late)",
        source="Slides l.205-206 (OK18: hard in practice to move patients); value assumption from the research notes (0.5, range 0.2-0.9)")
    friction_outcome: str = param(
        "lost", choices=FrictionOutcome, unit="lost | delayed",
        source="assumption: a failed transfer either loses the patient from planned follow-up or starts it late",
        doc="lost: no GP check is booked; delayed: the first GP check comes transfer_delay_days late")
    transfer_delay_days: float = param(
        180.0, unit="days", lo=0.0, hi=3650.0,
        source="assumption: a late transfer is noticed at about half a control interval")
