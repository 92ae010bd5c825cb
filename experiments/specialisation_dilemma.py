"""The specialisation dilemma for teachers: the curves, from replicated runs of the full model.

    python -m experiments.specialisation_dilemma                       # all curves -> docs/img/dilemma-*.png
    python -m experiments.specialisation_dilemma --replications 4 --years 1 --out /tmp/dilemma --jobs 2
    python -m experiments.specialisation_dilemma --curves level,coordinators --markdown docs/specialisation-dilemma.md

Every point is the real care model (``sim.model.CareModel``, run by ``sim.runner.run_model``) with
``scenario.specialisation`` switched on and the teaching values of ``sim/config/specialisation.py``; nothing is
drawn from a formula. Replication k
of every point uses the same random streams (common random numbers), so differences between points of a
curve are paired and the bands (95% t-intervals over replications) are honest about the noise.

The curves (VIVE 2018 §3.4 l.2463-2478; Buch (DSI) l.286-330, l.1820-1834; research/buch-and-slides.md §4.4):

* ``level``: adverse transitions and readmissions against specialisation (units per condition), no
  coordinators: a U, because quality inside units rises while handoffs multiply and relational knowledge
  erodes.
* ``coordinators``: the same against the number of generic coordinator functions per patient at a high
  specialisation level: they first repair failing handoffs, then their own links fail and the units relax
  (responsibility diffusion), and the cost keeps rising.
* ``optimum``: the two curves above for simple (1 condition) and complex (3+ conditions) patients: the best
  specialisation level is lower, and the best number of coordinators higher, for complex patients.
* ``design``: disease-specific coordinators (one per condition) against one generic coordinator at equal staff.
* ``diffusion``: the coordinator curve with responsibility diffusion switched off and on.
* ``cases``: open-ended against goal-defined coordinator cases at the same staff: the intake queue.

Exit status 0; the figures are written to ``--out`` and the numbers to ``--markdown`` if given.
"""

from __future__ import annotations

import argparse
import os
import sys
import time as wallclock
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from hydra.errors import HydraException

from experiments.dilemma_results import COMPLEX, SIMPLE, Results
from experiments.parallel import map_in_order
from sim import outcomes
from sim.hydra_app import compose_config, compose_validated
from sim.runner import run_model

TEACHING = ("population=small", "scenario.specialisation.enabled=true")
LEVELS = (1, 2, 3, 4, 5, 6)
COORDINATOR_LEVEL = 4          # the specialised hospital where coordinators are called for
COORDINATORS = (0, 1, 2, 3, 4, 5, 6)
GROUPS = ("all", SIMPLE, "conditions=2", COMPLEX, "tier=high")
PATIENT_KPIS = ("adverse_transition_share", "readmission_rate_30d", "untreated_at_discharge_share",
                "handoffs_per_discharge", "coordinators_per_discharge", "coordinator_interfaces_per_discharge",
                "failed_coordinator_link_share", "cost_per_patient_year_dkk", "gp_wait_mean_days",
                "bed_days_per_1000py", "interfaces_per_patient_year")
TEAM_KPIS = ("team_intake_wait_mean_days", "team_waiting_list_mean", "team_utilisation")
CURVES = ("level", "coordinators", "optimum", "design", "diffusion", "cases")


def universal_coordinators(functions: int, *extra: str) -> tuple[str, ...]:
    """``functions`` generic coordinator functions for every chronic patient (0 = none), at the teaching level."""
    base = (f"scenario.specialisation.level={COORDINATOR_LEVEL}", *extra)
    if functions == 0:
        return base
    return (*base, "scenario=coordinator_universal", f"scenario.coordinator.functions={functions}")


@dataclass(frozen=True)
class Point:
    """One point of a curve: the x value, the line it belongs to and the overrides on top of ``TEACHING``."""
    curve: str
    line: str
    x: float
    overrides: tuple[str, ...]


def points(curves: Iterable[str] = CURVES) -> list[Point]:
    wanted = set(curves)
    unknown = wanted - set(CURVES)
    if unknown:
        raise ValueError(f"unknown curve(s) {', '.join(sorted(unknown))}: allowed values are {', '.join(CURVES)}")
    out: list[Point] = []
    if wanted & {"level", "optimum"}:
        out += [Point("level", "no coordinators", s, (f"scenario.specialisation.level={s}",)) for s in LEVELS]
    if wanted & {"coordinators", "optimum", "diffusion"}:
        out += [Point("coordinators", "diffusion on", m, universal_coordinators(m)) for m in COORDINATORS]
    if "diffusion" in wanted:
        out += [Point("coordinators", "diffusion off", m, universal_coordinators(m, "scenario.specialisation.diffusion=0"))
                for m in COORDINATORS]
    if "design" in wanted:
        # equal staff: the disease-specific services share the generic function's staff by prevalence
        out += [Point("design", "generic", 0, universal_coordinators(1)),
                Point("design", "disease-specific", 1, universal_coordinators(1, "scenario.coordinator.kind=specialised"))]
    if "cases" in wanted:
        # targeted coordinators at the scenario's staffing: a case that never closes keeps its place
        out += [Point("cases", "open-ended" if days == 0 else f"goal-defined, {days:g} days", days,
                      (f"scenario.specialisation.level={COORDINATOR_LEVEL}", "scenario=coordinator_targeted",
                       f"scenario.coordinator.case_days={days:g}"))
                for days in (0.0, 365.0, 182.0, 91.0)]
    return out


def run_point(overrides: tuple[str, ...], replication: int) -> list[tuple[str, str, float]]:
    """The KPIs a curve needs from one replication: ``(group, kpi, value)`` rows."""
    model = run_model(compose_validated(list(overrides)), replication)
    kpis = outcomes.compute(model)
    patients = kpis[kpis.group.isin(GROUPS) & kpis.kpi.isin(PATIENT_KPIS)]
    rows = list(patients[["group", "kpi", "value"]].itertuples(index=False, name=None))
    teams = kpis[kpis.group.str.startswith("team=coordinator") & kpis.kpi.isin(TEAM_KPIS)]
    for kpi, values in teams.groupby("kpi").value:  # all coordinator functions together
        rows.append(("coordinators", kpi, float(values.mean() if kpi != "team_waiting_list_mean" else values.sum())))
    return rows


def _run_task(task: tuple[tuple[str, ...], int]) -> list[tuple[str, str, float]]:
    return run_point(*task)


def run(curves: Iterable[str] = CURVES, replications: int = 10, years: float = 2.0, jobs: int = 1,
        settings: Iterable[str] = (), progress: Callable[[str], None] | None = print) -> Results:
    """Run every point of the chosen curves ``replications`` times (replication k shares streams across points)."""
    return run_points(points(curves), replications, years, jobs, settings, progress)


def run_points(chosen: list[Point], replications: int = 10, years: float = 2.0, jobs: int = 1,
               settings: Iterable[str] = (), progress: Callable[[str], None] | None = print) -> Results:
    """Run the given points (e.g. a subset of a curve's x values) with common random numbers."""
    if replications < 2:
        raise ValueError(f"replications = {replications}: need at least 2 for confidence bands")
    settings = tuple(settings)
    unique = list(dict.fromkeys(p.overrides for p in chosen))  # a point shared by two curves runs once
    common = (*TEACHING, f"run.years={years:g}")
    for overrides in unique:  # fail on a bad override before starting hours of work
        compose_config([*common, *overrides, *settings])
    tasks = [((*common, *overrides, *settings), k) for overrides in unique for k in range(replications)]
    started = wallclock.perf_counter()

    def report(done: int) -> None:
        if progress and (done % max(1, len(tasks) // 20) == 0 or done == len(tasks)):
            elapsed = wallclock.perf_counter() - started
            progress(f"{done}/{len(tasks)} runs ({elapsed:.0f} s, about {elapsed / done * (len(tasks) - done):.0f} s left)")

    results = map_in_order(_run_task, tasks, jobs, report)
    rows_of = {(overrides, k): rows for (overrides, k), rows in
               zip(((o, k) for o in unique for k in range(replications)), results)}
    frames = []
    for p in chosen:
        for k in range(replications):
            frame = pd.DataFrame(rows_of[(p.overrides, k)], columns=["group", "kpi", "value"])
            frames.append(frame.assign(curve=p.curve, line=p.line, x=float(p.x), replication=k))
    table = pd.concat(frames, ignore_index=True)[["curve", "line", "x", "replication", "group", "kpi", "value"]]
    return Results(table, replications, years,
                   wallclock.perf_counter() - started, settings)


def markdown(results: Results) -> str:
    """The numbers behind the figures, with each curve's optimum."""
    s = results.summary()
    lines = ["# Specialisation dilemma: the numbers behind the figures\n",
             f"{results.replications} replications per point (common random numbers), {results.years:g} simulated "
             f"years after the warm-up, small catchment; mean and 95% half-width. Generated by "
             f"`python -m experiments.specialisation_dilemma`.\n"]
    for curve in s.curve.unique():
        lines.append(f"\n## {curve}\n")
        part = s[(s.curve == curve) & s.group.isin(["all", SIMPLE, COMPLEX, "coordinators"])]
        wide = part.assign(cell=[f"{m:.4g} ± {h:.2g}" for m, h in zip(part["mean"], part.half_width)])
        table = wide.pivot_table(index=["line", "x"], columns=["group", "kpi"], values="cell", aggfunc="first")
        header = ["line", "x", *(f"{kpi} ({group})" for group, kpi in table.columns)]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for (line, x), row in table.iterrows():
            lines.append("| " + " | ".join([line, f"{x:g}", *(str(v) if isinstance(v, str) else "" for v in row)]) + " |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.specialisation_dilemma", description=__doc__.split("\n\n")[0])
    parser.add_argument("--curves", default=",".join(CURVES), help=f"comma-separated subset of {', '.join(CURVES)}")
    parser.add_argument("--replications", type=int, default=10, help="replications per point (default 10)")
    parser.add_argument("--years", type=float, default=2.0, help="simulated years after the warm-up (default 2)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel processes (default: all cores)")
    parser.add_argument("--out", type=Path, default=Path("docs/img"), help="folder for the PNG figures (default docs/img)")
    parser.add_argument("--markdown", type=Path, help="also write the numbers as a Markdown table")
    parser.add_argument("--save", type=Path, help="also keep every replication's KPIs as Parquet (redraw with --replot)")
    parser.add_argument("--replot", type=Path, help="draw from a table saved with --save instead of running")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="an extra config override for every point, e.g. scenario.specialisation.erosion_per_unit=0.2")
    args = parser.parse_args(argv)
    curves = [c.strip() for c in args.curves.split(",") if c.strip()]
    from experiments.dilemma_plots import draw  # matplotlib only when drawing

    if args.replot:
        results = Results.load(args.replot)
        curves = [c for c in curves if c in results.curves()]
    else:
        try:
            results = run(curves, args.replications, args.years, args.jobs, args.set,
                          progress=lambda msg: print(msg, file=sys.stderr))
        except (ValueError, HydraException) as error:  # unknown curve or bad override: say which, run nothing
            parser.error(str(error))
    if args.save:
        results.save(args.save)
        print(f"wrote {args.save}")
    for path in draw(results, curves, args.out):
        print(f"wrote {path}")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(markdown(results))
        print(f"wrote {args.markdown}")
    made = f"drawn from {args.replot}" if args.replot else f"in {results.seconds:.0f} s"
    print(f"{len(results.table.groupby(['curve', 'line', 'x']))} points x {results.replications} replications {made}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
