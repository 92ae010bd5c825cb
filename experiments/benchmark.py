"""How fast is the model? ``python -m experiments.benchmark``

Runs replications of each population preset (small 40,000, medium 100,000, full = Randers 225,000
inhabitants; default horizon ``run.years=5`` after the default warm-up) for the baseline and each
built-in scenario (``configs/scenario/``, or a chosen subset), and reports per preset and scenario:

* wall time of a whole replication (``sim.runner.run_replication``: build, population, run, KPIs,
  freeing the model): median, min and max over the runs;
* SimPy events processed (counted exactly after the run, ``sim.engine.processed_events``) and events per second;
* patient-years per second (patient-years of the results window, KPI ``patient_years``);
* peak resident set size of the process that ran the replication;
* the events per second of a plain SimPy M/M/c queue
  (:func:`experiments.benchmark_reference.plain_simpy_mmc`) measured in the same
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

This module is the command line (options, the plan of runs, running it, writing the results); the reference
queue is in ``experiments.benchmark_reference``, measuring and the growth checks in
``experiments.benchmark_measure``, the tables and ``docs/performance.md`` in ``experiments.benchmark_report``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from experiments.benchmark_measure import RunSpec, growth_checks, machine_info, measure_in_child, summarise
from experiments.benchmark_reference import (DEFAULT_MMC_CUSTOMERS, MMC_LAMBDA, MMC_MU, MMC_SERVERS,
                                             QUICK_MMC_CUSTOMERS, erlang_c_wq)
from experiments.benchmark_report import (PERFORMANCE_DOC, REGRESSION_FACTOR, REPO_ROOT, recorded_ratio,
                                          regression_message, report, write_doc_section)

SCENARIO_DIR = REPO_ROOT / "configs" / "scenario"
PRESETS = ("small", "medium", "randers")
PRESET_ALIASES = {"full": "randers"}
DEFAULT_REPEATS = 3


def builtin_scenarios() -> list[str]:
    """``baseline`` first, then every other file in ``configs/scenario/`` in name order."""
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
    return ["baseline"] + [n for n in names if n != "baseline"]


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
