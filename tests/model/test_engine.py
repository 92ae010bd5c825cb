"""The day-bucket environment (sim/engine.py) processes events in exactly SimPy's order.

It is a speed change only: any difference in order would change results. Both tests run the same
work on a plain ``simpy.Environment`` and on ``DayBucketEnvironment`` and require the same trace.
"""

from __future__ import annotations

import random

import simpy

from sim.engine import DayBucketEnvironment, processed_events
from sim.hydra_app import compose_config
from sim.model import CareModel


def _toy_trace(env_class) -> list[tuple]:
    """Processes with far-future timeouts, exact ties on day boundaries, urgent events, interrupts,
    a shared resource and ``run(until=...)`` day by day, as the model uses them."""
    env = env_class()
    draws = random.Random(7)
    trace: list[tuple] = []
    desk = simpy.Resource(env, capacity=2)

    def worker(i):
        while env.now < 60:
            wait = draws.choice([0.0, 1.0, 2.0, 0.25, 30.0, draws.expovariate(0.1)])  # ties and long waits
            try:
                yield env.timeout(wait)
            except simpy.Interrupt as why:
                trace.append(("interrupted", i, env.now, why.cause))
                continue
            with desk.request() as req:
                yield req
                trace.append(("served", i, env.now))
                yield env.timeout(draws.random())

    procs = [env.process(worker(i)) for i in range(40)]

    def interrupter():
        while True:
            yield env.timeout(draws.choice([0.5, 1.0, 3.0]))
            target = procs[draws.randrange(len(procs))]
            if target.is_alive and target.target is not None and not isinstance(target.target, simpy.resources.base.Put):
                target.interrupt(env.now)
            urgent = simpy.Event(env)
            urgent._ok, urgent._value = True, None
            urgent.callbacks.append(lambda e: trace.append(("urgent", env.now)))
            env.schedule(urgent, simpy.events.URGENT, draws.choice([0.0, 1.0, 10.0]))

    env.process(interrupter())
    for day in range(1, 80):
        env.run(until=day)
        trace.append(("day", day, env.now, env.peek()))
    return trace


def test_toy_processes_run_in_simpy_order():
    plain = _toy_trace(simpy.Environment)
    assert len(plain) > 300
    assert _toy_trace(DayBucketEnvironment) == plain


def test_model_event_sequence_is_simpys(monkeypatch):
    """The small baseline for 66 days: the time of every processed event and the fact rows are identical,
    and ``processed_events`` counts exactly the events processed."""
    cfg = compose_config(["population=small", "run.warmup_days=30", "run.years=0.1", "seed=3"])

    def times(env_class):
        monkeypatch.setattr(CareModel, "environment_class", env_class)
        model = CareModel(cfg, 0)
        seen: list[float] = []
        original = model.env.step

        def step():
            try:
                original()
            finally:  # also the day's until-event, whose step raises StopSimulation
                seen.append(model.env.now)

        model.env.step = step
        model.run()
        assert processed_events(model.env) == len(seen)  # the benchmark's count, without a wrapper
        return seen, model.recorder.facts

    plain_times, plain_facts = times(simpy.Environment)
    bucket_times, bucket_facts = times(DayBucketEnvironment)
    assert len(plain_times) > 10_000
    assert bucket_times == plain_times
    assert bucket_facts == plain_facts
