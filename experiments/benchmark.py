"""How fast is the model? ``python -m experiments.benchmark``

Runs the small preset and the full Randers preset (default horizon ``run.years=5`` after the default
warm-up) and reports, per preset:

* wall time of a whole replication (build, population, run, KPIs): median, min and max over the runs;
* SimPy events processed (counted exactly by wrapping ``env.step``) and events per second;
* patient-years per second (patient-years of the results window, KPI ``patient_years``, per wall second);
* peak resident set size of the process that ran the preset;
* the events per second of a plain SimPy M/M/c queue (:func:`plain_simpy_mmc`) measured in the same
  process right before and right after each model run, and the ratio model events/s / plain events/s.

The ratio is the machine-independent figure: it says how much work per SimPy event the model does on
top of SimPy itself, and is what a regression guard compares (see :func:`recorded_ratio`).

Timing runs have the event log switched off (``run.event_log=false``; users can do the same); one
extra small run with the event log on shows what it costs. Each measurement runs in a fresh child
process (multiprocessing "spawn"), so peak RSS is per preset and one preset's garbage or caches never
leak into another's timing.

    python -m experiments.benchmark                          # small (3 runs) and Randers (1 run)
    python -m experiments.benchmark --presets small --years 2 --repeats 5
    python -m experiments.benchmark --markdown --json bench.json
    python -m experiments.benchmark --quick                  # small, 1 year, 3 runs; last line ratio=<value>
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import math
import multiprocessing
import platform
import re
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import simpy

# The plain-SimPy reference queue: M/M/c with lambda=2.7, mu=1, c=3 (utilisation 0.9).
MMC_LAMBDA = 2.7
MMC_MU = 1.0
MMC_SERVERS = 3
ERLANG_C_WQ = 2.724            # mean wait in queue (Erlang C), see erlang_c_wq()
DEFAULT_MMC_CUSTOMERS = 50_000  # about 300,000 SimPy events: a few tenths of a second
QUICK_MMC_CUSTOMERS = 20_000

PRESETS = ("small", "randers")
DEFAULT_REPEATS = {"small": 3, "randers": 1}
PERFORMANCE_DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
REGRESSION_FACTOR = 0.8        # --quick fails when the measured ratio < 0.8 x the recorded one


# --------------------------------------------------------------------------------------------------
# Plain SimPy reference
# --------------------------------------------------------------------------------------------------
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
                    c: int = MMC_SERVERS) -> tuple[int, float, float]:
    """Simulate an M/M/c queue in plain SimPy; return ``(events, seconds, mean_wait)``.

    ``simpy.Resource`` with ``c`` servers, one process per customer, inter-arrival and service times
    pre-drawn with numpy (so the timing is SimPy's, not the random generator's). Events are counted
    exactly by wrapping ``env.step``, the same way ``sim.runner`` counts the model's events, so both
    sides of the ratio pay the same counting overhead: ``6 * n_customers + 2`` events (per customer the
    source's timeout, process start, request, service timeout, release and process end; plus the
    source's own start and end). The system starts empty; the mean wait is over all customers.
    """
    rng = np.random.default_rng(seed)
    inter_arrival = rng.exponential(1.0 / lam, n_customers).tolist()
    service = rng.exponential(1.0 / mu, n_customers).tolist()
    waits = [0.0] * n_customers

    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    events = 0
    original_step = env.step

    def counting_step() -> None:
        nonlocal events
        original_step()  # the final call raises EmptySchedule without processing anything: not counted
        events += 1

    env.step = counting_step  # Environment.run() looks up self.step on every event

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
    started = time.perf_counter()
    env.run()  # until the schedule is empty: every customer has been served
    seconds = time.perf_counter() - started
    return events, seconds, (sum(waits) / n_customers if n_customers else math.nan)


# --------------------------------------------------------------------------------------------------
# One measurement, in a child process
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunSpec:
    preset: str
    years: float | None       # None: the config default (run.years)
    event_log: bool
    mmc_customers: int
    seed: int = 0
    replication: int = 0

    def overrides(self) -> list[str]:
        out = [f"population={self.preset}", f"run.event_log={str(self.event_log).lower()}", f"seed={self.seed}"]
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
    ``RUSAGE_CHILDREN`` in the parent would not do for several presets in one run: it reports the
    largest child ever waited for, so every measurement after the Randers one would show Randers' peak.
    """
    from sim.hydra_app import compose_config  # imported here: the import cost is part of the baseline RSS
    from sim.runner import run_replication

    cfg = compose_config(spec.overrides())
    rss_imports = _maxrss_mb()

    plain_simpy_mmc(1_000, seed=spec.seed)  # warm-up, discarded: first-call allocation and specialisation
    before = plain_simpy_mmc(spec.mmc_customers, seed=spec.seed)
    result = run_replication(cfg, spec.replication, count_events=True)
    after = plain_simpy_mmc(spec.mmc_customers, seed=spec.seed)

    kpis = result.kpis
    patient_years = float(kpis.loc[(kpis.group == "all") & (kpis.kpi == "patient_years"), "value"].iloc[0])
    reference_eps = [before[0] / before[1], after[0] / after[1]]
    model_eps = result.simpy_events / result.wall_seconds
    return {
        "preset": spec.preset,
        "event_log": spec.event_log,
        "years": float(cfg.run.years),
        "warmup_days": float(cfg.run.warmup_days),
        "inhabitants": int(cfg.population.inhabitants),
        "wall_seconds": result.wall_seconds,
        "simpy_events": int(result.simpy_events),
        "events_per_second": model_eps,
        "patient_years": patient_years,
        "patient_years_per_second": patient_years / result.wall_seconds,
        "plain_simpy_events_per_second_before": reference_eps[0],
        "plain_simpy_events_per_second_after": reference_eps[1],
        "plain_simpy_events_per_second": statistics.fmean(reference_eps),
        "plain_simpy_mean_wait": statistics.fmean([before[2], after[2]]),
        "ratio": model_eps / statistics.fmean(reference_eps),
        "rss_after_imports_mb": rss_imports,
        "peak_rss_mb": _maxrss_mb(),
    }


def measure_in_child(spec: RunSpec) -> dict[str, Any]:
    """Run :func:`measure_once` in a freshly spawned interpreter and return its figures."""
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(measure_once, spec).result()


# --------------------------------------------------------------------------------------------------
# Summaries and reporting
# --------------------------------------------------------------------------------------------------
def summarise(label: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    walls = [r["wall_seconds"] for r in runs]
    events = sorted({r["simpy_events"] for r in runs})
    first = runs[0]
    return {
        "label": label,
        "preset": first["preset"],
        "event_log": first["event_log"],
        "years": first["years"],
        "warmup_days": first["warmup_days"],
        "inhabitants": first["inhabitants"],
        "runs": len(runs),
        "wall_seconds_median": statistics.median(walls),
        "wall_seconds_min": min(walls),
        "wall_seconds_max": max(walls),
        # one seed and replication: every run does the same work, so the count should be one number
        "simpy_events": events[0] if len(events) == 1 else statistics.median(r["simpy_events"] for r in runs),
        "simpy_events_identical": len(events) == 1,
        "events_per_second": statistics.median(r["events_per_second"] for r in runs),
        "plain_simpy_events_per_second": statistics.median(r["plain_simpy_events_per_second"] for r in runs),
        "ratio": statistics.median(r["ratio"] for r in runs),
        "patient_years": first["patient_years"],
        "patient_years_per_second": statistics.median(r["patient_years_per_second"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "rss_after_imports_mb": max(r["rss_after_imports_mb"] for r in runs),
        "per_run": runs,
    }


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
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "logical_cpus": str(multiprocessing.cpu_count()),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "simpy": simpy.__version__,
        "mesa": mesa_version,
        "numpy": np.__version__,
    }


COLUMNS = ("preset", "years", "warm-up d", "event log", "runs", "wall s median [min, max]", "SimPy events",
           "events/s", "plain SimPy events/s", "ratio", "patient-years/s", "peak RSS MB")


def table_rows(summaries: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for s in summaries:
        wall = f"{s['wall_seconds_median']:.2f}"
        if s["runs"] > 1:
            wall += f" [{s['wall_seconds_min']:.2f}, {s['wall_seconds_max']:.2f}]"
        events = f"{s['simpy_events']:,.0f}" + ("" if s["simpy_events_identical"] else " (median; runs differ)")
        rows.append([
            s["preset"], f"{s['years']:g}", f"{s['warmup_days']:g}", "on" if s["event_log"] else "off",
            str(s["runs"]), wall, events, f"{s['events_per_second']:,.0f}",
            f"{s['plain_simpy_events_per_second']:,.0f}", f"{s['ratio']:.4f}",
            f"{s['patient_years_per_second']:,.0f}", f"{s['peak_rss_mb']:,.0f}",
        ])
    return rows


def format_text(summaries: list[dict[str, Any]]) -> str:
    rows = [list(COLUMNS), *table_rows(summaries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.rjust(w) if i >= 4 else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_markdown(summaries: list[dict[str, Any]]) -> str:
    align = ["---" if i < 4 else "---:" for i in range(len(COLUMNS))]
    lines = ["| " + " | ".join(COLUMNS) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in table_rows(summaries)]
    return "\n".join(lines)


NOTES = (
    "wall: one whole replication (build, population, run, KPIs); events/s = SimPy events / wall s.",
    "plain SimPy: M/M/c (lambda=2.7, mu=1, c=3) in the same process, mean of the runs just before and after the model run.",
    "ratio = model events/s / plain SimPy events/s (median over runs); patient-years = results window (KPI patient_years).",
    "peak RSS: the child process that ran the preset (max over its runs); after imports alone: {imports}.",
)


# --------------------------------------------------------------------------------------------------
# Regression guard
# --------------------------------------------------------------------------------------------------
_RATIO_RE = re.compile(r"\bratio=([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)")


def recorded_ratio(path: str | Path = PERFORMANCE_DOC) -> float | None:
    """The ``--quick`` ratio recorded in ``docs/performance.md``, or None if the file or figure is missing.

    The figure is the last line ``--quick`` prints, pasted into the document: ``ratio=0.0123``.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = _RATIO_RE.search(text)
    return float(match.group(1)) if match else None


def regression_message(measured: float, recorded: float | None, factor: float = REGRESSION_FACTOR) -> str | None:
    """A message if ``measured`` fell below ``factor`` x ``recorded``; None when fine or nothing is recorded."""
    if recorded is None or measured >= factor * recorded:
        return None
    return (f"performance regression: ratio {measured:.4g} < {factor:g} x recorded {recorded:.4g} "
            f"({PERFORMANCE_DOC.name})")


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m experiments.benchmark", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--presets", default=",".join(PRESETS),
                   help="comma-separated population presets (configs/population/), default: small,randers")
    p.add_argument("--years", type=float, default=None, help="simulated years after the warm-up (default: run.years)")
    p.add_argument("--repeats", type=int, default=None,
                   help="runs per preset; reports median, min, max wall (default: 3 for small, 1 otherwise)")
    p.add_argument("--json", type=Path, default=None, metavar="PATH", help="write all figures to this JSON file")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--mmc-customers", type=int, default=None,
                   help=f"customers of the plain SimPy M/M/c reference (default {DEFAULT_MMC_CUSTOMERS:,})")
    p.add_argument("--quick", action="store_true",
                   help="small preset, 1 year, 3 runs, no event-log run; prints ratio=<value> last")
    args = p.parse_args(argv)
    if args.quick:
        args.presets = "small"
        args.years = 1.0 if args.years is None else args.years
        args.repeats = 3 if args.repeats is None else args.repeats
        args.mmc_customers = args.mmc_customers or QUICK_MMC_CUSTOMERS
    args.mmc_customers = args.mmc_customers or DEFAULT_MMC_CUSTOMERS
    args.preset_list = [s.strip() for s in args.presets.split(",") if s.strip()]
    if not args.preset_list:
        p.error("--presets is empty")
    if args.repeats is not None and args.repeats < 1:
        p.error("--repeats must be at least 1")
    return args


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_benchmark(args: argparse.Namespace) -> list[dict[str, Any]]:
    plan: list[tuple[str, RunSpec, int]] = []
    for preset in args.preset_list:
        repeats = args.repeats or DEFAULT_REPEATS.get(preset, 1)
        plan.append((preset, RunSpec(preset, args.years, False, args.mmc_customers), repeats))
    if not args.quick and "small" in args.preset_list:
        plan.append(("small (event log on)", RunSpec("small", args.years, True, args.mmc_customers), 1))

    summaries = []
    for label, spec, repeats in plan:
        runs = []
        for k in range(repeats):
            _log(f"[{label}] run {k + 1}/{repeats} ...")
            r = measure_in_child(spec)
            _log(f"[{label}] run {k + 1}/{repeats}: {r['wall_seconds']:.2f} s wall, {r['simpy_events']:,} events, "
                 f"{r['events_per_second']:,.0f} events/s (plain SimPy {r['plain_simpy_events_per_second']:,.0f}), "
                 f"ratio {r['ratio']:.4f}, peak RSS {r['peak_rss_mb']:,.0f} MB")
            runs.append(r)
        summaries.append(summarise(label, runs))
    return summaries


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    machine = machine_info()
    print(f"machine: {machine['platform']}; CPU {machine['cpu']} ({machine['logical_cpus']} logical CPUs)")
    print(f"python:  {machine['python']}; SimPy {machine['simpy']}, Mesa {machine['mesa']}, numpy {machine['numpy']}")
    print(f"plain SimPy reference: M/M/c, lambda={MMC_LAMBDA:g}, mu={MMC_MU:g}, c={MMC_SERVERS}, "
          f"{args.mmc_customers:,} customers (Erlang-C Wq = {erlang_c_wq():.3f})")
    print(flush=True)

    started = time.perf_counter()
    summaries = run_benchmark(args)
    total = time.perf_counter() - started

    print(format_markdown(summaries) if args.markdown else format_text(summaries))
    print()
    imports = ", ".join(f"{s['label']} {s['rss_after_imports_mb']:,.0f} MB" for s in summaries)
    for note in NOTES:
        print(("- " if args.markdown else "") + note.format(imports=imports))
    print(f"{'- ' if args.markdown else ''}benchmark took {total:.0f} s.")

    quick_ratio = summaries[0]["ratio"]
    if args.json:
        payload = {"machine": machine,
                   "options": {"presets": args.preset_list, "years": args.years, "repeats": args.repeats,
                               "mmc_customers": args.mmc_customers, "quick": args.quick},
                   "reference": {"model": "M/M/c", "lambda": MMC_LAMBDA, "mu": MMC_MU, "c": MMC_SERVERS,
                                 "erlang_c_wq": erlang_c_wq()},
                   "results": summaries}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"{'- ' if args.markdown else ''}figures written to {args.json}")

    status = 0
    if args.quick:
        problem = regression_message(quick_ratio, recorded_ratio())
        if problem:
            _log(problem)
            status = 1
        print(f"ratio={quick_ratio:.4g}")
    return status


if __name__ == "__main__":
    sys.exit(main())
