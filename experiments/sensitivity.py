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
"""

from __future__ import annotations

import argparse
import os
import sys
import time as wallclock
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from hydra.errors import HydraException

from experiments import morris
from experiments.parallel import map_in_order
from sim.config import iter_params
from sim.hydra_app import compose_config
from sim.io import write_parquet, write_text
from sim.runner import run_replication
from sim.streams import name_key

KPIS = ("readmission_rate_30d", "bed_days_per_1000py", "cost_per_patient_year_dkk")
BASELINE = "baseline"
DESIGN_STREAM = "sensitivity.morris_design"   # the design's own named stream (independent of the model's)
CARD_BEGIN, CARD_END = "<!-- sensitivity:begin -->", "<!-- sensitivity:end -->"
FIGURE = "sensitivity-morris.png"


@dataclass(frozen=True)
class Factor:
    """An uncertain parameter and the range screened. ``scale``: the factor multiplies a list parameter's
    defaults (lo and hi are multipliers). Keys under ``scenario.`` act only in the scenario runs."""
    name: str
    key: str
    lo: float
    hi: float
    why: str
    scale: bool = False

    @property
    def scenario_only(self) -> bool:
        return self.key.startswith("scenario.")


FACTORS: tuple[Factor, ...] = (
    Factor("p_handoff_fail_gp", "pathways.p_handoff_fail_gp", 0.05, 0.30,
           "default 0.15, magnitude not in the sources: from one in twenty to nearly one in three discharges"),
    Factor("p_handoff_fail_municipality", "pathways.p_handoff_fail_municipality", 0.06, 0.36,
           "default 0.18, magnitude not in the sources: a third of it to twice it, as for the GP handoff"),
    Factor("failed_handoff_ratio", "pathways.failed_handoff_ratio", 1.0, 3.5,
           "default 2: from no extra risk after a failed handoff (the schema's lower bound) to 3.5"),
    Factor("post_discharge_ratio", "pathways.post_discharge_ratio", 2.5, 4.5,
           "default 3.5, calibrated to a 30-day readmission rate of 10-20%: +-1 keeps the rate near that band"),
    Factor("deterioration_scale", "pathways.deterioration_rate", 0.8, 1.2,
           "multiplier on every condition's stable-phase deterioration rate (an order of magnitude, calibrated "
           "to admission rates): +-20%", scale=True),
    Factor("unstable_ratio", "pathways.unstable_ratio", 3.0, 7.0,
           "default 5, set so that 4% of patients use about half the cost: 3-7 still concentrates cost"),
    Factor("p_detect_at_control", "pathways.p_detect_at_control", 0.3, 0.9,
           "default 0.6, no figure in the sources: a control catches from a third to nearly all ongoing unstable phases"),
    Factor("los_scale", "pathways.los_mean_days", 0.8, 1.2,
           "multiplier on every condition's mean length of stay (Danish orders of magnitude): +-20%", scale=True),
    Factor("medical_beds_per_1000", "capacity.medical_beds_per_1000", 0.9, 1.15,
           "default 1.0, sized for 85-90% occupancy: from about 95% occupancy (boarding) to about 75%"),
    Factor("bed_day_cost", "costs.bed_day", 3000.0, 6000.0,
           "default 4,500 DKK, Danish DRG order of magnitude: the low thousands either side"),
    Factor("coordinator_handoff_repair", "scenario.coordinator.p_handoff_repair", 0.3, 0.9,
           "scenario parameter, default 0.6 (assumption): the coordinator repairs from a third to nearly all failing handoffs"),
    Factor("coordinator_early_discharge_days", "scenario.coordinator.early_discharge_days", 0.5, 2.5,
           "scenario parameter, default 1.5 days (calibrated towards the Swedish care coach): +-1 day"),
)
FACTOR_NAMES = tuple(f.name for f in FACTORS)


def outputs(scenario: str) -> list[tuple[str, str, str]]:
    """The screened outputs: (id, KPI, label). Differences are scenario minus usual care, replication by replication."""
    base = [(kpi, kpi, f"{kpi} (usual care)") for kpi in KPIS]
    diff = [(f"{kpi} difference", kpi, f"{kpi}: {scenario} - usual care") for kpi in KPIS]
    return base + diff


def pick_factors(names: Iterable[str] | None) -> list[Factor]:
    if names is None:
        return list(FACTORS)
    names = list(names)
    unknown = [n for n in names if n not in FACTOR_NAMES]
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)}: allowed values are {', '.join(FACTOR_NAMES)}")
    if len(set(names)) != len(names) or not names:
        raise ValueError("--parameters must name each parameter once, and at least one")
    return [f for f in FACTORS if f.name in names]


def schema_problems(factors: Sequence[Factor]) -> list[str]:
    """Factors whose range leaves the schema's allowed range (scaled factors: checked on the composed values)."""
    meta = dict(iter_params())
    problems = []
    for f in factors:
        lo, hi = meta[f.key].metadata["min"], meta[f.key].metadata["max"]
        if not f.scale and not (lo <= f.lo < f.hi <= hi):
            problems.append(f"{f.name}: range [{f.lo:g}, {f.hi:g}] is not inside {f.key}'s allowed range [{lo:g}, {hi:g}]")
    return problems


def _value_text(value) -> str:
    if isinstance(value, list):
        return "[" + ",".join(f"{v:.6g}" for v in value) + "]"
    return f"{value:.6g}"


def point_overrides(factors: Sequence[Factor], values: np.ndarray, defaults: dict[str, list[float]],
                    scenario_run: bool) -> tuple[str, ...]:
    """Hydra overrides setting each factor to its value (scenario parameters only in scenario runs)."""
    out = []
    for f, v in zip(factors, values):
        if f.scenario_only and not scenario_run:
            continue
        value = [float(v) * d for d in defaults[f.key]] if f.scale else float(v)
        out.append(f"{f.key}={_value_text(value)}")
    return tuple(out)


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


@dataclass
class Results:
    """Every run of a screening: one row per trajectory x point x scenario x replication x KPI, plus the design."""
    table: pd.DataFrame
    design: morris.Design
    factors: list[Factor]
    scenario: str
    replications: int
    years: float
    population: str
    seconds: float = float("nan")

    def save(self, path: Path) -> None:
        table = self.table.copy()
        table.attrs = {"points": self.design.points.tolist(), "moved": self.design.moved.tolist(),
                       "levels": self.design.levels, "factors": [asdict(f) for f in self.factors],
                       "scenario": self.scenario, "replications": self.replications, "years": self.years,
                       "population": self.population, "seconds": self.seconds}
        write_parquet(Path(path), table)

    @classmethod
    def load(cls, path: Path) -> Results:
        table = pd.read_parquet(path)
        meta = table.attrs
        if "points" not in meta:
            raise ValueError(f"{path} has no Morris design in its metadata: was it written with --save?")
        design = morris.Design(np.array(meta["points"], dtype=float), np.array(meta["moved"], dtype=int), int(meta["levels"]))
        return cls(table, design, [Factor(**f) for f in meta["factors"]], meta["scenario"], int(meta["replications"]),
                   float(meta["years"]), meta["population"], float(meta.get("seconds", float("nan"))))

    def outputs(self) -> list[tuple[str, str, str]]:
        """The screened outputs of this screening's scenario (see :func:`outputs`)."""
        return outputs(self.scenario)

    def output_values(self) -> dict[str, np.ndarray]:
        """Per output id: values at the design points, shape r x (k+1) x R (replications)."""
        r, n, _ = self.design.points.shape
        wide = self.table.pivot_table(index=["trajectory", "point", "replication"], columns=["scenario", "kpi"],
                                      values="value", aggfunc="first")
        out = {}
        for oid, kpi, _ in outputs(self.scenario):
            base = wide[(BASELINE, kpi)].to_numpy()
            value = wide[(self.scenario, kpi)].to_numpy() - base if oid.endswith("difference") else base
            out[oid] = value.reshape(r, n, self.replications)
        return out

    def summary(self) -> pd.DataFrame:
        """mu, mu*, sigma per factor and output, and the output's noise level (typical SE of one elementary effect)."""
        rows = []
        for oid, values in self.output_values().items():
            ee = morris.elementary_effects(self.design, values)          # r x k x R: per replication
            s = morris.screen(ee.mean(axis=2))                            # on the replication means
            r = self.design.trajectories
            noise = noise_level(ee)
            floor = morris.noise_floor(noise, r)
            for i, f in enumerate(self.factors):
                own = morris.noise_floor(noise_level(ee[:, i:i + 1]), r)  # steps of this factor only
                rows.append((oid, f.name, s.mu[i], s.mu_star[i], s.sigma[i], noise, floor, own,
                             bool(s.mu_star[i] > 0 and not own >= s.mu_star[i])))
        return pd.DataFrame(rows, columns=["output", "factor", "mu", "mu_star", "sigma", "noise", "noise_floor",
                                           "factor_noise_floor", "signal"])


def noise_level(per_replication_effects: np.ndarray) -> float:
    """Root mean square standard error of one elementary effect (r x k x R: effects per replication).

    Steps that leave the simulation unchanged (a unit cost for a count, a scenario parameter for usual
    care) give identical effects in every replication under common random numbers and are left out.
    NaN with a single replication (no spread to measure).
    """
    ee = np.asarray(per_replication_effects, dtype=float)
    if ee.shape[-1] < 2:
        return float("nan")
    se = ee.std(axis=-1, ddof=1) / np.sqrt(ee.shape[-1])
    spread = np.ptp(ee, axis=-1) > 1e-12 * np.maximum(1.0, np.abs(ee).max(axis=-1))
    return float(np.sqrt(np.mean(se[spread] ** 2))) if spread.any() else 0.0


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


def _direction(mu: float, mu_star: float) -> str:
    """+ or - when (nearly) all effects agree in sign, ± when they do not, blank when there is no effect."""
    if mu_star == 0:
        return ""
    if mu >= 0.9 * mu_star:
        return "+"
    if mu <= -0.9 * mu_star:
        return "-"
    return "±"


def markdown(results: Results) -> str:
    """The parameters screened, mu* and sigma per parameter and output, the noise level and the ranking."""
    s = results.summary()
    outs = outputs(results.scenario)
    lines = [
        f"Generated by `python -m experiments.sensitivity` ({len(results.factors)} parameters, "
        f"{results.design.trajectories} trajectories on a {results.design.levels}-level grid, "
        f"{results.replications} paired replication(s) per point, {results.years:g} simulated year(s) after the "
        f"warm-up, {results.population} catchment; "
        + (f"{results.seconds / 60:.1f} minutes)." if np.isfinite(results.seconds) else "run time not recorded)."),
        "",
        "| parameter | key | range | why this range |",
        "|---|---|---|---|",
    ]
    for f in results.factors:
        rng = f"x{f.lo:g} - x{f.hi:g} of the defaults" if f.scale else f"{f.lo:g} - {f.hi:g}"
        lines.append(f"| {f.name} | `{f.key}` | {rng} | {f.why} |")
    lines += ["", "mu\\* (mean absolute elementary effect: the change of the output when the parameter moves over "
              "its whole range, at the local slope) and sigma (their standard deviation: non-linearity or "
              "interaction), with the direction of the effect (+, -, or ± when the sign varies between trajectories). "
              "The noise row is the typical standard error of one elementary effect (from the spread over "
              "replications), averaged over all steps; the noise floor row is the mu\\* a parameter without any effect "
              "would stay below (about 97.5% of the time) with that noise. **Bold**: mu\\* above the noise floor of "
              "that parameter's own steps (steps that change the simulation little are less noisy under common "
              "random numbers), i.e. distinguishable from the simulation's noise.", ""]
    header = ["parameter", *(label for _, _, label in outs)]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for f in results.factors:
        cells = []
        for oid, _, _ in outs:
            row = s[(s.output == oid) & (s.factor == f.name)].iloc[0]
            cell = f"{_direction(row.mu, row.mu_star)}{row.mu_star:.3g}"
            cells.append(f"**{cell}** ({row.sigma:.2g})" if row.signal else f"{cell} ({row.sigma:.2g})")
        lines.append(f"| {f.name} | " + " | ".join(cells) + " |")
    noise = [s[s.output == oid].noise.iloc[0] for oid, _, _ in outs]
    floors = [s[s.output == oid].noise_floor.iloc[0] for oid, _, _ in outs]
    lines.append("| *noise (SE of one effect)* | " + " | ".join("n/a" if np.isnan(v) else f"{v:.2g}" for v in noise) + " |")
    lines.append("| *noise floor for mu\\** | " + " | ".join("n/a" if np.isnan(v) else f"{v:.2g}" for v in floors) + " |")
    lines += ["", "Ranking by mu\\* (the bold cells: parameters above their noise floor; every non-zero effect "
              "when the noise could not be measured):", ""]
    for oid, _, label in outs:
        part = s[s.output == oid].sort_values("mu_star", ascending=False)
        top = [f"{r.factor} {_direction(r.mu, r.mu_star)}{r.mu_star:.3g}" for r in part.itertuples() if r.signal]
        lines.append(f"- {label}: " + (", ".join(top) if top else "none above the noise floor"))
    return "\n".join(lines) + "\n"


def check_card(card: Path) -> None:
    """The card must exist and hold the markers once each, in order (checked before running)."""
    if not card.is_file():
        raise ValueError(f"--card {card}: no such file (it must contain the lines {CARD_BEGIN} and {CARD_END})")
    text = card.read_text(encoding="utf-8")
    if text.count(CARD_BEGIN) != 1 or text.count(CARD_END) != 1 or text.index(CARD_BEGIN) > text.index(CARD_END):
        raise ValueError(f"--card {card}: needs one {CARD_BEGIN} line followed by one {CARD_END} line")


def write_card(card: Path, block: str) -> None:
    """Replace what stands between the markers with ``block`` (atomically)."""
    text = card.read_text(encoding="utf-8")
    head, rest = text.split(CARD_BEGIN, 1)
    _, tail = rest.split(CARD_END, 1)
    write_text(card, f"{head}{CARD_BEGIN}\n{block}{CARD_END}{tail}")


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
