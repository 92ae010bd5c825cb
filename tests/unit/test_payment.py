"""Payment models (config group ``payment``): validation, presets, the ledger's identities, the neutrality rule.

The ledger is a pure function of activity totals, costs by payer and patient-years, so its identities are
checked on made-up numbers here, and once on a short model run (every patient group).
"""

from __future__ import annotations

import dataclasses
import math
import random
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf

from sim.config import ConfigError, CostConfig, PaymentConfig
from sim.validated import from_overrides
from sim.hydra_app import compose_config
from sim.payment import ACTIVITY_ITEMS, NET_SPENDING_PAYERS, TARIFFS, budget_neutrality, drg_value, ledger
from sim.runner import run_replication

PAYMENT_DIR = Path(__file__).resolve().parents[2] / "configs" / "payment"
SHORT = ["population=small", "run.years=0.5", "run.warmup_days=30", "run.event_log=false"]


def _single_problem(overrides: dict, *must_name: str) -> str:
    with pytest.raises(ConfigError) as info:
        from_overrides(overrides)
    assert len(info.value.problems) == 1, info.value.problems
    problem = info.value.problems[0]
    for text in must_name:
        assert text in problem, f"{text!r} not in {problem!r}"
    return problem


# -- validation ------------------------------------------------------------------------------------
def test_unknown_payment_model_names_the_allowed_values():
    problem = _single_problem({"payment.model": "capitation"}, "payment.model", "'capitation'")
    assert all(m in problem for m in ("drg", "budget", "mixed"))


@pytest.mark.parametrize("share", [1.5, -0.1])
def test_tariff_share_outside_0_1_is_an_error(share):
    _single_problem({"payment.model": "mixed", "payment.tariff_share": share}, "payment.tariff_share", "[0, 1]")


def test_mixed_needs_a_share_strictly_between_0_and_1():
    # the schema default share is 1 (DRG): payment.model=mixed alone is a half-set mixed model
    _single_problem({"payment.model": "mixed"}, "payment.tariff_share", "mixed", "strictly between 0 and 1")
    _single_problem({"payment.model": "mixed", "payment.tariff_share": 0.0}, "payment.tariff_share", "mixed")


@pytest.mark.parametrize("model,share", [("drg", 0.5), ("budget", 1.0), ("budget", 0.3)])
def test_drg_and_budget_fix_the_share(model, share):
    _single_problem({"payment.model": model, "payment.tariff_share": share}, "payment.tariff_share", model)


@pytest.mark.parametrize("key", ["tariff_bed_day_medical", "budget_frame_per_patient_year", "tariff_phone_contact"])
def test_negative_money_is_an_error(key):
    _single_problem({f"payment.{key}": -1.0}, f"payment.{key}")


@pytest.mark.parametrize("key", ["p_fill_reserve_with_controls", "adoption_elasticity", "municipal_cofinancing_share"])
def test_steering_and_transfer_shares_are_probabilities(key):
    _single_problem({f"payment.{key}": 1.2}, f"payment.{key}", "[0, 1]")


def test_unknown_payment_key_is_rejected():
    # '+key=value' slips past Hydra's struct check; the schema check names it
    with pytest.raises(ConfigError, match="payment.tarif_share is not a parameter"):
        compose_config(["+payment.tarif_share=0.5"])


# -- presets ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("preset,model,share", [("drg", "drg", 1.0), ("budget", "budget", 0.0), ("mixed", "mixed", 0.5)])
def test_presets_compose(preset, model, share):
    pay = compose_config([f"payment={preset}"]).payment
    assert (pay.name, pay.model, pay.tariff_share) == (preset, model, share)


def test_default_is_drg():
    # Danish hospitals are budgeted on DRG activity (Region H 2018 l.1497-1498)
    assert compose_config([]).payment.model == "drg"


def test_payment_combines_with_any_scenario():
    cfg = compose_config(["scenario=[value_based_controls]", "payment=mixed"])
    assert cfg.payment.model == "mixed" and cfg.payment.tariff_share == 0.5
    assert cfg.scenario.controls.policy == "needs_based"
    cfg = compose_config(["scenario=[value_based_controls,act_team]", "payment=budget"])
    assert cfg.payment.model == "budget" and cfg.scenario.act_team.enabled
    assert cfg.scenario.name == "value_based_controls+act_team"


@pytest.mark.parametrize("preset", sorted(PAYMENT_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_payment_preset_cites_a_source_for_every_value(preset):
    from tests.unit.test_provenance import source_problem  # noqa: PLC0415

    data = OmegaConf.to_container(OmegaConf.load(preset))
    sources = data.get("sources", {}) or {}
    for key in data:
        assert key in PaymentConfig.__dataclass_fields__, f"{preset.name}: {key} is not a payment parameter"
        if key not in ("name", "sources"):
            assert key in sources, f"{preset.name} sets {key} without a source"
            assert source_problem(sources[key]) is None, f"{preset.name}: {key}: {sources[key]!r}"


# -- ledger identities -----------------------------------------------------------------------------
def _random_inputs(rng: random.Random):
    activity = {item: rng.uniform(0, 5000) for item in ACTIVITY_ITEMS}
    costs = {payer: rng.uniform(0, 1e7) for payer in ("hospital", "general_practice", "municipality")}
    return activity, costs, rng.uniform(10, 5000)


PAYMENTS = {"drg": PaymentConfig(), "budget": PaymentConfig(name="budget", model="budget", tariff_share=0.0),
            "mixed": PaymentConfig(name="mixed", model="mixed", tariff_share=0.3)}


def test_drg_revenue_is_tariff_times_activity():
    pay = PAYMENTS["drg"]
    activity = {item: 0.0 for item in ACTIVITY_ITEMS}
    for item, tariff in TARIFFS:  # one unit of each item earns exactly its tariff
        one = dict(activity, **{item: 1.0})
        assert ledger(one, {"hospital": 0, "general_practice": 0, "municipality": 0}, 1.0, pay, CostConfig())[
            "hospital_revenue_dkk"] == getattr(pay, tariff)
    a, c, py = _random_inputs(random.Random(1))
    out = ledger(a, c, py, pay, CostConfig())
    assert out["hospital_revenue_dkk"] == pytest.approx(sum(getattr(pay, t) * a[i] for i, t in TARIFFS), rel=1e-12)
    assert out["hospital_revenue_dkk"] == out["drg_value_dkk"]
    # GP consultations are paid to general practice, never to the hospital
    more_gp = dict(a, gp_consultations=a["gp_consultations"] + 100)
    assert ledger(more_gp, c, py, pay, CostConfig())["hospital_revenue_dkk"] == out["hospital_revenue_dkk"]


def test_budget_revenue_does_not_change_with_activity():
    pay = PAYMENTS["budget"]
    a, c, py = _random_inputs(random.Random(2))
    base = ledger(a, c, py, pay, CostConfig())
    busier = ledger({k: 3 * v + 10 for k, v in a.items()}, c, py, pay, CostConfig())
    assert base["hospital_revenue_dkk"] == busier["hospital_revenue_dkk"] == pay.budget_frame_per_patient_year * py
    assert busier["drg_value_dkk"] > base["drg_value_dkk"]  # the activity is still valued (monitoring)


def test_mixed_revenue_blends_tariff_value_and_frame():
    pay = PAYMENTS["mixed"]
    a, c, py = _random_inputs(random.Random(3))
    out = ledger(a, c, py, pay, CostConfig())
    expected = 0.3 * drg_value(a, pay) + 0.7 * pay.budget_frame_per_patient_year * py
    assert out["hospital_revenue_dkk"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("model", PAYMENTS)
def test_payers_net_spending_adds_up_to_total_cost_and_flows_match(model):
    pay, costs = PAYMENTS[model], CostConfig()
    rng = random.Random(4)
    for _ in range(20):
        a, c, py = _random_inputs(rng)
        out = ledger(a, c, py, pay, costs)
        net = sum(out[f"net_spending_{payer}_dkk"] for payer in NET_SPENDING_PAYERS)
        assert net == pytest.approx(sum(c.values()), rel=1e-12)  # transfers cancel
        assert out["net_spending_region_dkk"] == pytest.approx(
            out["hospital_revenue_dkk"] + out["general_practice_revenue_dkk"] - out["municipal_cofinancing_dkk"], rel=1e-12)
        assert out["hospital_result_dkk"] == pytest.approx(out["hospital_revenue_dkk"] - c["hospital"], rel=1e-12)
        assert out["general_practice_revenue_dkk"] == costs.gp_consultation * a["gp_consultations"]
        assert out["municipal_cofinancing_dkk"] == pytest.approx(pay.municipal_cofinancing_share * out["drg_value_dkk"])


def test_ledger_on_a_model_run_for_every_group():
    budget = run_replication(compose_config([*SHORT, "payment=budget"]), 0).kpis
    drg = run_replication(compose_config(SHORT), 0).kpis
    for kpis, frame in ((budget, PaymentConfig().budget_frame_per_patient_year), (drg, None)):
        table = kpis.pivot(index="group", columns="kpi", values="value").dropna(subset=["patient_years"])
        net = sum(table[f"net_spending_{payer}_dkk"] for payer in NET_SPENDING_PAYERS)
        np.testing.assert_allclose(net, table.cost_total_dkk, rtol=1e-9)
        if frame is not None:
            np.testing.assert_allclose(table.hospital_revenue_dkk, frame * table.patient_years, rtol=1e-12)
        else:
            np.testing.assert_allclose(table.hospital_revenue_dkk, table.drg_value_dkk, rtol=1e-12)
    # the payment model is bookkeeping here: the same care, the same costs, the same DRG value
    both = drg.merge(budget, on=["group", "kpi"], suffixes=("_drg", "_budget"))
    same = both[~both.kpi.isin(["hospital_revenue_dkk", "hospital_result_dkk", "net_spending_region_dkk",
                                "net_spending_hospital_dkk"])]
    np.testing.assert_array_equal(same.value_drg.to_numpy(), same.value_budget.to_numpy())


# -- the neutrality rule ---------------------------------------------------------------------------
def test_neutral_when_the_interval_contains_zero():
    v = budget_neutrality("region", [-50.0, 40.0, 10.0, -5.0], tolerance=1.0)
    assert v.neutral and "undetermined (no difference shown" in v.text()  # not printed as a proven "yes"


def test_neutral_when_the_interval_lies_within_the_tolerance():
    v = budget_neutrality("hospital", [10.0, 11.0, 12.0, 10.5], tolerance=20.0)
    assert v.neutral and v.low > 0 and "within tolerance" in v.text()


@pytest.mark.parametrize("diffs,word", [([100.0, 110.0, 105.0], "spends more"), ([-100.0, -110.0, -105.0], "spends less")])
def test_not_neutral_when_the_interval_is_off_zero_and_beyond_the_tolerance(diffs, word):
    v = budget_neutrality("municipality", diffs, tolerance=20.0)
    assert not v.neutral and word in v.text() and "municipality" in v.text()


def test_one_replication_gives_no_verdict():
    v = budget_neutrality("region", [123.0], tolerance=1.0)
    assert not v.neutral and math.isnan(v.low) and "not judged" in v.text()


def test_payment_config_is_a_plain_dataclass():
    # the CLI replaces the scenario of a config and keeps its payment (paired under the same payment model)
    cfg = from_overrides({"payment.model": "budget", "payment.tariff_share": 0.0})
    assert dataclasses.replace(cfg, scenario=type(cfg.scenario)()).payment.model == "budget"
