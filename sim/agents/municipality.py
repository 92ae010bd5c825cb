"""Municipality: owns post-discharge home-nursing places.

A patient who needs home nursing cannot leave hospital until a place is free; the wait is a
delayed-discharge day (paid by the municipality). The place is then held for the episode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import simpy

from ..capacity import TimeWeighted

if TYPE_CHECKING:
    from ..model import CareModel

UNLIMITED = 10**9


class Municipality(mesa.Agent):
    def __init__(self, model: CareModel, index: int, name: str, places: int):
        super().__init__(model)
        self.index = index
        self.name = name
        unlimited = model.cfg.capacity.unlimited_capacity
        self.places = UNLIMITED if unlimited else max(1, places)  # every municipality has home nursing
        self.home_nursing = simpy.Resource(model.env, capacity=self.places)
        self.in_use = TimeWeighted()

    def start_home_nursing(self, person_id: int):
        """SimPy generator: wait for a place (the patient is still in bed), then hold it for the episode."""
        env, rec = self.model.env, self.model.recorder
        requested = env.now
        request = self.home_nursing.request()
        rec.event(person_id, "queue", "home_nursing_wait", requested, None, self.name)
        yield request
        days = self.model.cfg.pathways.home_nursing_days
        rec.fact("home_nursing", person_id, self.index, requested, env.now, days)
        rec.fact("contacts", person_id, env.now, self.name)
        self.in_use.change(+1, env.now)
        env.process(self._hold(request, days))

    def _hold(self, request, days: float):
        yield self.model.env.timeout(days)
        self.home_nursing.release(request)
        self.in_use.change(-1, self.model.env.now)
