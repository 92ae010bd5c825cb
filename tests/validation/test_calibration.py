"""Calibration targets of the baseline (small catchment, 2 results years, default warm-up, 3 replications).

Targets and their sources:
* GP referral fraction ~10% (Slides l.41-44: GPs close about 90% of contacts and send 10% on);
  accepted range [0.085, 0.115].
* 30-day readmission rate in the documented calibration range [0.08, 0.20]
  (pathways.post_discharge_ratio: "calibrated to a 30-day readmission rate of 10-20%").
* Cost concentration: the costliest 4% use a large share (VIVE 2018 l.2116-2117: 50% for the whole
  population); accepted (0.3, 0.7) for the chronic caseload.
* High cost is not persistent (VIVE 2018 l.1032-1037; SST 2013 l.1191-1192: ~15% of the top stay on
  top): persistence of the top 4% below 0.4.

Replication means are used (each replication is a whole catchment of ~4,700 patients, so the
replication-to-replication spread is small: about ±0.001 for the referral fraction and ±0.01 for the
readmission rate, far inside the ranges); each replication is also reported in the failure message.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import AGE_BANDS
from sim.hydra_app import compose_config
from sim.population import generate
from sim.streams import Streams

REPLICATIONS = 3


@pytest.fixture(scope="module")
def calibration_kpis(baseline, model_runner):
    """Replication 0 is the shared baseline; replications 1 and 2 use the same config."""
    runs = [baseline.all] + [model_runner(baseline.cfg, k).all for k in range(1, REPLICATIONS)]
    assert baseline.cfg.population.name == "small" and baseline.cfg.run.years == 2
    return runs


def _values(runs, name):
    return np.array([r[name] for r in runs], float)


def test_gp_referral_fraction(calibration_kpis):
    values = _values(calibration_kpis, "gp_referral_fraction")
    assert 0.085 <= values.mean() <= 0.115, f"per replication: {values}"


def test_readmission_rate_30d(calibration_kpis):
    values = _values(calibration_kpis, "readmission_rate_30d")
    assert 0.08 <= values.mean() <= 0.20, f"per replication: {values}"


def test_cost_concentration(calibration_kpis):
    values = _values(calibration_kpis, "cost_share_top_4pct")
    assert 0.3 < values.mean() < 0.7, f"per replication: {values}"


def test_high_cost_persistence(calibration_kpis):
    values = _values(calibration_kpis, "high_cost_persistence")
    assert not np.isnan(values).any(), "two results years are needed for persistence"
    assert values.mean() < 0.4, f"per replication: {values}"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_multimorbidity_rises_with_age(seed):
    """Share of patients with >= 2 conditions increases over the four age bands (SST 2013 l.2375-2377:
    multimorbidity is the rule, rising with age). The Randers catchment has ~27,000 patients (the youngest
    band ~1,600), so each band's share has a standard error below 0.01 while the steps between bands
    (~0.07-0.15) are many times that."""
    cfg = compose_config([f"seed={seed}"])
    streams = Streams(cfg.seed, 0)
    table = generate(cfg, streams.numpy("population"), streams.numpy("incidence"), 365.0)
    n_conditions = table.conditions.sum(axis=1)
    assert (n_conditions >= 1).all(), "only people with a chronic condition are patients"
    shares = [float((n_conditions[table.age_band == b] >= 2).mean()) for b in range(len(AGE_BANDS))]
    assert all(np.diff(shares) > 0), f"share with >=2 conditions by age band {AGE_BANDS}: {shares}"


def test_caseload_is_stable_over_five_years(model_runner):
    """pop.incidence_per_1000 is set so that incidence balances deaths and moves: the number of chronic
    patients present stays within 5% of its starting level over five results years. With ~4,600
    patients and ~1,400 entries and ~1,400 exits over the run, random drift has a standard deviation of
    about sqrt(2,800) ~ 53 patients (~1.2%), so 5% is a ~4 sigma band: a failure means a real imbalance."""
    run = model_runner(compose_config(["population=small", "run.years=5", "run.event_log=false"]), 0)
    patients = run.timeseries.patients.to_numpy()
    start = patients[0]
    assert abs(patients[-1] - start) <= 0.05 * start, f"start {start}, end {patients[-1]}"
    assert abs(patients.max() - start) <= 0.05 * start and abs(patients.min() - start) <= 0.05 * start


@pytest.mark.slow
def test_calibration_on_the_full_catchment(model_runner):
    """The same targets on the default Randers catchment (225,000 inhabitants), 2 replications x 2 years."""
    cfg = compose_config(["run.years=2", "run.event_log=false"])
    runs = [model_runner(cfg, k).all for k in range(2)]
    assert 0.085 <= _values(runs, "gp_referral_fraction").mean() <= 0.115
    assert 0.08 <= _values(runs, "readmission_rate_30d").mean() <= 0.20
    assert 0.3 < _values(runs, "cost_share_top_4pct").mean() < 0.7
    assert _values(runs, "high_cost_persistence").mean() < 0.4
