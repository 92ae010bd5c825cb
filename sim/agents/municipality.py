"""Municipality: owns post-discharge home-nursing places.

A patient who needs home nursing cannot leave hospital until a place is free; the wait is a
delayed-discharge day (paid by the municipality). The place is then held for the episode, or until the
person dies or moves away (the place is free from then on).

Places can change over time (a capacity calendar, ``sim.capacity_calendar``). A reduction stops new
episodes from starting above the new number; episodes already running finish (at most
``pathways.home_nursing_days`` later), so places in use may exceed a reduced capacity until then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import simpy

from ..capacity import AdjustableResource, TimeWeighted, urgent_timeout
from ..facts.core import Contact, HomeNursingEpisode

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
        self._pending: dict[int, list[simpy.Event]] = {}  # person id -> requests waiting for a place
        self._holds: dict[int, simpy.Process] = {}           # person id -> the episode in progress

    def _follow_calendar(self):
        """SimPy process: set the number of places on each planned day (new places take waiting patients at once)."""
        env = self.model.env
        for time, places in self.capacity_levels[1:]:
            if time > env.now:
                yield urgent_timeout(env, time - env.now)
            self.home_nursing.set_capacity(int(places))

    def request_home_nursing(self, person_id: int) -> simpy.Event:
        """Ask for a home-nursing place for this person (the patient is usually still in bed). The returned
        event fires when the place is free; the episode starts then and holds the place for its length."""
        env = self.model.env
        request = self.home_nursing.request()
        self.model.recorder.event(person_id, "queue", "home_nursing_wait", env.now, None, self.name)
        self._pending.setdefault(person_id, []).append(request)
        # started from the request's own callback: no process per request (they are many)
        request.callbacks.insert(0, lambda granted, requested=env.now: self._start(person_id, requested, granted))
        return request

    def _start(self, person_id: int, requested: float, request) -> None:
        env, rec = self.model.env, self.model.recorder
        pending = self._pending.get(person_id)
        if pending is None or request not in pending:  # withdrawn at the instant it was granted
            self.home_nursing.release(request)
            return
        pending.remove(request)
        if not pending:
            del self._pending[person_id]
        days = self.model.cfg.pathways.home_nursing_days
        rec.fact(HomeNursingEpisode(person_id=person_id, municipality=self.index, requested=requested, started=env.now,
                                    days=days))
        rec.fact(Contact(person_id=person_id, time=env.now, actor=self.name))
        self.in_use.change(+1, env.now)
        self._holds[person_id] = env.process(self._hold(request, days, person_id))

    def _hold(self, request, days: float, person_id: int):
        env = self.model.env
        try:
            yield env.timeout(days)
        except simpy.Interrupt:
            pass  # the person left the catchment: the place is free from now
        if self._holds.get(person_id) is env.active_process:
            del self._holds[person_id]
        self.home_nursing.release(request)
        self.in_use.change(-1, env.now)

    def stop_home_nursing(self, person_id: int) -> None:
        """The person left the catchment: withdraw any request and end an episode in progress."""
        for request in self._pending.pop(person_id, []):
            if not request.triggered:
                request.cancel()
            # a request granted at this very instant gives its place back when its callback runs (_start)
        hold = self._holds.get(person_id)
        if hold is not None and hold.is_alive:
            hold.interrupt("left")
