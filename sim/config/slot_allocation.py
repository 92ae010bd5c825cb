"""Who gets the outpatient clinics' free slots (``scenario.slot_allocation``)."""

from __future__ import annotations

import typing
from typing import Literal

from dataclasses import dataclass

from .params import param


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms III: who gets the outpatient clinics' free slots (Region H 2018 l.1441-1485)
# --------------------------------------------------------------------------------------------------
SlotAllocationPolicy = Literal["book_on_referral", "longest_wait_first", "max_30day_compliance"]
SLOT_ALLOCATION_POLICIES: tuple[str, ...] = typing.get_args(SlotAllocationPolicy)


@dataclass(frozen=True)
class SlotAllocationConfig:
    policy: str = param(
        "book_on_referral", choices=SlotAllocationPolicy, unit="book_on_referral | longest_wait_first | max_30day_compliance",
        source="Region H 2018 l.1475-1485 (the dilemma: a free slot to the patient who has waited 31 days, or to one who "
               "has waited 24 and can still be seen within the 30-day right, l.1447-1448, followed up as a binary share, l.1449-1455); "
               "book_on_referral is usual care in this model",
        doc="book_on_referral: each new referral books the first free slot when it is made; the other two put new referrals "
            "(chronic and background) on the clinic's waiting list and allocate the free slots within the look-ahead each day: "
            "oldest referral first, or as many as possible within the 30-day right first (those already past it get what is left)")
    look_ahead_days: int = param(
        14, unit="days", lo=1, hi=365,
        source="assumption: clinics plan and send appointments about two weeks ahead; Region H 2018 l.1110-1112 says the "
               "planning horizon gets shorter when patients are seen by need, so it is a knob",
        doc="the booking horizon of the waiting-list policies: each day the free slots from today to today + look_ahead_days - 1 "
            "are allocated; slots further ahead wait for later days (controls keep being booked at their due date)")
