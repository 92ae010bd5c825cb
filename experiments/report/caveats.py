"""Warnings generated from a sweep's results, carried in each scenario's summary row and block (a caveat
never lives only in the README).

* **queues that keep growing**: per queue, the ``queue_growing`` flag of group ``queue=<name>`` (written by
  every model run that has the queue-growth guard); a scenario whose replications mostly (more than half)
  flag a queue is warned, naming the queue. Without those rows, the daily queue series of the results window
  are checked instead (:data:`QUEUE_SERIES`, a linear trend per replication, :func:`series_growing`);
* **team waits longer than a stated limit** (``--max-team-wait``, default :data:`TEAM_WAIT_LIMIT_DAYS`);
* **warm-up not covered**: MSER-5's truncation point beyond the warm-up used, or at the end of its search
  range (the series does not settle);
* **outcomes that change partly by definition** (:data:`DEFINITIONS`, declared per KPI: what it does not
  count, the KPI that shows a scenario moved care there, and a KPI that counts both);
* **capacity limits** (:data:`LIMITS`): a KPI beyond a stated level, among them the overload KPIs (admissions
  placed at other hospitals, referrals seen elsewhere); another joins with one line in :data:`LIMITS` or
  :data:`DEFINITIONS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.outcomes import kpi_by_name

from .analysis import NOT_DISTINGUISHABLE, NO_CI, Sweep, Variant, values

TEAM_WAIT_LIMIT_DAYS = 30.0   # the 30-day right to a diagnostic workup (Region H 2018 l.1447) as the yardstick
MOSTLY = 0.5                  # a queue is warned when more than this share of replications flag it
# the fallback when the runs carry no queue=<name> rows: daily series that are queues (or grow with one)
QUEUE_SERIES = {"boarding": "patients boarding for a ward bed", "team_waiting_list": "patients waiting for a team place",
                "outpatient_lead_days": "days to the next free outpatient slot"}
GROWTH_SHARE = 0.5            # growth over the window of at least half the series' mean level ...
GROWTH_MIN = 5.0              # ... and at least 5 (patients or days), so noise around a small level is not growth


@dataclass(frozen=True)
class Caveat:
    kind: str     # queue, team wait, warm-up, definition, capacity
    short: str    # a few words for the summary row
    text: str     # the sentence in the scenario's block


@dataclass(frozen=True)
class Definition:
    """What a KPI does not count: when a scenario moves care into ``trigger`` (its mean rises above the
    baseline's), a change in any of ``affects`` is partly by definition; ``companion`` counts both."""
    trigger: str
    affects: tuple[str, ...]
    name: str     # for the summary row
    text: str
    companion: str | None = None


DEFINITIONS: tuple[Definition, ...] = (
    Definition("municipal_acute_stays_per_1000py",
               ("acute_admissions_per_1000py", "readmission_rate_30d", "readmissions_30d", "bed_days_per_1000py"),
               "municipal acute stays are not admissions",
               "a stay in a municipal acute bed is not a hospital admission, so acute admissions, 30-day readmissions "
               "and bed days do not count it: part of their fall is by definition", "acute_care_return_rate_30d"),
    Definition("direct_ward_admissions_per_1000py", ("ed_visits_per_1000py",), "direct ward admissions skip the ED",
               "the discharging ward admits some patients directly, without an emergency-department visit, so part "
               "of the fall in ED visits is by definition"),
    Definition("control_transfers", ("outpatient_visits_per_1000py", "control_visits_per_1000py"),
               "controls moved to GPs leave outpatient counts", "controls handed to general practice leave the hospital's outpatient counts, so part of their fall "
               "is by definition (the GP contacts count them)", "gp_contacts_per_1000py"),
)


@dataclass(frozen=True)
class Limit:
    kpi: str
    name: str     # for the summary row, followed by the level
    text: str
    above: float | None = None
    below: float | None = None


LIMITS: tuple[Limit, ...] = (
    Limit("medical_bed_occupancy", "medical beds in use", "medical wards more than 95% full on average: admissions "
          "wait for beds", above=0.95),
    Limit("rtt_compliance_all", "30-day right met for", "fewer than 90% of new referrals seen within the 30-day right",
          below=0.90),
    # overload (sim/agents/ward_pressure.py): care the hospital could not give, bought elsewhere by the region
    Limit("other_hospital_admission_share_all", "admissions at other hospitals", "more than 2% of admissions placed at "
          "another hospital for want of a bed (the region pays; cost_region_dkk)", above=0.02),
    Limit("outpatient_referrals_elsewhere_share_all", "new referrals seen elsewhere", "more than 5% of new referrals "
          "seen elsewhere because the clinic could not see them within the 30-day right (the region pays)", above=0.05),
)


def _mean(sweep: Sweep, variant: Variant, kpi: str, group: str = "all") -> float:
    v = values(sweep, variant, kpi, group)
    return float(v.mean()) if len(v) else float("nan")


def queue_names(sweep: Sweep) -> list[str]:
    groups = sweep.kpis.group.drop_duplicates()
    return sorted(g.split("=", 1)[1] for g in groups if g.startswith("queue="))


def queue_caveats(sweep: Sweep, variant: Variant, baseline: Variant | None) -> list[Caveat]:
    out = []
    for name in queue_names(sweep):
        flags = values(sweep, variant, "queue_growing", f"queue={name}")
        if flags.empty or (flags >= 0.5).mean() <= MOSTLY:
            continue
        trend = _mean(sweep, variant, "queue_trend_per_year", f"queue={name}")
        length = _mean(sweep, variant, "queue_length_mean", f"queue={name}")
        also = ""
        if baseline is not None and baseline != variant:
            base = values(sweep, baseline, "queue_growing", f"queue={name}")
            also = " (as in the baseline)" if len(base) and (base >= 0.5).mean() > MOSTLY else " (not in the baseline)"
        out.append(Caveat("queue", f"queue growing: {name}",
                          f"The queue {name} keeps growing{also} in {int((flags >= 0.5).sum())} of {len(flags)} "
                          f"replications (mean length {length:,.1f}, {trend:+,.1f} a year): it never settles, so its "
                          "waits depend on how long the run is; read them as unsustainable at this capacity."))
    return out


def series_growing(day: np.ndarray, y: np.ndarray) -> tuple[bool, float]:
    """(growing, growth over the window) of one replication's daily series by its least-squares line."""
    ok = np.isfinite(y)
    if ok.sum() < 10 or np.ptp(day[ok]) == 0:
        return False, 0.0
    slope = np.polyfit(day[ok], y[ok], 1)[0]
    growth = float(slope * np.ptp(day[ok]))
    return bool(growth >= max(GROWTH_MIN, GROWTH_SHARE * abs(float(np.mean(y[ok]))))), growth


def series_queue_caveats(sweep: Sweep, variant: Variant, baseline: Variant | None) -> list[Caveat]:
    """The fallback check on the daily series of the results window (no queue=<name> rows in the sweep)."""
    s = sweep.series
    if s is None:
        return []
    warmup = float(sweep.meta["warmup_days"])

    def verdicts(v: Variant, column: str) -> list[tuple[bool, float]]:
        mine = s[(s.scenario == v.scenario) & (s.parameters == v.parameters) & (s.day > warmup)]
        return [series_growing(g.day.to_numpy(float), g[column].to_numpy(float))
                for _, g in mine.groupby("replication")]

    out = []
    for column, words in QUEUE_SERIES.items():
        if column not in s.columns:
            continue
        flags = verdicts(variant, column)
        if not flags or np.mean([f for f, _ in flags]) <= MOSTLY:
            continue
        also = ""
        if baseline is not None and baseline != variant:
            base = verdicts(baseline, column)
            also = " (as in the baseline)" if base and np.mean([f for f, _ in base]) > MOSTLY else " (not in the baseline)"
        growth = np.mean([g for _, g in flags])
        out.append(Caveat("queue", f"queue growing: {column.replace('_', ' ')}",
                          f"The daily series of {words} keeps rising over the results window{also} in "
                          f"{sum(f for f, _ in flags)} of {len(flags)} replications (by {growth:,.1f} on average): the "
                          "queue does not settle, so its waits depend on how long the run is."))
    return out


def team_kinds(sweep: Sweep, variant: Variant) -> list[str]:
    """The kinds of team a variant has (``health_coach_3`` and ``health_coach_7`` are one kind)."""
    k = sweep.kpis
    groups = k.group[(k.scenario == variant.scenario) & (k.parameters == variant.parameters)].drop_duplicates()
    return sorted({re.sub(r"_\d+$", "", g.split("=", 1)[1]) for g in groups if g.startswith("team=")})


def team_wait_caveats(sweep: Sweep, variant: Variant, waits: pd.DataFrame, limit: float) -> list[Caveat]:
    """``waits``: compare.wait_values (team intake waits per kind of team, labelled 'label' or 'label · kind')."""
    label = variant.label
    mine = waits[(waits.kpi == "team_intake_wait_mean_days")
                 & ((waits.label == label) | waits.label.str.startswith(f"{label} · "))]
    kinds = team_kinds(sweep, variant)
    out = []
    for who, g in mine.groupby("label", sort=False):
        mean = float(g.value.mean())
        if np.isfinite(mean) and mean > limit:
            kind = who.split(" · ", 1)[1] if " · " in who else (kinds[0] if len(kinds) == 1 else "team")
            out.append(Caveat("team wait", f"{kind} wait {mean:,.0f} d > {limit:g} d",
                              f"Patients referred to the {kind.replace('_', ' ')} wait {mean:,.0f} days on average for "
                              f"a place (limit stated for this report: {limit:g} days): the team is full, so what it "
                              "does reaches patients late or not at all."))
    return out


def warmup_caveats(warmup: pd.DataFrame, label: str) -> list[Caveat]:
    if warmup.empty:
        return []
    mine = warmup[warmup.label == label]
    out = []
    late = mine[~mine.covered]
    if len(late):
        worst = late.sort_values("mser5_truncation_days").iloc[-1]
        names = ", ".join(s.replace("_", " ") for s in late.series)
        out.append(Caveat("warm-up", "warm-up not covered",
                          f"Warm-up not covered: MSER-5 truncates {names} at up to {int(worst.mser5_truncation_days)} "
                          f"days, beyond the {worst.warmup_days_used:g} days used: the results window still holds a "
                          "start-up or phase-in transient (the start was empty, or the scenario is still taking effect)."))
    unsettled = mine[mine.at_search_limit]
    if len(unsettled):
        out.append(Caveat("warm-up", "series never settle",
                          "MSER-5 truncates " + ", ".join(s.replace("_", " ") for s in unsettled.series)
                          + " at the end of its search range: these series may not settle within the run."))
    return out


def definition_caveats(sweep: Sweep, variant: Variant, baseline: Variant | None, diffs: pd.DataFrame) -> list[Caveat]:
    if baseline is None or diffs.empty:
        return []
    rows = {r.kpi: r for r in diffs[diffs.label == variant.label].itertuples(index=False)}
    out = []
    for d in DEFINITIONS:
        moved, base = _mean(sweep, variant, d.trigger), _mean(sweep, baseline, d.trigger)
        changed = [k for k in d.affects if k in rows and rows[k].verdict not in (NOT_DISTINGUISHABLE, NO_CI)]
        if not (np.isfinite(moved) and moved > 0 and moved > (base if np.isfinite(base) else 0.0)) or not changed:
            continue
        unit = kpi_by_name()[d.trigger].unit
        text = f"Partly by definition: {d.text} ({d.trigger} {moved:,.3g} {unit} against {base:,.3g} in the baseline)."
        if d.companion and d.companion in rows:
            r = rows[d.companion]
            text += (f" {d.companion}, which counts both, changes by {r.difference:+.4g} "
                     f"[{r.ci_low:+.4g}, {r.ci_high:+.4g}] ({r.verdict}).")
        out.append(Caveat("definition", f"partly by definition: {d.name}", text))
    return out


def _level(value: float, kpi: str) -> str:
    return f"{value:.1%}" if kpi_by_name()[kpi].unit.startswith("share") else f"{value:,.3g}"


def limit_caveats(sweep: Sweep, variant: Variant, baseline: Variant | None) -> list[Caveat]:
    out = []
    for lim in LIMITS:
        mean = _mean(sweep, variant, lim.kpi)
        if not np.isfinite(mean) or not ((lim.above is not None and mean > lim.above)
                                         or (lim.below is not None and mean < lim.below)):
            continue
        base = _mean(sweep, baseline, lim.kpi) if baseline is not None and baseline != variant else float("nan")
        extra = f" (baseline {_level(base, lim.kpi)})" if np.isfinite(base) else ""
        out.append(Caveat("capacity", f"{lim.name} {_level(mean, lim.kpi)}",
                          f"Capacity: {lim.text}: {lim.kpi} {_level(mean, lim.kpi)}{extra}."))
    return out


def caveats_for(sweep: Sweep, variant: Variant, diffs: pd.DataFrame, warmup: pd.DataFrame, waits: pd.DataFrame,
                team_wait_limit: float = TEAM_WAIT_LIMIT_DAYS) -> list[Caveat]:
    """Every warning for one variant (the baseline too), in the order a reader should see them."""
    baseline = sweep.baseline_of(variant) if variant.scenario != sweep.baseline else None
    queues = (queue_caveats(sweep, variant, baseline) if queue_names(sweep)
              else series_queue_caveats(sweep, variant, baseline))
    return [*queues, *team_wait_caveats(sweep, variant, waits, team_wait_limit), *limit_caveats(sweep, variant, baseline),
            *definition_caveats(sweep, variant, baseline, diffs), *warmup_caveats(warmup, variant.label)]
