"""The scenario section: switches mechanisms on (``scenario.*``; combine several with scenario=[a,b])."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .acute_alternatives import ExtendedResponsibilityConfig, MunicipalAcuteBedsConfig
from .capacity_moves import CapacityMovesConfig
from .controls import ControlPolicyConfig
from .params import param
from .referral import ReferralConfig
from .slot_allocation import SlotAllocationConfig
from .specialisation import SpecialisationConfig
from .teams import ActTeamConfig, ComplexCareTeamConfig, CoordinatorConfig, HealthCoachConfig
from .telemonitoring import TelemonitoringConfig


# --------------------------------------------------------------------------------------------------
# Scenario: switches mechanisms on (combine several with scenario=[a,b])
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScenarioConfig:
    name: str = param("baseline", unit="label", source="assumption: usual care is the reference scenario (MODEL.md §3.2)",
                      doc="label in outputs; combined scenarios get their names joined with '+'")
    description: str = param(
        "Usual care: fixed annual controls, no coordinators, activity as today.", unit="text",
        source="assumption: plain-language description for reports")
    sources: dict[str, str] = param(
        {}, unit="parameter -> source", source="assumption: scenario files cite a source for each value they change",
        doc="provenance of the values a file in configs/scenario/ sets")
    coordinator: CoordinatorConfig = field(default_factory=CoordinatorConfig)
    complex_care_team: ComplexCareTeamConfig = field(default_factory=ComplexCareTeamConfig)
    act_team: ActTeamConfig = field(default_factory=ActTeamConfig)
    health_coach: HealthCoachConfig = field(default_factory=HealthCoachConfig)
    gp_referral: ReferralConfig = field(default_factory=ReferralConfig)
    controls: ControlPolicyConfig = field(default_factory=ControlPolicyConfig)
    telemonitoring: TelemonitoringConfig = field(default_factory=TelemonitoringConfig)
    slot_allocation: SlotAllocationConfig = field(default_factory=SlotAllocationConfig)
    capacity_moves: CapacityMovesConfig = field(default_factory=CapacityMovesConfig)
    municipal_acute_beds: MunicipalAcuteBedsConfig = field(default_factory=MunicipalAcuteBedsConfig)
    extended_responsibility: ExtendedResponsibilityConfig = field(default_factory=ExtendedResponsibilityConfig)
    specialisation: SpecialisationConfig = field(default_factory=SpecialisationConfig)
    # the extension point for mechanisms defined outside sim/: under the scenario, where every mechanism's section
    # is, so a scenario file (which may set only scenario keys) can configure a plug-in as it does a built-in one
    plugins: dict[str, Any] = param(
        {}, unit="plug-in name -> its config section",
        source="assumption: mechanisms defined outside sim/ bring their own schema and cite their own sources",
        doc="config sections of mechanisms registered from outside sim/ (a scenario file's plugins: {my_mechanism: {...}}, "
            "or +scenario.plugins.my_mechanism.rate=2 on the command line); the registry turns each into the plug-in's "
            "schema dataclass and checks it with sim.config.check_section")
