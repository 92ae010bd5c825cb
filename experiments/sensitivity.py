"""Which assumptions drive the results? Morris elementary-effects screening of the full model.

    python -m experiments.sensitivity                                   # default run -> docs/img + docs/model-card.md
    python -m experiments.sensitivity --trajectories 4 --replications 1 --years 0.5 --out /tmp/sens --card /tmp/card.md
    python -m experiments.sensitivity --save runs.parquet               # keep every run; redraw with --replot runs.parquet

The factors are uncertain parameters of the model (``FACTORS``: sources marked ``assumption:`` or set by
calibration, each with a range inside its schema range and the reason for it), plus two parameters of
the scenario the steering question is about. Each is mapped linearly from the Morris grid onto its range
(:mod:`experiments.morris`). The outputs screened are usual care's 30-day readmission rate, bed days and
cost per patient-year, and the paired effect of one scenario (default ``coordinator_targeted``) on the
same three, because steering groups decide on differences.

Every design point runs replications 0..R-1 of usual care and of the scenario: replication k draws the
same random streams at every point and in both scenarios (common random numbers), so the elementary
effects are paired differences and the scenario effect is a paired difference too. Scenario parameters
(keys under ``scenario.``) are not applied to the usual-care runs, which are therefore exactly unchanged
by them. The noise level of each output is the typical standard error of one elementary effect, from the
spread of the per-replication elementary effects (a dummy factor would show exactly zero under common
random numbers, so it cannot measure noise here).

Exit status 0; 2 on bad arguments (nothing is run or written).

The parameters and their ranges are in ``experiments.sensitivity_factors``, the results and their analysis
in ``experiments.sensitivity_results``, the table in ``experiments.sensitivity_card``, the figure in
``experiments.sensitivity_plots``; this module runs the screening and is its command line.
"""

from __future__ import annotations

import argparse
import os
import sys
import time as wallclock
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from hydra.errors import HydraException

from experiments import morris
from experiments.parallel import map_in_order
from experiments.sensitivity_card import CARD_BEGIN, CARD_END, check_card, markdown, write_card
from experiments.sensitivity_factors import FACTOR_NAMES, FACTORS, Factor, pick_factors, point_overrides, schema_problems
from experiments.sensitivity_results import BASELINE, KPIS, Results
from sim.hydra_app import compose_config
from sim.runner import run_replication
from sim.streams import name_key

DESIGN_STREAM = "sensitivity.morris_design"   # the design's own named stream (independent of the model's)
FIGURE = "sensitivity-morris.png"


def _run_task(task: tuple[tuple[str, ...], int]) -> list[tuple[int, str, float]]:
    """One configuration, replications 0..R-1: rows (replication, kpi, value) of the whole population."""
    overrides, replications = task
    cfg = compose_config(list(overrides))
    rows = []
    for k in range(replications):
        kpis = run_replication(cfg, k).kpis
        overall = kpis[(kpis.group == "all") & kpis.kpi.isin(KPIS)]
        rows += [(k, kpi, float(value)) for kpi, value in zip(overall.kpi, overall.value)]
    return rows


def design_for(factors: int, trajectories: int, levels: int, design_seed: int) -> morris.Design:
    """The Morris design, drawn from its own named stream (SeedSequence keyed by the seed and the stream's name)."""
    rng = np.random.default_rng(np.random.SeedSequence(design_seed, spawn_key=(name_key(DESIGN_STREAM),)))
    return morris.trajectories(factors, trajectories, levels, rng)


def run(factors: Sequence[Factor] = FACTORS, trajectories: int = 10, replications: int = 2, years: float = 1.0,
        population: str = "small", scenario: str = "coordinator_targeted", jobs: int = 1, levels: int = 4,
        design_seed: int = 0, progress: Callable[[str], None] | None = None) -> Results:
    """Run the screening: every design point x (usual care, scenario) x replications 0..R-1."""
    factors = list(factors)
    if trajectories < 2:
        raise ValueError(f"trajectories = {trajectories}: need at least 2 (sigma needs two elementary effects per parameter)")
    if replications < 1:
        raise ValueError(f"replications = {replications}: need at least 1")
    if jobs < 1:
        raise ValueError(f"jobs = {jobs}: need at least 1")
    if scenario == BASELINE:
        raise ValueError("scenario = baseline: choose a scenario to compare with usual care (e.g. coordinator_targeted)")
    problems = schema_problems(factors)
    if problems:
        raise ValueError("; ".join(problems))
    common = (f"population={population}", f"run.years={years:g}", "run.event_log=false", "run.timeseries=false")
    base_cfg = compose_config([*common, f"scenario={scenario}"])  # bad population, scenario or years: fail here
    defaults = {f.key: list(_get(base_cfg, f.key)) for f in factors if f.scale}
    design = design_for(len(factors), trajectories, levels, design_seed)
    lo, hi = np.array([f.lo for f in factors]), np.array([f.hi for f in factors])
    values = morris.scale(design.points, lo, hi)
    corners = [lo, hi]  # every value is validated before hours of work: the range's ends are the extremes
    for corner in corners:
        for name, run_scenario in ((BASELINE, False), (scenario, True)):
            compose_config([*common, f"scenario={name}", *point_overrides(factors, corner, defaults, run_scenario)])

    index, tasks = {}, []
    for t in range(design.trajectories):
        for j in range(design.factors + 1):
            for name, run_scenario in ((BASELINE, False), (scenario, True)):
                task = ((*common, f"scenario={name}", *point_overrides(factors, values[t, j], defaults, run_scenario)),
                        replications)
                index.setdefault(task, []).append((t, j, name))  # a configuration run twice is run once
    tasks = list(index)
    total = len(tasks) * replications
    started = wallclock.perf_counter()
    if progress:
        progress(f"sensitivity: {len(factors)} parameters x {trajectories} trajectories = "
                 f"{design.trajectories * (design.factors + 1)} points; {len(tasks)} configurations x "
                 f"{replications} replications = {total} runs on {jobs} process(es)")

    def report(done: int) -> None:
        if progress and (done % max(1, len(tasks) // 20) == 0 or done == len(tasks)):
            elapsed = wallclock.perf_counter() - started
            progress(f"sensitivity: {done * replications}/{total} runs ({elapsed:.0f} s, "
                     f"about {elapsed / done * (len(tasks) - done):.0f} s left)")

    results = map_in_order(_run_task, tasks, jobs, report)
    records = [(t, j, name, k, kpi, value)
               for task, rows in zip(tasks, results) for (t, j, name) in index[task] for (k, kpi, value) in rows]
    table = pd.DataFrame(records, columns=["trajectory", "point", "scenario", "replication", "kpi", "value"])
    table = table.sort_values(["trajectory", "point", "scenario", "replication", "kpi"], ignore_index=True)
    return Results(table, design, factors, scenario, replications, years, population,
                   wallclock.perf_counter() - started)


def _get(cfg, dotted: str):
    node = cfg
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.sensitivity", description=__doc__.split("\n\n")[0])
    parser.add_argument("--trajectories", type=int, default=10, help="Morris trajectories (default 10)")
    parser.add_argument("--replications", type=int, default=2,
                        help="paired replications averaged at every point (default 2)")
    parser.add_argument("--years", type=_positive_float, default=1.0, help="simulated years after the warm-up (default 1)")
    parser.add_argument("--population", default="small", help="catchment preset (default small)")
    parser.add_argument("--scenario", default="coordinator_targeted",
                        help="the scenario whose paired effect is screened (default coordinator_targeted)")
    parser.add_argument("--parameters", help=f"comma-separated subset of {', '.join(FACTOR_NAMES)} (default: all)")
    parser.add_argument("--levels", type=int, default=4, help="grid levels of the Morris design, even (default 4)")
    parser.add_argument("--design-seed", type=int, default=0, help="seed of the Morris design's own stream (default 0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel processes (default: all cores)")
    parser.add_argument("--out", type=Path, default=Path("docs/img"), help=f"folder for {FIGURE} (default docs/img)")
    parser.add_argument("--card", type=Path, default=Path("docs/model-card.md"),
                        help=f"Markdown file whose block between {CARD_BEGIN} and {CARD_END} gets the table "
                             "(default docs/model-card.md)")
    parser.add_argument("--save", type=Path, help="also keep every run as Parquet (redraw with --replot)")
    parser.add_argument("--replot", type=Path, help="draw and tabulate a table saved with --save instead of running")
    args = parser.parse_args(argv)
    try:
        check_card(args.card)
        if args.replot:
            if not args.replot.is_file():
                raise ValueError(f"--replot {args.replot}: no such file")
            results = Results.load(args.replot)
        else:
            names = None if args.parameters is None else [n.strip() for n in args.parameters.split(",") if n.strip()]
            morris.step(args.levels)  # refuses odd or too few levels
            results = run(pick_factors(names), args.trajectories, args.replications, args.years, args.population,
                          args.scenario, args.jobs, args.levels, args.design_seed,
                          progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    except (ValueError, HydraException) as error:  # bad argument, key or range: say which, write nothing
        parser.error(str(error))
    from experiments.sensitivity_plots import draw  # matplotlib only when drawing

    if args.save:
        results.save(args.save)
        print(f"wrote {args.save}")
    print(f"wrote {draw(results, args.out / FIGURE)}")
    write_card(args.card, markdown(results))
    print(f"wrote the table into {args.card}")
    made = f"drawn from {args.replot}" if args.replot else f"in {results.seconds:.0f} s"
    print(f"{len(results.factors)} parameters x {results.design.trajectories} trajectories x "
          f"{results.replications} replications {made}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
