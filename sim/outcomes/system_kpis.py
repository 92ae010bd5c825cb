"""The core system KPIs (group ``all`` only): waits including background demand, follow-up, cost
concentration and the use of beds, slots and places. Formulas read the results window ``w`` and the
window-wide measures declared here. The order of the tuples is the order of the KPI table."""

from __future__ import annotations

import numpy as np

from ..capacity_calendar import level_integral
from ..costs import top_share
from ..kpi import KPI, Measure, ratio


def mean_level(levels: list[tuple[float, float]], constant: float, t0: float, t1: float) -> float:
    """Time-averaged planned capacity; the constant itself when the calendar does not change it."""
    if len(levels) == 1 or t1 <= t0:
        return constant
    return level_integral(levels, t0, t1) / (t1 - t0)


def mean_beds(ward, t0: float, t1: float) -> float:
    return mean_level(ward.capacity_levels, ward.beds_count, t0, t1)


def _background_referrals(w):
    bg = w.rec.table("outpatient_background")
    return bg[bg.requested.between(w.t0, w.t1)]


def _gp_background(w):
    gpb = w.rec.table("gp_background")
    return gpb[gpb.day.between(int(w.t0), int(w.t1) - 1)]


def _gp_referral_fraction(w) -> float:
    gpb = _gp_background(w)
    return ratio(gpb.referred.sum() + int(w.gp_table.referred.sum()), gpb.contacts.sum() + len(w.gp_table))


def _rtt_compliance_all(w) -> float:
    bg = w.background_referrals
    return ratio(w.new_ref_within.sum() + bg["count"][w.background_waits <= w.model.cfg.pathways.rtt_days].sum(),
                 w.new_referrals_all)


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value with at least a share ``q`` of the weight at or below it (inverted CDF)."""
    total = weights.sum()
    if total <= 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][min(len(values) - 1, np.searchsorted(cumulative, q * total))])


def _wait_tail(w) -> dict[str, float]:
    """The tail of the new-referral waits (chronic and background) and the overshoot beyond the right: what a
    binary 30-day share hides (Region H 2018 l.1449-1455)."""
    bg_count = w.background_referrals["count"].to_numpy()
    waits = np.concatenate([w.new_ref_waits, w.background_waits]).astype(float)
    people = np.concatenate([np.ones(len(w.new_ref_waits)), bg_count]).astype(float)
    over = np.clip(waits - w.model.cfg.pathways.rtt_days, 0.0, None)
    breached = over > 0
    return {
        "outpatient_new_referral_wait_p95_days_all": _weighted_quantile(waits, people, 0.95),
        "outpatient_new_referral_wait_max_days_all": float(waits[people > 0].max()) if (people > 0).any() else float("nan"),
        "rtt_overshoot_mean_days_all": ratio((over * people)[breached].sum(), people[breached].sum()) if breached.any() else 0.0,
    }


def _cost_concentration(w) -> tuple[float, float]:
    """Top-4% cost share in results year 1, and how many of that top 4% are again in the top 4% in year 2."""
    year_costs = [w.span(w.t0 + 365.0 * k, w.t0 + 365.0 * (k + 1)).costs["total"].to_numpy()
                  for k in range(2) if w.t0 + 365.0 * (k + 1) <= w.t1 + 1e-9]
    share = persistence = float("nan")
    if year_costs:
        share = top_share(year_costs[0][w.present], 0.04)
    if len(year_costs) == 2:
        c1, c2 = year_costs
        k = max(1, int(round(0.04 * w.present.sum())))
        persistence = len(set(np.argsort(-c1)[:k]) & set(np.argsort(-c2)[:k])) / k
    return share, persistence


def _gp_utilisation(w) -> float:
    booked = capacity = 0
    for practice in w.model.practices:
        b, c = practice.utilisation(int(w.t0), int(w.t1))
        booked, capacity = booked + b, capacity + c
    return ratio(booked, capacity)


def _outpatient_utilisation(w) -> float:
    d0, d1 = int(w.t0), int(w.t1)
    books = [b for c in w.model.clinics for b in (c.book, c.reserve) if b is not None]
    return ratio(sum(b.booked_between(d0, d1) for b in books), sum(b.capacity_between(d0, d1) for b in books))


def _home_nursing_utilisation(w) -> float:
    municipalities = w.model.municipalities
    places = sum(mean_level(mu.capacity_levels, mu.places, w.t0, w.t1) for mu in municipalities)
    return ratio(sum(mu.in_use.mean(w.t0, w.t1) for mu in municipalities), places)


MEASURES: tuple[Measure, ...] = (
    Measure("background_referrals", _background_referrals),
    Measure("background_waits", lambda w: (w.background_referrals.appointment - w.background_referrals.requested).to_numpy()),
    Measure("new_referrals_all", lambda w: w.new_ref_n.sum() + w.background_referrals["count"].sum()),
    Measure("wait_tail", _wait_tail),
    Measure("cost_concentration", _cost_concentration),
)

GP_REFERRALS: tuple[KPI, ...] = (
    KPI("gp_referral_fraction", "share of GP contacts", "share of all GP contacts (chronic and background) referred on to the hospital", "system",
        _gp_referral_fraction),
)
WAITS: tuple[KPI, ...] = (
    KPI("boarding_wait_mean_hours_all", "hours", "mean wait for a ward bed after the decision to admit, everyone including background (a wait that ended without a bed, by death or at the end of the run, counts with its length so far)", "system",
        lambda w: ratio(((w.admissions_all.admitted - w.admissions_all.arrival) * 24.0).sum(), len(w.admissions_all))),
    KPI("outpatient_new_referral_wait_mean_days_all", "days", "mean wait of all new referrals to the modelled clinics, including background", "system",
        lambda w: ratio(w.new_ref_wait_sum.sum() + (w.background_waits * w.background_referrals["count"]).sum(), w.new_referrals_all)),
    KPI("rtt_compliance_all", "share of new referrals", "share of all new referrals to the modelled clinics seen within 30 days", "system",
        _rtt_compliance_all),
    KPI("outpatient_new_referral_wait_p95_days_all", "days", "95th percentile of the wait of all new referrals to the modelled clinics, including background (the tail a binary 30-day KPI ignores, Region H 2018 l.1455)", "system",
        lambda w: w.wait_tail["outpatient_new_referral_wait_p95_days_all"]),
    KPI("outpatient_new_referral_wait_max_days_all", "days", "longest wait of a new referral to the modelled clinics, including background", "system",
        lambda w: w.wait_tail["outpatient_new_referral_wait_max_days_all"]),
    KPI("rtt_overshoot_mean_days_all", "days", "mean days beyond the 30-day right among all new referrals seen after it, 0 when none is (the overshoot the compliance share does not count, Region H 2018 l.1454-1455)", "system",
        lambda w: w.wait_tail["rtt_overshoot_mean_days_all"]),
)

CAPACITY_USE: tuple[KPI, ...] = (
    KPI("cost_share_top_4pct", "share of cost", "share of chronic patients' cost in the first results year used by the costliest 4% (VIVE 2018 l.2116-2117 reports 50% for the whole population)", "system",
        lambda w: w.cost_concentration[0]),
    KPI("high_cost_persistence", "share of patients", "share of the costliest 4% in the first results year still in the costliest 4% the next year (SST 2013 l.1191-1192: about 15% for Stockholm's top 1%)", "system",
        lambda w: w.cost_concentration[1]),
    KPI("medical_bed_occupancy", "beds in use per normed bed", "time-averaged medical beds in use per normed bed (above 1 when corridor beds are in use)", "system",
        lambda w: ratio(w.model.medical_ward.occupied.mean(w.t0, w.t1), mean_beds(w.model.medical_ward, w.t0, w.t1))),
    KPI("psychiatric_bed_occupancy", "beds in use per normed bed", "time-averaged psychiatric beds in use per normed bed (above 1 when corridor beds are in use)", "system",
        lambda w: ratio(w.model.psychiatric_ward.occupied.mean(w.t0, w.t1), mean_beds(w.model.psychiatric_ward, w.t0, w.t1))),
    KPI("gp_utilisation", "share of slots", "booked share of GP appointment capacity", "system",
        _gp_utilisation),
    KPI("outpatient_utilisation", "share of slots", "booked share of outpatient appointment capacity", "system",
        _outpatient_utilisation),
    KPI("home_nursing_utilisation", "share of places", "time-averaged share of post-discharge home-nursing places in use", "system",
        _home_nursing_utilisation),
)
