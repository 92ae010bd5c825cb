"""The report's words: what a scenario assumes (its config file) and its trade-off in plain language,
generated from the paired differences so the text can never disagree with the tables."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.config import iter_params
from sim.docs import flatten_keys
from sim.outcomes import kpi_by_name
from sim.payment import NET_SPENDING_PAYERS

from .analysis import NOT_DISTINGUISHABLE, NO_CI

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "configs" / "scenario"

# short names for sentences, table headers and figure titles: KPI -> (words, lower is better, unit shown).
# The words never carry the unit; kpi_label() adds it once, where it is not already in the words.
PHRASES: dict[str, tuple[str, bool, str | None]] = {
    "readmission_rate_30d": ("30-day readmission rate", True, None),
    "acute_admissions_per_1000py": ("acute admissions per 1,000 patient-years", True, None),
    "bed_days_per_1000py": ("bed days per 1,000 patient-years", True, None),
    "late_detected_deteriorations_per_1000py": ("late-detected deteriorations per 1,000 patient-years", True, None),
    "gp_wait_mean_days": ("mean GP wait", True, None),
    "outpatient_new_referral_wait_mean_days_all": ("mean wait for a first outpatient appointment", True, None),
    "interfaces_per_patient_year": ("interfaces per patient-year", True, "interfaces"),
    "cost_per_patient_year_dkk": ("cost per patient-year", True, "DKK"),
    "cost_total_dkk": ("total cost over the results window", True, None),
    "readmissions_30d": ("30-day readmissions (count)", True, None),
    "outpatient_new_referral_wait_p95_days_all": ("95th percentile wait for a first outpatient appointment", True, None),
    "rtt_compliance_all": ("share of new referrals seen within the 30-day right", False, "share"),
    "boarding_wait_mean_hours_all": ("mean wait for a ward bed", True, None),
    "subacute_wait_mean_days": ("mean wait for a sub-acute visit", True, None),
    "team_intake_wait_mean_days": ("mean wait for a coordinator or team place", True, None),
    "acute_care_return_rate_30d": ("30-day return to acute care (admission or municipal acute stay)", True, None),
    **{f"net_spending_{payer}_dkk": (f"net spending of the {payer.replace('_', ' ')}", True, None)
       for payer in NET_SPENDING_PAYERS},
}


@dataclass(frozen=True)
class Assumption:
    key: str
    value: str
    source: str


def _show(value) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):   # a capacity calendar
        return f"{len(value)} entries: " + ", ".join(str(e.get("name", "?")) for e in value)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def scenario_file(name: str, scenario_dir: Path = SCENARIO_DIR) -> dict | None:
    path = scenario_dir / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def describe(scenario: str, parameters: str = "", scenario_dir: Path = SCENARIO_DIR) -> tuple[list[str], list[Assumption]]:
    """(descriptions, assumptions) of a scenario label; ``a+b`` gives both files' entries, and the cell's
    parameter overrides are listed with the source the schema gives them."""
    descriptions, assumptions = [], []
    for part in scenario.split("+"):
        data = scenario_file(part, scenario_dir)
        if data is None:
            descriptions.append(f"{part}: no configs/scenario/{part}.yaml found (its assumptions cannot be listed)")
            continue
        descriptions.append(f"{part}: {data.get('description', '(no description)')}" if "+" in scenario
                            else str(data.get("description", "(no description)")))
        sources = data.get("sources") or {}
        settings = flatten_keys({k: v for k, v in data.items() if k not in ("name", "description", "sources")})
        for key, value in settings.items():
            source = sources.get(key) or next((s for k, s in sources.items() if key.startswith(f"{k}.")), "")
            assumptions.append(Assumption(f"scenario.{key}", _show(value), source or "(no source given in the file)"))
    schema = {key: f.metadata.get("source", "") for key, f in iter_params()}
    for override in filter(None, parameters.split(",")):
        key, _, value = override.partition("=")
        assumptions.append(Assumption(key, value, f"sweep parameter; default's source: {schema[key]}"
                                      if key in schema else "sweep parameter"))
    return descriptions, assumptions


def _amount(value: float, unit: str) -> str:
    if unit.startswith("DKK"):
        return f"{value:+,.0f} DKK"
    if unit.startswith("share"):
        return f"{value * 100:+.2f} percentage points"
    if unit in ("days", "hours"):
        return f"{value:+,.3g} {unit}"
    return f"{value:+,.3g}"


def _ci(row) -> str:
    if np.isnan(row.ci_low):
        return "no CI with one replication"
    unit = row.unit
    return f"95% CI {_amount(row.ci_low, unit)} to {_amount(row.ci_high, unit)}"


def _effect_sentence(row) -> str:
    words, lower_better, _ = PHRASES.get(row.kpi, (row.kpi.replace("_", " "), True, None))
    if row.verdict == NOT_DISTINGUISHABLE:
        return f"{words}: {NOT_DISTINGUISHABLE} ({_amount(row.difference, row.unit)}, {_ci(row)})"
    direction = "falls" if row.difference < 0 else "rises"
    judged = "" if row.verdict == NO_CI or row.kpi.startswith("cost") else (" (better)" if (row.difference < 0) == lower_better else " (worse)")
    return f"{words} {direction}{judged} by {_amount(abs(row.difference), row.unit).lstrip('+')} ({_ci(row)})"


def payer_sentence(diffs: pd.DataFrame) -> str:
    """Who pays: each payer's paired net-spending difference, grouped by verdict."""
    more, less, unclear, unchanged = [], [], [], []
    for payer in NET_SPENDING_PAYERS:
        row = diffs[diffs.kpi == f"net_spending_{payer}_dkk"]
        if row.empty:
            continue
        r = next(row.itertuples(index=False))
        name = payer.replace("_", " ")
        if r.ci_low == r.ci_high == r.difference == 0.0:
            unchanged.append(name)
        elif r.verdict in (NOT_DISTINGUISHABLE, NO_CI):
            unclear.append(f"{name} ({r.difference:+,.0f} DKK)")
        elif r.difference > 0:
            more.append(f"{name} {r.difference:+,.0f} DKK [{r.ci_low:+,.0f}, {r.ci_high:+,.0f}]")
        else:
            less.append(f"{name} {r.difference:+,.0f} DKK [{r.ci_low:+,.0f}, {r.ci_high:+,.0f}]")
    parts = []
    if more:
        parts.append("pays more: " + "; ".join(more))
    if less:
        parts.append("pays less: " + "; ".join(less))
    if unclear:
        parts.append(f"{NOT_DISTINGUISHABLE} for " + ", ".join(unclear))
    if unchanged:
        parts.append("unchanged for " + ", ".join(unchanged))
    return ("Who pays (net spending over the results window, paired difference): " + " | ".join(parts) + ".") if parts else ""


def summary(diffs: pd.DataFrame, headline, replications: int, warmup_days: float, precision_note: str,
            verdict: str, warmup_note: str = "") -> list[str]:
    """A scenario's trade-off in a few sentences: what it costs whom, what it buys, the verdict (the one
    definition of verdicts.py, passed in), how sure we are. ``diffs``: the variant's rows of the
    paired-differences table (group "all")."""
    row = {r.kpi: r for r in diffs.itertuples(index=False)}
    lines = []
    if "cost_per_patient_year_dkk" in row:
        lines.append(f"Cost: {_effect_sentence(row['cost_per_patient_year_dkk'])}.")
    who = payer_sentence(diffs)
    if who:
        lines.append(who)
    outcomes = [k for k in headline if k in row and k != "cost_per_patient_year_dkk"]
    changed = [row[k] for k in outcomes if row[k].verdict not in (NOT_DISTINGUISHABLE, NO_CI)]
    unclear = [kpi_words(k) for k in outcomes if row[k].verdict == NOT_DISTINGUISHABLE]
    if changed:
        lines.append("What changes: " + "; ".join(_effect_sentence(r) for r in changed) + ".")
    if unclear:
        lines.append(f"{NOT_DISTINGUISHABLE.capitalize()}: " + ", ".join(unclear) + ".")
    lines.append(f"Verdict: {verdict}")
    how_sure = (f"How sure: {replications} paired replications (common random numbers) after a {warmup_days:g}-day warm-up"
                if replications > 1 else
                "How sure: one replication only, so these are point estimates without confidence intervals")
    lines.append(how_sure + (f"; {precision_note}" if precision_note else "") + "." + (f" {warmup_note}" if warmup_note else ""))
    return lines


def precision_note(rule: pd.DataFrame, precision: float) -> str:
    """One clause on the CI-width rule for a variant's key differences."""
    if rule.empty or rule.replications_needed.isna().all():
        return ""
    met = rule[rule.meets_target]
    names = ", ".join(kpi_words(k) for k in dict.fromkeys(rule.kpi))
    parts = [f"{len(met)} of {len(rule)} key differences ({names}) are resolved to ±{precision:.0%} of their size"]
    open_ = rule[~rule.meets_target & (rule.verdict != NOT_DISTINGUISHABLE)]
    if len(open_):
        need = int(open_.replications_needed.max())
        parts.append(f"resolving the distinguishable ones would take about {need:,} replications" if need <= 10_000
                     else "resolving the distinguishable ones would take more than 10,000 replications")
    if (rule.verdict == NOT_DISTINGUISHABLE).any():
        parts.append("those not distinguishable from zero are too small to resolve at this precision")
    return "; ".join(parts)


def kpi_words(kpi: str) -> str:
    return PHRASES.get(kpi, (kpi_by_name()[kpi].description if kpi in kpi_by_name() else kpi, True, None))[0]


def kpi_unit(kpi: str) -> str:
    """The unit shown with a KPI (its declared unit, or a shorter one where the words already say the rest)."""
    shown = PHRASES.get(kpi, ("", True, None))[2]
    return shown or (kpi_by_name()[kpi].unit if kpi in kpi_by_name() else "")


def kpi_label(kpi: str) -> str:
    """Words and unit, the unit once: 'mean GP wait (days)', 'bed days per 1,000 patient-years'."""
    words, unit = kpi_words(kpi), kpi_unit(kpi)
    return words if not unit or unit in words else f"{words} ({unit})"


def fmt(value: float, unit: str) -> str:
    """A number for a table cell, in the KPI's unit."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit.startswith("share"):
        return f"{value:.4f}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) >= 1 else f"{value:.3g}"
