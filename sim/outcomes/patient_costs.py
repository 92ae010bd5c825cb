"""Cost per patient and payer over the window: the cost items priced (sim.costs), plus the fixed cost of
staffed municipal acute beds and of the teams a scenario adds, allocated to their patients."""

from __future__ import annotations

import pandas as pd

from ..costs import patient_costs
from ..kpi import CostItem, Measure


def cost_measure(items: tuple[CostItem, ...]) -> Measure:
    """The window measure ``costs``: a frame by person id with a column per payer and ``total`` (DKK)."""
    def compute(w) -> pd.DataFrame:
        activity = pd.DataFrame({item.name: item.activity(w) for item in items})
        prices = {item.name: float(item.price(w)) for item in items if item.price is not None}
        costs = patient_costs(activity, w.model.cfg.costs, items, prices)
        for share in w.municipal_vacant[2]:  # each municipal acute unit's empty beds, by its patients' bed days
            costs["municipality"] += share
            costs["total"] += share
        for payer, allocated in w.team_cost_by_payer.items():
            costs[payer] += allocated
            costs["total"] += allocated
        return costs
    return Measure("costs", compute)
