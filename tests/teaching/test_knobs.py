"""The teaching page's knobs reach the real config keys, and input the model rejects becomes a message on
the model (the page shows it) instead of an exception in the server. No browser: fast checks."""

from __future__ import annotations

import pytest

from sim.config import ConfigError
from sim.hydra_app import compose_config
from sim.teaching.knobs import DIFFUSION_ON, KNOBS, knob_values, model_params, overrides
from sim.teaching.model import TeachingModel


def composed(**knobs):
    return compose_config(overrides(knob_values(knobs)))


def test_defaults_are_the_first_block_of_the_lesson():
    """docs/guides/teachers.md, block 1: specialisation at usual care's level (2), no coordinators, the small
    population, one year, seed 0."""
    cfg = composed()
    sp, co = cfg.scenario.specialisation, cfg.scenario.coordinator
    assert sp.enabled and sp.level == sp.reference_level == 2
    assert not co.enabled
    assert cfg.population.name == "small" and cfg.run.years == 1.0 and cfg.seed == 0 and not cfg.run.event_log


@pytest.mark.parametrize("knob", KNOBS, ids=lambda k: k.name)
def test_every_knob_setting_reaches_its_config_keys(knob):
    """Each end of a slider and each choice composes to a config with that value (no Hydra override error;
    a knob bound to a key that does not exist would fail here)."""
    settings = list(knob.choices) or ([True, False] if knob.widget == "Checkbox" else [knob.lo, knob.hi])
    for value in settings:
        if knob.widget == "SliderInt":
            value = int(value)
        try:
            cfg = composed(**{knob.name: value})
        except ConfigError as exc:  # only the combination validate() forbids: coordinators without staff
            assert (knob.name, value) == ("staff_per_100k", 0), exc
            continue
        config_values = knob.to_config(value) if knob.to_config else (value,)
        for key, expected in zip(knob.keys, config_values, strict=True):
            actual = cfg
            for part in key.split("."):
                actual = getattr(actual, part)
            actual = actual.name if key == "population" else actual
            assert actual == expected, (key, actual, expected)


def test_coordinator_and_diffusion_knobs_translate_to_the_model_switches():
    assert not composed(coordinators=0).scenario.coordinator.enabled
    three = composed(coordinators=3).scenario.coordinator
    assert three.enabled and three.functions == 3
    assert composed(diffusion=False).scenario.specialisation.diffusion == 0.0
    assert composed(diffusion=True).scenario.specialisation.diffusion == DIFFUSION_ON > 0


def test_model_params_are_one_input_per_knob_plus_the_extra_overrides():
    params = model_params()
    assert set(params) == {k.name for k in KNOBS} | {"extra_overrides"}
    assert all(p["type"] in {"SliderInt", "SliderFloat", "Select", "Checkbox", "InputText"} for p in params.values())


@pytest.mark.parametrize("knobs, message", [
    (dict(extra_overrides="scenario.specialisation.level=12"), "scenario.specialisation.level = 12: allowed range [1, 8]"),
    (dict(coordinators=3, coordinator_kind="specialised"), "scenario.coordinator.functions = 3 with kind = 'specialised'"),
    (dict(extra_overrides="scenario.specialisation.coordinator_links=ring"), "allowed values are sequential, mesh"),
    (dict(extra_overrides="no_such_key=1"), "Could not override 'no_such_key'"),
    (dict(extra_overrides="'unclosed"), "No closing quotation"),
])
def test_rejected_input_is_a_message_on_the_model_not_an_exception(knobs, message):
    model = TeachingModel(**knobs)
    assert model.error is not None and message in model.error
    assert not model.running
    model.step()  # what the page's Step button does: nothing, and no exception
    assert not model.running and len(model.series()) == 1  # no step was recorded


def test_unknown_knob_is_a_programming_error():
    with pytest.raises(TypeError, match="unknown teaching knob"):
        TeachingModel(specialization=3)


def test_the_pages_kpis_are_those_of_the_full_computation():
    """The page reads a few groups' KPIs of a run in progress (outcomes.compute with t1 and groups): the
    same numbers as the full computation, which covers the whole window."""
    from sim import outcomes
    from sim.model import CareModel
    from sim.teaching.model import PLOTTED_GROUPS

    model = CareModel(composed(years=0.5), replication=0).run()
    full = outcomes.compute(model).set_index(["group", "kpi"]).value
    page = outcomes.compute(model, t1=model.end_time, groups=PLOTTED_GROUPS).set_index(["group", "kpi"]).value
    assert set(page.index.get_level_values("group")) == set(PLOTTED_GROUPS) | {
        g for g in full.index.get_level_values("group") if g.startswith("team=")}
    assert page.equals(full.loc[page.index])
    # a window ending two months in holds less cost than the whole half-year
    early = outcomes.compute(model, t1=model.results_start + 60, groups=("all",)).set_index(["group", "kpi"]).value
    assert early[("all", "cost_total_dkk")] < full[("all", "cost_total_dkk")]
