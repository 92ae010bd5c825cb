"""The decision summary: one row per scenario with the paired differences a steering group decides on, the
verdict (``verdicts.py``), warm-up coverage and the warnings (``caveats.py``). Written as
``decision_summary.csv`` and shown first in the report."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .analysis import Sweep, Variant, values
from .caveats import DEFINITIONS, TEAM_WAIT_LIMIT_DAYS, Caveat, caveats_for
from .verdicts import COST, GROUPS, OUTCOMES, Verdict, judge, wait_direction

# the summary's difference columns: KPI -> (column title, unit shown once in the title, scale for display)
COLUMNS: dict[str, tuple[str, str, float]] = {
    COST: ("Δ cost", "DKK per patient-year", 1.0),
    "readmission_rate_30d": ("Δ 30-day readmissions", "percentage points", 100.0),
    "acute_admissions_per_1000py": ("Δ acute admissions", "per 1,000 patient-years", 1.0),
    "bed_days_per_1000py": ("Δ bed days", "per 1,000 patient-years", 1.0),
}
# the waits summarised in one column: KPI -> (short name, unit abbreviation)
WAITS: dict[str, tuple[str, str]] = {
    "gp_wait_mean_days": ("GP", "d"),
    "outpatient_new_referral_wait_mean_days_all": ("outpatient", "d"),
    "boarding_wait_mean_hours_all": ("ward bed", "h"),
    "rtt_compliance_all": ("30-day right", "pp"),
}
# every KPI the decision needs a paired difference of (compare.py adds them to the differences it computes)
DECISION_KPIS = tuple(dict.fromkeys([*COLUMNS, *(k for k, _ in OUTCOMES), *WAITS,
                                     *(k for d in DEFINITIONS for k in (*d.affects, d.companion) if k)]))


@dataclass
class Decision:
    verdicts: dict[str, Verdict] = field(default_factory=dict)        # label -> verdict
    caveats: dict[str, list[Caveat]] = field(default_factory=dict)    # label -> warnings (the baseline's too)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)         # decision_summary.csv
    team_wait_limit: float = TEAM_WAIT_LIMIT_DAYS

    def group_of(self, label: str) -> str:
        return self.verdicts[label].group


def discharges_per_patient_year(sweep: Sweep, variant: Variant) -> float | None:
    """Index discharges per patient-year (readmissions / readmission rate / patient-years, mean over
    replications): turns a fall in the readmission rate into readmissions avoided."""
    readmissions, rate = values(sweep, variant, "readmissions_30d"), values(sweep, variant, "readmission_rate_30d")
    years = values(sweep, variant, "patient_years")
    both = pd.concat({"n": readmissions, "r": rate, "py": years}, axis=1, join="inner").dropna()
    both = both[(both.r > 0) & (both.py > 0)]
    return float((both.n / both.r / both.py).mean()) if len(both) else None


def wait_changes(rows: dict) -> list[tuple[str, object]]:
    """The wait differences that count (as in the verdict: distinguishable from zero and at least
    MATERIAL_WAIT of the baseline's level): (short text, row)."""
    out = []
    for kpi, (name, unit) in WAITS.items():
        r = rows.get(kpi)
        if r is None or not wait_direction(r):
            continue
        scale = 100.0 if unit == "pp" else 1.0
        out.append((f"{name} {r.difference * scale:+.3g} {unit} [{r.ci_low * scale:+.3g}, {r.ci_high * scale:+.3g}]", r))
    return out


def decide(sweep: Sweep, diffs: pd.DataFrame, warmup: pd.DataFrame, waits: pd.DataFrame,
           team_wait_limit: float = TEAM_WAIT_LIMIT_DAYS) -> Decision:
    decision = Decision(team_wait_limit=team_wait_limit)
    overall = diffs[diffs.group == "all"] if not diffs.empty else diffs
    for variant in [*sweep.baselines, *sweep.variants]:
        decision.caveats[variant.label] = caveats_for(sweep, variant, overall, warmup, waits, team_wait_limit)
    rows = []
    for variant in sweep.variants:
        if sweep.baseline_of(variant) is None:
            continue
        mine = {r.kpi: r for r in overall[overall.label == variant.label].itertuples(index=False)}
        verdict = judge(mine, discharges_per_patient_year(sweep, variant))
        decision.verdicts[variant.label] = verdict
        row = {"scenario": variant.scenario, "parameters": variant.parameters, "label": variant.label,
               "group": verdict.group, "group_title": GROUPS[verdict.group][0], "verdict": verdict.short,
               "price_dkk": verdict.price if verdict.price is not None else math.nan, "price_per": verdict.price_unit}
        for kpi in COLUMNS:
            r = mine.get(kpi)
            row.update({f"{kpi}_difference": r.difference if r is not None else math.nan,
                        f"{kpi}_ci_low": r.ci_low if r is not None else math.nan,
                        f"{kpi}_ci_high": r.ci_high if r is not None else math.nan})
        row["waits"] = "; ".join(text for text, _ in wait_changes(mine))
        mine_w = warmup[warmup.label == variant.label] if not warmup.empty else warmup
        row["warmup_covered"] = bool(mine_w.covered.all()) if len(mine_w) else np.nan
        row["warmup_not_covered"] = ", ".join(mine_w.series[~mine_w.covered].str.replace("_", " ")) if len(mine_w) else ""
        row["warnings"] = "; ".join(c.short for c in decision.caveats[variant.label])
        rows.append(row)
    order = {g: i for i, g in enumerate(GROUPS)}
    table = pd.DataFrame(rows)
    if not table.empty:
        table = table.sort_values("group", key=lambda g: g.map(order), kind="stable").reset_index(drop=True)
    decision.table = table
    return decision
