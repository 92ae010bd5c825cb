"""What the Morris screening (``python -m experiments.sensitivity``) varies: the uncertain parameters, each with
the range screened and the reason for it, checked against the schema's allowed ranges, and the Hydra
overrides that set them at a design point.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.config import iter_params


@dataclass(frozen=True)
class Factor:
    """An uncertain parameter and the range screened. ``scale``: the factor multiplies a list parameter's
    defaults (lo and hi are multipliers). Keys under ``scenario.`` act only in the scenario runs."""
    name: str
    key: str
    lo: float
    hi: float
    why: str
    scale: bool = False

    @property
    def scenario_only(self) -> bool:
        return self.key.startswith("scenario.")


FACTORS: tuple[Factor, ...] = (
    Factor("p_handoff_fail_gp", "pathways.p_handoff_fail_gp", 0.05, 0.30,
           "default 0.15, magnitude not in the sources: from one in twenty to nearly one in three discharges"),
    Factor("p_handoff_fail_municipality", "pathways.p_handoff_fail_municipality", 0.06, 0.36,
           "default 0.18, magnitude not in the sources: a third of it to twice it, as for the GP handoff"),
    Factor("failed_handoff_ratio", "pathways.failed_handoff_ratio", 1.0, 3.5,
           "default 2: from no extra risk after a failed handoff (the schema's lower bound) to 3.5"),
    Factor("post_discharge_ratio", "pathways.post_discharge_ratio", 2.5, 4.5,
           "default 3.5, calibrated to a 30-day readmission rate of 10-20%: +-1 keeps the rate near that band"),
    Factor("deterioration_scale", "pathways.deterioration_rate", 0.8, 1.2,
           "multiplier on every condition's stable-phase deterioration rate (an order of magnitude, calibrated "
           "to admission rates): +-20%", scale=True),
    Factor("unstable_ratio", "pathways.unstable_ratio", 3.0, 7.0,
           "default 5, set so that 4% of patients use about half the cost: 3-7 still concentrates cost"),
    Factor("p_detect_at_control", "pathways.p_detect_at_control", 0.3, 0.9,
           "default 0.6, no figure in the sources: a control catches from a third to nearly all ongoing unstable phases"),
    Factor("los_scale", "pathways.los_mean_days", 0.8, 1.2,
           "multiplier on every condition's mean length of stay (Danish orders of magnitude): +-20%", scale=True),
    Factor("medical_beds_per_1000", "capacity.medical_beds_per_1000", 0.9, 1.15,
           "default 1.0, sized for 85-90% occupancy: from about 95% occupancy (boarding) to about 75%"),
    Factor("bed_day_cost", "costs.bed_day", 3000.0, 6000.0,
           "default 4,500 DKK, Danish DRG order of magnitude: the low thousands either side"),
    Factor("coordinator_handoff_repair", "scenario.coordinator.p_handoff_repair", 0.3, 0.9,
           "scenario parameter, default 0.6 (assumption): the coordinator repairs from a third to nearly all failing handoffs"),
    Factor("coordinator_early_discharge_days", "scenario.coordinator.early_discharge_days", 0.5, 2.5,
           "scenario parameter, default 1.5 days (calibrated towards the Swedish care coach): +-1 day"),
)
FACTOR_NAMES = tuple(f.name for f in FACTORS)


def pick_factors(names: Iterable[str] | None) -> list[Factor]:
    if names is None:
        return list(FACTORS)
    names = list(names)
    unknown = [n for n in names if n not in FACTOR_NAMES]
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)}: allowed values are {', '.join(FACTOR_NAMES)}")
    if len(set(names)) != len(names) or not names:
        raise ValueError("--parameters must name each parameter once, and at least one")
    return [f for f in FACTORS if f.name in names]


def schema_problems(factors: Sequence[Factor]) -> list[str]:
    """Factors whose range leaves the schema's allowed range (scaled factors: checked on the composed values)."""
    meta = dict(iter_params())
    problems = []
    for f in factors:
        lo, hi = meta[f.key].metadata["min"], meta[f.key].metadata["max"]
        if not f.scale and not (lo <= f.lo < f.hi <= hi):
            problems.append(f"{f.name}: range [{f.lo:g}, {f.hi:g}] is not inside {f.key}'s allowed range [{lo:g}, {hi:g}]")
    return problems


def _value_text(value) -> str:
    if isinstance(value, list):
        return "[" + ",".join(f"{v:.6g}" for v in value) + "]"
    return f"{value:.6g}"


def point_overrides(factors: Sequence[Factor], values: np.ndarray, defaults: dict[str, list[float]],
                    scenario_run: bool) -> tuple[str, ...]:
    """Hydra overrides setting each factor to its value (scenario parameters only in scenario runs)."""
    out = []
    for f, v in zip(factors, values):
        if f.scenario_only and not scenario_run:
            continue
        value = [float(v) * d for d in defaults[f.key]] if f.scale else float(v)
        out.append(f"{f.key}={_value_text(value)}")
    return tuple(out)
