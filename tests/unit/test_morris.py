"""The Morris screening (experiments/morris.py, the analysis in experiments/sensitivity_results.py) on analytic functions.

No model runs here: the functions are known, so mu*, sigma and the noise level have exact expected values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments import morris
from experiments.sensitivity import design_for
from experiments.sensitivity_factors import FACTORS, Factor, pick_factors, point_overrides, schema_problems
from experiments.sensitivity_results import BASELINE, Results, noise_level, outputs
from sim.config import iter_params

LO = np.array([0.0, 10.0, -1.0, 0.2])
HI = np.array([1.0, 30.0, 1.0, 0.4])


def _design(k=4, r=12, levels=4, seed=7):
    return morris.trajectories(k, r, levels, np.random.default_rng(seed))


def _evaluate(design, f):
    x = morris.scale(design.points, LO[: design.factors], HI[: design.factors])
    return np.apply_along_axis(f, -1, x)


def test_each_trajectory_moves_every_factor_once_by_one_step_on_the_grid():
    d = _design()
    delta = morris.step(4)
    assert delta == pytest.approx(2 / 3)
    grid = np.arange(4) / 3
    assert np.all(np.isclose(d.points[..., None], grid).any(axis=-1))  # every coordinate is a grid level
    for t in range(d.trajectories):
        assert sorted(d.moved[t]) == list(range(d.factors))
        changes = np.diff(d.points[t], axis=0)                         # k x k: one non-zero per row
        assert np.count_nonzero(np.abs(changes) > 1e-12, axis=1).tolist() == [1] * d.factors
        assert np.allclose(np.abs(changes[np.arange(d.factors), d.moved[t]]), delta)
    assert d.points.min() >= 0 and d.points.max() <= 1


def test_a_linear_function_has_mu_star_equal_to_its_coefficient_times_the_step_and_no_sigma():
    b = np.array([2.0, -0.5, 3.0, 0.0])
    d = _design()
    y = _evaluate(d, lambda x: float(b @ x) + 5.0)
    effects = morris.elementary_effects(d, y)
    s = morris.screen(effects)
    # the effect is per unit of normalised range: b x (hi - lo); the raw change over one step is that x delta
    assert np.allclose(s.mu_star, np.abs(b) * (HI - LO), rtol=1e-12, atol=1e-12)
    assert np.allclose(s.mu, b * (HI - LO), rtol=1e-12, atol=1e-12)
    assert np.allclose(s.sigma, 0.0, atol=1e-9)
    t, j = 0, 0
    i = d.moved[t, j]
    raw = y[t, j + 1] - y[t, j]
    assert abs(raw) == pytest.approx(abs(b[i]) * (HI[i] - LO[i]) * morris.step(4), rel=1e-12)


def test_a_parameter_that_does_not_enter_has_mu_star_zero():
    d = _design()
    s = morris.screen(morris.elementary_effects(d, _evaluate(d, lambda x: np.sin(x[0]) + x[1] ** 2)))
    assert s.mu_star[2] == 0.0 and s.mu_star[3] == 0.0
    assert s.mu_star[0] > 0 and s.mu_star[1] > 0


def test_an_interaction_gives_sigma_above_zero_and_an_additive_function_does_not():
    d = _design(r=20)
    interacting = morris.screen(morris.elementary_effects(d, _evaluate(d, lambda x: x[0] * x[2])))
    additive = morris.screen(morris.elementary_effects(d, _evaluate(d, lambda x: x[0] + x[2])))
    assert interacting.sigma[0] > 0.1 and interacting.sigma[2] > 0.1   # x0's effect depends on x2 and back
    assert additive.sigma[0] == pytest.approx(0, abs=1e-9) and additive.sigma[2] == pytest.approx(0, abs=1e-9)


def test_several_outputs_at_once_equal_one_at_a_time():
    d = _design()
    y1, y2 = _evaluate(d, lambda x: x[0] * x[1]), _evaluate(d, lambda x: x[2] - x[3] ** 2)
    both = morris.elementary_effects(d, np.stack([y1, y2], axis=-1))
    assert np.allclose(both[..., 0], morris.elementary_effects(d, y1))
    assert np.allclose(both[..., 1], morris.elementary_effects(d, y2))


def test_the_design_comes_from_its_own_named_stream_and_is_reproducible():
    a, b, c = design_for(5, 6, 4, 0), design_for(5, 6, 4, 0), design_for(5, 6, 4, 1)
    assert np.array_equal(a.points, b.points) and np.array_equal(a.moved, b.moved)
    assert not np.array_equal(a.points, c.points)


@pytest.mark.parametrize("levels", [1, 3, 5])
def test_odd_or_too_few_levels_are_refused(levels):
    with pytest.raises(ValueError, match=f"levels = {levels}"):
        morris.step(levels)


def test_noise_level_is_the_rms_standard_error_and_ignores_steps_that_change_nothing():
    rng = np.random.default_rng(3)
    r, k, reps = 40, 3, 4
    ee = np.empty((r, k, reps))
    ee[:, 0] = 1.0 + rng.normal(0, 2.0, (r, reps))       # noisy: SE = 2 / sqrt(4) = 1
    ee[:, 1] = 0.5 + rng.normal(0, 2.0, (r, reps))
    ee[:, 2] = 0.0                                       # e.g. a unit cost on a count: exact under CRN
    level = noise_level(ee)
    assert level == pytest.approx(1.0, rel=0.15)         # 80 estimated SEs, 3 df each: within 15%
    assert noise_level(ee[:, 2:]) == 0.0
    assert np.isnan(noise_level(ee[..., :1]))             # one replication: no spread to measure


def test_pure_noise_stays_below_the_noise_floor_and_a_real_effect_rises_above_it():
    rng = np.random.default_rng(11)
    r, noise = 10, 1.0
    pure = np.abs(rng.normal(0, noise, (4000, r))).mean(axis=1)        # mu* of 4000 factors without effect
    floor = morris.noise_floor(noise, r)
    assert 0.96 <= np.mean(pure < floor) <= 0.99                        # about 97.5%, by construction
    real = np.abs(2.0 + rng.normal(0, noise, (4000, r))).mean(axis=1)   # an effect of twice the noise
    assert np.mean(real > floor) > 0.99


def test_the_analysis_recovers_known_effects_from_a_table_of_paired_replications():
    """Results.summary on a synthetic run table: usual care y = 2 a + noise_k, the scenario adds -b."""
    factors = [Factor("a", "pathways.p_handoff_fail_gp", 0.0, 1.0, "test"),
               Factor("b", "scenario.coordinator.p_handoff_repair", 0.0, 1.0, "test")]
    d = _design(k=2, r=6)
    reps = 3
    shift = np.array([0.1, -0.2, 0.05])                   # replication k's common noise (the same at every point)
    rows = []
    for t in range(d.trajectories):
        for j in range(3):
            a, b = d.points[t, j]
            for k in range(reps):
                base = 2 * a + shift[k]
                for kpi in ("readmission_rate_30d", "bed_days_per_1000py", "cost_per_patient_year_dkk"):
                    rows.append((t, j, BASELINE, k, kpi, base))
                    rows.append((t, j, "coordinator_targeted", k, kpi, base - b))
    table = pd.DataFrame(rows, columns=["trajectory", "point", "scenario", "replication", "kpi", "value"])
    s = Results(table, d, factors, "coordinator_targeted", reps, 1.0, "small").summary().set_index(["output", "factor"])
    assert s.loc[("readmission_rate_30d", "a"), "mu_star"] == pytest.approx(2.0)
    assert s.loc[("readmission_rate_30d", "b"), "mu_star"] == 0.0
    assert s.loc[("readmission_rate_30d difference", "a"), "mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert s.loc[("readmission_rate_30d difference", "b"), "mu"] == pytest.approx(-1.0)
    assert s.loc[("readmission_rate_30d", "a"), "noise"] == pytest.approx(0.0, abs=1e-9)  # CRN cancels the shift
    assert s.loc[("readmission_rate_30d", "a"), "signal"] and not s.loc[("readmission_rate_30d", "b"), "signal"]
    assert len(outputs("x")) == 6


def test_every_factor_is_an_uncertain_parameter_screened_inside_its_schema_range():
    assert schema_problems(FACTORS) == []
    sources = {key: f.metadata["source"] for key, f in iter_params()}
    for factor in FACTORS:
        assert "assumption" in sources[factor.key], factor.key   # we screen what the sources do not pin down
        assert factor.lo < factor.hi and factor.why
    too_wide = Factor("x", "pathways.failed_handoff_ratio", 0.5, 3.0, "test")
    assert "failed_handoff_ratio" in schema_problems([too_wide])[0]


def test_scenario_parameters_are_left_out_of_the_usual_care_runs_and_lists_are_scaled():
    factors = pick_factors(["los_scale", "coordinator_handoff_repair"])
    defaults = {"pathways.los_mean_days": [5.0, 4.5, 5.0, 18.0, 7.0]}
    values = np.array([1.2, 0.3])
    assert point_overrides(factors, values, defaults, scenario_run=False) == ("pathways.los_mean_days=[6,5.4,6,21.6,8.4]",)
    assert point_overrides(factors, values, defaults, scenario_run=True)[1] == "scenario.coordinator.p_handoff_repair=0.3"
    with pytest.raises(ValueError, match="spaghetti"):
        pick_factors(["los_scale", "spaghetti"])
