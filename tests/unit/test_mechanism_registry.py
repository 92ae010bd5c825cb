"""The mechanism registry and the hook protocol keep their promises (sim/mechanisms/registry.py, hooks.py).

* every built-in mechanism declares a config section that exists, and the purposes it draws from;
* every hook of the protocol has a dispatcher, so a mechanism's override is never silently skipped;
* patient stream purposes keep their positions (patient streams are positional);
* agents never import a mechanism (the direction of the layers: mechanisms build on agents).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sim.config import SimConfig
from sim.mechanisms import Mechanism, registry
from sim.mechanisms.hooks import HOOKS, Hooks
from sim.streams import PATIENT_PURPOSES, USUAL_CARE_PATIENT_PURPOSES

SIM = Path(__file__).resolve().parents[2] / "sim"


def _section(cfg: SimConfig, dotted: str):
    node = cfg
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


@pytest.mark.parametrize("mechanism", registry.registered(), ids=lambda m: m.name)
def test_each_built_in_mechanism_declares_a_config_section_that_exists(mechanism):
    assert mechanism.config_sections, f"{mechanism.name} declares no config section"
    cfg = SimConfig()
    for dotted in mechanism.config_sections:
        assert _section(cfg, dotted) is not None, dotted


def test_names_are_unique_and_every_built_in_purpose_is_declared_by_someone():
    names = [m.name for m in registry.registered()]
    assert len(names) == len(set(names))
    declared = set(USUAL_CARE_PATIENT_PURPOSES).union(*(m.patient_stream_purposes for m in registry.registered()))
    assert set(PATIENT_PURPOSES) <= declared
    # without plug-ins the assembled purposes are exactly the positional ledger
    assert registry.patient_purposes() == PATIENT_PURPOSES


def test_every_hook_has_a_dispatcher_and_the_base_answers_are_usual_care():
    assert {"before_ed", "after_discharge", "length_of_stay", "alignment_days", "repair_handoffs",
            "at_entry", "start_results", "replaces_next_control"} <= set(HOOKS)
    for hook in HOOKS:
        assert callable(getattr(Hooks, hook, None)), f"hook {hook} has no dispatcher in Hooks"


class _Recording(Mechanism):
    name = "recording"

    def __init__(self, model, calls):
        super().__init__(model)
        self.calls = calls

    def alignment_days(self, patient):
        self.calls.append(("alignment", self.name))
        return 0.25

    def length_of_stay(self, patient, ward, condition, los):
        self.calls.append(("los", self.name))
        return los - 1.0


class _Second(_Recording):
    name = "second"


class _Switched(_Recording):
    name = "switched_off"

    @property
    def active(self):
        return False


def test_hooks_reach_active_implementers_in_registry_order_and_combine_as_documented():
    calls: list = []
    hooks = Hooks([_Recording(None, calls), _Switched(None, calls), Mechanism(None), _Second(None, calls)])
    assert hooks.alignment_days(None) == 0.5                      # sum
    assert hooks.length_of_stay(None, None, 0, 10.0) == 8.0       # chain
    assert calls == [("alignment", "recording"), ("alignment", "second"), ("los", "recording"), ("los", "second")]
    assert hooks.repair_succeeds(0.3, 0.5, "general_practice")    # no implementer: usual care's rule u < p
    assert not hooks.repair_succeeds(0.7, 0.5, "general_practice")


def test_register_refuses_what_is_not_a_named_mechanism():
    with pytest.raises(registry.RegistryError, match="not a subclass"):
        registry.register(object)
    nameless = type("Nameless", (Mechanism,), {})
    with pytest.raises(registry.RegistryError, match="needs a name"):
        registry.register(nameless)


def test_agents_never_import_a_mechanism():
    offenders = []
    for path in sorted((SIM / "agents").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                if "mechanisms" in module or "scenarios" in module:
                    offenders.append(f"{path.name}: from {module} import ...")
            elif isinstance(node, ast.Import):
                offenders += [f"{path.name}: import {a.name}" for a in node.names if "mechanisms" in a.name]
    assert not offenders, offenders
