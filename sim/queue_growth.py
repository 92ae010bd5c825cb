"""Queue-growth guard: does a queue keep growing over the results window? (MODEL.md §6)

A comparison that rests on a queue growing without bound is not a steady state: its means depend on the
horizon. Every run samples each queue once a day over the results window (O(number of queues) per day,
from counters the owners keep) and reports, per queue, in the KPI group ``queue=<name>``:

* ``queue_length_mean``: the time average of the daily level (persons waiting, or days to the first free
  slot of an appointment book);
* ``queue_trend_per_year``: the least-squares slope of the daily level, per year;
* ``queue_growing``: 1 when the queue keeps growing, else 0. The rule: the results window is cut into four
  equal batches; the queue grows when the batch means rise from each batch to the next *and* the last
  exceeds the first by more than ``run.queue_growth_min_rise`` (absolute) and more than
  ``run.queue_growth_rise_share`` of the mean level. Four rising batch means happen by chance in one
  stationary run in about one in 24 (if the batches were independent); the size condition keeps the
  noise of a settled queue out.

``python -m sim`` prints a warning for every growing queue, and the report carries it to the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from .config import CONDITIONS
from .kpi import KPI

if TYPE_CHECKING:
    from .model import CareModel

BATCHES = 4

# the KPIs of each group ``queue=<name>``; a formula reads the queue's summary (``q.summary``, from queue_kpis)
QUEUE_KPIS: tuple[KPI, ...] = (
    KPI("queue_length_mean", "persons or days", "time average of the queue's daily level over the results window: people waiting, or days to the first free slot of an appointment book (sim/queue_growth.py)", "queue",
        lambda q: q.summary["queue_length_mean"]),
    KPI("queue_trend_per_year", "persons or days per year", "least-squares slope of the queue's daily level over the results window", "queue",
        lambda q: q.summary["queue_trend_per_year"]),
    KPI("queue_growing", "1 = yes, 0 = no", "1 when the queue keeps growing over the results window (four rising quarter means and a rise above run.queue_growth_min_rise and run.queue_growth_rise_share of the mean)", "queue",
        lambda q: q.summary["queue_growing"]),
)


@dataclass(frozen=True)
class Probe:
    name: str
    unit: str
    read: Callable[[], float]


def probes(model: CareModel) -> list[Probe]:
    """The model's queues: beds, home nursing, appointment books, waiting lists, teams' intake."""
    out = [Probe(f"{ward.name}_boarding", "persons", lambda w=ward: float(w.boarding.level))
           for ward in (model.medical_ward, model.psychiatric_ward)]
    out.append(Probe("home_nursing_waiting", "persons",
                     lambda: float(sum(len(mu.home_nursing.queue) for mu in model.municipalities))))
    out.append(Probe("gp_same_day_lead", "days", lambda: model.mean_lead_days(p.same_day for p in model.practices)))
    for clinic in model.clinics:
        name = f"outpatient_{CONDITIONS[clinic.condition]}"
        out.append(Probe(f"{name}_lead", "days", lambda c=clinic: model.mean_lead_days([c.book])))
        if clinic.waiting_list is not None:
            out.append(Probe(f"{name}_waiting_list", "referrals",
                             lambda c=clinic: float(sum(n for _, n in c.still_waiting()))))
    for team in model.teams:
        out.append(Probe(f"team_{team.name}_waiting", "persons", lambda t=team: float(len(t.queue))))
    return out


class QueueMonitor:
    """Daily levels of every queue over the results window, and the growth verdict for each."""

    def __init__(self, model: CareModel):
        self.probes = probes(model)
        self.levels: dict[str, list[float]] = {p.name: [] for p in self.probes}
        cfg = model.cfg.run
        self.min_rise = cfg.queue_growth_min_rise
        self.rise_share = cfg.queue_growth_rise_share

    def sample(self) -> None:
        for probe in self.probes:
            self.levels[probe.name].append(probe.read())

    def kpis(self) -> dict[str, dict[str, float]]:
        """``{queue name: {kpi: value}}`` for the KPI groups ``queue=<name>``."""
        return {name: queue_kpis(np.asarray(levels, float), self.min_rise, self.rise_share)
                for name, levels in self.levels.items()}

    def growing(self) -> list[str]:
        return [name for name, k in self.kpis().items() if k["queue_growing"] == 1.0]


def queue_kpis(levels: np.ndarray, min_rise: float, rise_share: float) -> dict[str, float]:
    """Mean, trend per year and the growth verdict of one queue's daily levels (see the module's rule)."""
    n = len(levels)
    if n == 0:
        return {"queue_length_mean": float("nan"), "queue_trend_per_year": float("nan"), "queue_growing": 0.0}
    mean = float(levels.mean())
    trend = float(np.polyfit(np.arange(n, dtype=float), levels, 1)[0] * 365.0) if n >= 2 else 0.0
    return {"queue_length_mean": mean, "queue_trend_per_year": trend,
            "queue_growing": float(is_growing(levels, min_rise, rise_share))}


def is_growing(levels: np.ndarray, min_rise: float, rise_share: float) -> bool:
    n = len(levels) // BATCHES
    if n == 0:
        return False
    batches = levels[: n * BATCHES].reshape(BATCHES, n).mean(axis=1)
    rising = bool(np.all(np.diff(batches) > 0))
    rise = batches[-1] - batches[0]
    return rising and rise > min_rise and rise > rise_share * abs(float(levels.mean()))
