"""Statistics of a finished sweep: scenario means with 95% t-intervals, paired differences against the
baseline (replication k vs k: common random numbers), the replications a CI-width rule asks for and the
MSER-5 warm-up diagnosis of the daily series.

Every interval is the t-interval of :func:`sim.statistics.mean_ci` over replications; a paired difference
is the interval of the per-replication differences (what ``scipy.stats.ttest_rel`` gives). A difference
whose interval contains 0 is labelled :data:`NOT_DISTINGUISHABLE`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from experiments.tables import KPI_COLUMNS, KPI_TABLE, SWEEP_META, read_tables
from sim.outcomes import kpi_by_name
from sim.payment import NET_SPENDING_PAYERS
from sim.statistics import mean_ci, mser5, paired_difference
from sim.warmup import SERIES as WARMUP_SERIES

NOT_DISTINGUISHABLE = "not distinguishable from zero"
NO_CI = "no CI (one replication)"

# what a steering group reads first: outcomes, waits, fragmentation and cost
HEADLINE_KPIS = ("readmission_rate_30d", "acute_admissions_per_1000py", "bed_days_per_1000py",
                 "late_detected_deteriorations_per_1000py", "gp_wait_mean_days",
                 "outpatient_new_referral_wait_mean_days_all", "interfaces_per_patient_year",
                 "cost_per_patient_year_dkk")
PAYER_KPIS = tuple(f"net_spending_{payer}_dkk" for payer in NET_SPENDING_PAYERS)
WAIT_KPIS = ("gp_wait_mean_days", "outpatient_new_referral_wait_mean_days_all",
             "outpatient_new_referral_wait_p95_days_all", "rtt_compliance_all", "boarding_wait_mean_hours_all",
             "subacute_wait_mean_days", "team_intake_wait_mean_days")
TIER_KPIS = ("acute_admissions_per_1000py", "readmission_rate_30d", "bed_days_per_1000py", "cost_per_patient_year_dkk")
TIERS = ("tier=high", "tier=moderate", "tier=low")
# the paired differences the replication rule is judged on (the cost-outcome plane's axes)
KEY_KPIS = ("readmission_rate_30d", "acute_admissions_per_1000py", "cost_per_patient_year_dkk")
MAX_REPLICATIONS_SHOWN = 10_000


class SweepError(ValueError):
    """The folder cannot be compared (not a finished sweep, no baseline, unknown KPI); the message says why."""


@dataclass(frozen=True)
class Variant:
    """One cell family of the sweep: a scenario under one parameter set (all its replications)."""
    scenario: str
    parameters: str

    @property
    def label(self) -> str:
        return self.scenario if not self.parameters else f"{self.scenario} [{self.parameters}]"


@dataclass
class Sweep:
    path: Path
    kpis: pd.DataFrame
    series: pd.DataFrame | None
    meta: dict[str, Any]
    baseline: str
    variants: list[Variant]                    # scenarios other than the baseline, in the sweep's order
    baselines: list[Variant]                   # the baseline under each parameter set
    replications: list[int] = field(default_factory=list)

    @property
    def single_replication(self) -> bool:
        return len(self.replications) < 2

    @cached_property
    def by_cell(self) -> dict[tuple[str, str, str, str], pd.Series]:
        """(scenario, parameters, group, kpi) -> value per replication: one pass over the table instead of a
        filter per lookup (a full sweep has hundreds of thousands of rows)."""
        return {key: g.set_index("replication").value.astype(float).sort_index()
                for key, g in self.kpis.groupby(["scenario", "parameters", "group", "kpi"], sort=False)}

    def baseline_of(self, variant: Variant) -> Variant | None:
        match = Variant(self.baseline, variant.parameters)
        return match if match in self.baselines else None


REQUIRED_META = ("population", "seed", "replications", "warmup_days", "years", "scenarios")


def load_sweep(path: Path, baseline: str | None = None) -> Sweep:
    """Read and check a finished sweep folder; :class:`SweepError` names what is wrong."""
    path = Path(path)
    if not path.is_dir():
        raise SweepError(f"{path} is not a folder (give the sweep folder that holds sweep.json and kpis.parquet)")
    if (path / SWEEP_META).exists() and not (path / KPI_TABLE).exists():
        raise SweepError(f"{path} is not a finished sweep: {SWEEP_META} is there but {KPI_TABLE} is missing")
    try:
        kpis, series, meta = read_tables(path)
    except FileNotFoundError as err:
        raise SweepError(str(err)) from None
    except (OSError, ValueError) as err:   # a truncated or foreign file
        raise SweepError(f"{path}: the sweep's tables cannot be read ({err})") from None
    lacking = [c for c in KPI_COLUMNS if c not in kpis.columns]
    if lacking:
        raise SweepError(f"{path}/{KPI_TABLE} lacks columns {lacking} (see experiments/tables.py for the schema)")
    missing = [key for key in REQUIRED_META if key not in meta]
    if missing:
        raise SweepError(f"{path}/sweep.json lacks {missing}; is it a sweep written by experiments.tables.write_tables?")
    if kpis.empty:
        raise SweepError(f"{path}/kpis.parquet has no rows: every cell failed ({len(meta.get('failed') or [])} failures in sweep.json)")
    order = [s for s in meta.get("scenarios") or [] if s in set(kpis.scenario)]
    order += sorted(set(kpis.scenario) - set(order))
    baseline = baseline or (order[0] if order else "baseline")
    if baseline not in set(kpis.scenario):
        raise SweepError(f"baseline '{baseline}' is not in the sweep; its scenarios are: {', '.join(order)} "
                         "(choose one with --baseline NAME)")
    cells = kpis[["scenario", "parameters"]].drop_duplicates()
    parameter_sets = list(dict.fromkeys(cells.parameters))
    variants, baselines = [], []
    for scenario in order:
        for parameters in parameter_sets:
            if ((cells.scenario == scenario) & (cells.parameters == parameters)).any():
                (baselines if scenario == baseline else variants).append(Variant(scenario, parameters))
    reps = sorted(int(r) for r in kpis.replication.unique())
    return Sweep(path, kpis, series, meta, baseline, variants, baselines, reps)


def check_kpis(sweep: Sweep, names) -> tuple[str, ...]:
    """The KPIs asked for, each known to the schema and present in the sweep."""
    names = tuple(names)
    unknown = [n for n in names if n not in kpi_by_name()]
    if unknown:
        raise SweepError(f"unknown KPI(s) {unknown}; the KPIs are listed in docs/outcomes.md")
    absent = [n for n in names if n not in set(sweep.kpis.kpi)]
    if absent:
        raise SweepError(f"KPI(s) {absent} are not in {sweep.path}/kpis.parquet")
    return names


def values(sweep: Sweep, variant: Variant, kpi: str, group: str = "all") -> pd.Series:
    """One value per replication (indexed by replication; empty when the cell lacks that group or KPI)."""
    return sweep.by_cell.get((variant.scenario, variant.parameters, group, kpi), pd.Series(dtype=float))


def interval(x) -> tuple[int, float, float, float]:
    """(n, mean, low, high) of the 95% t-interval; low/high NaN for fewer than two values."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    mean, half = mean_ci(x)
    return int(x.size), mean, mean - half, mean + half


def paired_interval(pair: pd.DataFrame) -> tuple[int, float, float, float]:
    """(n, mean, low, high) of the 95% t-interval of scenario - baseline over the pairs of :func:`paired`
    (:func:`sim.statistics.paired_difference`)."""
    mean, half = paired_difference(pair.scenario, pair.baseline)
    return len(pair), mean, mean - half, mean + half


def bounded(unit: str, low: float, high: float) -> tuple[float, float]:
    """A t-interval of a share's mean can reach beyond [0, 1]; the share cannot, so its interval is clipped."""
    if unit.startswith("share"):
        return (max(low, 0.0) if not np.isnan(low) else low), (min(high, 1.0) if not np.isnan(high) else high)
    return low, high


def verdict(low: float, high: float) -> str:
    if np.isnan(low):
        return NO_CI
    if low <= 0.0 <= high:
        return NOT_DISTINGUISHABLE
    return "higher than baseline" if low > 0 else "lower than baseline"


def scenario_table(sweep: Sweep, kpis, group: str = "all") -> pd.DataFrame:
    """Mean and 95% CI per variant (baseline first) and KPI (a share's CI clipped to [0, 1])."""
    rows = []
    for variant in [*sweep.baselines, *sweep.variants]:
        for kpi in kpis:
            n, mean, low, high = interval(values(sweep, variant, kpi, group))
            low, high = bounded(kpi_by_name()[kpi].unit, low, high)
            rows.append({"scenario": variant.scenario, "parameters": variant.parameters, "label": variant.label,
                         "group": group, "kpi": kpi, "unit": kpi_by_name()[kpi].unit, "replications": n,
                         "mean": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def paired(sweep: Sweep, variant: Variant, kpi: str, group: str = "all") -> pd.DataFrame:
    """Replication-by-replication values of a variant and its baseline (only replications both have)."""
    base = sweep.baseline_of(variant)
    if base is None:
        return pd.DataFrame(columns=["scenario", "baseline"])
    both = pd.concat({"scenario": values(sweep, variant, kpi, group), "baseline": values(sweep, base, kpi, group)},
                     axis=1, join="inner")
    return both.dropna()


def paired_differences(sweep: Sweep, kpis, groups=("all",)) -> pd.DataFrame:
    """Scenario - baseline per variant, group and KPI: mean of the per-replication differences, its 95%
    t-interval, the half-width an unpaired (independent-streams) comparison would have, and the verdict."""
    rows = []
    for variant in sweep.variants:
        for group in groups:
            for kpi in kpis:
                pair = paired(sweep, variant, kpi, group)
                if pair.empty:
                    continue
                n, diff, low, high = paired_interval(pair)
                base_mean = float(pair.baseline.mean())
                unpaired = float("nan")
                if n > 1:
                    unpaired = stats.t.ppf(0.975, 2 * n - 2) * math.sqrt(
                        (pair.scenario.var(ddof=1) + pair.baseline.var(ddof=1)) / n)
                rows.append({"scenario": variant.scenario, "parameters": variant.parameters, "label": variant.label,
                             "group": group, "kpi": kpi, "unit": kpi_by_name()[kpi].unit, "replications": n,
                             "baseline_mean": base_mean, "scenario_mean": float(pair.scenario.mean()),
                             "difference": diff, "ci_low": low, "ci_high": high,
                             "relative_difference": diff / base_mean if base_mean else float("nan"),
                             "half_width": (high - low) / 2, "half_width_unpaired": unpaired,
                             "verdict": verdict(low, high)})
    return pd.DataFrame(rows)


def replications_needed(differences, precision: float, cap: int = MAX_REPLICATIONS_SHOWN) -> int | None:
    """Smallest n with t(0.975, n-1) * s / sqrt(n) <= precision * |mean| (the confidence-interval method,
    Hoad, Robinson & Davies 2007, applied to paired differences); ``cap + 1`` when more than ``cap``; None
    with fewer than two differences (no spread to judge)."""
    d = np.asarray(differences, dtype=float)
    d = d[~np.isnan(d)]
    if d.size < 2:
        return None
    s, target = d.std(ddof=1), precision * abs(d.mean())
    if s == 0.0:
        return int(d.size) if target > 0 or d.mean() == 0 else 2
    if target == 0.0:
        return cap + 1
    n = max(2, int(math.ceil((1.96 * s / target) ** 2)))   # the normal approximation, then t upward
    while n <= cap and stats.t.ppf(0.975, n - 1) * s / math.sqrt(n) > target:
        n += 1
    return n if n <= cap else cap + 1


def replication_rule(sweep: Sweep, precision: float, kpis=KEY_KPIS) -> pd.DataFrame:
    """For each variant and key KPI: the paired difference's relative half-width now and the replications
    that would bring it to ``precision`` (e.g. 0.10 = ±10% of the difference)."""
    rows = []
    for variant in sweep.variants:
        for kpi in kpis:
            pair = paired(sweep, variant, kpi)
            if pair.empty:
                continue
            d = (pair.scenario - pair.baseline).to_numpy()
            n, mean, low, high = paired_interval(pair)
            half = (high - low) / 2
            rows.append({"scenario": variant.scenario, "parameters": variant.parameters, "label": variant.label,
                         "kpi": kpi, "replications": n, "difference": mean, "half_width": half,
                         "relative_half_width": half / abs(mean) if mean else float("inf"),
                         "meets_target": bool(half <= precision * abs(mean)) if n > 1 else False,
                         "replications_needed": replications_needed(d, precision), "verdict": verdict(low, high)})
    return pd.DataFrame(rows)


def warmup_diagnosis(sweep: Sweep) -> pd.DataFrame:
    """MSER-5 truncation (days) of each queue/occupancy series, per variant, on the mean over replications
    of the daily series from the first simulated day; compared with the warm-up the sweep deleted."""
    if sweep.series is None:
        return pd.DataFrame()
    warmup = float(sweep.meta["warmup_days"])
    s = sweep.series
    names = [c for c in WARMUP_SERIES if c in s.columns]
    rows = []
    for variant in [*sweep.baselines, *sweep.variants]:
        mine = s[(s.scenario == variant.scenario) & (s.parameters == variant.parameters)]
        mean = mine.groupby("day")[names].mean().sort_index()
        first_day = float(mean.index.min()) if len(mean) else float("nan")
        for name in names:
            y = mean[name].to_numpy(dtype=float)
            if y.size == 0 or np.nanmax(y) == np.nanmin(y):   # constant (e.g. no psychiatric ward): nothing to diagnose
                continue
            cut = mser5(y)
            rows.append({"scenario": variant.scenario, "parameters": variant.parameters, "label": variant.label,
                         "series": name, "days": int(y.size), "series_start_day": first_day,
                         "mser5_truncation_days": cut, "warmup_days_used": warmup,
                         "covered": bool(first_day + cut <= warmup + 1),
                         # MSER-5 searches the first half only: a cut at its end means "not settled yet"
                         "at_search_limit": bool(cut >= 5 * ((y.size // 5) // 2 - 1))})
    return pd.DataFrame(rows)
