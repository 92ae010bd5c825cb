"""A mechanism defined entirely outside ``sim/``: a municipal day centre after discharge.

It is the worked example of docs/architecture.md ("Add a mechanism") and what
``test_day_centre_plugin.py`` runs. Everything it adds is declared here, on the mechanism class:

* a config section (``DayCentreConfig``, ``param()`` fields with unit, source and range), set by a scenario
  file under ``scenario.plugins.day_centre`` (``configs/scenario/day_centre.yaml`` next to this file);
* a patient stream (``day_centre``), so its draws never move another draw of the model;
* a fact table (``day_centre_visits``, a named record);
* a measure, a KPI (``day_centre_visits_per_1000py``, per patient group) and a cost item paid by the
  municipality at the section's unit cost;
* one hook, ``after_discharge``: a patient home from hospital is offered a place and attends a number of
  weekly visits with a probability. The visits change nothing else (an example, not a model of day care).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from sim.config import param
from sim.kpi import KPI, CostItem, FactTable, Measure
from sim.mechanisms import Mechanism


@dataclass(frozen=True)
class DayCentreConfig:
    p_attend: float = param(0.4, unit="probability", lo=0.0, hi=1.0,
                            source="assumption: an example value for the worked example of a plug-in")
    visits: int = param(4, unit="visits per discharge", lo=1, hi=52,
                        source="assumption: four weekly visits, an example value")
    visit_cost: float = param(450.0, unit="DKK per visit", lo=0.0, hi=100_000.0,
                              source="assumption: an example unit cost of a municipal day-centre visit")


class DayCentreVisit(NamedTuple):
    person_id: int
    municipality: int
    time: float


def _visits_per_patient(w) -> np.ndarray:
    visits = w.model.recorder.table("day_centre_visits")
    in_window = visits.time.between(w.t0, w.t1).to_numpy()
    return w.count(visits.person_id.to_numpy()[in_window])


class DayCentre(Mechanism):
    name = "day_centre"
    config_schema = DayCentreConfig
    patient_stream_purposes = ("day_centre",)
    fact_tables = (FactTable("day_centre_visits", DayCentreVisit),)
    measures = (Measure("day_centre_visits", _visits_per_patient),)
    kpis = (KPI("day_centre_visits_per_1000py", "per 1,000 patient-years",
                "Municipal day-centre visits after discharge (the day_centre plug-in)", "group",
                lambda g: g.per_1000(g.w.day_centre_visits)),)
    cost_items = (CostItem("day_centre_visits", "visits", "municipality", None,
                           activity=lambda w: w.day_centre_visits,
                           price=lambda w: w.model.day_centre.settings.visit_cost),)

    def after_discharge(self, patient, condition: int) -> None:
        settings = self.settings
        if patient.streams.get("day_centre").random() < settings.p_attend:
            now = self.model.env.now
            for week in range(settings.visits):
                self.model.recorder.fact(DayCentreVisit(person_id=patient.person_id,
                                                        municipality=patient.municipality,
                                                        time=now + 7.0 * (week + 1)))
