"""Fact tables as the outcomes read them: completed rows plus what is still open at the end of the window,
and the patient groups the KPIs are given for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..config import CONDITIONS
from ..population import TIERS
from ..recorder import typed_frame

if TYPE_CHECKING:
    from ..model import CareModel

# deterioration outcomes (sim.agents.patient) that count as detected late, and as missed
LATE = ("escalated_unattended", "escalated_before_contact", "escalated_waiting_for_gp", "escalated_waiting_for_clinic")
MISSED = ("resolved_unattended", "escalated_unattended")


def patient_groups(model: CareModel) -> dict[str, np.ndarray]:
    """Boolean masks over ``model.population`` rows for each patient group."""
    pop = model.population
    groups = {"all": np.ones(len(pop), bool)}
    for t, name in enumerate(TIERS):
        groups[f"tier={name}"] = pop.tier == t
    for c, name in enumerate(CONDITIONS):
        groups[f"condition={name}"] = pop.conditions[:, c]
    groups["vulnerable=yes"] = pop.vulnerable
    groups["vulnerable=no"] = ~pop.vulnerable
    # multimorbidity: the specialisation dilemma's optimum moves with the number of conditions
    n_conditions = pop.conditions.sum(axis=1)
    groups["conditions=1"] = n_conditions == 1
    groups["conditions=2"] = n_conditions == 2
    groups["conditions=3+"] = n_conditions >= 3
    return groups


def _with_open_rows(done: pd.DataFrame, name: str, open_rows: list[tuple]) -> pd.DataFrame:
    if not open_rows:
        return done
    return pd.concat([done, typed_frame(name, open_rows)], ignore_index=True)


def admissions_table(model: CareModel) -> pd.DataFrame:
    """Completed stays plus those still in progress (ending now), so no bed day is lost at the end of a run."""
    now = model.env.now
    open_rows = [row for ward in (model.medical_ward, model.psychiatric_ward) for row in ward.open_stay_rows(now)]
    return _with_open_rows(model.recorder.table("admissions"), "admissions", open_rows)

