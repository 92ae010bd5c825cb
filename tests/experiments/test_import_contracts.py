"""The import contracts in pyproject.toml (``lint-imports``, run by ``make test`` before pytest) hold, and they
would catch what they guard: an import cycle in experiments/, an import of experiments from sim/, an import
of a higher layer of sim/ from a lower one, and an import of a mechanism from an agent."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
NAMES = [contract["name"] for contract in CONTRACTS]
LAYERS = next(contract for contract in CONTRACTS if contract["type"] == "layers")
AGENTS_NOT_MECHANISMS = "agents do not import mechanisms"

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is a dev dependency: pip install -e '.[dev]'")


def lint(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the packages under ``root`` with the contracts of ``root/pyproject.toml``."""
    # wide enough that each contract's verdict is on the line of its name
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "400"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)


def broken(result: subprocess.CompletedProcess) -> set[str]:
    """The names of the contracts ``lint-imports`` reported broken."""
    verdicts = {name: line for line in result.stdout.splitlines() for name in NAMES if line.startswith(name + " ")}
    assert set(verdicts) == set(NAMES), result.stdout + result.stderr  # every contract was checked
    return {name for name, line in verdicts.items() if " BROKEN" in line}


def test_the_repository_keeps_its_import_contracts():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert broken(result) == set()
    assert "0 broken" in result.stdout


def test_every_module_of_sim_has_a_layer():
    # a module missing from the layers contract would be free to import anything
    layered = {module.strip() for layer in LAYERS["layers"] for module in layer.split(":")}
    modules = {f"sim.{info.name}" for info in pkgutil.iter_modules([str(ROOT / "sim")])}
    assert modules - layered == set(), "add these modules to the layers contract in pyproject.toml and to docs/architecture.md"
    assert layered - modules - {"experiments"} == set(), "the layers contract names modules that do not exist"


def test_the_architecture_document_names_the_layers_contract():
    architecture = (ROOT / "docs" / "architecture.md").read_text()
    prose = " ".join(architecture.split())  # names may wrap across lines
    assert LAYERS["name"] in prose
    assert AGENTS_NOT_MECHANISMS in prose
    # every module of the contract appears in the diagram
    diagram = architecture.split("## The layers", 1)[1].split("## ", 1)[0]
    for layer in LAYERS["layers"]:
        for module in layer.split(":"):
            path = module.strip().replace(".", "/")
            assert path in diagram, f"{module.strip()} is in the layers contract but not in the diagram"


@pytest.fixture
def copy_of_sources(tmp_path: Path) -> Path:
    for package in ("sim", "experiments"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)  # the repository's contracts
    return tmp_path


def append(module: Path, line: str) -> None:
    module.write_text(module.read_text() + f"\n{line}  # noqa: E402\n")


def test_a_cycle_in_experiments_breaks_a_contract(copy_of_sources: Path):
    # the cycle this issue removed: the figure module importing the experiment that draws it
    append(copy_of_sources / "experiments" / "sensitivity_plots.py", "from experiments.sensitivity import Results")
    result = lint(copy_of_sources)
    assert result.returncode != 0
    assert broken(result) == {"no import cycles among the modules and packages of experiments/, at every depth"}
    assert "sensitivity" in result.stdout


def test_sim_importing_experiments_breaks_a_contract(copy_of_sources: Path):
    append(copy_of_sources / "sim" / "statistics.py", "import experiments.tables")
    result = lint(copy_of_sources)
    assert result.returncode != 0
    # statistics is in the core layer, so it also imports a layer above it
    assert broken(result) == {"sim does not import experiments (experiments use the simulator, never the other way round)",
                              LAYERS["name"]}


def test_a_lower_layer_importing_a_higher_one_breaks_the_layers(copy_of_sources: Path):
    # the import this issue removed: the core's file writer reaching up into the outcomes
    append(copy_of_sources / "sim" / "io.py", "from sim.outcomes import as_nested")
    result = lint(copy_of_sources)
    assert result.returncode != 0
    assert broken(result) == {LAYERS["name"]}
    assert "sim.io is not allowed to import sim.outcomes" in result.stdout


def test_a_type_checking_import_of_a_higher_layer_is_not_counted(copy_of_sources: Path):
    # exclude_type_checking_imports: an annotation-only import never runs (the agents name their CareModel so)
    append(copy_of_sources / "sim" / "kpi.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sim.model import CareModel")
    assert broken(lint(copy_of_sources)) == set()


def test_modules_of_one_layer_may_import_each_other(copy_of_sources: Path):
    # ":" in the contract: the costs and the payment models share the outcomes layer
    append(copy_of_sources / "sim" / "payment.py", "import sim.costs")
    append(copy_of_sources / "sim" / "costs.py", "import sim.payment")
    assert broken(lint(copy_of_sources)) == set()


def test_an_agent_importing_a_mechanism_breaks_a_contract(copy_of_sources: Path):
    append(copy_of_sources / "sim" / "agents" / "patient.py", "from sim.mechanisms.registry import *")
    result = lint(copy_of_sources)
    assert result.returncode != 0
    assert broken(result) == {AGENTS_NOT_MECHANISMS, LAYERS["name"]}
    assert "sim.agents.patient -> sim.mechanisms.registry" in result.stdout



def test_the_config_package_importing_the_rest_of_sim_breaks_a_contract(copy_of_sources: Path):
    # the import issue 18 removed: the calendar check, imported inside a function of the config package
    cross_field = copy_of_sources / "sim" / "config" / "cross_field.py"
    cross_field.write_text(cross_field.read_text() + "\n\ndef _calendar():\n"
                           "    from sim.capacity_calendar import calendar_problems  # noqa: PLC0415\n"
                           "    return calendar_problems\n")
    result = lint(copy_of_sources)
    assert result.returncode != 0
    assert "the config package (the bottom layer) imports nothing else of sim BROKEN" in result.stdout
