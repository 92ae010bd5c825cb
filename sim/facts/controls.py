"""Fact tables of the outpatient control mechanisms (needs-based and PRO-triggered follow-up)."""

from typing import NamedTuple

from ..kpi import FactTable


class FollowUpSwitch(NamedTuple):
    """A patient moved off fixed-interval controls for one condition (needs-based or PRO follow-up)."""
    person_id: int
    time: float
    condition: int


class ProQuestionnaire(NamedTuple):
    """A PRO questionnaire sent: answered or not, the patient's state and whether the algorithm flagged it."""
    person_id: int
    clinic: int
    time: float
    answered: bool
    unstable: bool
    flagged: bool


FACT_TABLES: tuple[FactTable, ...] = (
    FactTable("switches", FollowUpSwitch),
    FactTable("pro_questionnaires", ProQuestionnaire),
)
