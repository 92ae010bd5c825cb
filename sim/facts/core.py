"""The core fact tables: what the patients, practices, hospital, clinics and municipalities record.

Times are simulation days. ``person_id`` -1 marks background demand (people outside the modelled caseload).
"""

from typing import NamedTuple

from ..kpi import FactTable


class Entry(NamedTuple):
    """A chronic patient enters the catchment (present at the start, diagnosed or moved in)."""
    person_id: int
    time: float


class Exit(NamedTuple):
    """A chronic patient leaves the catchment (``reason``: death or moving away)."""
    person_id: int
    time: float
    reason: str


class Deterioration(NamedTuple):
    """A deterioration (exacerbation) and how it ended (``outcome``, sim.agents.patient)."""
    person_id: int
    time: float
    condition: int
    unstable: bool
    outcome: str


class GpContact(NamedTuple):
    """A chronic patient's GP consultation (``kind``: deterioration, check, coordination)."""
    person_id: int
    practice: int
    requested: float
    seen: float
    kind: str
    referred: bool


class GpBackgroundDay(NamedTuple):
    """One day of background GP contacts and how many were referred on to the hospital."""
    day: int
    contacts: int
    referred: int


class EdVisit(NamedTuple):
    person_id: int
    time: float
    admitted: bool


class Admission(NamedTuple):
    """One completed stay; stays still open are added at analysis time (HospitalWard.open_stay_rows).

    ``place``: "ward" (this ward's beds, corridor beds included), "other_ward" (a bed lent by another ward of
    the hospital), "other_hospital" (placed elsewhere, paid by the region), "died_waiting" (died waiting for a
    bed: the wait is on the record, the row is no admission); arrival = decision to admit, admitted = bed found.
    """
    person_id: int
    ward: str
    condition: int
    arrival: float
    admitted: float
    ready: float
    left: float
    place: str


class OutpatientContact(NamedTuple):
    """A booked outpatient contact (``kind``: control, subacute, new_referral, phone, outreach)."""
    person_id: int
    clinic: int
    kind: str
    requested: float
    appointment: float
    attended: bool


class OutpatientBackground(NamedTuple):
    """``count`` background new referrals to a clinic, requested and seen at the same times."""
    clinic: int
    requested: float
    appointment: float
    count: int


class Handoff(NamedTuple):
    """A handoff at a discharge or transfer (``target``: who takes over) and whether it failed."""
    person_id: int
    time: float
    target: str
    failed: bool


class HomeNursingEpisode(NamedTuple):
    person_id: int
    municipality: int
    requested: float
    started: float
    days: float


class Contact(NamedTuple):
    """A care contact with an actor (for fragmentation: actors and interfaces per patient)."""
    person_id: int
    time: float
    actor: str


class Detection(NamedTuple):
    """An unstable phase caught and treated by a clinician (``where``)."""
    person_id: int
    time: float
    where: str


class HandoffRepair(NamedTuple):
    """A failing handoff caught and repaired (by a team or the discharging ward)."""
    person_id: int
    time: float
    team: str
    target: str


class Transition(NamedTuple):
    """One discharge home: what the patient left with (the specialisation mechanism's outcome; also in usual care)."""
    person_id: int
    time: float
    handoffs: int
    failed_handoffs: int
    coordinators: int
    coordinator_links: int
    failed_links: int
    unstable: bool
    adverse: bool


class PressureDischarge(NamedTuple):
    """A stay a full ward ended early to make room (overload, sim/agents/ward_pressure.py)."""
    person_id: int
    ward: str
    time: float
    days_early: float
    ready: bool


class DeathInCare(NamedTuple):
    """A death during an episode, by where the patient was."""
    person_id: int
    time: float
    place: str


class ReferralElsewhere(NamedTuple):
    """New referrals seen elsewhere under the 30-day right (person -1: background referrals, ``count`` people)."""
    person_id: int
    clinic: int
    requested: float
    seen: float
    count: int


FACT_TABLES: tuple[FactTable, ...] = (
    FactTable("entries", Entry),
    FactTable("exits", Exit),
    FactTable("deteriorations", Deterioration),
    FactTable("gp_contacts", GpContact),
    FactTable("gp_background", GpBackgroundDay),
    FactTable("ed_visits", EdVisit),
    FactTable("admissions", Admission),
    FactTable("outpatient", OutpatientContact),
    FactTable("outpatient_background", OutpatientBackground),
    FactTable("handoffs", Handoff),
    FactTable("home_nursing", HomeNursingEpisode),
    FactTable("contacts", Contact),
    FactTable("detections", Detection),
    FactTable("handoff_repairs", HandoffRepair),
    FactTable("transitions", Transition),
    FactTable("pressure_discharges", PressureDischarge),
    FactTable("deaths_in_care", DeathInCare),
    FactTable("referrals_elsewhere", ReferralElsewhere),
)
