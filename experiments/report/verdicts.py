"""The one definition of a scenario's verdict, used by the decision summary, the scenario text, the tables
and the cost-outcome plane (none of them judges on its own).

A scenario is judged on two things, each a paired difference from the baseline with its 95% CI:

* **cost**: cost per patient-year (DKK), the plane's vertical axis: cheaper, dearer or not distinguishable;
* **outcomes**: the 30-day readmission rate, acute admissions and bed days per 1,000 patient-years, and the
  mean waits for a GP, a first outpatient appointment and a ward bed (less is better). A wait counts only when
  its change is also material: at least :data:`MATERIAL_WAIT` of the baseline's wait (a GP wait 0.01 days
  longer is distinguishable with common random numbers but decides nothing). The outcomes are *better* when
  at least one is distinguishably better and none distinguishably worse, *worse* in the opposite case,
  *mixed* when some are better and some worse, and *unchanged* when none is distinguishable from zero.

The two give one of four groups (:data:`GROUPS`): better and/or cheaper with nothing worse; a trade-off (pay
for a gain, with its price, or save at a loss); worse (dearer or worse with nothing gained); unclear. Queues
that never settle, long team waits and the like are warnings beside the verdict (``caveats.py``).

The price of a gain is the extra cost per patient-year over the events avoided per patient-year, for the
first outcome in :data:`OUTCOMES` that is better: readmissions avoided = the fall in the readmission rate
times the scenario's index discharges per patient-year; admissions and bed days are per 1,000 patient-years.
It is a point estimate (the ratio of two uncertain differences has no simple interval).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from .analysis import NO_CI, NOT_DISTINGUISHABLE, verdict as ci_verdict

COST = "cost_per_patient_year_dkk"
# (KPI, what one avoided unit is called); order = which gain prices a trade-off
OUTCOMES: tuple[tuple[str, str], ...] = (("readmission_rate_30d", "readmission"),
                                        ("acute_admissions_per_1000py", "admission"),
                                        ("bed_days_per_1000py", "bed day"))
# waits judged with the outcomes (no price: a wait is not a counted event)
WAITS: tuple[str, ...] = ("gp_wait_mean_days", "outpatient_new_referral_wait_mean_days_all", "boarding_wait_mean_hours_all")
MATERIAL_WAIT = 0.10
OUTCOME_WORDS = {"readmission_rate_30d": "the 30-day readmission rate", "acute_admissions_per_1000py": "acute admissions",
                 "bed_days_per_1000py": "bed days", "gp_wait_mean_days": "the GP wait",
                 "outpatient_new_referral_wait_mean_days_all": "the wait for a first outpatient appointment",
                 "boarding_wait_mean_hours_all": "the wait for a ward bed"}

BETTER, TRADE_OFF, WORSE, UNCLEAR = "better", "trade_off", "worse", "unclear"
GROUPS: dict[str, tuple[str, str]] = {
    BETTER: ("Better and/or cheaper, nothing worse",
             "cheaper and better, or one of the two with the other not distinguishable from the baseline"),
    TRADE_OFF: ("Trade-off",
                "pays for a gain (price per avoided event), saves money at a loss, or some outcomes better and some worse"),
    WORSE: ("Worse: nothing gained",
            "dearer with no outcome better, or outcomes worse with no saving"),
    UNCLEAR: ("Unclear", "no difference in cost or outcomes distinguishable from zero, or no confidence intervals"),
}


@dataclass(frozen=True)
class Verdict:
    key: str                 # dominant, better, cheaper, buys, saves_at_loss, mixed, dearer, worse, dominated, unchanged, no_ci, not_judged
    group: str               # a key of GROUPS
    text: str                # one sentence for the scenario's block
    short: str               # a few words for the summary table and the plane's legend
    better: tuple[str, ...] = ()
    worse: tuple[str, ...] = ()
    price: float | None = None   # DKK per avoided unit (key "buys") or saved per extra unit ("saves_at_loss")
    price_unit: str = ""


def direction(row) -> int | None:
    """+1 distinguishably lower (better for outcomes, cheaper for cost), -1 higher, 0 not distinguishable,
    None without a CI. The same rule as every 'not distinguishable from zero' label (analysis.verdict)."""
    if row is None:
        return None
    judged = ci_verdict(row.ci_low, row.ci_high)
    if judged == NO_CI:
        return None
    if judged == NOT_DISTINGUISHABLE:
        return 0
    return 1 if judged == "lower than baseline" else -1


def wait_direction(row) -> int | None:
    """As :func:`direction`, but a change smaller than MATERIAL_WAIT of the baseline's wait counts as 0."""
    d = direction(row)
    base = getattr(row, "baseline_mean", math.nan)
    if d and math.isfinite(base) and abs(row.difference) < MATERIAL_WAIT * abs(base):
        return 0
    return d


def _price(cost_diff: float, row, unit: str, discharges_per_py: float | None) -> float | None:
    """DKK per avoided (or extra) unit: cost difference per patient-year over the unit's change per patient-year."""
    if unit == "readmission":
        per_py = -row.difference * discharges_per_py if discharges_per_py and discharges_per_py > 0 else math.nan
    else:
        per_py = -row.difference / 1000.0
    if not math.isfinite(per_py) or per_py == 0:
        return None
    return abs(cost_diff / per_py)


def _dkk(x: float) -> str:
    return f"{x:,.0f} DKK"


def _about(x: float) -> str:
    """A price to three significant figures: a point estimate should not look more precise than it is."""
    return _dkk(float(f"{x:.3g}"))


def _names(kpis) -> str:
    """'a', 'a and b', 'a, b and c'."""
    words = [OUTCOME_WORDS[k] for k in kpis]
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def judge(rows: Mapping[str, object], discharges_per_py: float | None = None) -> Verdict:
    """The verdict from a variant's paired differences (``rows``: KPI -> row with difference, ci_low,
    ci_high; group "all"). ``discharges_per_py``: the scenario's index discharges per patient-year, to turn a
    fall in the readmission rate into avoided readmissions."""
    cost = rows.get(COST)
    outcomes = [(k, unit, rows.get(k)) for k, unit in OUTCOMES if rows.get(k) is not None]
    if cost is None or not outcomes:
        return Verdict("not_judged", UNCLEAR, "Not judged: the cost per patient-year or every outcome "
                       f"({_names(k for k, _ in OUTCOMES)}) is missing from the comparison.", "not judged")
    c = direction(cost)
    dirs = {k: direction(r) for k, _, r in outcomes}
    dirs.update({k: wait_direction(rows[k]) for k in WAITS if rows.get(k) is not None})
    if c is None or any(d is None for d in dirs.values()):
        return Verdict("no_ci", UNCLEAR, "Not judged: one replication gives no confidence intervals, so no "
                       "difference can be told from chance.", "no CI (one replication)")
    better = tuple(k for k, d in dirs.items() if d == 1)
    worse = tuple(k for k, d in dirs.items() if d == -1)
    cost_words = (f"costs {_dkk(abs(cost.difference))} {'less' if c == 1 else 'more'} per patient-year" if c
                  else "its cost per patient-year is not distinguishable from the baseline's")
    first_better = next(((k, u, r) for k, u, r in outcomes if k in better), None)   # a counted outcome
    first_worse = next(((k, u, r) for k, u, r in outcomes if k in worse), None)

    def make(key, group, short, sentence, price=None, unit=""):
        return Verdict(key, group, sentence, short, better, worse, price, unit)

    if better and worse:
        return make("mixed", TRADE_OFF, "mixed outcomes",
                    f"Trade-off with mixed outcomes: {_names(better)} better, {_names(worse)} worse; {cost_words}.")
    if better:
        gain = f"lowers {_names(better)}"
        if c == 1:
            return make("dominant", BETTER, "dominant (cheaper and better)",
                        f"Dominant: it {cost_words} and {gain}.")
        if c == 0:
            return make("better", BETTER, "better, cost unchanged", f"Better at no distinguishable extra cost: it {gain}.")
        if first_better is None:   # only waits are better: no counted event to price
            return make("buys", TRADE_OFF, "pays for shorter waits",
                        f"Trade-off: it {cost_words} and {gain}; a wait is not a counted event, so no price per avoided "
                        "event is given.")
        k, unit, row = first_better
        price = _price(cost.difference, row, unit, discharges_per_py)
        priced = (f"about {_about(price)} per avoided {unit}" if price is not None
                  else f"no price per avoided {unit} (its count is unknown)")
        return make("buys", TRADE_OFF, f"pays for a gain: {_about(price)} per avoided {unit}" if price is not None
                    else "pays for a gain", f"Trade-off: it {cost_words} and {gain}: {priced} (point estimate).",
                    price, unit)
    if worse:
        loss = f"raises {_names(worse)}"
        if c == 1 and first_worse is None:
            return make("saves_at_loss", TRADE_OFF, "saves at longer waits",
                        f"Trade-off: it {cost_words} but {loss}.")
        if c == 1:
            k, unit, row = first_worse
            price = _price(cost.difference, row, unit, discharges_per_py)
            priced = f"about {_about(price)} saved per extra {unit}" if price is not None else "no saving per extra unit"
            return make("saves_at_loss", TRADE_OFF, f"saves at a loss: {_about(price)} per extra {unit}"
                        if price is not None else "saves at a loss",
                        f"Trade-off: it {cost_words} but {loss}: {priced} (point estimate).", price, unit)
        if c == 0:
            return make("worse", WORSE, "worse, no saving", f"Worse: it {loss} and {cost_words}.")
        return make("dominated", WORSE, "dominated (dearer and worse)", f"Dominated: it {cost_words} and {loss}.")
    unchanged = f"no outcome ({_names(dirs)}) is distinguishable from the baseline"
    if c == 1:
        return make("cheaper", BETTER, "cheaper, outcomes unchanged", f"Cheaper with nothing worse: it {cost_words}; {unchanged}.")
    if c == -1:
        return make("dearer", WORSE, "dearer, nothing gained", f"Dearer with nothing gained: it {cost_words}; {unchanged}.")
    return make("unchanged", UNCLEAR, "no distinguishable difference",
                f"Unclear: neither the cost nor any outcome ({_names(dirs)}) is distinguishable from the baseline.")
