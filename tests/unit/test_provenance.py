"""Every parameter has a unit and a source; every value a population preset changes cites a source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from sim.config import PopulationConfig, iter_params

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs"
DOCUMENT_CITATION = re.compile(r"(Slides|VIVE 2018|SST 2013|Region H 2018|Buch \(DSI\)) l\.\d+")
ASSUMPTION = re.compile(r"^assumption:\s*(?P<reason>.*)$", re.DOTALL)
MIN_REASON = 15

PARAMS = list(iter_params())


def source_problem(source: object) -> str | None:
    """None if ``source`` is a valid provenance entry, else why not."""
    if not isinstance(source, str) or not source.strip():
        return "empty source"
    m = ASSUMPTION.match(source.strip())
    if m:
        reason = m.group("reason").strip()
        return None if len(reason) >= MIN_REASON else f"assumption reason {reason!r} is shorter than {MIN_REASON} characters"
    if DOCUMENT_CITATION.search(source):
        return None
    return "neither 'assumption: <reason>' nor a document citation with a line (e.g. 'VIVE 2018 l.2117')"


@pytest.mark.parametrize("source,ok", [
    ("Slides l.41-44", True),
    ("VIVE 2018 l.2116-2117 (4% use 50%)", True),
    ("Buch (DSI) l.230-330", True),
    ("assumption: a reason that is long enough", True),
    ("assumption: short", False),
    ("VIVE 2018", False),          # no line
    ("Wikipedia l.3", False),      # not one of the documents
    ("", False),
])
def test_source_rule(source, ok):
    assert (source_problem(source) is None) == ok


def test_schema_is_not_empty():
    assert len(PARAMS) > 50


@pytest.mark.parametrize("key,f", PARAMS, ids=[k for k, _ in PARAMS])
def test_every_parameter_has_unit_and_source(key, f):
    unit = f.metadata.get("unit")
    assert isinstance(unit, str) and unit.strip(), f"{key} has no unit"
    problem = source_problem(f.metadata.get("source"))
    assert problem is None, f"{key}: {problem} (source: {f.metadata.get('source')!r})"


PRESETS = sorted((CONFIG_DIR / "population").glob("*.yaml"))


@pytest.mark.parametrize("preset", PRESETS, ids=[p.stem for p in PRESETS])
def test_population_preset_cites_a_source_for_every_override(preset):
    data = OmegaConf.to_container(OmegaConf.load(preset))
    assert isinstance(data, dict)
    fields = set(PopulationConfig.__dataclass_fields__)
    sources = data.get("sources", {}) or {}
    for key in data:
        assert key in fields, f"{preset.name}: {key} is not a population parameter"
    for key in sources:
        assert key in data, f"{preset.name}: sources cites {key}, which the preset does not set"
    for key in data:
        if key in ("name", "sources"):
            continue
        assert key in sources, f"{preset.name} overrides {key} without a source"
        problem = source_problem(sources[key])
        assert problem is None, f"{preset.name}: {key}: {problem}"


def test_presets_exist():
    assert {p.stem for p in PRESETS} >= {"randers", "small"}


SCENARIO_FILES = sorted((CONFIG_DIR / "scenario").glob("*.yaml"))


def _leaves(node: dict, prefix: str = ""):
    for key, value in node.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_scenario_file_cites_a_source_for_every_value_it_sets(scenario):
    data = OmegaConf.to_container(OmegaConf.load(scenario))
    assert isinstance(data, dict)
    sources = data.pop("sources", {}) or {}
    data.pop("name", None), data.pop("description", None)
    values = set(_leaves(data))
    assert set(sources) <= values, f"{scenario.name}: sources cites keys it does not set: {sorted(set(sources) - values)}"
    for key in sorted(values):
        assert key in sources, f"{scenario.name} sets {key} without a source"
        problem = source_problem(sources[key])
        assert problem is None, f"{scenario.name}: {key}: {problem}"
