"""Bad configurations fail before anything runs, each with a message naming the key (and the range)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from sim.config import ConfigError, SimConfig
from sim.validated import from_overrides, validate
from sim.hydra_app import compose_config

COMPOSE_ERRORS = (HydraException, OmegaConfBaseException)


def _full_message(exc: BaseException) -> str:
    """The exception and its causes (Hydra wraps the OmegaConf error that names the key)."""
    parts = []
    while exc is not None:
        parts.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    return "\n".join(parts)


def test_defaults_are_valid():
    validate(SimConfig())
    compose_config([])
    compose_config(["population=small"])


# -- unknown keys and wrong types (rejected by the structured schema) ---------------------------------
def test_unknown_key_compose():
    with pytest.raises(COMPOSE_ERRORS) as info:
        compose_config(["costs.bed_dya=5"])
    assert "bed_dya" in _full_message(info.value)


def test_unknown_key_from_overrides():
    with pytest.raises(COMPOSE_ERRORS) as info:
        from_overrides({"costs.bed_dya": 5})
    assert "bed_dya" in _full_message(info.value)


def test_appended_unknown_key_is_rejected():
    """Hydra's own hint for an unknown key is 'use +costs.bed_dya=5 to append'. Following it must not
    silently run with the typo ignored (the user believes bed_day was changed)."""
    with pytest.raises((ConfigError, *COMPOSE_ERRORS)) as info:
        compose_config(["+costs.bed_dya=5"])
    assert "bed_dya" in _full_message(info.value)


@pytest.mark.parametrize("override,key", [
    ("costs.bed_day=abc", "costs.bed_day"),
    ("run.years=abc", "run.years"),
    ("run.replications=1.5", "run.replications"),
    ("population.municipality_shares=[0.5,abc]", "population.municipality_shares"),
])
def test_wrong_type_compose(override, key):
    with pytest.raises(COMPOSE_ERRORS) as info:
        compose_config(["population=small", override])
    assert key in _full_message(info.value)


def test_wrong_type_from_overrides():
    with pytest.raises(COMPOSE_ERRORS) as info:
        from_overrides({"costs.bed_day": "abc"})
    assert "bed_day" in _full_message(info.value)


# -- ranges (ConfigError from validate) --------------------------------------------------------------
def _problems(overrides: list[str]) -> list[str]:
    with pytest.raises(ConfigError) as info:
        compose_config(["population=small", *overrides])
    assert str(info.value).startswith("invalid configuration")
    return info.value.problems


def test_probability_out_of_range():
    problems = _problems(["pathways.p_severe=1.5"])
    assert len(problems) == 1
    assert "pathways.p_severe" in problems[0] and "[0, 1]" in problems[0] and "1.5" in problems[0]


@pytest.mark.parametrize("value", ["-0.1", "nan"])
def test_probability_negative_or_nan(value):
    problems = _problems([f"pathways.p_admit_from_ed={value}"])
    assert len(problems) == 1 and "pathways.p_admit_from_ed" in problems[0] and "[0, 1]" in problems[0]


def test_negative_capacity():
    problems = _problems(["capacity.medical_beds_per_1000=-2"])
    assert len(problems) == 1
    assert "capacity.medical_beds_per_1000" in problems[0] and "[0, 1000]" in problems[0]


def test_list_element_out_of_range_names_the_index():
    problems = _problems(["pathways.p_home_nursing=[0.05,0.1,1.3,0.55]"])
    assert len(problems) == 1 and "pathways.p_home_nursing[2]" in problems[0] and "[0, 1]" in problems[0]


def test_every_bad_key_is_reported():
    problems = _problems(["pathways.p_severe=1.5", "costs.bed_day=-1", "seed=-3"])
    text = "\n".join(problems)
    assert len(problems) == 3
    for key in ("pathways.p_severe", "costs.bed_day", "seed"):
        assert key in text


# -- impossible combinations -------------------------------------------------------------------------
def test_municipality_shares_must_sum_to_one():
    problems = _problems(["population.municipality_shares=[0.6,0.6]"])
    assert len(problems) == 1
    assert "population.municipality_shares" in problems[0] and "sum to 1" in problems[0]


def test_shares_length_must_match_names():
    problems = _problems(["population.municipality_shares=[0.3,0.3,0.4]"])
    assert any("population.municipality_shares" in p and "population.municipality_names" in p for p in problems)


def test_risk_tiers_cannot_exceed_one():
    problems = _problems(["risk_tiers.high_share=0.6", "risk_tiers.moderate_share=0.5"])
    assert len(problems) == 1
    assert "risk_tiers.high_share" in problems[0] and "risk_tiers.moderate_share" in problems[0]


def test_list_of_wrong_length():
    problems = _problems(["pathways.deterioration_rate=[0.5,0.18,0.3,0.4]"])
    assert len(problems) == 1
    assert "pathways.deterioration_rate" in problems[0] and "4 values" in problems[0] and "5" in problems[0]


def test_background_destinations_cannot_exceed_one():
    problems = _problems(["pathways.background_referral_destinations=[0.5,0.5,0.1,0,0,0]"])
    assert len(problems) == 1 and "pathways.background_referral_destinations" in problems[0]


@pytest.mark.parametrize("override,key", [
    ("capacity.outpatient_slots_per_1000_week=[0.49,0,0.72,0.29,0.19]", "capacity.outpatient_slots_per_1000_week[1]"),
    ("capacity.gp_consultations_per_gp_day=0", "capacity.gp_consultations_per_gp_day"),
    ("capacity.gp_acute_share=1.0", "capacity.gp_acute_share"),
    ("population.general_practitioners=1", "population.general_practitioners"),
    ("pathways.background_los_distribution=weibull", "pathways.background_los_distribution"),
])
def test_capacity_that_cannot_work(override, key):
    problems = _problems([override])
    assert len(problems) == 1 and key in problems[0]


def test_unlimited_capacity_with_zero_beds():
    problems = _problems(["capacity.unlimited_capacity=true", "capacity.medical_beds_per_1000=0"])
    assert len(problems) == 1 and "capacity.unlimited_capacity" in problems[0]


def test_from_overrides_validates():
    with pytest.raises(ConfigError) as info:
        from_overrides({"pathways.p_severe": 1.5})
    assert "pathways.p_severe" in str(info.value) and "[0, 1]" in str(info.value)


# -- end to end through the CLI ----------------------------------------------------------------------
def _run_cli(args: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_cli_rejects_out_of_range_value(tmp_path):
    proc = _run_cli(["costs.bed_day=-1"], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "costs.bed_day" in proc.stderr and "[0, 1e+07]" in proc.stderr
    assert not (tmp_path / "outputs").exists()
    assert "Results written" not in proc.stdout


def test_cli_rejects_unknown_key(tmp_path):
    proc = _run_cli(["costs.bed_dya=5"], tmp_path)
    assert proc.returncode != 0
    assert "bed_dya" in proc.stderr
    assert not (tmp_path / "outputs").exists()
    assert list(tmp_path.iterdir()) == []


def test_cli_rejection_leaves_the_working_directory_alone(tmp_path):
    """Cleaning up the rejected run folder must remove only what Hydra created (outputs/<scenario>/<ts>
    and then-empty outputs/<scenario>, outputs), never the user's (empty) working directory."""
    workdir = tmp_path / "fresh_project_dir"
    workdir.mkdir()
    proc = _run_cli(["costs.bed_day=-1"], workdir)
    assert proc.returncode == 2
    assert workdir.is_dir(), "the CLI deleted the directory it was started in"
    assert list(workdir.iterdir()) == []


# -- allowed values: one generic check and message for every choice parameter -------------------------
@pytest.mark.parametrize("key, bad", [
    ("pathways.background_los_distribution", "gamma"), ("scenario.coordinator.kind", "mixed"),
    ("scenario.coordinator.placement", "pharmacy"), ("scenario.act_team.payer", "region"),
    ("scenario.specialisation.coordinator_links", "ring"), ("payment.model", "capitation"),
    ("scenario.capacity_moves.friction_outcome", "vanished"),
])
def test_choice_names_key_value_and_allowed_values(key, bad):
    from sim.config import iter_params

    allowed = dict(iter_params())[key].metadata["choices"]
    with pytest.raises(ConfigError) as info:
        from_overrides({key: bad})
    assert info.value.problems == [f"{key} = {bad!r}: allowed values are {', '.join(allowed)}"]


def test_every_free_text_choice_declares_its_allowed_values():
    """A str parameter whose unit lists alternatives ('a | b') must declare them, so the generic check applies."""
    from sim.config import iter_params

    undeclared = [key for key, f in iter_params() if " | " in f.metadata["unit"] and f.metadata.get("choices") is None]
    assert undeclared == []


# -- plug-in sections: a schema defined outside sim/ is checked like the built-in ones ------------------
def test_check_section_validates_a_schema_defined_outside_sim():
    from dataclasses import dataclass
    from typing import Literal

    from sim.config import check_section, param

    @dataclass
    class PluginConfig:
        rate: float = param(1.0, unit="per year", lo=0.0, hi=10.0, source="assumption: test")
        mode: str = param("fast", unit="fast | slow", choices=Literal["fast", "slow"], source="assumption: test")

    assert check_section(PluginConfig()) == []
    problems = check_section(PluginConfig(rate=11.0, mode="medium"), "scenario.plugins.mine.")
    assert problems == ["scenario.plugins.mine.rate = 11.0: allowed range [0, 10] (per year)",
                        "scenario.plugins.mine.mode = 'medium': allowed values are fast, slow"]


def test_plugin_sections_come_from_the_command_line_and_overrides():
    from dataclasses import dataclass
    from typing import Literal

    from sim.config import param
    from sim.mechanisms import Mechanism, registry

    @dataclass(frozen=True)
    class MineConfig:
        rate: float = param(1.0, unit="per year", lo=0.0, hi=10.0, source="assumption: test")

    @dataclass(frozen=True)
    class OtherConfig:
        mode: str = param("fast", unit="fast | slow", choices=Literal["fast", "slow"], source="assumption: test")

    plugins = [type("Mine", (Mechanism,), {"name": "mine", "config_schema": MineConfig}),
               type("Other", (Mechanism,), {"name": "other", "config_schema": OtherConfig})]
    for plugin in plugins:
        registry.register(plugin)
    try:
        cfg = compose_config(["+scenario.plugins.mine.rate=2.5", "+scenario.plugins.other={mode: slow}"])
        assert cfg.scenario.plugins == {"mine": {"rate": 2.5}, "other": {"mode": "slow"}}
        assert from_overrides({"scenario.plugins": {"mine": {"rate": 3}}}).scenario.plugins == {"mine": {"rate": 3}}
    finally:
        for plugin in plugins:
            registry.unregister(plugin)
    assert SimConfig().scenario.plugins == {}
