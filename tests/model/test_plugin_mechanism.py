"""A mechanism defined entirely outside ``sim/`` plugs in through the public registry and its hooks.

The mechanism below is a phone call to every patient as they come home from hospital; a call to a patient
who is in an unstable phase catches it with some probability. It draws only from its own patient stream, so
registering it must leave every draw of the model as it was (common random numbers): the admissions of a run
with the plug-in are the admissions of the run without it, up to the first call that catches an unstable
phase. A plug-in's config section (``scenario.plugins.<name>``) is tested in tests/unit/test_plugin_config.py.
"""

from __future__ import annotations

import pytest

from sim.hydra_app import compose_config
from sim.mechanisms import Mechanism, registry
from sim.model import CareModel
from sim.streams import PATIENT_PURPOSES, Streams

OVERRIDES = ["population=small", "run.years=1", "run.warmup_days=30", "seed=3", "run.event_log=false"]


class PostDischargeCall(Mechanism):
    name = "post_discharge_call"
    patient_stream_purposes = ("post_discharge_call",)
    p_catches = 0.0  # set per test; 0 leaves the patients' paths untouched

    def __init__(self, model):
        super().__init__(model)
        self.calls: list[tuple[int, float]] = []
        self.caught = 0

    def after_discharge(self, patient, condition):
        draw = patient.streams.get("post_discharge_call").random()
        self.calls.append((patient.person_id, self.model.env.now))
        if patient.unstable and draw < self.p_catches:
            self.caught += 1
            patient.stabilise(self.name)


@pytest.fixture
def plugged():
    registry.register(PostDischargeCall)
    try:
        yield PostDischargeCall
    finally:
        registry.unregister(PostDischargeCall)


def _run() -> CareModel:
    return CareModel(compose_config(OVERRIDES), 0).run()


def test_a_plugin_purpose_goes_after_the_built_in_ones(plugged):
    purposes = registry.patient_purposes()
    assert purposes[:len(PATIENT_PURPOSES)] == PATIENT_PURPOSES  # every existing purpose keeps its position
    assert purposes[len(PATIENT_PURPOSES):] == ("post_discharge_call",)
    # so the existing purposes draw the same numbers with or without the plug-in
    with_plugin, without = Streams(5, 1, purposes).patient(9), Streams(5, 1).patient(9)
    for purpose in PATIENT_PURPOSES:
        assert with_plugin.get(purpose).random() == without.get(purpose).random()
    assert with_plugin.get("post_discharge_call").random() not in {Streams(5, 1).patient(9).get(p).random()
                                                                   for p in PATIENT_PURPOSES}


def test_the_registry_refuses_a_second_mechanism_of_the_same_name(plugged):
    clash = type("Clash", (Mechanism,), {"name": "post_discharge_call"})
    with pytest.raises(registry.RegistryError, match="already registered"):
        registry.register(clash)
    with pytest.raises(registry.RegistryError, match="built in"):
        registry.unregister(registry.registered()[0])


def test_the_plugin_runs_at_its_hook_and_leaves_other_draws_alone(plugged):
    baseline_admissions = None
    registry.unregister(PostDischargeCall)
    try:
        baseline_admissions = list(_run().recorder.facts["admissions"])
    finally:
        registry.register(PostDischargeCall)
    model = _run()
    plugin = model.mechanisms["post_discharge_call"]
    assert plugin is model.post_discharge_call  # reachable by name, like the built-in mechanisms
    assert plugin.calls, "the after_discharge hook never ran"
    discharged = {row[0] for row in model.recorder.facts["admissions"] if row[0] >= 0}
    assert {pid for pid, _ in plugin.calls} <= discharged
    # with p_catches = 0 the calls change nothing the model draws or does
    assert list(model.recorder.facts["admissions"]) == baseline_admissions


def test_a_plugin_that_acts_changes_the_results_through_its_hook(plugged, monkeypatch):
    monkeypatch.setattr(PostDischargeCall, "p_catches", 1.0)
    model = _run()
    plugin = model.mechanisms["post_discharge_call"]
    assert plugin.caught > 0
    detections = [row for row in model.recorder.facts["detections"] if row[-1] == "post_discharge_call"]
    assert len(detections) == plugin.caught
