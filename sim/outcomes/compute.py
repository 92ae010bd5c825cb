"""The KPI table of a model: every declared KPI's formula applied to its subjects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from ..kpi import KPI, Measure
from .declarations import all_kpis, all_measures
from .subjects import GroupMeasures, MoveMeasures, QueueMeasures, TeamMeasures
from .tables import patient_groups
from .window import Window

if TYPE_CHECKING:
    from ..model import CareModel


def compute(model: CareModel, t1: float | None = None, groups: Iterable[str] | None = None,
            kpis: Iterable[KPI] | None = None, measures: Iterable[Measure] | None = None) -> pd.DataFrame:
    """The KPIs of a finished model as a tidy frame: ``group, kpi, value, unit``.

    ``t1`` ends the results window early (default: the end of the run). The teaching page passes the
    current time to show the KPIs of a run in progress; records after ``t1`` do not exist yet then.
    ``groups`` restricts the result to these patient groups and the teams (the page reads a few KPIs every
    simulated month; the system-wide ones, a third of the time, are then left out). ``kpis`` and
    ``measures`` are the declarations to compute (default: :func:`all_kpis`, :func:`all_measures`)."""
    declared = tuple(all_kpis() if kpis is None else kpis)
    by_scope: dict[str, list[KPI]] = {}
    for kpi in declared:
        by_scope.setdefault(kpi.scope, []).append(kpi)
    scoped = lambda scope, subject: [(k.name, k.formula(subject)) for k in by_scope.get(scope, ())]  # noqa: E731
    w = Window(model, t1=t1, measures=all_measures() if measures is None else measures)
    rows: list[tuple[str, str, float]] = []
    wanted = None if groups is None else set(groups)
    for group, mask in patient_groups(model).items():
        if wanted is not None and group not in wanted:
            continue
        mask = mask & w.present
        subject = GroupMeasures(w, group, mask, w.exposure_days[mask].sum() / 365.0)
        rows += [(group, name, value) for name, value in scoped("group", subject)]
    if wanted is None:
        rows += [("all", name, value) for name, value in scoped("system", w)]
        for queue, summary in model.queues.kpis().items():
            rows += [(f"queue={queue}", name, value) for name, value in scoped("queue", QueueMeasures(queue, summary))]
        for move in model.capacity_plan.moves():
            rows += [(f"move={move.source.name}", name, value) for name, value in scoped("move", MoveMeasures(w, move))]
    for team in model.teams:
        rows += [(f"team={team.name}", name, value) for name, value in scoped("team", TeamMeasures(w, team))]
    units = {k.name: k.unit for k in declared}
    df = pd.DataFrame(rows, columns=["group", "kpi", "value"])
    df["unit"] = df.kpi.map(units)
    return df


def as_nested(df: pd.DataFrame) -> dict[str, dict[str, float]]:
    """``{group: {kpi: value}}`` for JSON (NaN becomes None)."""
    out: dict[str, dict[str, float | None]] = {}
    for group, kpi, value in df[["group", "kpi", "value"]].itertuples(index=False):
        out.setdefault(group, {})[kpi] = None if pd.isna(value) else float(value)
    return out
