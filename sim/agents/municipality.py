"""Municipality: owns post-discharge home-nursing places.

A patient who needs home nursing cannot leave hospital until a place is free; the wait is a
delayed-discharge day (paid by the municipality). The place is then held for the episode.

Places can change over time (a capacity calendar, ``sim.capacity_calendar``). A reduction stops new
episodes from starting above the new number; episodes already running finish (at most
``pathways.home_nursing_days`` later), so places in use may exceed a reduced capacity until then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from ..capacity import AdjustableResource, TimeWeighted, urgent_timeout

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
        self.home_nursing = AdjustableResource(model.env, capacity=self.places)
        self.in_use = TimeWeighted()
        self.capacity_levels = [(0.0, float(self.places))] if unlimited else model.capacity_plan.municipality_levels(index)
        if len(self.capacity_levels) > 1:
            model.env.process(self._follow_calendar())

    def _follow_calendar(self):
        """SimPy process: set the number of places on each planned day (new places take waiting patients at once)."""
        env = self.model.env
        for time, places in self.capacity_levels[1:]:
            if time > env.now:
                yield urgent_timeout(env, time - env.now)
            self.home_nursing.set_capacity(int(places))

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
