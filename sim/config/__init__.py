"""Structured configuration: every parameter with its unit, source and allowed range.

The dataclasses of this package are the schema Hydra composes YAML config groups onto (``configs/``), one
module per section. Each leaf is declared with :func:`sim.config.params.param`, which stores the unit, the
source (a document and line, or ``assumption: <reason>``), the allowed range and, for a choice, the allowed
values as field metadata. From that metadata we

* check a composed config before anything runs (:func:`config_problems`: the config's own checks, naming the
  key and the range; the whole validation, with the mechanisms' checks, is :func:`sim.validated.validate`);
* generate ``docs/parameters.md`` (``python -m sim.docs``);
* test that no parameter lacks a unit or a source (``tests/unit/test_provenance.py``).

Sources are cited as in ``docs/references.md``: ``Slides l.41-44``, ``VIVE 2018 l.2117``,
``SST 2013 l.2376``, ``Region H 2018 l.151``, ``Buch (DSI) l.230``.
Time is in days throughout the model; rates are per year where the unit says so.

This package imports nothing else of ``sim``: it is the bottom layer. The names below are re-exported so
``from sim.config import X`` keeps working wherever a section's class or constant is used.
"""

from __future__ import annotations

from .acute_alternatives import ExtendedResponsibilityConfig, MunicipalAcuteBedsConfig, municipal_acute_beds
from .capacity import CapacityConfig
from .capacity_moves import (CAPACITY_RESOURCES, FRICTION_OUTCOMES, PER_CONDITION_RESOURCES, CapacityChangeConfig,
                             CapacityMovesConfig)
from .controls import ControlPolicyConfig
from .costs import CostConfig
from .cross_field import cross_field_problems
from .dimensions import AGE_BAND_EDGES, AGE_BANDS, CONDITIONS, PAM_LEVELS
from .hydra_conversion import overrides_config, schema_node, section_from, to_sim_config
from .overload import OverloadConfig
from .params import AssignedOnce, param, probability
from .pathways import PathwayConfig
from .payment import PAYMENT_MODELS, PaymentConfig
from .population import PopulationConfig, RiskTierConfig
from .referral import ReferralConfig
from .root import SimConfig
from .scenario import ScenarioConfig
from .slot_allocation import SLOT_ALLOCATION_POLICIES, SlotAllocationConfig
from .specialisation import SpecialisationConfig
from .teams import (PAYER_OF_PLACEMENT, PLACEMENTS, ActTeamConfig, ComplexCareTeamConfig, CoordinatorConfig,
                    HealthCoachConfig)
from .telemonitoring import TelemonitoringConfig
from .validation import (ConfigError, check_section, config_problems, fmt_range, iter_params, param_problems,
                         value_problems)

__all__ = [
    "AGE_BAND_EDGES", "AGE_BANDS", "CAPACITY_RESOURCES", "CONDITIONS", "FRICTION_OUTCOMES", "PAM_LEVELS",
    "PAYER_OF_PLACEMENT", "PAYMENT_MODELS", "PER_CONDITION_RESOURCES", "PLACEMENTS", "SLOT_ALLOCATION_POLICIES",
    "ActTeamConfig", "AssignedOnce", "CapacityChangeConfig", "CapacityConfig", "CapacityMovesConfig", "ComplexCareTeamConfig",
    "ConfigError", "ControlPolicyConfig", "CoordinatorConfig", "CostConfig", "ExtendedResponsibilityConfig",
    "HealthCoachConfig", "MunicipalAcuteBedsConfig", "OverloadConfig", "PathwayConfig", "PaymentConfig",
    "PopulationConfig", "ReferralConfig", "RiskTierConfig", "ScenarioConfig", "SimConfig", "SlotAllocationConfig",
    "SpecialisationConfig", "TelemonitoringConfig", "check_section", "config_problems", "cross_field_problems", "fmt_range",
    "iter_params", "municipal_acute_beds", "overrides_config", "param", "param_problems", "probability", "schema_node",
    "section_from", "to_sim_config", "value_problems",
]
