"""The public run API (sim.runner) and the one paired difference (sim.statistics.paired_difference)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim import outcomes
from sim.hydra_app import compose_config
from sim.runner import build_model, run_model, run_paired, run_replication
from sim.statistics import paired_difference

SHORT = ["population=small", "run.years=0.25", "run.warmup_days=0", "run.event_log=false"]


def test_run_paired_is_the_same_replications_of_every_config():
    base, scenario = compose_config(SHORT), compose_config([*SHORT, "scenario=act_team"])
    paired = run_paired([base, scenario], [1, 0])
    assert [[r.replication for r in runs] for runs in paired] == [[1, 0], [1, 0]]
    # common random numbers: replication k of a config is run_replication(cfg, k), whatever else ran
    pd.testing.assert_frame_equal(paired[1][1].kpis, run_replication(scenario, 0).kpis)
    assert not paired[0][0].kpis.equals(paired[1][0].kpis)  # the scenario does change something


def test_run_paired_refuses_configs_that_cannot_be_paired():
    cfg = compose_config(SHORT)
    with pytest.raises(ValueError, match="one seed"):
        run_paired([cfg, dataclasses.replace(cfg, seed=cfg.seed + 1)], [0])


def test_a_model_stepped_day_by_day_ends_where_a_run_ends():
    # the teaching page's path (build_model, then step) and the batch path (run) give the same results
    cfg = compose_config(SHORT)
    stepped = build_model(cfg, 2)
    while stepped.env.now < stepped.end_time:
        stepped.step()
    pd.testing.assert_frame_equal(outcomes.compute(stepped), outcomes.compute(run_model(cfg, 2)))
    pd.testing.assert_frame_equal(outcomes.compute(stepped), run_replication(cfg, 2).kpis)


def test_paired_difference_is_the_paired_t_interval():
    rng = np.random.default_rng(4)
    base = rng.normal(10, 2, 12)
    scenario = base + rng.normal(0.5, 0.3, 12)
    mean, half = paired_difference(scenario, base)
    test = stats.ttest_rel(scenario, base)
    low, high = test.confidence_interval(0.95)
    assert mean == pytest.approx(float(np.mean(scenario - base)))
    assert (mean - half, mean + half) == pytest.approx((low, high))


def test_paired_difference_pairs_by_replication_and_leaves_out_incomplete_pairs():
    scenario = pd.Series([3.0, 5.0, np.nan, 9.0], index=[0, 1, 2, 3])
    baseline = pd.Series([2.0, 1.0, 4.0], index=[3, 1, 0])   # other order, replication 2 missing
    mean, half = paired_difference(scenario, baseline)
    assert mean == pytest.approx(np.mean([3.0 - 4.0, 5.0 - 1.0, 9.0 - 2.0]))
    assert np.isfinite(half)
    assert np.isnan(paired_difference([1.0], [0.5])[1])   # one pair: no interval
