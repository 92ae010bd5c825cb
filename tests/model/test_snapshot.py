"""Regression guard: the baseline's KPIs for a fixed seed must not change unless the model is meant to.

A scenario switched off must leave usual care bit-identical: this test caught an if/elif chain that a
new mechanism had silently re-attached. If a change to the model is intended, regenerate the snapshot
and say so in the commit:

    python tests/model/test_snapshot.py --regenerate
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sim.hydra_app import compose_config
from sim.runner import run_replication

SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "baseline_small_seed0.json"
OVERRIDES = ["population=small", "run.years=1", "run.warmup_days=90", "seed=0", "run.event_log=false"]


def current() -> dict[str, float]:
    kpis = run_replication(compose_config(OVERRIDES), 0).kpis
    return {f"{g}|{k}": (None if v != v else float(v)) for g, k, v in kpis[["group", "kpi", "value"]].itertuples(index=False)}


def test_baseline_kpis_match_the_snapshot():
    expected = json.loads(SNAPSHOT.read_text())
    got = current()
    shared = expected.keys() & got.keys()
    # KPIs may be added (new keys); existing ones must keep their values (relative 1e-9: only float noise)
    assert expected.keys() <= got.keys(), sorted(expected.keys() - got.keys())[:10]
    changed = {k: (expected[k], got[k]) for k in shared
               if (expected[k] is None) != (got[k] is None)
               or (expected[k] is not None and abs(expected[k] - got[k]) > 1e-9 * max(1.0, abs(expected[k])))}
    assert not changed, dict(list(changed.items())[:10])


if __name__ == "__main__":
    if "--regenerate" in sys.argv:
        SNAPSHOT.write_text(json.dumps(current(), indent=1, sort_keys=True) + "\n")
        print(f"wrote {SNAPSHOT}")
    else:
        sys.exit(pytest.main([__file__, "-q"]))
