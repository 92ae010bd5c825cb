"""Municipal acute beds and the discharging ward's extended responsibility: validation and routing rules.

The routing rules are tested without running a model: a stub model (clock, recorder, wards) and a stub
patient whose random stream returns chosen numbers, so each branch of the decision is pinned exactly.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from sim.config import CONDITIONS, ConfigError, municipal_acute_beds
from sim.validated import from_overrides
from sim.recorder import Recorder
from sim.mechanisms.acute_alternatives import HANDLED, TO_ED, TO_WARD, AcuteAlternatives, offered_municipal_bed

MAB, EXT = "scenario.municipal_acute_beds", "scenario.extended_responsibility"
COPD, SMI = CONDITIONS.index("copd"), CONDITIONS.index("smi")


def _problems(overrides: dict) -> list[str]:
    with pytest.raises(ConfigError) as info:
        from_overrides(overrides)
    return info.value.problems


# -- validation ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("overrides,must_name", [
    ({f"{MAB}.enabled": True, f"{MAB}.beds_per_1000": 0.0}, f"{MAB}.beds_per_1000"),
    ({f"{MAB}.enabled": True, f"{MAB}.p_suitable": 0.0}, f"{MAB}.p_suitable"),
    ({f"{MAB}.enabled": True, f"{MAB}.p_used_by_gp": 0.0, f"{MAB}.p_used_by_acute_line": 0.0}, f"{MAB}.p_used_by_gp"),
    ({f"{MAB}.enabled": True, f"{MAB}.min_age": 110.0}, f"{MAB}.min_age"),
    ({f"{EXT}.enabled": True, f"{EXT}.window_hours": 0.0}, f"{EXT}.window_hours"),
    ({f"{EXT}.enabled": True, f"{EXT}.p_enquiry_routed": 0.0, f"{EXT}.p_handoff_repair": 0.0}, f"{EXT}.p_enquiry_routed"),
])
def test_impossible_combinations_are_errors_naming_the_key(overrides, must_name):
    problems = _problems(overrides)
    assert len(problems) == 1 and must_name in problems[0], problems


@pytest.mark.parametrize("overrides", [
    {f"{MAB}.enabled": False, f"{MAB}.beds_per_1000": 0.0},
    {f"{EXT}.enabled": False, f"{EXT}.window_hours": 0.0},
    {f"{EXT}.enabled": True, f"{EXT}.p_enquiry_routed": 0.0},  # handoff repair alone is a valid variant
])
def test_the_same_values_are_fine_when_they_cannot_matter(overrides):
    from_overrides(overrides)


@pytest.mark.parametrize("key,value,range_text", [
    (f"{MAB}.beds_per_1000", -0.1, "[0, 1000]"),
    (f"{MAB}.p_suitable", 1.5, "[0, 1]"),
    (f"{MAB}.stay_mean_days", 0.0, "[0.01, 365]"),
    (f"{EXT}.window_hours", 1000.0, "[0, 720]"),
    (f"{EXT}.p_handoff_repair", -0.2, "[0, 1]"),
    ("costs.municipal_acute_bed_day", -1.0, "[0, 1e+07]"),
    ("costs.municipal_acute_vacant_bed_day_share", 2.0, "[0, 1]"),
])
def test_out_of_range_values_name_the_key_and_range(key, value, range_text):
    problems = _problems({key: value})
    assert len(problems) == 1 and key in problems[0] and range_text in problems[0], problems


def test_too_few_beds_for_a_municipality_is_an_error_with_the_minimum():
    # the small catchment's two municipalities have 20,000 inhabitants each: 0.02 per 1,000 gives 0.4 beds
    small = {"population.inhabitants": 40000, "population.municipality_names": ["North", "South"],
             "population.municipality_shares": [0.5, 0.5]}
    problems = _problems({**small, f"{MAB}.enabled": True, f"{MAB}.beds_per_1000": 0.02})
    assert len(problems) == 1 and "North, South" in problems[0] and "at least 0.025" in problems[0], problems
    cfg = from_overrides({**small, f"{MAB}.enabled": True, f"{MAB}.beds_per_1000": 0.1})
    assert municipal_acute_beds(cfg) == [2, 2]


# -- the municipal routing rule ------------------------------------------------------------------------
CFG = from_overrides({f"{MAB}.enabled": True}).scenario.municipal_acute_beds  # p_suitable 0.3, GP 0.8, line 0.5


@pytest.mark.parametrize("age,condition,by_gp,u_suitable,u_used,offered", [
    (70, COPD, True, 0.29, 0.79, True),     # suitable, the GP uses it
    (70, COPD, True, 0.31, 0.0, False),     # needs hospital diagnostics
    (70, COPD, True, 0.0, 0.81, False),     # the GP does not use it
    (70, COPD, False, 0.0, 0.49, True),     # the acute line uses it
    (70, COPD, False, 0.0, 0.51, False),    # ... but less often than the GP
    (64.9, COPD, True, 0.0, 0.0, False),    # too young
    (65.0, COPD, True, 0.0, 0.0, True),     # the age limit is inclusive
    (90, SMI, True, 0.0, 0.0, False),       # severe mental illness never goes to a municipal acute bed
])
def test_municipal_routing_rule(age, condition, by_gp, u_suitable, u_used, offered):
    assert offered_municipal_bed(CFG, age, condition, by_gp, u_suitable, u_used) is offered


# -- the discharging ward's window ---------------------------------------------------------------------
class _Stream:
    """A stand-in for a random stream that returns chosen numbers (and fails if asked for more)."""

    def __init__(self, values):
        self.values = list(values)

    def random(self) -> float:
        return self.values.pop(0)


class _Patient:
    def __init__(self, draws=(), unstable=True):
        self.person_id, self.unstable, self.stabilised = 7, unstable, []
        self.stream = _Stream(draws)
        self.streams = SimpleNamespace(get=lambda purpose: self.stream if purpose == "acute_alternative" else None)

    def stabilise(self, where: str) -> None:
        self.stabilised.append(where)


def _stub_model(overrides: dict):
    medical, psychiatric = SimpleNamespace(name="medical_ward"), SimpleNamespace(name="psychiatric_ward")
    cfg = from_overrides(overrides)
    model = SimpleNamespace(cfg=cfg, env=SimpleNamespace(now=100.0), recorder=Recorder(event_log=False),
                            municipalities=[], ward_for=lambda c: psychiatric if c == SMI else medical)
    return model, medical, psychiatric


def _run(generator):
    """Drive a generator that must finish without yielding a SimPy event; return its value."""
    try:
        next(generator)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("the decision yielded an event")


def test_switched_off_nothing_is_drawn_or_recorded():
    model, medical, _ = _stub_model({})
    alt = AcuteAlternatives(model)
    patient = _Patient(draws=())  # any draw would fail
    assert _run(alt.before_ed(patient, COPD, True)) == TO_ED
    assert alt.after_discharge_handoffs(patient, medical, True, True, True) == (True, True)
    assert all(not rows for rows in model.recorder.facts.values())


def _discharged(draws_at_discharge=(0.9, 0.9)):
    model, medical, psychiatric = _stub_model({f"{EXT}.enabled": True})
    alt = AcuteAlternatives(model)
    patient = _Patient(draws=draws_at_discharge)
    alt.after_discharge_handoffs(patient, medical, False, False, False)  # discharged at day 100
    return model, alt, patient, medical


@pytest.mark.parametrize("hours_later,condition,draws,entry,outcome", [
    (24, COPD, (0.1, 0.1, 0.9), TO_WARD, "admitted_directly"),   # routed, admitted without the ED
    (24, COPD, (0.1, 0.9, 0.9), HANDLED, "advice"),              # routed, advice at a distance
    (71.9, COPD, (0.6, 0.1, 0.1), TO_ED, None),                  # not raised with the ward (p_enquiry_routed 0.5)
    (72.1, COPD, (), TO_ED, None),                               # after the window: no draw at all
    (24, SMI, (), TO_ED, None),                                  # the medical ward does not take a psychiatric crisis
])
def test_ward_window_routing(hours_later, condition, draws, entry, outcome):
    model, alt, patient, medical = _discharged()
    patient.stream.values = list(draws)
    model.env.now = 100.0 + hours_later / 24.0
    assert _run(alt.before_ed(patient, condition, False)) == entry
    assert patient.stream.values == []  # exactly the draws the rule needs
    enquiries = model.recorder.facts["ward_enquiries"]
    assert [row[4] for row in enquiries] == ([outcome] if outcome else [])
    if outcome:
        assert enquiries[0][2] == "medical_ward" and enquiries[0][3] == "acute_line"


def test_advice_may_end_the_unstable_phase():
    model, alt, patient, _ = _discharged()
    patient.stream.values = [0.1, 0.9, 0.1]  # routed, not admitted, the advice works
    model.env.now = 101.0
    assert _run(alt.before_ed(patient, COPD, True)) == HANDLED
    assert patient.stabilised == ["medical_ward"]
    assert model.recorder.facts["ward_enquiries"][0][3] == "gp"


@pytest.mark.parametrize("failed,draws,after,repairs", [
    ((True, True), (0.1, 0.1), (False, False), 2),   # p_handoff_repair 0.25: both caught
    ((True, True), (0.1, 0.3), (False, True), 1),
    ((False, True), (0.1, 0.9), (False, True), 0),   # nothing to repair for the GP; the municipal one is missed
])
def test_ward_catches_failing_handoffs(failed, draws, after, repairs):
    model, medical, _ = _stub_model({f"{EXT}.enabled": True})
    alt = AcuteAlternatives(model)
    patient = _Patient(draws=draws)
    assert alt.after_discharge_handoffs(patient, medical, *failed, True) == after
    assert len(model.recorder.facts["handoff_repairs"]) == repairs
    assert len(model.recorder.facts["ward_enquiries"]) == repairs


def test_window_is_hours():
    model, _, _ = _stub_model({f"{EXT}.enabled": True, f"{EXT}.window_hours": 36.0})
    assert math.isclose(AcuteAlternatives(model).window_days, 1.5)
