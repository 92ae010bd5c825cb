"""The specialisation dilemma's results: the replicated KPIs of every point, their summary and each curve's
optimum. Shared by the experiment (``experiments.specialisation_dilemma``), its figures
(``experiments.dilemma_plots``) and the validation facts, so the figures need not import the experiment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.io import write_parquet
from sim.statistics import mean_ci, paired_difference

SIMPLE, COMPLEX = "conditions=1", "conditions=3+"   # the patient groups the dilemma contrasts


@dataclass
class Results:
    """Replicated KPIs of every point: one row per point x replication x group x KPI."""
    table: pd.DataFrame
    replications: int
    years: float
    seconds: float = 0.0
    settings: tuple[str, ...] = field(default_factory=tuple)

    def save(self, path: Path) -> None:
        """Every replication's KPIs as Parquet (written atomically), with how they were made in its metadata."""
        table = self.table.copy()
        table.attrs = {"replications": self.replications, "years": self.years, "settings": list(self.settings)}
        write_parquet(Path(path), table)

    @classmethod
    def load(cls, path: Path) -> Results:
        table = pd.read_parquet(path)
        meta = table.attrs
        return cls(table, int(meta.get("replications", table.replication.nunique())), float(meta.get("years", float("nan"))),
                   settings=tuple(meta.get("settings", ())))

    def curves(self) -> set[str]:
        """Curves whose figure the table can draw (the optimum needs the level and coordinator curves)."""
        have = set(self.table.curve.unique())
        lines = set(self.table.line.unique())
        return have | ({"optimum"} if {"level", "coordinators"} <= have else set()) | (
            {"diffusion"} if "diffusion off" in lines else set())

    def summary(self) -> pd.DataFrame:
        """Mean and 95% half-width over replications per curve, line, x, group and KPI."""
        rows = []
        for key, values in self.table.groupby(["curve", "line", "x", "group", "kpi"]).value:
            mean, half = mean_ci(values.to_numpy())
            rows.append((*key, mean, half, int(values.notna().sum())))
        return pd.DataFrame(rows, columns=["curve", "line", "x", "group", "kpi", "mean", "half_width", "n"])

    def values(self, curve: str, line: str, group: str, kpi: str) -> pd.DataFrame:
        """Replication x point matrix (columns are the x values, sorted)."""
        sel = self.table[(self.table.curve == curve) & (self.table.line == line) & (self.table.group == group)
                         & (self.table.kpi == kpi)]
        return sel.pivot_table(index="replication", columns="x", values="value").sort_index(axis=1)


@dataclass(frozen=True)
class Optimum:
    """Where a replicated curve is lowest, and how sure we are that both ends are higher (paired CIs)."""
    x: float
    mean: float
    left_rise: tuple[float, float]     # mean and 95% half-width of (left end - minimum), paired by replication
    right_rise: tuple[float, float]    # the same for the right end

    @property
    def is_u(self) -> bool:
        """Both ends significantly above the minimum, and the minimum is inside."""
        return self.left_rise[0] - self.left_rise[1] > 0 and self.right_rise[0] - self.right_rise[1] > 0


def optimum(matrix: pd.DataFrame) -> Optimum:
    """The minimum of the replication means and the paired rises of the curve's two ends above it."""
    means = matrix.mean()
    best = means.idxmin()
    first, last = matrix.columns[0], matrix.columns[-1]
    return Optimum(float(best), float(means[best]), paired_difference(matrix[first], matrix[best]),
                   paired_difference(matrix[last], matrix[best]))
