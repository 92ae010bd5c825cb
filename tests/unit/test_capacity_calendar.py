"""The capacity calendar: bad plans fail before anything runs, naming the entry (and the date);
good plans resolve to amounts that scale with the catchment and conserve capacity cost when declared
budget-neutral."""

from __future__ import annotations

import pytest

from sim.capacity_calendar import CapacityPlan, capacity_cost
from omegaconf import OmegaConf

from sim.config import ConfigError, to_sim_config
from sim.validated import from_overrides
from sim.hydra_app import compose_config

CAL = "scenario.capacity_moves.calendar"
SMALL = {"population.inhabitants": 40000, "population.general_practitioners": 26,
         "population.municipality_names": ["North", "South"], "population.municipality_shares": [0.5, 0.5]}


def _problems(entries, **extra) -> list[str]:
    with pytest.raises(ConfigError) as info:
        from_overrides({**SMALL, CAL: entries, **extra})
    return info.value.problems


def _one(entries, *must_name, **extra) -> str:
    problems = _problems(entries, **extra)
    assert len(problems) == 1, problems
    for text in must_name:
        assert text in problems[0], f"{text!r} not in {problems[0]!r}"
    return problems[0]


def test_a_calendar_that_goes_negative_names_the_entry_and_the_date():
    # 40 medical beds in the small catchment: -30 then -15 leaves -5 on day 100
    entries = [{"name": "first_cut", "day": 10, "resource": "medical_beds", "per_1000": -0.75},
               {"name": "second_cut", "day": 100, "resource": "medical_beds", "per_1000": -0.375}]
    problem = _one(entries, f"{CAL}[1] (second_cut)", "negative", "day 100")
    assert "(-5)" in problem


def test_zero_beds_is_an_error_but_zero_sub_acute_slots_is_not():
    _one([{"name": "all_beds", "day": 0, "resource": "psychiatric_beds", "share": -1.0}], "all_beds", "zero", "day 0")
    from_overrides({**SMALL, CAL: [{"name": "open", "day": 0, "resource": "subacute_slots", "condition": "copd", "share": 0.1},
                                   {"name": "close", "day": 50, "resource": "subacute_slots", "condition": "copd", "share": -0.1}]})


def test_sub_acute_slots_cannot_close_below_what_was_opened():
    problem = _one([{"name": "open", "day": 0, "resource": "subacute_slots", "condition": "copd", "share": 0.1},
                    {"name": "close", "day": 50, "resource": "subacute_slots", "condition": "copd", "share": -0.2}],
                   f"{CAL}[1] (close)", "negative", "day 50")
    assert "sub-acute slots of clinic copd" in problem


@pytest.mark.parametrize("entry,named", [
    ({"name": "x", "resource": "icu_beds", "share": 0.1}, ["x", "resource = 'icu_beds'", "allowed values", "medical_beds", "home_nursing_places"]),
    ({"name": "x", "resource": "outpatient_slots", "share": 0.1}, ["x", "condition = ''", "allowed values", "copd"]),
    ({"name": "x", "resource": "outpatient_slots", "condition": "asthma", "share": 0.1}, ["condition = 'asthma'", "t2d"]),
    ({"name": "x", "resource": "medical_beds", "condition": "copd", "share": 0.1}, ["only outpatient_slots and subacute_slots have a condition"]),
    ({"name": "x", "resource": "medical_beds", "share": 0.001}, ["rounds to 0 beds"]),
    ({"name": "x", "day": -400, "resource": "medical_beds", "share": 0.1}, ["day = -400", "before the run starts", "-270"]),
    ({"name": "", "resource": "medical_beds", "share": 0.1}, ["name is empty"]),
])
def test_bad_entries_are_named(entry, named):
    _one([entry], f"{CAL}[0]", *named)


@pytest.mark.parametrize("field,value,range_text", [
    ("share", -1.5, "allowed range [-1, 100]"), ("funded_share", 1.5, "allowed range [0, 1]")])
def test_entry_fields_out_of_range_name_the_field(field, value, range_text):
    _one([{"name": "x", "resource": "medical_beds", "share": -0.1, field: value}], f"{CAL}[0].{field} = {value}", range_text)


def test_funded_entries_are_checked():
    cut = {"name": "cut", "day": 0, "resource": "medical_beds", "share": -0.1}
    _one([cut, {"name": "r", "day": 0, "resource": "subacute_slots", "condition": "copd", "funded_by": "nope"}],
         f"{CAL}[1] (r)", "funded_by = 'nope'", "earlier entries: cut")
    _one([cut, {"name": "r", "day": 0, "resource": "subacute_slots", "condition": "copd", "funded_by": "cut", "share": 0.1}],
         "either an amount", "or funded_by")
    _one([cut, {"name": "r", "day": 0, "resource": "home_nursing_places", "funded_by": "cut"}], "whole units")
    _one([cut, {"name": "r", "day": 5, "resource": "gp_planned_slots", "funded_by": "cut"}], "same day", "day 0")
    _one([{"name": "add", "day": 0, "resource": "medical_beds", "share": 0.1},
          {"name": "r", "day": 0, "resource": "gp_planned_slots", "funded_by": "add"}], "frees no capacity")
    _one([cut, {"name": "a", "day": 0, "resource": "gp_planned_slots", "funded_by": "cut", "funded_share": 0.7},
          {"name": "b", "day": 0, "resource": "subacute_slots", "condition": "t2d", "funded_by": "cut", "funded_share": 0.6}],
         "funded by 'cut'", "sum to at most 1")


def test_duplicate_names_and_unknown_keys():
    entry = {"name": "same", "day": 0, "resource": "medical_beds", "share": 0.1}
    _one([entry, dict(entry)], f"{CAL}[1] (same)", "unique")
    # a typo inside an entry: named with its position, in a plain config (to_sim_config) ...
    raw = OmegaConf.create({"scenario": {"capacity_moves": {"calendar": [{"name": "a", "resource": "medical_beds", "shar": 0.1}]}}})
    with pytest.raises(ConfigError, match=r"scenario\.capacity_moves\.calendar\[0\]\.shar is not a parameter"):
        to_sim_config(raw)
    # ... and on the command line, where Hydra's own composition names it
    with pytest.raises(Exception, match="shar"):
        compose_config(["population=small", "scenario.capacity_moves.calendar=[{name: a, resource: medical_beds, shar: 0.1}]"])


def test_calendar_with_unlimited_capacity_is_an_error():
    _one([{"name": "cut", "resource": "medical_beds", "share": -0.1}], "unlimited_capacity", **{"capacity.unlimited_capacity": True})


def test_transfer_settings_are_checked():
    _one([], "transfer_conditions", "'asthma'", "allowed values", **{"scenario.capacity_moves.transfer_conditions": ["asthma"]})
    _one([], "friction_outcome = 'vanished'", "lost, delayed", **{"scenario.capacity_moves.friction_outcome": "vanished"})
    _one([], "transfer_friction = 1.5", "allowed range [0, 1]", **{"scenario.capacity_moves.transfer_friction": 1.5})


# -- resolution -----------------------------------------------------------------------------------------
def test_amounts_scale_with_the_catchment():
    for preset, beds in (("small", 40), ("randers", 225)):
        cfg = compose_config([f"population={preset}", "scenario=capacity_move_ward_to_subacute"])
        plan = CapacityPlan(cfg)
        assert plan.ward_levels("medical_ward") == [(0.0, beds), (cfg.run.warmup_days, beds - round(0.1 * beds))]


def test_budget_neutral_receivers_take_exactly_the_freed_cost():
    cfg = compose_config(["population=small", "scenario=capacity_move_ward_to_subacute"])
    plan = CapacityPlan(cfg)
    (move,) = plan.moves()
    assert move.budget_neutral
    freed = -move.source.cost_per_day
    assert freed == 4 * cfg.costs.capacity_bed_day
    assert sum(r.cost_per_day for r in move.receivers) == pytest.approx(freed, rel=1e-12)
    # derived slots per week: 40% of 12,000 DKK a day at 2,500 DKK per slot = 13.44 slots per week
    assert move.receivers[0].amount == pytest.approx(0.4 * freed * 7 / cfg.costs.capacity_subacute_slot)
    t0, t1 = 270.0, 270.0 + 730
    base = capacity_cost(CapacityPlan(compose_config(["population=small"])), t0, t1)
    moved = capacity_cost(plan, t0, t1)
    assert sum(moved.values()) == pytest.approx(sum(base.values()), rel=1e-12)
    assert moved["wards"] == pytest.approx(base["wards"] - freed * 730, rel=1e-12)


def test_an_unbalanced_move_is_reported_as_not_budget_neutral():
    cfg = compose_config(["population=small", "scenario=capacity_move_controls_to_gp",
                          "scenario.capacity_moves.calendar.1.funded_share=0"])
    neutral = {m.source.name: m.budget_neutral for m in CapacityPlan(cfg).moves()}
    assert neutral == {"copd_slots_step1": False, "t2d_slots_step1": True, "copd_slots_step2": True, "t2d_slots_step2": True}
