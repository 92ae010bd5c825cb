"""How fast is the model? ``python -m experiments.benchmark``

Runs replications of each population preset (small 40,000, medium 100,000, full = Randers 225,000
inhabitants; default horizon ``run.years=5`` after the default warm-up) for the baseline and each
built-in scenario (``configs/scenario/``, or a chosen subset), and reports per preset and scenario:

* wall time of a whole replication (``sim.runner.run_replication``: build, population, run, KPIs,
  freeing the model): median, min and max over the runs;
* SimPy events processed (counted exactly after the run, ``sim.engine.processed_events``) and events per second;
* patient-years per second (patient-years of the results window, KPI ``patient_years``);
* peak resident set size of the process that ran the replication;
* the events per second of a plain SimPy M/M/c queue (:func:`plain_simpy_mmc`) measured in the same
  process right before and right after each model run, and the ratio model events/s / plain events/s.

The ratio is the machine-independent figure: how much work per SimPy event the model does on top of
SimPy itself. Both sides are timed in *CPU seconds of the process* (``time.process_time``): on a shared
machine the wall clock also counts the time the process waited for a core, which differs between the
reference and the model run; CPU time does not. Wall times are reported as measured.

After the table come the growth checks of the performance issue: full/small wall time against the
population ratio (limit 1.2 x), the same for peak memory, and 5 years against 1 year of the baseline.

Each run is a fresh child process (multiprocessing "spawn"), so peak RSS is per run and one run's
garbage never leaks into another's timing; runs execute one after another (one core).

    python -m experiments.benchmark                               # all presets x all scenarios, 3 runs each
    python -m experiments.benchmark --presets small --scenarios baseline,act_team --repeats 5
    python -m experiments.benchmark --repeats small=3,medium=3,full=1 --json bench.json --write-doc
    python -m experiments.benchmark --quick                       # CI: small, baseline, 1 year; last line ratio=<value>
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
from typing import Any, Callable

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

REPO_ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE_DOC = REPO_ROOT / "docs" / "performance.md"
SCENARIO_DIR = REPO_ROOT / "configs" / "scenario"
PRESETS = ("small", "medium", "randers")
PRESET_ALIASES = {"full": "randers"}
DEFAULT_REPEATS = 3
REGRESSION_FACTOR = 0.8        # --quick fails when the measured ratio < 0.8 x the recorded one
GROWTH_LIMIT = 1.2             # issue target 3: full/small time <= 1.2 x the population ratio
DOC_START, DOC_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def builtin_scenarios() -> list[str]:
    """``baseline`` first, then every other file in ``configs/scenario/`` in name order."""
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
    return ["baseline"] + [n for n in names if n != "baseline"]


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


# --------------------------------------------------------------------------------------------------
# One measurement, in a child process
# --------------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------------
# Summaries, growth checks and reporting
# --------------------------------------------------------------------------------------------------
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


COLUMNS = ("preset", "scenario", "years", "runs", "wall s median [min, max]", "SimPy events", "events/s",
           "events/CPU s", "plain SimPy events/CPU s", "ratio", "patient-years/s", "peak RSS MB")
_LEFT = 2  # the first columns are text


def table_rows(summaries: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for s in summaries:
        wall = f"{s['wall_seconds_median']:.2f}"
        if s["runs"] > 1:
            wall += f" [{s['wall_seconds_min']:.2f}, {s['wall_seconds_max']:.2f}]"
        events = f"{s['simpy_events']:,.0f}" + ("" if s["simpy_events_identical"] else " (median; runs differ)")
        rows.append([
            f"{s['preset']} ({s['inhabitants']:,})", s["scenario"], f"{s['years']:g}", str(s["runs"]), wall, events,
            f"{s['events_per_second']:,.0f}", f"{s['events_per_cpu_second']:,.0f}",
            f"{s['plain_simpy_events_per_cpu_second']:,.0f}", f"{s['ratio']:.3f}",
            f"{s['patient_years_per_second']:,.0f}", f"{s['peak_rss_mb']:,.0f}",
        ])
    return rows


def format_text(summaries: list[dict[str, Any]]) -> str:
    rows = [list(COLUMNS), *table_rows(summaries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.rjust(w) if i >= _LEFT else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_markdown(summaries: list[dict[str, Any]]) -> str:
    align = ["---" if i < _LEFT else "---:" for i in range(len(COLUMNS))]
    lines = ["| " + " | ".join(COLUMNS) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in table_rows(summaries)]
    return "\n".join(lines)


def format_checks(checks: list[dict[str, Any]], markdown: bool) -> str:
    if not checks:
        return "(no growth check: needs the same scenario at small and full, or the baseline at two horizons)"
    lines = []
    if markdown:
        lines += ["| check | scenario | measured | proportional | limit (1.2 x) | |", "| --- | --- | ---: | ---: | ---: | --- |"]
    for c in checks:
        cells = [c["check"], c["scenario"], f"{c['measured']:.2f}", f"{c['proportional']:.2f}", f"{c['limit']:.2f}",
                 "pass" if c["passed"] else "FAIL"]
        lines.append("| " + " | ".join(cells) + " |" if markdown else "  ".join(cells))
    return "\n".join(lines)


NOTES = (
    "wall: one whole replication (sim.runner.run_replication: build, population, run, KPIs, freeing the model); "
    "events/s = SimPy events / wall s.",
    "events/CPU s and the ratio use the process's CPU time (time.process_time): not inflated by waiting for a core.",
    "plain SimPy: M/M/c (lambda=2.7, mu=1, c=3) in the same process, mean of the runs just before and after the model run.",
    "ratio = model events per CPU s / plain SimPy events per CPU s (median over runs); "
    "patient-years = results window (KPI patient_years).",
    "peak RSS: the child process that ran the replication (max over runs); after imports alone: {imports} MB.",
)


# --------------------------------------------------------------------------------------------------
# Regression guard
# --------------------------------------------------------------------------------------------------
_RATIO_RE = re.compile(r"^\s*ratio=([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*$", re.MULTILINE)


def recorded_ratio(path: str | Path = PERFORMANCE_DOC) -> float | None:
    """The guard ratio recorded in ``docs/performance.md``, or None if the file or figure is missing.

    The figure is a line of its own in the document, in the form ``--quick`` prints: ``ratio=0.0123``.
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


def write_doc_section(markdown: str, path: Path = PERFORMANCE_DOC) -> None:
    """Replace the text between the benchmark markers of ``docs/performance.md`` (append them if missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{DOC_START}\n{markdown.rstrip()}\n{DOC_END}"
    if DOC_START in text and DOC_END in text:
        text = text[:text.index(DOC_START)] + block + text[text.index(DOC_END) + len(DOC_END):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------
def _parse_repeats(text: str | None, presets: list[str], p: argparse.ArgumentParser) -> dict[str, int]:
    """``3`` for every preset, or ``small=3,full=1`` per preset (others get the default)."""
    out = dict.fromkeys(presets, DEFAULT_REPEATS)
    if text is None:
        return out
    try:
        if "=" not in text:
            out = dict.fromkeys(presets, int(text))
        else:
            for item in text.split(","):
                name, value = item.split("=")
                name = PRESET_ALIASES.get(name.strip(), name.strip())
                if name not in out:
                    p.error(f"--repeats names preset {name!r}, which is not in --presets {','.join(presets)}")
                out[name] = int(value)
    except ValueError:
        p.error(f"--repeats must be a number or preset=number pairs, got {text!r}")
    if any(v < 1 for v in out.values()):
        p.error("--repeats must be at least 1")
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m experiments.benchmark", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--presets", default=",".join(PRESETS),
                   help="comma-separated population presets (configs/population/; 'full' = randers), "
                        "default: small,medium,randers")
    p.add_argument("--scenarios", default="all",
                   help="comma-separated scenarios (configs/scenario/), or 'all' (default: baseline and every built-in one)")
    p.add_argument("--years", type=float, default=None, help="simulated years after the warm-up (default: run.years)")
    p.add_argument("--growth-years", type=float, default=1.0,
                   help="also run the baseline of each preset for this many years, for the growth-in-years check "
                        "(0: skip; default 1)")
    p.add_argument("--repeats", default=None,
                   help=f"runs per preset and scenario (default {DEFAULT_REPEATS}); a number or e.g. small=3,full=1")
    p.add_argument("--json", type=Path, default=None, metavar="PATH", help="write all figures to this JSON file")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    p.add_argument("--write-doc", action="store_true",
                   help=f"put the Markdown report between the benchmark markers of {PERFORMANCE_DOC.relative_to(REPO_ROOT)}")
    p.add_argument("--mmc-customers", type=int, default=None,
                   help=f"customers of the plain SimPy M/M/c reference (default {DEFAULT_MMC_CUSTOMERS:,})")
    p.add_argument("--quick", action="store_true",
                   help="CI mode: small preset, baseline, 1 year, 3 runs; prints ratio=<value> last and exits 1 "
                        f"if it is below {REGRESSION_FACTOR:g} x the ratio recorded in docs/performance.md")
    args = p.parse_args(argv)
    if args.quick:
        args.presets, args.scenarios, args.growth_years = "small", "baseline", 0.0
        args.years = 1.0 if args.years is None else args.years
        args.repeats = args.repeats or "3"
        args.mmc_customers = args.mmc_customers or QUICK_MMC_CUSTOMERS
    args.mmc_customers = args.mmc_customers or DEFAULT_MMC_CUSTOMERS
    args.preset_list = [PRESET_ALIASES.get(x.strip(), x.strip()) for x in args.presets.split(",") if x.strip()]
    if not args.preset_list:
        p.error("--presets is empty")
    known_presets = sorted(f.stem for f in (REPO_ROOT / "configs" / "population").glob("*.yaml"))
    for name in args.preset_list:
        if name not in known_presets:
            p.error(f"--presets: unknown preset {name!r}; choose from {', '.join(known_presets)} (or 'full')")
    known = builtin_scenarios()
    if args.scenarios.strip() == "all":
        args.scenario_list = known
    else:
        args.scenario_list = [x.strip() for x in args.scenarios.split(",") if x.strip()]
        for name in args.scenario_list:
            if name not in known:
                p.error(f"--scenarios: unknown scenario {name!r}; choose from 'all' or {', '.join(known)}")
        if not args.scenario_list:
            p.error("--scenarios is empty")
    args.repeat_map = _parse_repeats(args.repeats, args.preset_list, p)
    if args.growth_years < 0:
        p.error("--growth-years must be >= 0")
    return args


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def plan_runs(args: argparse.Namespace) -> list[tuple[RunSpec, int]]:
    plan = [(RunSpec(preset, scenario, args.years, args.mmc_customers), args.repeat_map[preset])
            for preset in args.preset_list for scenario in args.scenario_list]
    if args.growth_years and "baseline" in args.scenario_list and args.growth_years != (args.years or 5.0):
        plan += [(RunSpec(preset, "baseline", args.growth_years, args.mmc_customers), args.repeat_map[preset])
                 for preset in args.preset_list]
    return plan


def run_benchmark(args: argparse.Namespace) -> list[dict[str, Any]]:
    summaries = []
    for spec, repeats in plan_runs(args):
        label = f"{spec.preset}/{spec.scenario}" + (f"/{spec.years:g}y" if spec.years is not None else "")
        runs = []
        for k in range(repeats):
            r = measure_in_child(spec)
            _log(f"[{label}] run {k + 1}/{repeats}: {r['wall_seconds']:.2f} s wall ({r['cpu_seconds']:.2f} s CPU), "
                 f"{r['simpy_events']:,} events, ratio {r['ratio']:.3f}, peak RSS {r['peak_rss_mb']:,.0f} MB")
            runs.append(r)
        summaries.append(summarise(runs))
    return summaries


def report(summaries: list[dict[str, Any]], checks: list[dict[str, Any]], machine: dict[str, str],
           args: argparse.Namespace, total_seconds: float, markdown: bool) -> str:
    dash = "- " if markdown else ""
    lines = [f"{dash}machine: {machine['cpu']}, {machine['logical_cpus']} logical CPUs; {machine['platform']}",
             f"{dash}software: {machine['python']}; SimPy {machine['simpy']}, Mesa {machine['mesa']}, numpy {machine['numpy']}",
             f"{dash}load average (1/5/15 min) when the benchmark started: {machine['load_average_at_start']}",
             f"{dash}plain SimPy reference: M/M/c, lambda={MMC_LAMBDA:g}, mu={MMC_MU:g}, c={MMC_SERVERS}, "
             f"{args.mmc_customers:,} customers (Erlang-C Wq = {erlang_c_wq():.3f})", ""]
    lines.append(format_markdown(summaries) if markdown else format_text(summaries))
    lines.append("")
    imports = ", ".join(sorted({f"{s['rss_after_imports_mb']:,.0f}" for s in summaries}))
    lines += [dash + note.format(imports=imports) for note in NOTES]
    lines += [f"{dash}benchmark took {total_seconds:.0f} s.", "", "Growth checks (issue target 3):", ""]
    lines.append(format_checks(checks, markdown))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    machine = machine_info()
    started = time.perf_counter()
    summaries = run_benchmark(args)
    total = time.perf_counter() - started
    checks = growth_checks(summaries)

    print(report(summaries, checks, machine, args, total, args.markdown))
    if args.write_doc:
        write_doc_section(report(summaries, checks, machine, args, total, markdown=True))
        print(f"{'- ' if args.markdown else ''}report written to {PERFORMANCE_DOC}")
    if args.json:
        payload = {"machine": machine,
                   "options": {"presets": args.preset_list, "scenarios": args.scenario_list, "years": args.years,
                               "growth_years": args.growth_years, "repeats": args.repeat_map,
                               "mmc_customers": args.mmc_customers, "quick": args.quick},
                   "reference": {"model": "M/M/c", "lambda": MMC_LAMBDA, "mu": MMC_MU, "c": MMC_SERVERS,
                                 "erlang_c_wq": erlang_c_wq()},
                   "results": summaries, "growth_checks": checks, "seconds": total}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"{'- ' if args.markdown else ''}figures written to {args.json}")

    status = 0
    if args.quick:
        ratio = summaries[0]["ratio"]
        problem = regression_message(ratio, recorded_ratio())
        if problem:
            _log(problem)
            status = 1
        print(f"ratio={ratio:.4g}")
    return status


if __name__ == "__main__":
    sys.exit(main())
