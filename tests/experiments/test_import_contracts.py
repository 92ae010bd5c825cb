"""The import contracts in pyproject.toml (``lint-imports``, run by ``make test`` before pytest) hold, and they
would catch what they guard: an import cycle in experiments/ and an import of experiments from sim/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is a dev dependency: pip install -e '.[dev]'")


def lint(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the packages under ``root`` with the contracts of ``root/pyproject.toml``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_repository_keeps_its_import_contracts():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def copy_of_sources(tmp_path: Path) -> Path:
    for package in ("sim", "experiments"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)  # the repository's contracts
    return tmp_path


def test_a_cycle_in_experiments_breaks_a_contract(copy_of_sources: Path):
    # the cycle this issue removed: the figure module importing the experiment that draws it
    plots = copy_of_sources / "experiments" / "sensitivity_plots.py"
    plots.write_text(plots.read_text() + "\nfrom experiments.sensitivity import Results  # noqa: E402\n")
    result = lint(copy_of_sources)
    assert result.returncode != 0
    assert "sensitivity" in result.stdout and "BROKEN" in result.stdout


def test_sim_importing_experiments_breaks_a_contract(copy_of_sources: Path):
    statistics = copy_of_sources / "sim" / "statistics.py"
    statistics.write_text(statistics.read_text() + "\nimport experiments.tables  # noqa: E402\n")
    result = lint(copy_of_sources)
    assert result.returncode != 0
    assert "sim does not import experiments" in result.stdout


def test_the_config_package_importing_the_rest_of_sim_breaks_a_contract(copy_of_sources: Path):
    # the import issue 18 removed: the calendar check, imported inside a function of the config package
    cross_field = copy_of_sources / "sim" / "config" / "cross_field.py"
    cross_field.write_text(cross_field.read_text() + "\n\ndef _calendar():\n"
                           "    from sim.capacity_calendar import calendar_problems  # noqa: PLC0415\n"
                           "    return calendar_problems\n")
    result = lint(copy_of_sources)
    assert result.returncode != 0
    assert "the config package (the bottom layer) imports nothing else of sim BROKEN" in result.stdout
