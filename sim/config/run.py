"""Run control: horizon, warm-up, replications, outputs and the queue-growth guard (``run.*``)."""

from __future__ import annotations

from dataclasses import dataclass

from .params import param


# --------------------------------------------------------------------------------------------------
# Run control
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunConfig:
    years: float = param(
        5.0, unit="years", lo=0.05, hi=50.0,
        source="assumption: five planning years; Region H 2018 l.107-110 says effects of changed "
               "controls show after 1 year and fully after at least 2",
        doc="simulated horizon after the warm-up")
    warmup_days: float = param(
        270.0, unit="days", lo=0.0, hi=3650.0,
        source="assumption: diagnosed with MSER-5 (`python -m sim.warmup`) on the baseline's daily beds, boarding, home nursing and outpatient lead time: largest truncation 80 days for the small catchment (8 replications, 3 years) and 250 days for Randers (4 replications, 2 years, home nursing), rounded up to 30 days",
        doc="time simulated before results are collected (the model starts with its caseload but empty wards and waiting lists); rounded to whole days")
    replications: int = param(
        1, unit="replications", lo=1, hi=100000,
        source="assumption: one run per `python -m sim` call; sweeps set more",
        doc="independent replications run by `python -m sim`: replication k draws from streams keyed by (seed, k), the same k in every scenario (common random numbers)")
    event_log: bool = param(
        True, unit="flag", source="assumption: the event log is wanted by default (MODEL.md §3.4)",
        doc="write the vidigi-style event log (Parquet)")
    timeseries: bool = param(
        True, unit="flag", source="assumption: daily series are wanted by default (MODEL.md §3.4)",
        doc="write daily time series (Parquet)")
    queue_growth_min_rise: float = param(
        1.0, unit="persons or days (the queue's own unit)", lo=0.0, hi=1e9,
        source="assumption: a queue that rises by less than one person (or one day of lead time) over the results "
               "window is not growing in any sense that matters to a planner",
        doc="queue-growth guard (sim/queue_growth.py): the last quarter's mean must exceed the first quarter's by more than this")
    queue_growth_rise_share: float = param(
        0.25, unit="share of the queue's mean level", lo=0.0, hi=100.0,
        source="assumption: noise around a settled level rarely moves four successive quarter means upwards by a quarter "
               "of the level; a queue that keeps filling does so easily",
        doc="queue-growth guard: the rise from the first to the last quarter must also exceed this share of the mean level")
