"""Random valid configurations, checked against invariants that must hold for every input the model accepts.

Thirty configurations are drawn with a fixed seed (so a failure is reproducible: the test id names the draw):
a scenario file or a compatible pair, a payment model, a seed, a short horizon, and values of the uncertain
parameters, capacities and population shares within the ranges the sensitivity screening uses. Each runs one
replication of the small catchment (about a second) and must satisfy:

* nothing negative, except what is a difference by definition (results, net spending, a move's net cost and day);
* every share within [0, 1];
* beds in use never above that day's capacity (the capacity calendar changes it);
* payer costs add up to the total, and so do the four net-spending lines (every group);
* every additive KPI (persons, patient-years, readmissions, DKK) of a partition of the patients (risk tiers,
  vulnerable or not, number of conditions) adds up to the group "all".

Fixed edge cases join the draws (:data:`EDGES`). Tolerances: sums are compared with a relative tolerance of 1e-9 (float rounding of a few thousand terms).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from experiments.sensitivity_factors import FACTORS
from sim.agents.ward_pressure import ward_places
from sim.capacity_calendar import CapacityPlan
from sim.costs import PAYERS
from sim.config import ConfigError
from sim.hydra_app import CONFIG_DIR, compose_config
from sim.outcomes import KPI_SCHEMA
from sim.payment import NET_SPENDING_PAYERS
from sim.runner import run_replication

DRAWS = 30
SCENARIOS = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))
PARTITIONS = {"tier": ("tier=high", "tier=moderate", "tier=low"),
              "vulnerable": ("vulnerable=yes", "vulnerable=no"),
              "conditions": ("conditions=1", "conditions=2", "conditions=3+")}
ADDITIVE_UNITS = ("persons", "patient-years", "admissions", "DKK")
SIGNED = {"hospital_result_dkk", "move_day", "move_capacity_cost_net_dkk", "queue_trend_per_year",
          *(f"net_spending_{payer}_dkk" for payer in NET_SPENDING_PAYERS)}


def draw(k: int) -> list[str]:
    """The overrides of draw k (a random.Random seeded by k: the same configuration in every run)."""
    rng = random.Random(1000 + k)
    if rng.random() < 0.3:
        pairs = list(itertools.combinations([s for s in SCENARIOS if s != "baseline"], 2))
        scenario = "[" + ",".join(rng.choice(pairs)) + "]"
    else:
        scenario = rng.choice(SCENARIOS)
    overrides = ["population=small", "run.event_log=false", f"scenario={scenario}",
                 f"payment={rng.choice(['drg', 'budget', 'mixed'])}", f"seed={rng.randrange(10_000)}",
                 f"run.years={rng.uniform(0.05, 0.15):.3f}", f"run.warmup_days={rng.choice([0, 10, 30])}",
                 f"population.vulnerable_share={rng.uniform(0.05, 0.5):.3f}",
                 f"risk_tiers.high_share={rng.uniform(0.05, 0.2):.3f}",
                 f"capacity.psychiatric_beds_per_1000={rng.uniform(0.1, 0.3):.3f}",
                 f"capacity.home_nursing_places_per_1000={rng.uniform(0.3, 1.2):.3f}"]
    for factor in rng.sample([f for f in FACTORS if not f.scale], 4):   # (scale factors multiply a list)
        overrides.append(f"{factor.key}={rng.uniform(factor.lo, factor.hi):.4g}")
    return overrides


# Fixed cases at the edges the draws rarely reach: staffed municipal acute beds nobody is sent to (their cost
# must still reach the patient groups, not only "all").
EDGES = {"unused_municipal_beds": ["population=small", "run.event_log=false", "scenario=municipal_acute_beds",
                                   "scenario.municipal_acute_beds.p_suitable=0.001", "run.years=0.1",
                                   "run.warmup_days=0"]}
CASES = {**{f"draw{k}": draw(k) for k in range(DRAWS)}, **EDGES}


def _config(overrides: list[str]):
    try:
        return compose_config(overrides)
    except ConfigError as err:   # a pair that cannot combine: the next scenario file alone instead
        assert "both set scenario." in str(err), err
        return compose_config([o for o in overrides if not o.startswith("scenario=")] + ["scenario=baseline"])


# about a second per configuration: slow (make test runs it; make test-fast leaves it out)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=list(CASES))
def run(request):
    cfg = _config(CASES[request.param])
    result = run_replication(cfg, 0)
    return cfg, result.tidy_kpis(cfg), result.timeseries


def test_nothing_negative_and_shares_within_0_and_1(run):
    cfg, kpis, series = run
    values = kpis.dropna(subset=["value"])
    negative = values[(values.value < -1e-9) & ~values.kpi.isin(SIGNED)]
    assert negative.empty, f"{cfg.scenario.name}: negative values\n{negative.head(10)}"
    shares = values[values.unit.str.startswith("share")]
    outside = shares[(shares.value < -1e-12) | (shares.value > 1 + 1e-12)]
    assert outside.empty, f"{cfg.scenario.name}: shares outside [0, 1]\n{outside.head(10)}"
    assert (series.drop(columns=["replication", "day"]).fillna(0).to_numpy() >= 0).all()


def test_beds_in_use_never_exceed_that_days_capacity(run):
    cfg, _, series = run
    plan = CapacityPlan(cfg)
    for ward, column in (("medical_ward", "medical_beds_occupied"), ("psychiatric_ward", "psychiatric_beds_occupied")):
        levels = plan.ward_levels(ward)
        starts = np.array([t for t, _ in levels])
        beds = np.array([b for _, b in levels])
        # the calendar's beds plus the corridor beds over-occupancy allows (sim/agents/ward_pressure.py)
        places = np.array([ward_places(int(b), cfg.overload) for b in beds])
        capacity = places[np.searchsorted(starts, series.day.to_numpy(), side="right") - 1]
        assert (series[column].to_numpy() <= capacity + 1e-9).all(), (cfg.scenario.name, ward)


def test_payer_costs_and_net_spending_add_up_to_the_total(run):
    cfg, kpis, _ = run
    wide = kpis.pivot_table(index="group", columns="kpi", values="value", aggfunc="first")
    wide = wide[wide.index.str.contains("=") | (wide.index == "all")].dropna(subset=["cost_total_dkk"])
    payers = wide[[f"cost_{p}_dkk" for p in PAYERS]].sum(axis=1)
    np.testing.assert_allclose(payers, wide.cost_total_dkk, rtol=1e-9, atol=1e-6)
    net = wide[[f"net_spending_{p}_dkk" for p in NET_SPENDING_PAYERS]].sum(axis=1)
    np.testing.assert_allclose(net, wide.cost_total_dkk, rtol=1e-9, atol=1e-6)


def test_every_additive_kpi_of_a_partition_adds_up_to_all(run):
    cfg, kpis, _ = run
    per_group = [k.name for k in KPI_SCHEMA if k.scope == "group" and k.unit in ADDITIVE_UNITS]
    additive = kpis[kpis.kpi.isin(per_group)]
    wide = additive.pivot_table(index="kpi", columns="group", values="value", aggfunc="first")
    assert wide.loc["patients", "all"] > 0
    for name, groups in PARTITIONS.items():
        total = wide[list(groups)].fillna(0.0).sum(axis=1)
        np.testing.assert_allclose(total, wide["all"], rtol=1e-9, atol=1e-6,
                                   err_msg=f"{cfg.scenario.name}: groups of {name} do not add up to all")


def test_the_draws_cover_scenarios_payments_and_pairs():
    drawn = [draw(k) for k in range(DRAWS)]
    scenarios = {o for d in drawn for o in d if o.startswith("scenario=")}
    assert len(scenarios) >= 12 and any("[" in s for s in scenarios)
    assert {o for d in drawn for o in d if o.startswith("payment=")} == {"payment=drg", "payment=budget", "payment=mixed"}
    assert Path(CONFIG_DIR).is_dir() and len(SCENARIOS) >= 15
