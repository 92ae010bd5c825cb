"""Queueing verification: the ward against Erlang-C, and Little's law on the model's own queues."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.validated import from_overrides
from sim.model import CareModel


def erlang_c(lam: float, mu: float, c: int) -> tuple[float, float]:
    """(probability of waiting, mean wait in queue Wq) of an M/M/c queue."""
    a = lam / mu
    rho = a / c
    assert rho < 1
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / math.factorial(c) / (1.0 - rho)
    p_wait = tail / (head + tail)
    return p_wait, p_wait / (c * mu - lam)


def test_erlang_c_reference_values():
    # M/M/1: Wq = rho / (mu - lam)
    assert erlang_c(0.5, 1.0, 1)[1] == pytest.approx(0.5 / 0.5)
    # textbook M/M/2 with a = 1 (rho = 0.5): P(wait) = 1/3, Wq = (1/3) / (2 - 1)
    p, wq = erlang_c(1.0, 1.0, 2)
    assert p == pytest.approx(1 / 3) and wq == pytest.approx(1 / 3)


# -- (a) Erlang-C ------------------------------------------------------------------------------------
# A catchment with no chronic patients and no GP->ED referrals: the medical ward sees only the Poisson
# background admissions with exponential stays, i.e. an M/M/c queue (SimPy's Resource is FIFO, and the
# mean wait of M/M/c does not depend on the order of service anyway).
INHABITANTS = 10_000   # only rates per 1,000 matter; a small list keeps the daily GP background cheap
MEAN_STAY = 4.0        # days
WARMUP = 100


class MMC:
    def __init__(self, beds: int, rho: float, years: int, replications: int):
        self.beds, self.rho, self.years, self.replications = beds, rho, years, replications
        self.arrivals_per_day = rho * beds / MEAN_STAY

    def __repr__(self):
        return f"M/M/{self.beds} rho={self.rho}"


CASES = [
    # default suite: c = 10, rho = 0.8, 8 replications x 30 years (~22,000 admissions each), ~10 s
    pytest.param(MMC(beds=10, rho=0.8, years=30, replications=8), id="c10-rho0.8"),
    # heavier traffic, where waits are long and slow to converge: 20 replications x 50 years
    pytest.param(MMC(beds=5, rho=0.9, years=50, replications=20), id="c5-rho0.9", marks=pytest.mark.slow),
]


@pytest.fixture(scope="module", params=CASES)
def mmc(request, no_patients):
    case: MMC = request.param
    per_1000 = INHABITANTS / 1000
    cfg = from_overrides({
        **no_patients,
        "population.inhabitants": INHABITANTS,
        "population.general_practitioners": 2,
        "population.municipality_names": ["North", "South"],
        "population.municipality_shares": [0.5, 0.5],
        "pathways.background_los_distribution": "exponential",
        "pathways.background_referral_destinations": [0, 0, 0, 0, 0, 0],
        "pathways.background_acute_admissions_per_1000": [case.arrivals_per_day * 365 / per_1000, 0.0],
        "pathways.background_los_mean_days": [MEAN_STAY, 12.0],
        "capacity.medical_beds_per_1000": case.beds / per_1000,
        "run.years": case.years, "run.warmup_days": WARMUP, "run.event_log": False, "seed": 2024,
        "overload.enabled": False,  # a plain queue: no corridor beds, early discharges or transfers
    })
    runs = []
    for k in range(case.replications):
        model = CareModel(cfg, k)
        model.run()
        assert model.medical_ward.beds_count == case.beds
        adm = model.recorder.table("admissions")
        assert (adm.person_id == -1).all()
        med = adm[adm.ward == "medical_ward"]
        # Arrivals in the results window, except the last 60 days: those may still be in bed at the end
        # and have no row yet (a wait + stay over 60 days is vanishingly rare at these loads).
        med = med[(med.arrival >= model.results_start) & (med.arrival <= model.end_time - 60)]
        runs.append({
            "wait": float((med.admitted - med.arrival).mean()),
            "p_wait": float((med.admitted > med.arrival).mean()),
            "stay": float((med.left - med.admitted).mean()),
            "n": len(med),
            "busy": model.medical_ward.occupied.mean(model.results_start, model.end_time),
            "arrival_rate": len(med) / (model.end_time - 60 - model.results_start),
        })
    return case, runs


def _t_interval(values, level=0.99):
    values = np.asarray(values, float)
    mean = values.mean()
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return mean, half


def test_mmc_inputs_are_as_configured(mmc):
    # >= 10,000 arrivals per replication: Poisson counts and exponential stay means are within ~2%.
    case, runs = mmc
    rate = np.mean([r["arrival_rate"] for r in runs])
    stay = np.mean([r["stay"] for r in runs])
    assert rate == pytest.approx(case.arrivals_per_day, rel=0.02)
    assert stay == pytest.approx(MEAN_STAY, rel=0.02)
    # utilisation = a / c: the time-averaged busy beds are the offered load (within 2%)
    busy = np.mean([r["busy"] for r in runs])
    assert busy == pytest.approx(case.arrivals_per_day * MEAN_STAY, rel=0.02)


def test_mean_bed_wait_matches_erlang_c(mmc):
    """Mean wait for a bed vs Erlang-C Wq.

    Tolerance: the 99% t-interval over independent replications. At rho = 0.8 (c = 10) the
    replication means of 30 simulated years scatter by ~9% (waits are strongly autocorrelated), so
    the half-width is ~12% of Wq. We also require the half-width to be below 15% of Wq, so the test
    has the power to catch a systematically wrong queue (a lost or extra bed moves Wq by 40-70%).
    P(wait) is checked the same way (its interval is a few percentage points).
    """
    case, runs = mmc
    p_theory, wq_theory = erlang_c(case.arrivals_per_day, 1.0 / MEAN_STAY, case.beds)
    mean, half = _t_interval([r["wait"] for r in runs])
    assert half < 0.15 * wq_theory, f"not enough precision: ±{half:.3f} days"
    assert abs(mean - wq_theory) <= half, f"mean wait {mean:.3f} ± {half:.3f} days, Erlang-C {wq_theory:.3f} days"
    p_mean, p_half = _t_interval([r["p_wait"] for r in runs])
    assert abs(p_mean - p_theory) <= max(p_half, 0.01), f"P(wait) {p_mean:.3f} ± {p_half:.3f}, Erlang-C {p_theory:.3f}"


# -- (b) Little's law on the model's own queues ------------------------------------------------------
def _window_rows(run, ward, by: str, places=("ward",)):
    adm = run.table("admissions")
    rows = adm[(adm.ward == ward.name) & adm.place.isin(places)]
    return rows[rows[by].between(run.t0, run.t1)]


@pytest.fixture(scope="module")
def congested(small_overrides, model_runner):
    """The small catchment with a third more acute background admissions: the wards fill, patients wait
    for beds, and some waits end with a transfer to another ward or hospital."""
    return model_runner(from_overrides(small_overrides({
        "pathways.background_acute_admissions_per_1000": [34.0, 2.7], "run.years": 2, "run.event_log": False})))


@pytest.mark.parametrize("ward_attr", ["medical_ward", "psychiatric_ward"])
def test_littles_law_boarding_queue(congested, ward_attr):
    """L = lambda W for the boarding queue (waiting for a bed), patients and background together, every way a
    wait ends (a bed, another ward, another hospital, a death).

    Little's law is a sample-path identity up to edge effects: requests that straddle t0 or t1, and
    requests still in bed at t1 (the admissions table has a row only once the bed is left). The open
    requests at an edge are those boarding then plus (at t1) those in bed, each missing about one mean
    wait, so we allow 3 x (places + queue at t0 + queue at t1) x W / T on top of 2%.
    """
    ward = getattr(congested.model, ward_attr)
    rows = _window_rows(congested, ward, "arrival", places=("ward", "other_ward", "other_hospital", "died_waiting"))
    span = congested.t1 - congested.t0
    lam = len(rows) / span
    wait = float((rows.admitted - rows.arrival).mean())
    L = ward.boarding.mean(congested.t0, congested.t1)
    assert L > 0.01, "the queue should be non-trivial in a congested catchment"
    assert (rows.place != "ward").any(), "some waits end with a transfer"
    ts = congested.timeseries.set_index("day")
    queue_t0 = ts.boarding.loc[congested.t0]   # both wards: an upper bound for this one
    edge = 3 * (ward.beds.capacity + queue_t0 + ward.boarding.level) * wait / span
    assert abs(L - lam * wait) <= 0.02 * L + edge, f"L={L:.4f}, lambda*W={lam * wait:.4f}, edge allowance {edge:.4f}"


@pytest.mark.parametrize("ward_attr", ["medical_ward", "psychiatric_ward"])
def test_littles_law_bed_occupancy(baseline, ward_attr):
    """Mean beds in use = admissions per day x mean time in bed (including delayed-discharge days).

    Edge effects: stays open at t0 or t1 (at most `places` at each edge, each about one mean stay of
    in-window time missing from lambda x S) -> allow 2 x places x S / T plus 2%.
    """
    ward = getattr(baseline.model, ward_attr)
    rows = _window_rows(baseline, ward, "admitted")
    span = baseline.t1 - baseline.t0
    lam = len(rows) / span
    stay = float((rows.left - rows.admitted).mean())
    L = ward.occupied.mean(baseline.t0, baseline.t1)
    edge = 2 * ward.beds.capacity * stay / span
    assert abs(L - lam * stay) <= 0.02 * L + edge, f"L={L:.3f}, lambda*S={lam * stay:.3f}, edge allowance {edge:.3f}"
    # and the occupancy KPI is this same time average, per normed bed (above 1 with corridor beds in use)
    kpi = baseline.all[f"{ward_attr.split('_')[0]}_bed_occupancy"]
    assert kpi == pytest.approx(L / ward.beds_count, rel=1e-12)


def test_littles_law_home_nursing(baseline):
    """Mean home-nursing places in use = starts per day x mean episode length, per municipality (an
    episode ends early when the person dies or moves away)."""
    hn = baseline.table("home_nursing")
    exits = baseline.table("exits").set_index("person_id").time
    span = baseline.t1 - baseline.t0
    for mu in baseline.model.municipalities:
        rows = hn[(hn.municipality == mu.index) & hn.started.between(baseline.t0, baseline.t1)]
        ends = np.minimum(rows.started + rows.days, exits.reindex(rows.person_id).fillna(np.inf).to_numpy())
        days = float((ends - rows.started).mean())
        L = mu.in_use.mean(baseline.t0, baseline.t1)
        edge = 2 * mu.places * days / span   # episodes open at t0 or running past t1
        assert abs(L - len(rows) / span * days) <= 0.02 * L + edge
