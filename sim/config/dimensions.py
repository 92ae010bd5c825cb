"""The model's fixed dimensions (conditions, age bands, PAM levels), the choices several sections share
(payers, targeting rules), and unit labels that name them. Each list is typed once, as a ``Literal`` where
a config value must be one of it."""

from __future__ import annotations

import typing
from typing import Literal

Condition = Literal["copd", "t2d", "heart_disease", "smi", "dementia"]
CONDITIONS: tuple[str, ...] = typing.get_args(Condition)
AGE_BANDS: tuple[str, ...] = ("18-39", "40-64", "65-79", "80+")
AGE_BAND_EDGES: tuple[int, ...] = (18, 40, 65, 80, 100)
PAM_LEVELS: tuple[int, ...] = (1, 2, 3, 4)

# who pays for a team or a service a scenario adds
Payer = Literal["hospital", "general_practice", "municipality"]
PAYERS: tuple[str, ...] = typing.get_args(Payer)

# which patients a team takes (sim/scenarios/teams.py holds the rule of each name)
CoordinatorTargeting = Literal["high_tier", "high_or_moderate_tier", "prior_use", "everyone"]
ComplexCareTargeting = Literal["complex", "high_tier"]
HealthCoachTargeting = Literal["moderate_tier", "high_or_moderate_tier"]

PER_CONDITION = "per condition (copd, t2d, heart_disease, smi, dementia)"
PER_AGE_BAND = "per age band (18-39, 40-64, 65-79, 80+)"
PER_PAM = "per PAM level (1, 2, 3, 4)"
