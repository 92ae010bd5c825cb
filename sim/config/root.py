"""The root of the schema: :class:`SimConfig`, which Hydra composes the YAML config groups onto."""

from __future__ import annotations

from dataclasses import dataclass, field

from .capacity import CapacityConfig
from .costs import CostConfig
from .overload import OverloadConfig
from .params import param
from .pathways import PathwayConfig
from .payment import PaymentConfig
from .population import PopulationConfig, RiskTierConfig
from .run import RunConfig
from .scenario import ScenarioConfig


@dataclass(frozen=True)
class SimConfig:
    seed: int = param(0, unit="integer", lo=0, hi=2**63 - 1, source="assumption: user-chosen root seed (SeedSequence entropy)")
    run: RunConfig = field(default_factory=RunConfig)
    population: PopulationConfig = field(default_factory=PopulationConfig)
    capacity: CapacityConfig = field(default_factory=CapacityConfig)
    overload: OverloadConfig = field(default_factory=OverloadConfig)
    pathways: PathwayConfig = field(default_factory=PathwayConfig)
    costs: CostConfig = field(default_factory=CostConfig)
    risk_tiers: RiskTierConfig = field(default_factory=RiskTierConfig)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    payment: PaymentConfig = field(default_factory=PaymentConfig)
