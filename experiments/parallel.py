"""Run independent model runs on several processes, results in task order, progress as they finish."""

from __future__ import annotations

from collections.abc import Callable, Iterable
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")


def map_in_order(function: Callable[[Task], Result], tasks: Iterable[Task], jobs: int = 1,
                 on_done: Callable[[int], None] | None = None) -> list[Result]:
    """``[function(t) for t in tasks]`` on ``jobs`` processes (1: in this process).

    Results come back in task order whatever the number of processes, so a run's output does not depend on
    ``jobs`` (each task draws from its own named streams); ``on_done(n)`` is called after the n-th result.
    """
    tasks = list(tasks)
    results: list[Result] = []

    def collect(stream: Iterable[Result]) -> None:
        for done, result in enumerate(stream, 1):
            results.append(result)
            if on_done:
                on_done(done)

    if jobs > 1:
        # spawn, not fork: a fork of a process with threads (a test runner's, a notebook's) can deadlock;
        # each worker imports the model afresh (about a second), small against a model run
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            # map yields in task order
            collect(pool.map(function, tasks))
    else:
        collect(function(task) for task in tasks)
    return results
