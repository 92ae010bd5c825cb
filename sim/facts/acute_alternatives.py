"""Fact tables of the acute alternatives scenario (sim/scenarios/acute_alternatives.py)."""

from typing import NamedTuple

from ..kpi import FactTable


class MunicipalAcuteReferral(NamedTuple):
    """A patient sent to a municipal acute bed (``accepted`` False: every bed was taken, so the ED)."""
    person_id: int
    municipality: int
    time: float
    route: str
    accepted: bool


class MunicipalAcuteStay(NamedTuple):
    """A completed municipal acute stay (open ones are added at analysis time, MunicipalAcuteUnit.open_stay_rows)."""
    person_id: int
    municipality: int
    condition: int
    route: str
    start: float
    end: float
    transferred: bool


class WardEnquiry(NamedTuple):
    """An enquiry the discharging ward handled within its window of extended responsibility."""
    person_id: int
    time: float
    ward: str
    source: str
    outcome: str


FACT_TABLES: tuple[FactTable, ...] = (
    FactTable("municipal_acute_referrals", MunicipalAcuteReferral),
    FactTable("municipal_acute_stays", MunicipalAcuteStay),
    FactTable("ward_enquiries", WardEnquiry),
)
