"""Constructed sweep results for the report's tests: known paired differences without running the model.

Every scenario gets the baseline's level of each KPI, the same per-replication noise (as common random
numbers give) and its own shift, so the paired difference of replication k is exactly the shift given for it.
A shift given as one number is the same in every replication (a CI of zero width: distinguishable unless 0); a
list gives one shift per replication (e.g. ``[-2, 2, -2, 2]``: mean 0, not distinguishable from zero).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.tables import write_tables
from sim.outcomes import KPI_BY_NAME

LEVELS = {
    "cost_per_patient_year_dkk": 9_500.0, "readmission_rate_30d": 0.12, "acute_admissions_per_1000py": 230.0,
    "bed_days_per_1000py": 1_400.0, "readmissions_30d": 600.0, "patient_years": 20_000.0,
    "gp_wait_mean_days": 1.0, "outpatient_new_referral_wait_mean_days_all": 4.0, "boarding_wait_mean_hours_all": 10.0,
    "rtt_compliance_all": 0.98, "medical_bed_occupancy": 0.87, "municipal_acute_stays_per_1000py": 0.0,
    "acute_care_return_rate_30d": 0.13, "late_detected_deteriorations_per_1000py": 100.0,
    "interfaces_per_patient_year": 3.0, "cost_total_dkk": 190_000_000.0,
}
NOISE = (0.01, -0.01, 0.005, -0.005, 0.002, -0.002)   # relative, shared by every scenario (CRN)


def _shifts(shift, replications: int) -> np.ndarray:
    return np.full(replications, float(shift)) if np.isscalar(shift) else np.asarray(shift, dtype=float)


def kpi_rows(effects: dict[str, dict], replications: int = 4, levels: dict | None = None,
             groups: tuple[str, ...] = ("all",)) -> pd.DataFrame:
    """The same levels and shifts in every group of ``groups`` (e.g. the risk tiers too)."""
    levels = {**LEVELS, **(levels or {})}
    rows = []
    for scenario, shifts in effects.items():
        for kpi, level in levels.items():
            delta = _shifts(shifts.get(kpi, 0.0), replications)
            for r in range(replications):
                value = level * (1 + NOISE[r % len(NOISE)]) + delta[r]
                rows += [{"scenario": scenario, "parameters": "", "seed": 0, "replication": r, "group": group,
                          "kpi": kpi, "value": value, "unit": KPI_BY_NAME[kpi].unit} for group in groups]
    return pd.DataFrame(rows)


def group_rows(scenario: str, group: str, values: dict[str, list[float]], unit: str = "") -> pd.DataFrame:
    """Rows of another group (``queue=<name>``, ``team=<name>``): KPI -> one value per replication."""
    return pd.DataFrame([{"scenario": scenario, "parameters": "", "seed": 0, "replication": r, "group": group,
                          "kpi": kpi, "value": float(v), "unit": KPI_BY_NAME[kpi].unit if kpi in KPI_BY_NAME else unit}
                         for kpi, vs in values.items() for r, v in enumerate(vs)])


def series_rows(scenario: str, replications: int, days: int, column_values) -> pd.DataFrame:
    """Daily series: ``column_values(replication, day_array) -> {column: values}``."""
    frames = []
    for r in range(replications):
        day = np.arange(1, days + 1, dtype=float)
        frame = pd.DataFrame({"scenario": scenario, "parameters": "", "seed": 0, "replication": r, "day": day,
                              **column_values(r, day)})
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def write_constructed(path: Path, effects: dict[str, dict], replications: int = 4, extra: list[pd.DataFrame] = (),
                      series: pd.DataFrame | None = None, warmup_days: float = 30.0, years: float = 1.0,
                      levels: dict | None = None, groups: tuple[str, ...] = ("all",)) -> Path:
    """A finished sweep folder; the first scenario of ``effects`` is the baseline."""
    kpis = pd.concat([kpi_rows(effects, replications, levels, groups), *extra], ignore_index=True)
    meta = {"population": "constructed", "seed": 0, "replications": list(range(replications)),
            "warmup_days": float(warmup_days), "years": float(years), "scenarios": list(effects), "parameters": [""],
            "cells": [], "failed": []}
    write_tables(path, kpis, series, meta)
    return Path(path)
