"""Bad scenario inputs fail before anything runs, with a ConfigError naming the offending key.

Each case changes one scenario parameter and expects exactly one problem, which names the key (and
the range, or the allowed values). A disabled team's parameters that only matter when it runs are not
errors.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from sim.config import ConfigError
from sim.validated import from_overrides
from sim.hydra_app import compose_config

SC = "scenario"


def _error(overrides: dict) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        from_overrides(overrides)
    return info.value


def _single_problem(overrides: dict, *must_name: str) -> str:
    err = _error(overrides)
    assert len(err.problems) == 1, err.problems
    problem = err.problems[0]
    for text in must_name:
        assert text in problem, f"{text!r} not in {problem!r}"
    assert problem in str(err)
    return problem


def _listed_values(problem: str) -> set[str]:
    """The values named after 'allowed values' in a message."""
    assert "allowed values" in problem, problem
    return set(re.findall(r"[a-z_]+", problem.split("allowed values", 1)[1]))


# -- a team without caseload places ----------------------------------------------------------------
ZERO_CASELOAD = {
    "coordinator": ("caseload_per_staff", f"{SC}.coordinator.caseload_per_staff"),
    "complex_care_team": ("caseload_per_staff", f"{SC}.complex_care_team.caseload_per_staff"),
    "act_team": ("caseload_per_staff", f"{SC}.act_team.caseload_per_staff"),
    # the health-coach message names the section and the field (it checks three fields together)
    "health_coach": ("caseload_per_fte", f"{SC}.health_coach"),
}


@pytest.mark.parametrize("team", ZERO_CASELOAD)
def test_zero_caseload_with_the_team_enabled_is_an_error(team):
    key, named = ZERO_CASELOAD[team]
    _single_problem({f"{SC}.{team}.enabled": True, f"{SC}.{team}.{key}": 0}, named, key)


@pytest.mark.parametrize("team", ZERO_CASELOAD)
def test_zero_caseload_of_a_disabled_team_is_fine(team):
    key, _ = ZERO_CASELOAD[team]
    cfg = from_overrides({f"{SC}.{team}.enabled": False, f"{SC}.{team}.{key}": 0})
    assert getattr(getattr(cfg.scenario, team), key) == 0


def test_zero_caseload_through_hydra_composition():
    with pytest.raises(ConfigError) as info:
        compose_config(["population=small", "scenario=act_team", "scenario.act_team.caseload_per_staff=0"])
    assert any("scenario.act_team.caseload_per_staff" in p for p in info.value.problems), info.value.problems
    # the same value in a scenario that does not switch ACT on is fine
    assert compose_config(["population=small", "scenario.act_team.caseload_per_staff=0"]).scenario.act_team.caseload_per_staff == 0


def test_cli_rejects_a_bad_scenario_value_before_running(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sim", "population=small", "scenario=act_team",
                           "scenario.act_team.caseload_per_staff=0"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert "scenario.act_team.caseload_per_staff" in proc.stderr
    assert not (tmp_path / "outputs").exists()


# -- ranges ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [
    f"{SC}.coordinator.staff_per_100k",
    f"{SC}.complex_care_team.staff_per_team",
    f"{SC}.act_team.staff_per_team",
    f"{SC}.health_coach.coaches_per_practice",
])
def test_negative_staff_is_a_range_error_naming_the_key(key):
    team = key.split(".")[1]
    problem = _single_problem({f"{SC}.{team}.enabled": True, key: -1}, f"{key} = ", "allowed range [0, ")
    assert float(problem.split(" = ", 1)[1].split(":", 1)[0]) == -1


@pytest.mark.parametrize("key,value", [
    (f"{SC}.act_team.p_crisis_handled_at_home", 2),
    (f"{SC}.act_team.stay_days_saved_share", -0.1),
    (f"{SC}.coordinator.information_access", 1.5),
    (f"{SC}.health_coach.p_call_handled", 1.01),
])
def test_probability_out_of_range_names_the_key(key, value):
    problem = _single_problem({key: value}, f"{key} = ", "allowed range [0, 1]")
    assert float(problem.split(" = ", 1)[1].split(":", 1)[0]) == value


# -- unknown choices -----------------------------------------------------------------------------------
@pytest.mark.parametrize("key,bad,allowed", [
    (f"{SC}.coordinator.targeting", "vip", {"high_tier", "high_or_moderate_tier", "prior_use", "everyone"}),
    (f"{SC}.complex_care_team.targeting", "vip", {"complex", "high_tier"}),
    (f"{SC}.health_coach.targeting", "vip", {"moderate_tier", "high_or_moderate_tier"}),
    (f"{SC}.coordinator.kind", "generalist", {"holistic", "specialised"}),
    (f"{SC}.coordinator.placement", "hospice", {"hospital", "general_practice", "municipality", "cross_sector"}),
    (f"{SC}.complex_care_team.payer", "insurer", {"hospital", "general_practice", "municipality"}),
    (f"{SC}.act_team.payer", "insurer", {"hospital", "municipality"}),
])
def test_unknown_choice_lists_the_allowed_values(key, bad, allowed):
    team = key.split(".")[1]
    problem = _single_problem({f"{SC}.{team}.enabled": True, key: bad}, key, repr(bad))
    listed = _listed_values(problem)
    assert allowed <= listed, f"{problem!r} does not list {sorted(allowed - listed)}"
    assert bad not in listed


# -- eligibility nobody can meet -----------------------------------------------------------------------
ACT_ON = {f"{SC}.act_team.enabled": True, f"{SC}.act_team.misuse_qualifies": False}


def test_act_admission_rule_nobody_can_meet_is_an_error():
    _single_problem({**ACT_ON, f"{SC}.act_team.min_admissions_2y": 500}, f"{SC}.act_team.min_admissions_2y")


def test_act_rule_is_fine_when_misuse_qualifies_or_act_is_off():
    from_overrides({**ACT_ON, f"{SC}.act_team.min_admissions_2y": 500, f"{SC}.act_team.misuse_qualifies": True})
    from_overrides({f"{SC}.act_team.enabled": False, f"{SC}.act_team.min_admissions_2y": 500})


def test_act_bed_day_rule_nobody_can_meet_is_an_error():
    """Nobody spends more days in a bed than there are days in two years (730): with misuse not
    qualifying, a minimum of 1,000 psychiatric bed days in two years makes no one eligible."""
    _single_problem({**ACT_ON, f"{SC}.act_team.min_bed_days_2y": 1000.0}, f"{SC}.act_team.min_bed_days_2y")


@pytest.mark.parametrize("key,value,needle", [
    ("scenario.controls.policy", "pro", "allowed values are fixed, needs_based, pro_triggered"),
    ("scenario.controls.pro_sensitivity", 1.2, "scenario.controls.pro_sensitivity = 1.2: allowed range [0, 1]"),
    ("scenario.controls.pro_specificity", -0.1, "scenario.controls.pro_specificity = -0.1: allowed range [0, 1]"),
    ("scenario.controls.pro_interval_days", 0.0, "scenario.controls.pro_interval_days = 0.0: allowed range [1, 3650]"),
    ("scenario.controls.subacute_reserve_share", 1.5, "scenario.controls.subacute_reserve_share = 1.5: allowed range [0, 1]"),
    ("pathways.control_interval_days", 0.0, "pathways.control_interval_days = 0.0: allowed range [1, 3650]"),
    ("scenario.controls.outreach_after_days", -1.0, "scenario.controls.outreach_after_days = -1.0"),
    ("scenario.telemonitoring.mode", "both", "allowed values are substitution, parallel"),
    ("scenario.telemonitoring.conditions", ["copd", "asthma"], "'asthma': allowed values are copd, t2d"),
    ("scenario.telemonitoring.payer", "region", "allowed values are hospital, general_practice, municipality"),
])
def test_follow_up_policy_inputs_are_checked(key, value, needle):
    with pytest.raises(ConfigError) as err:
        from_overrides({key: value})
    assert needle in str(err.value), str(err.value)


def test_enabled_telemonitoring_needs_places_and_conditions():
    with pytest.raises(ConfigError, match="places_per_1000 = 0 with telemonitoring enabled"):
        from_overrides({"scenario.telemonitoring.enabled": True, "scenario.telemonitoring.places_per_1000": 0.0})
    with pytest.raises(ConfigError, match="conditions is empty"):
        from_overrides({"scenario.telemonitoring.enabled": True, "scenario.telemonitoring.conditions": []})
