"""What a KPI formula is given at compute time, per scope: a patient group's measures (``group``), the
results window itself (``system``), or a team's, a capacity move's or a queue's measures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..costs import PAYERS
from ..kpi import ratio
from .window import Window


@dataclass
class GroupMeasures:
    """One patient group in the window: ``m`` masks the patients present, ``py`` their patient-years."""

    w: Window
    group: str
    m: np.ndarray
    py: float
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per group (for a result several KPIs read, e.g. the payment ledger)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def sum(self, values: np.ndarray):
        return values[self.m].sum()

    def per_1000(self, values: np.ndarray) -> float:
        """The group's total of a per-patient measure per 1,000 patient-years."""
        return ratio(1000.0 * values[self.m].sum(), self.py)

    @property
    def costs(self) -> dict[str, float]:
        """Cost by payer and ``total`` (DKK). A function or a municipal acute unit that reached nobody in the
        window is still paid for: group ``all`` carries that cost."""
        def compute() -> dict[str, float]:
            w, m = self.w, self.m
            costs = {payer: float(w.costs[payer].to_numpy()[m].sum()) for payer in PAYERS}
            costs["total"] = float(w.costs["total"].to_numpy()[m].sum())
            if self.group == "all":
                for payer, cost in w.team_cost_unallocated.items():
                    costs[payer] += cost
                    costs["total"] += cost
                if w.municipal_vacant_unallocated:
                    costs["municipality"] += w.municipal_vacant_unallocated
                    costs["total"] += w.municipal_vacant_unallocated
            return costs
        return self.memo("costs", compute)


@dataclass(frozen=True)
class TeamMeasures:
    w: Window
    team: Any  # sim.agents.care_team.CareTeam


@dataclass(frozen=True)
class MoveMeasures:
    w: Window
    move: Any  # sim.capacity_calendar.Move


@dataclass(frozen=True)
class QueueMeasures:
    """A queue's daily levels over the window, summarised (sim.queue_growth.queue_kpis)."""

    name: str
    summary: dict[str, float]
