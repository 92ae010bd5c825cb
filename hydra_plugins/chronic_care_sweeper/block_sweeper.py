"""The block sweeper: Hydra's basic sweeper plus blocks of replications, validation and a plan.

``python -m experiments.sweep -m scenario=baseline,act_team sweep.replications=20 sweep.block=5`` gives
2 x 4 jobs, each (scenario, parameter set, block of replications). Before launching, every job's config is
composed and validated and ``plan.json`` is written in the sweep folder (see experiments/planning.py).
"""


import sys
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore


@dataclass
class BlockSweeperConf:
    _target_: str = "hydra_plugins.chronic_care_sweeper.block_sweeper.BlockSweeper"
    max_batch_size: Optional[int] = None
    params: Optional[Dict[str, str]] = None


ConfigStore.instance().store(group="hydra/sweeper", name="blocks", node=BlockSweeperConf, provider="chronic-care-sim")


class BlockSweeper(BasicSweeper):
    def sweep(self, arguments: List[str]) -> Any:
        # imported here: Hydra imports plugins in every app, and `python -m sim` should not pay for this
        from experiments.planning import plan_jobs
        from experiments.sweep_lock import SweepFolderBusy
        from sim.config import ConfigError

        try:
            planned = plan_jobs(self, arguments)
        except (ConfigError, SweepFolderBusy) as err:
            # as `python -m sim`: one line per bad key (or the sweep holding the folder), exit code 2, nothing
            # launched or written
            print(f"error: {err}", file=sys.stderr)
            raise SystemExit(2) from None
        return super().sweep(planned)

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Nothing to do: plan_jobs composed and validated every job before the first batch."""
