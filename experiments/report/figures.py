"""Which figures a report draws, from what: one :class:`FigureSpec` per PNG. ``compare.py`` saves them; the
figure tests build every one from the same plan and check what a projector needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from . import plots
from .analysis import PAYER_KPIS, TIER_KPIS, Sweep
from .figure_style import DPI, SERIES_DPI

SERIES_COLUMNS = ("medical_beds_occupied", "psychiatric_beds_occupied", "boarding", "home_nursing_in_use",
                  "gp_same_day_lead_days", "outpatient_lead_days", "team_caseload", "team_waiting_list")
PLANE_OUTCOMES = ("readmission_rate_30d", "acute_admissions_per_1000py")


@dataclass(frozen=True)
class FigureSpec:
    key: str                         # the report's name for it (report.figures)
    filename: str
    what: str                        # for the progress line
    build: Callable[[], Figure]
    dpi: int = DPI


def series_bands(sweep: Sweep, column: str) -> pd.DataFrame:
    """Daily mean over replications with its 95% t-band, per variant."""
    s = sweep.series
    labels = {(v.scenario, v.parameters): v.label for v in [*sweep.baselines, *sweep.variants]}
    g = s.groupby(["scenario", "parameters", "day"])[column].agg(["mean", "std", "count"]).reset_index()
    half = stats.t.ppf(0.975, np.maximum(g["count"] - 1, 1)) * g["std"] / np.sqrt(g["count"])
    half = half.where(g["count"] > 1)
    g["low"], g["high"] = g["mean"] - half, g["mean"] + half
    g["label"] = [labels.get((a, b), a) for a, b in zip(g.scenario, g.parameters)]
    return g


def figure_plan(report) -> list[FigureSpec]:
    sweep, diffs = report.sweep, report.differences
    labels = [v.label for v in sweep.variants if sweep.baseline_of(v) is not None]
    all_labels = [v.label for v in [*sweep.baselines, *sweep.variants]]
    plan = []
    if labels and not diffs.empty:
        plan.append(FigureSpec("forest", "forest_headline.png", "forest plot of the headline KPIs", lambda: plots.forest_figure(
            diffs, report.headline, labels, "Paired differences from baseline (replication k against k), 95% CI")))
        if set(PAYER_KPIS) & set(diffs.kpi):
            plan.append(FigureSpec("forest_payers", "forest_payers.png", "forest plot of net spending by payer",
                                   lambda: plots.forest_figure(diffs, PAYER_KPIS, labels,
                                                               "Who pays: net spending over the results window")))
        if "cost_per_patient_year_dkk" in set(diffs.kpi):
            groups = {label: v.group for label, v in report.decision.verdicts.items()}
            plan.append(FigureSpec("plane", "cost_outcome_plane.png", "the cost-outcome plane",
                                   lambda: plots.cost_outcome_plane_figure(diffs, PLANE_OUTCOMES, labels, groups)))
    if not report.tier_differences.empty:
        plan.append(FigureSpec("tiers", "tiers.png", "differences by risk tier",
                               lambda: plots.tier_figure(report.tier_differences, TIER_KPIS, labels)))
    if not report.waits.empty:
        plan.append(FigureSpec("waits", "waits.png", "wait distributions", lambda: plots.wait_figure(report.waits, all_labels)))
    if sweep.series is not None:
        warmup = float(sweep.meta["warmup_days"])
        baseline = sweep.baselines[0].label if sweep.baselines else sweep.baseline
        for column in SERIES_COLUMNS:
            if column not in sweep.series.columns or sweep.series[column].nunique() < 2:
                continue  # a series that never moves (e.g. no team in any scenario) says nothing
            truncation = {}
            if not report.warmup.empty:
                mine = report.warmup[report.warmup.series == column]
                truncation = dict(zip(mine.label, mine.series_start_day - 1 + mine.mser5_truncation_days))
            plan.append(FigureSpec(f"series_{column}", f"series_{column}.png", f"daily series {column}",
                                   lambda c=column, t=truncation: plots.series_figure(
                                       series_bands(sweep, c), c, all_labels, baseline, warmup, t), SERIES_DPI))
    return plan
