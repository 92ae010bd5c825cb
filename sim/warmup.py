"""Diagnose the warm-up length with MSER-5: ``python -m sim.warmup [overrides...]``.

Runs replications from an empty system (``run.warmup_days=0``), averages each daily series over
replications and applies MSER-5 (``sim.statistics.mser5``) to the series that start empty: beds
occupied, patients boarding, home-nursing places in use and the lead time to the next free outpatient
slot. Prints each truncation point and the recommendation (the largest, rounded up to 30 days).

    python -m sim.warmup population=small --replications 5 --years 3
"""

from __future__ import annotations

import argparse
import math
import sys

import pandas as pd

from .hydra_app import compose_validated
from .runner import run_replication
from .statistics import mser5

SERIES = ("medical_beds_occupied", "psychiatric_beds_occupied", "boarding", "home_nursing_in_use", "outpatient_lead_days")


def diagnose(overrides: list[str], replications: int, years: float) -> pd.DataFrame:
    cfg = compose_validated([*overrides, "run.warmup_days=0", f"run.years={years}", "run.event_log=false"])
    series = [run_replication(cfg, k).timeseries for k in range(replications)]
    mean = pd.concat(series).groupby("day")[list(SERIES)].mean()
    return pd.DataFrame({"series": SERIES, "truncate_days": [mser5(mean[s].to_numpy()) for s in SERIES]})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="MSER-5 warm-up diagnosis")
    parser.add_argument("overrides", nargs="*", help="Hydra-style overrides, e.g. population=small")
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument("--years", type=float, default=3.0)
    args = parser.parse_args(argv)
    table = diagnose(args.overrides, args.replications, args.years)
    print(table.to_string(index=False))
    recommended = int(math.ceil(max(table.truncate_days.max(), 1) / 30.0) * 30)
    print(f"recommended run.warmup_days >= {recommended} (largest MSER-5 truncation, rounded up to 30 days)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
