"""Compare the scenarios of a finished sweep and write the report: ``python -m experiments.compare SWEEP_DIR``.

    python -m experiments.compare multirun/2025-01-01_12-00-00.000000            # report in SWEEP_DIR/report/
    python -m experiments.compare SWEEP_DIR --baseline baseline --out report-dir
    python -m experiments.compare SWEEP_DIR --kpis readmission_rate_30d cost_per_patient_year_dkk --precision 0.2
    python -m experiments.compare SWEEP_DIR --max-team-wait 60     # warn above 60 days' wait for a team place

Reads the sweep's tidy tables (``experiments/tables.py``) and writes, in ``SWEEP_DIR/report/`` or ``--out``:

* ``report.html`` — one self-contained page (figures embedded, no external resources) that opens with the
  decision summary (one row per scenario: the paired differences decided on, the verdict, warm-up coverage
  and warnings, grouped by verdict) and the cost-outcome plane, then each scenario in plain language with its
  warnings and assumptions, and every table and figure in sections that fold, with a table of contents;
* ``series.html`` — the daily occupancy and queue series (a long grid per series), a page of its own;
* ``decision_summary.csv`` (the first screen's table), ``scenario_table.csv`` (mean and 95% CI per scenario
  and KPI), ``paired_differences.csv`` (scenario − baseline, replication k vs k, 95% t-CI, "not
  distinguishable from zero" where the CI contains 0),
  ``tier_differences.csv``, ``waits.csv``, ``replications.csv`` (CI-width rule), ``warmup.csv`` (MSER-5);
* PNGs: forest plots, the cost-outcome plane, wait distributions, daily series with bands, risk tiers.

Exit code 2 with a message on stderr when the folder is not a finished sweep, the baseline is missing, a
KPI is unknown or an option's value is out of range. With one replication there are no confidence intervals: the report says so and gives point
estimates.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time as wallclock
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from experiments.report import analysis
from experiments.report.analysis import (HEADLINE_KPIS, PAYER_KPIS, TIER_KPIS, TIERS, WAIT_KPIS, Sweep, SweepError,
                                         check_kpis, load_sweep)
from experiments.report.caveats import TEAM_WAIT_LIMIT_DAYS
from experiments.report.decision import DECISION_KPIS, Decision, decide
from experiments.report.figure_style import save
from experiments.report.figures import PLANE_OUTCOMES, figure_plan
from experiments.report.page import write_html

# the files a report writes (an earlier report's are replaced, nothing else in the folder is touched)
OWNED = ("report.html", "series.html", "decision_summary.csv", "scenario_table.csv", "paired_differences.csv",
         "tier_differences.csv", "waits.csv", "replications.csv", "warmup.csv", "forest_*.png", "cost_outcome_plane.png", "waits.png", "tiers.png",
         "series_*.png")


@dataclass
class Report:
    """What was computed and where it was written (the tables are also returned for tests and notebooks)."""
    sweep: Sweep
    out: Path
    headline: tuple[str, ...]
    precision: float
    scenario_table: pd.DataFrame
    differences: pd.DataFrame
    tier_differences: pd.DataFrame
    waits: pd.DataFrame
    wait_table: pd.DataFrame
    rule: pd.DataFrame
    warmup: pd.DataFrame
    decision: Decision = field(default_factory=Decision)
    figures: dict[str, Path] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @property
    def html(self) -> Path:
        return self.out / "report.html"

    @property
    def series_html(self) -> Path:
        return self.out / "series.html"


def _present(sweep: Sweep, names) -> tuple[str, ...]:
    have = set(sweep.kpis.kpi)
    return tuple(n for n in names if n in have)


def wait_values(sweep: Sweep) -> pd.DataFrame:
    """Per variant and replication, the wait KPIs. Team intake waits are per kind of team (``health_coach_3``
    and ``health_coach_7`` are one kind), averaged over its teams weighted by the cases they started."""
    k = sweep.kpis
    labels = {(v.scenario, v.parameters): v.label for v in [*sweep.baselines, *sweep.variants]}
    overall = k[(k.group == "all") & k.kpi.isin(WAIT_KPIS)]
    rows = [{"label": labels[(r.scenario, r.parameters)], "kpi": r.kpi, "unit": r.unit,
             "replication": r.replication, "value": float(r.value)} for r in overall.itertuples(index=False)]
    teams = k[k.group.str.startswith("team=") & k.kpi.isin(["team_intake_wait_mean_days", "team_cases_started"])]
    if not teams.empty:
        wide = teams.pivot_table(index=["scenario", "parameters", "replication", "group"], columns="kpi",
                                 values="value").reset_index()
        wide["kind"] = wide.group.str.split("=", n=1).str[1].str.replace(r"_\d+$", "", regex=True)
        wide["weighted"] = wide.team_intake_wait_mean_days.fillna(0.0) * wide.team_cases_started
        for (scenario, parameters, replication), g in wide.groupby(["scenario", "parameters", "replication"]):
            kinds = g.groupby("kind")[["weighted", "team_cases_started"]].sum()
            for kind, t in kinds.iterrows():
                label = labels[(scenario, parameters)]
                rows.append({"label": label if len(kinds) == 1 else f"{label} · {kind}",
                             "kpi": "team_intake_wait_mean_days", "unit": "days", "replication": replication,
                             "value": t.weighted / t.team_cases_started if t.team_cases_started else float("nan")})
    waits = pd.DataFrame(rows, columns=["label", "kpi", "unit", "replication", "value"])
    # a KPI nobody has (e.g. sub-acute waits without a sub-acute scenario) is left out
    keep = waits.groupby("kpi").value.apply(lambda v: v.notna().any() and (v.fillna(0) != 0).any())
    return waits[waits.kpi.isin(keep[keep].index)]


def wait_table(waits: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (label, kpi), g in waits.groupby(["label", "kpi"], sort=False):
        n, mean, low, high = analysis.interval(g.value)
        low, high = analysis.bounded(g.unit.iloc[0], low, high)
        rows.append({"label": label, "kpi": kpi, "unit": g.unit.iloc[0], "replications": n, "mean": mean,
                     "ci_low": low, "ci_high": high, "min": g.value.min(), "max": g.value.max()})
    return pd.DataFrame(rows)


def build_report(sweep_dir: Path, out: Path | None = None, baseline: str | None = None, kpis=None,
                 precision: float = 0.10, progress: Callable[[str], None] = lambda msg: None,
                 team_wait_limit: float = TEAM_WAIT_LIMIT_DAYS) -> Report:
    started = wallclock.perf_counter()
    if not 0 < precision < 1:
        raise SweepError(f"--precision {precision}: give the target relative half-width as a share in (0, 1), e.g. 0.1")
    blocking = next((p for p in [Path(out), *Path(out).parents] if p.exists() and not p.is_dir()), None) if out else None
    if blocking is not None:   # checked before the report is computed, not when it is moved into place
        raise SweepError(f"--out {out}: {blocking} is a file; give a folder (a new one, or an earlier report's)")
    if not 0 < team_wait_limit < 36_500:
        raise SweepError(f"--max-team-wait {team_wait_limit:g}: give the longest acceptable wait for a team place in days, above 0")
    sweep = load_sweep(Path(sweep_dir), baseline)
    headline = check_kpis(sweep, kpis) if kpis else _present(sweep, HEADLINE_KPIS)
    out = Path(out) if out else sweep.path / "report"
    out.parent.mkdir(parents=True, exist_ok=True)
    # built in a scratch folder beside the target and moved in at the end: a crash leaves no half report
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        report = _build(sweep, scratch, headline, precision, progress, team_wait_limit)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    out.mkdir(exist_ok=True)
    for stale in (p for pattern in OWNED for p in out.glob(pattern)):   # a previous report's figures
        stale.unlink()
    for path in report.files:
        os.replace(path, out / path.name)
    shutil.rmtree(scratch, ignore_errors=True)
    report.out = out
    report.files = [out / p.name for p in report.files]
    report.figures = {k: out / p.name for k, p in report.figures.items()}
    progress(f"report written to {out} ({wallclock.perf_counter() - started:.1f} s)")
    return report


def _build(sweep: Sweep, out: Path, headline, precision: float, progress: Callable[[str], None],
           team_wait_limit: float) -> Report:
    progress(f"sweep {sweep.path}: {len(sweep.variants)} scenario(s) against '{sweep.baseline}', "
             f"{len(sweep.replications)} replication(s)")
    compared = tuple(dict.fromkeys([*headline, *_present(sweep, PAYER_KPIS), *_present(sweep, PLANE_OUTCOMES),
                                    *_present(sweep, DECISION_KPIS)]))
    table = analysis.scenario_table(sweep, tuple(dict.fromkeys([*headline, *_present(sweep, PAYER_KPIS)])))
    diffs = analysis.paired_differences(sweep, compared)
    progress("paired differences done; per risk tier next")
    tiers = analysis.paired_differences(sweep, _present(sweep, TIER_KPIS), groups=TIERS)
    waits = wait_values(sweep)
    rule = analysis.replication_rule(sweep, precision, _present(sweep, analysis.KEY_KPIS))
    warmup = analysis.warmup_diagnosis(sweep)
    report = Report(sweep, out, headline, precision, table, diffs, tiers, waits, wait_table(waits), rule, warmup,
                    decide(sweep, diffs, warmup, waits, team_wait_limit))
    for name, frame in (("decision_summary", report.decision.table), ("scenario_table", table), ("paired_differences", diffs), ("tier_differences", tiers),
                        ("waits", report.wait_table), ("replications", rule), ("warmup", warmup)):
        frame.to_csv(out / f"{name}.csv", index=False)
        report.files.append(out / f"{name}.csv")
    _figures(report, progress)
    progress("writing report.html")
    write_html(report)
    report.files.extend(p for p in (report.html, report.series_html) if p.exists())
    return report


def _figures(report: Report, progress: Callable[[str], None]) -> None:
    """Draw every figure of the plan (experiments/report/figures.py) and keep its path."""
    for spec in figure_plan(report):
        progress(f"plotting {spec.what}")
        report.figures[spec.key] = save(spec.build(), report.out / spec.filename, spec.dpi)
    report.files.extend(report.figures.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.compare",
                                     description="Paired comparison of a finished sweep's scenarios, and its HTML report")
    parser.add_argument("sweep_dir", type=Path, help="the sweep folder (holds sweep.json, kpis.parquet, timeseries.parquet)")
    parser.add_argument("--baseline", help="the reference scenario (default: the sweep's first scenario)")
    parser.add_argument("--out", type=Path, help="report folder (default: SWEEP_DIR/report)")
    parser.add_argument("--kpis", nargs="+", metavar="KPI",
                        help=f"headline KPIs (default: {' '.join(HEADLINE_KPIS)}); names as in docs/outcomes.md")
    parser.add_argument("--precision", type=float, default=0.10,
                        help="CI-width rule: target half-width of a key paired difference as a share of it (default 0.10)")
    parser.add_argument("--max-team-wait", type=float, default=TEAM_WAIT_LIMIT_DAYS, metavar="DAYS",
                        help="warn when patients wait longer than this for a coordinator or team place "
                             f"(mean days; default {TEAM_WAIT_LIMIT_DAYS:g})")
    args = parser.parse_args(argv)
    try:
        report = build_report(args.sweep_dir, args.out, args.baseline, args.kpis, args.precision,
                              progress=lambda msg: print(msg, file=sys.stderr, flush=True),
                              team_wait_limit=args.max_team_wait)
    except SweepError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if report.sweep.single_replication:
        print("note: one replication only: no confidence intervals, point estimates only "
              "(run the sweep with more replications)", file=sys.stderr)
    print(report.html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
