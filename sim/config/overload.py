"""Schema of what wards and clinics do when their capacity runs out (``overload.*``).

See ``sim.agents.ward_pressure`` (wards) and ``sim.agents.outpatient_clinic`` (the extended free choice of
hospital) for the rules these parameters drive. The source documents describe capacity and the 30-day
right, not how a Danish ward copes on a full day, so the sizes are assumptions with reasons; each states
the plausible range a sensitivity or uncertainty analysis should explore.
"""

from __future__ import annotations

from dataclasses import dataclass

from .params import param, probability


@dataclass(frozen=True)
class OverloadConfig:
    enabled: bool = param(
        True, unit="flag",
        source="assumption: wards and clinics respond to pressure (MODEL.md §6: no queue hides a patient); off only "
               "for queueing verification, where a ward must be a plain M/M/c queue",
        doc="switch the pressure rules on; off: a patient who needs a bed waits for one however long it takes, "
            "and a referral waits for its slot")
    corridor_beds_share: float = param(
        0.10, unit="extra (corridor) beds as a share of the ward's normed beds", lo=0.0, hi=1.0,
        source="assumption: Danish medical and psychiatric wards take patients above their normed beds on busy "
               "days (over-occupancy on extra beds in corridors and day rooms) up to a limit set by staffing; "
               "about a tenth of the beds, plausible range 0-0.2",
        doc="a patient who finds every normed bed taken gets an extra bed while fewer than this share are in use; "
            "the extra beds are paid as bed days like the others")
    pressure_discharge_max_days_early: float = param(
        1.0, unit="days before the planned end of a stay", lo=0.0, hi=30.0,
        source="assumption: on a full ward the doctor on the round sends home the patient nearest to discharge, "
               "at most about a day early; plausible range 0-2",
        doc="when an acute patient finds no bed, the ward ends the stay closest to its planned end if it is at "
            "most this many days early (patients ready for discharge and waiting for home nursing first)")
    pressure_discharge_handoff_fail_ratio: float = param(
        1.5, unit="ratio on the probability that a discharge handoff fails", lo=1.0, hi=10.0,
        source="assumption: a discharge brought forward at short notice leaves less time for the letter to the GP "
               "and the call to home nursing (VIVE 2018 l.584-587 on information lost at transitions); "
               "plausible range 1-2.5",
        doc="applied to the GP and home-nursing handoffs of a stay ended early under pressure")
    max_boarding_hours: float = param(
        8.0, unit="hours", lo=0.0, hi=8760.0,
        source="assumption: a patient waits for a bed in the acute admission unit for hours, not days, before "
               "the hospital places them elsewhere; plausible range 4-24",
        doc="the longest wait for a bed after the decision to admit; then the patient goes to a bed on another "
            "ward of the hospital if one is free, else to another hospital")
    boarding_places_share: float = param(
        0.10, unit="places for patients waiting for a bed, as a share of the ward's normed beds", lo=0.0, hi=10.0,
        source="assumption: the acute admission unit can hold a limited number of admitted patients waiting for a "
               "ward bed (beds and staff of the unit); plausible range 0.05-0.25",
        doc="when these places are all taken, a patient the ward cannot bed at once is placed elsewhere without waiting "
            "(at least one place per ward)")
    outlier_beds_share: float = param(
        0.05, unit="beds on other wards of the hospital, as a share of the ward's normed beds", lo=0.0, hi=1.0,
        source="assumption: a full medical ward places patients on other departments' wards (outlying patients) "
               "while those have free beds; plausible range 0-0.1",
        doc="a patient who cannot be bedded on the ward within the boarding limit goes to one of these beds if "
            "one is free (the hospital pays its bed days; the move is a handoff that can fail)")
    p_transfer_handoff_fails: float = probability(
        0.20, unit="probability that the handoff at a transfer to another ward or hospital fails",
        source="assumption: a patient moved to a ward or hospital that does not normally treat them is handed "
               "over at short notice; a little above the discharge handoff to the GP (pathways.p_handoff_fail_gp "
               "0.15); plausible range 0.1-0.35",
        doc="a failed transfer handoff counts as a failed handoff: the patient leaves hospital with the raised "
            "risk of a failed handoff")
    p_choose_elsewhere_after_rtt: float = probability(
        0.5, unit="probability that a new referral the clinic cannot see within the 30-day right is seen elsewhere",
        source="assumption: with the 30-day right to diagnostic workup (Region H 2018 l.1447-1448) a patient the "
               "region cannot see in time may choose another hospital or a private clinic, paid by the region "
               "(extended free choice of hospital); not everyone uses it; plausible range 0.2-0.8",
        doc="the others wait for the clinic's first free slot")
    elsewhere_wait_days: float = param(
        14.0, unit="days from the referral to the visit elsewhere", lo=0.0, hi=365.0,
        source="assumption: the region finds a slot elsewhere within the 30-day right; plausible range 7-30",
        doc="how long a referral that goes elsewhere waits")
