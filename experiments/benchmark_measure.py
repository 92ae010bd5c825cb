"""Measuring the model for the benchmark (``python -m experiments.benchmark``): one replication between two
runs of the plain-SimPy reference in a fresh child process, the summary of repeated runs, the growth checks
on the summaries, and a description of the machine they ran on.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import platform
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import simpy

from experiments.benchmark_reference import plain_simpy_mmc

GROWTH_LIMIT = 1.2             # issue target 3: full/small time <= 1.2 x the population ratio


@dataclass(frozen=True)
class RunSpec:
    preset: str
    scenario: str
    years: float | None       # None: the config default (run.years)
    mmc_customers: int
    seed: int = 0
    replication: int = 0

    def overrides(self) -> list[str]:
        out = [f"population={self.preset}", f"scenario={self.scenario}", "run.event_log=false", f"seed={self.seed}"]
        if self.years is not None:
            out.append(f"run.years={self.years:g}")
        return out


def _maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MB (Linux reports KiB, macOS bytes)."""
    rss = resource.getrusage(who).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024.0


def measure_once(spec: RunSpec) -> dict[str, Any]:
    """Reference queue, one model replication, reference queue again; all in this process.

    Meant to run in a fresh child process: peak RSS is then this run's (``RUSAGE_SELF`` of the child).
    The event log is off (``run.event_log=false``), as in sweeps.
    """
    from sim.hydra_app import compose_config  # imported here: the import cost is part of the baseline RSS
    from sim.runner import run_replication

    cfg = compose_config(spec.overrides())
    rss_imports = _maxrss_mb()

    cpu = time.process_time
    plain_simpy_mmc(1_000, seed=spec.seed, clock=cpu)  # warm-up, discarded: first-call allocation
    before = plain_simpy_mmc(spec.mmc_customers, seed=spec.seed, clock=cpu)
    wall0, cpu0 = time.perf_counter(), cpu()
    result = run_replication(cfg, spec.replication)
    wall, cpu_seconds = time.perf_counter() - wall0, cpu() - cpu0
    after = plain_simpy_mmc(spec.mmc_customers, seed=spec.seed, clock=cpu)

    kpis = result.kpis
    patient_years = float(kpis.loc[(kpis.group == "all") & (kpis.kpi == "patient_years"), "value"].iloc[0])
    reference_eps = statistics.fmean([before[0] / before[1], after[0] / after[1]])
    model_eps_cpu = result.simpy_events / cpu_seconds
    return {
        "preset": spec.preset,
        "scenario": spec.scenario,
        "years": float(cfg.run.years),
        "warmup_days": float(cfg.run.warmup_days),
        "inhabitants": int(cfg.population.inhabitants),
        "wall_seconds": wall,
        "cpu_seconds": cpu_seconds,
        "simpy_events": int(result.simpy_events),
        "events_per_second": result.simpy_events / wall,
        "events_per_cpu_second": model_eps_cpu,
        "patient_years": patient_years,
        "patient_years_per_second": patient_years / wall,
        "plain_simpy_events_per_cpu_second": reference_eps,
        "plain_simpy_mean_wait": statistics.fmean([before[2], after[2]]),
        "ratio": model_eps_cpu / reference_eps,
        "rss_after_imports_mb": rss_imports,
        "peak_rss_mb": _maxrss_mb(),
    }


def measure_in_child(spec: RunSpec) -> dict[str, Any]:
    """Run :func:`measure_once` in a freshly spawned interpreter and return its figures."""
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(measure_once, spec).result()


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    walls = [r["wall_seconds"] for r in runs]
    events = sorted({r["simpy_events"] for r in runs})
    first = runs[0]
    med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    return {
        "preset": first["preset"],
        "scenario": first["scenario"],
        "years": first["years"],
        "warmup_days": first["warmup_days"],
        "inhabitants": first["inhabitants"],
        "runs": len(runs),
        "wall_seconds_median": statistics.median(walls),
        "wall_seconds_min": min(walls),
        "wall_seconds_max": max(walls),
        "cpu_seconds_median": med("cpu_seconds"),
        # one seed and replication: every run does the same work, so the count is one number
        "simpy_events": events[0] if len(events) == 1 else med("simpy_events"),
        "simpy_events_identical": len(events) == 1,
        "events_per_second": med("events_per_second"),
        "events_per_cpu_second": med("events_per_cpu_second"),
        "plain_simpy_events_per_cpu_second": med("plain_simpy_events_per_cpu_second"),
        "ratio": med("ratio"),
        "patient_years": first["patient_years"],
        "patient_years_per_second": med("patient_years_per_second"),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "rss_after_imports_mb": max(r["rss_after_imports_mb"] for r in runs),
        "per_run": runs,
    }


def growth_checks(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issue target 3: time and memory grow at most linearly with population and with simulated years.

    Population: for each scenario run at both the small and the full preset (same years), the ratio of
    median CPU times (also of wall times, and of peak RSS) against the ratio of inhabitants; passes when
    <= 1.2 x it. Years: for each preset whose baseline ran at two horizons, the ratio of CPU times against
    the ratio of simulated days (warm-up included); passes when <= 1.2 x it. CPU time, because on a
    shared machine the load (and so the wall time) changes between the runs being compared.
    """
    checks = []
    by_key = {(s["preset"], s["scenario"], s["years"]): s for s in summaries}
    for (preset, scenario, years), full in by_key.items():
        small = by_key.get(("small", scenario, years))
        if preset != "randers" or small is None:
            continue
        limit = full["inhabitants"] / small["inhabitants"]
        for what, key in (("CPU time", "cpu_seconds_median"), ("wall time", "wall_seconds_median"),
                          ("peak RSS", "peak_rss_mb")):
            ratio = full[key] / small[key]
            checks.append({"check": f"{what}: full / small ({years:g} y)", "scenario": scenario, "years": years,
                           "measured": ratio, "proportional": limit, "limit": GROWTH_LIMIT * limit,
                           "passed": ratio <= GROWTH_LIMIT * limit})
    for (preset, scenario, years), long in by_key.items():
        if scenario != "baseline":
            continue
        for (p2, s2, y2), short in by_key.items():
            if p2 == preset and s2 == scenario and y2 < years:
                days = (long["warmup_days"] + 365.0 * years) / (short["warmup_days"] + 365.0 * y2)
                ratio = long["cpu_seconds_median"] / short["cpu_seconds_median"]
                checks.append({"check": f"CPU time: {years:g} / {y2:g} years ({preset})", "scenario": scenario,
                               "years": years, "measured": ratio, "proportional": days, "limit": GROWTH_LIMIT * days,
                               "passed": ratio <= GROWTH_LIMIT * days})
    return checks


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import mesa
        mesa_version = mesa.__version__
    except Exception:  # pragma: no cover - mesa is a dependency
        mesa_version = "?"
    try:
        load = " / ".join(f"{x:.1f}" for x in __import__("os").getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        load = "?"
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "logical_cpus": str(multiprocessing.cpu_count()),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "simpy": simpy.__version__,
        "mesa": mesa_version,
        "numpy": np.__version__,
        "load_average_at_start": load,
    }
