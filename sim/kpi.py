"""A KPI declaration: name, unit, meaning and scope (the schema ``sim.outcomes`` lists and documents)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class KPI:
    name: str
    unit: str
    description: str
    scope: str  # "group": per patient group; "system": overall only; "team", "move", "queue": one group per item


def overlap(start, end, t0: float, t1: float):
    """Length of each interval [start, end] inside the window [t0, t1] (0 outside it)."""
    return np.clip(np.minimum(end, t1) - np.maximum(start, t0), 0.0, None)
