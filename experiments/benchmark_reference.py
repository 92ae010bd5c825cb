"""The plain-SimPy reference of the benchmark: an M/M/c queue whose events per CPU second are the floor the
model's are compared with (``python -m experiments.benchmark``), and its Erlang-C mean wait, which says
the reference simulates the queue it claims to.

The ratio model events/s / reference events/s is the benchmark's machine-independent figure: how much work
per SimPy event the model does on top of SimPy itself.
"""

from __future__ import annotations

import math
import time
from typing import Callable

import numpy as np
import simpy

from sim.engine import processed_events

# The plain-SimPy reference queue: M/M/c with lambda=2.7, mu=1, c=3 (utilisation 0.9).
MMC_LAMBDA = 2.7
MMC_MU = 1.0
MMC_SERVERS = 3
ERLANG_C_WQ = 2.724            # mean wait in queue (Erlang C), see erlang_c_wq()
DEFAULT_MMC_CUSTOMERS = 50_000  # about 300,000 SimPy events: a few tenths of a second
QUICK_MMC_CUSTOMERS = 20_000


def erlang_c_wq(lam: float = MMC_LAMBDA, mu: float = MMC_MU, c: int = MMC_SERVERS) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C): P(wait) / (c*mu - lam)."""
    a = lam / mu
    rho = a / c
    if rho >= 1.0:
        return math.inf
    terms = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) / (1.0 - rho)
    return top / (terms + top) / (c * mu - lam)


def plain_simpy_mmc(n_customers: int, seed: int, lam: float = MMC_LAMBDA, mu: float = MMC_MU,
                    c: int = MMC_SERVERS, clock: Callable[[], float] = time.perf_counter) -> tuple[int, float, float]:
    """Simulate an M/M/c queue in plain SimPy; return ``(events, seconds, mean_wait)``.

    ``simpy.Resource`` with ``c`` servers, one process per customer, inter-arrival and service times
    pre-drawn with numpy (so the timing is SimPy's, not the random generator's). Events are counted
    exactly after the run (``sim.engine.processed_events``, as ``sim.runner`` counts the model's), so
    neither side of the ratio pays a per-event counting cost: ``6 * n_customers + 2`` events (per customer the
    source's timeout, process start, request, service timeout, release and process end; plus the
    source's own start and end). The system starts empty; the mean wait is over all customers.
    ``seconds`` is read from ``clock`` (the benchmark passes ``time.process_time``).
    """
    rng = np.random.default_rng(seed)
    inter_arrival = rng.exponential(1.0 / lam, n_customers).tolist()
    service = rng.exponential(1.0 / mu, n_customers).tolist()
    waits = [0.0] * n_customers

    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)

    def customer(i: int):
        arrived = env.now
        with servers.request() as request:
            yield request
            waits[i] = env.now - arrived
            yield env.timeout(service[i])

    def source():
        for i in range(n_customers):
            yield env.timeout(inter_arrival[i])
            env.process(customer(i))

    env.process(source())
    started = clock()
    env.run()  # until the schedule is empty: every customer has been served
    seconds = clock() - started
    events = processed_events(env)
    return events, seconds, (sum(waits) / n_customers if n_customers else math.nan)

