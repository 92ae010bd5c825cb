"""The optimisation example (configs/experiment/optimise_coordinator.yaml) runs under the Optuna sweeper.

The README's command, made tiny: 3 trials of 2 replications of a tenth of a year, in this process. Checks
that each trial is a cell of the tidy tables and that Optuna's best value is the documented objective (mean
cost per patient-year plus the penalty for readmissions over the target) of the best trial's cell.
"""

from __future__ import annotations

import pytest
import yaml

from experiments.cells import objective_value
from experiments.sweep_config import ObjectiveConfig
from sweeping import OPTUNA, REPO_ROOT, TINY, args_of, run_in_process, tables


def test_optuna_searches_caseload_and_targeting_and_returns_the_penalised_cost(tmp_path, monkeypatch):
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper",
                        reason="the optuna extra is not installed: pip install '.[optuna]'")
    args = args_of(OPTUNA) + TINY + ["hydra.sweeper.n_trials=3", "sweep.replications=2", "sweep.block=2",
                                     "hydra/launcher=basic"]
    assert run_in_process(args, monkeypatch, tmp_path) == 0
    sweep_dir = tmp_path / "sweeps" / "optimise_coordinator"
    kpis, _, meta = tables(sweep_dir)
    assert meta["scenarios"] == ["coordinator_targeted"] and meta["failed"] == []
    # a trial that repeats earlier values reuses that cell (never computed twice), so up to 3 cells
    assert 1 <= len(meta["cells"]) <= 3
    for label in meta["parameters"]:
        assert "scenario.coordinator.caseload_per_staff=" in label and "scenario.coordinator.targeting=" in label

    result = yaml.safe_load((sweep_dir / "optimization_results.yaml").read_text())
    best = result["best_params"]
    best_label = (f"scenario.coordinator.caseload_per_staff={best['scenario.coordinator.caseload_per_staff']},"
                  f"scenario.coordinator.targeting={best['scenario.coordinator.targeting']}")
    experiment = yaml.safe_load((REPO_ROOT / "configs/experiment/optimise_coordinator.yaml").read_text())
    objective = ObjectiveConfig(**experiment["sweep"]["objective"])
    values = {label: objective_value(kpis[kpis.parameters == label], objective) for label in meta["parameters"]}
    assert result["best_value"] == pytest.approx(values[best_label], rel=1e-12)
    assert values[best_label] == min(values.values())
