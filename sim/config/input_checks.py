"""Checks of a configuration that no single range can express: names, impossible capacities, impossible
populations, and booleans given as something else. Called by :func:`sim.config.config_problems` (and, for the
command-line values, by the entry points) once every value is within its range.

* **Names** label folders and tables (``outputs/<scenario>/``, ``cells/<scenario>/``): letters, digits,
  ``_``, ``-`` and ``+`` (combined scenarios), so no name can reach outside its folder.
* **Capacities**: a ward with zero beds, or a municipality with zero home-nursing places once the per-1,000
  rate is rounded for the catchment, cannot work in this model; it is refused rather than silently given one
  bed or place (which published a meaningless result before).
* **Populations**: a catchment without adults, a municipality without inhabitants, incidence with no
  condition anyone can have, and shares that leave a reported patient group empty (a risk tier,
  vulnerable or not) are refused: every group of the by-group tables must be able to hold patients.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from .root import SimConfig

# a label: starts with a letter or digit; '+' joins combined scenarios; short enough for a folder name
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+-]{0,199}")
NAMED = ("scenario.name", "population.name", "costs.name", "payment.name")


def safe_name(name: Any) -> bool:
    return isinstance(name, str) and SAFE_NAME.fullmatch(name) is not None


def name_problems(cfg: SimConfig) -> list[str]:
    problems = []
    for key in NAMED:
        section, field = key.split(".")
        value = getattr(getattr(cfg, section), field)
        if not safe_name(value):
            problems.append(f"{key} = {value!r}: a name labels folders and tables; use letters, digits, '_', '-' "
                            "and '+' (at most 200 characters, starting with a letter or digit)")
    return problems


def _whole_units(rate_per_1000: float, per_1000: float) -> int:
    return int(round(rate_per_1000 * per_1000))


def capacity_problems(cfg: SimConfig) -> list[str]:
    """Wards and municipalities need at least one bed or place after rounding (unlimited capacity aside)."""
    cap, pop = cfg.capacity, cfg.population
    if cap.unlimited_capacity:
        return []
    per_1000 = pop.inhabitants / 1000.0
    problems = []
    for key, ward in (("medical_beds_per_1000", "medical ward"), ("psychiatric_beds_per_1000", "psychiatric ward")):
        rate = getattr(cap, key)
        if _whole_units(rate, per_1000) < 1:
            problems.append(f"capacity.{key} = {rate:g} gives the {ward} 0 beds for {pop.inhabitants:,} inhabitants: "
                            f"a ward needs at least one bed (more than {0.5 / per_1000:.3g} per 1,000 here)")
    rate = cap.home_nursing_places_per_1000
    empty = [name for name, share in zip(pop.municipality_names, pop.municipality_shares)
             if share > 0 and _whole_units(rate, per_1000 * share) < 1]
    if empty:
        smallest = min(share for share in pop.municipality_shares if share > 0)
        problems.append(f"capacity.home_nursing_places_per_1000 = {rate:g} gives {', '.join(empty)} no home-nursing "
                        f"place for its inhabitants: every municipality needs at least one (more than "
                        f"{0.5 / (per_1000 * smallest):.3g} per 1,000 here)")
    return problems


def population_problems(cfg: SimConfig) -> list[str]:
    from .dimensions import AGE_BANDS, CONDITIONS

    pop, tiers = cfg.population, cfg.risk_tiers
    problems = []
    if round(pop.inhabitants * pop.adult_share) < 1:
        problems.append(f"population.adult_share = {pop.adult_share:g} gives no adults in {pop.inhabitants:,} inhabitants: "
                        "chronic patients are adults (and new ones arrive in proportion to the inhabitants); give a positive share")
    for name, share in zip(pop.municipality_names, pop.municipality_shares):
        if share == 0:
            problems.append(f"population.municipality_shares gives {name} no inhabitants: remove it from "
                            "population.municipality_names (and its share), or give it a positive share")
    possible = any(band_share > 0 and getattr(pop, f"prevalence_{c}")[b] > 0
                   for b, band_share in enumerate(pop.adult_age_band_shares) for c in CONDITIONS)
    if pop.incidence_per_1000 > 0 and not possible:
        problems.append(f"population.incidence_per_1000 = {pop.incidence_per_1000:g} but no adult can have a condition "
                        f"(every prevalence is 0 in the age bands {', '.join(AGE_BANDS)} that have adults): new patients "
                        "could never be drawn; set incidence_per_1000 = 0 or a positive prevalence")
    for key, value, group in (("risk_tiers.high_share", tiers.high_share, "tier=high"),
                              ("risk_tiers.moderate_share", tiers.moderate_share, "tier=moderate")):
        if value == 0:
            problems.append(f"{key} = 0 leaves the group {group} empty: every reported patient group must be able to "
                            "hold patients; give it a positive share")
    if tiers.high_share + tiers.moderate_share == 1.0:
        problems.append("risk_tiers.high_share + risk_tiers.moderate_share = 1 leaves the group tier=low empty: "
                        "keep their sum below 1")
    if pop.vulnerable_share in (0.0, 1.0):
        group = "vulnerable=yes" if pop.vulnerable_share == 0 else "vulnerable=no"
        problems.append(f"population.vulnerable_share = {pop.vulnerable_share:g} leaves the group {group} empty: every "
                        "reported patient group must be able to hold patients; use a share strictly between 0 and 1")
    return problems


def bool_problems(pairs: Iterable[tuple[str, Any]]) -> list[str]:
    """Booleans must be given as true or false: OmegaConf reads ``run.event_log=2`` (or yes, on, 1) as true.
    ``pairs``: (dotted key, value as given) for values set on the command line or by ``from_overrides``."""
    from .validation import iter_params  # noqa: PLC0415 - validation imports this module

    flags = {key for key, f in iter_params() if f.type in (bool, "bool")}
    return [f"{key} = {value!r}: a flag must be true or false" for key, value in pairs
            if key.lstrip("+~") in flags and not isinstance(value, bool)]


def override_pairs(overrides: Iterable[str]) -> list[tuple[str, Any]]:
    """(key, value) of the single-value command-line overrides, values as the override parser reads them."""
    from hydra.core.override_parser.overrides_parser import OverridesParser  # noqa: PLC0415

    parsed = OverridesParser.create().parse_overrides([str(o) for o in overrides or []])
    return [(o.key_or_group, o.value()) for o in parsed if not o.is_sweep_override() and not o.is_delete()]
