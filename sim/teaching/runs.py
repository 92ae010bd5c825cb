"""The runs a class compares on the page: the current one and the last few before it, each with the knob
values it was built with, so two settings can be seen side by side without writing numbers down.

A run joins the earlier runs when Reset replaces it, if it made at least one step and ran without error. Its
name in legends and tables is the settings that differ between the runs shown (e.g. "specialisation 2"
against "specialisation 6"); runs with the same settings are told apart by their number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .knobs import DAYS_PER_STEP, EXTRA_OVERRIDES, KNOBS

EARLIER_RUNS = 3  # faded lines kept next to the current one (more would crowd a projected plot)


@dataclass(frozen=True)
class Run:
    number: int                 # 1 for the page's first run, counting every run started in this session
    knobs: dict[str, Any]       # the knob values (and extra overrides) it was built with
    series: pd.DataFrame        # TeachingModel.series(): one row per step, row 0 = end of warm-up

    @property
    def steps(self) -> int:
        return len(self.series) - 1

    def months(self) -> list[float]:
        return [day / DAYS_PER_STEP for day in self.series["day"]]

    def last(self, column: str) -> float:
        values = self.series[column].tolist()
        return float(values[-1]) if values else math.nan


def from_model(model, number: int) -> Run | None:
    """The model's run as it stands, or None if it has nothing to compare (no step, or an error)."""
    if model is None or getattr(model, "error", None) is not None or getattr(model, "care", None) is None:
        return None
    series = model.series()
    if len(series) < 2:
        return None
    return Run(number, dict(model.knobs), series.copy())


def remember(earlier: list[Run], finished: Run | None) -> list[Run]:
    """The earlier runs after ``finished`` is replaced: the newest EARLIER_RUNS, oldest first."""
    return ([*earlier, finished] if finished is not None else list(earlier))[-EARLIER_RUNS:]


def _value(name: str, value: Any) -> str:
    knob = next((k for k in KNOBS if k.name == name), None)
    if knob is None:
        return f"extra: {value}" if value else "no extra overrides"
    return f"{knob.short} {knob.shown(value)}"


def labels(runs: list[Run]) -> list[str]:
    """Each run's name: the settings that differ among ``runs`` (in knob order), else its number."""
    names = [k.name for k in KNOBS] + [EXTRA_OVERRIDES]
    differing = [n for n in names if len({repr(r.knobs.get(n)) for r in runs}) > 1]
    out = []
    for run in runs:
        shown = ", ".join(_value(n, run.knobs.get(n)) for n in differing)
        out.append(shown or f"run {run.number} (same settings)")
    return out
