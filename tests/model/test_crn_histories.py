"""What common random numbers keep when a scenario changes shared capacity (the steering-group guide's
"same draws, not the same histories"): patients a targeted-coordinator scenario never takes on keep their
histories exactly with unlimited capacity, and mostly (not all) at today's capacity, where the scenario
changes the queues they wait in."""

from __future__ import annotations

import pytest

from sim import outcomes
from sim.hydra_app import compose_config
from sim.model import CareModel


def histories(model: CareModel) -> dict[int, tuple]:
    """Each patient's deteriorations (time, outcome) and stays (decision to admit, end, place)."""
    det = model.recorder.table("deteriorations")
    adm = outcomes.admissions_table(model)
    adm = adm[adm.person_id >= 0]
    out: dict[int, list] = {}
    for pid, rows in det.groupby("person_id"):
        out.setdefault(pid, []).append(tuple(map(tuple, rows[["time", "outcome"]].round(9).to_numpy())))
    for pid, rows in adm.groupby("person_id"):
        out.setdefault(pid, []).append(tuple(map(tuple, rows[["arrival", "left", "place"]].round(9).to_numpy())))
    return {pid: tuple(h) for pid, h in out.items()}


def identical_share(*extra: str) -> float:
    common = ["population=small", "run.years=1", "run.event_log=false", *extra]
    base = CareModel(compose_config(common), 0).run()
    scenario = CareModel(compose_config([*common, "scenario=coordinator_targeted"]), 0).run()
    touched = set(outcomes.team_cases_table(scenario).person_id)
    a, b = histories(base), histories(scenario)
    untouched = [p for p in a.keys() | b.keys() if p not in touched]
    assert len(untouched) > 1000
    return sum(a.get(p) == b.get(p) for p in untouched) / len(untouched)


@pytest.mark.slow
def test_untouched_patients_keep_their_histories_only_where_capacity_is_not_shared():
    # measured 91.5% and 99.9% (seed 0); the bounds leave room for model changes but not for the two to meet
    at_capacity = identical_share()
    unlimited = identical_share("capacity.unlimited_capacity=true")
    assert 0.7 <= at_capacity <= 0.97, at_capacity
    assert unlimited >= 0.995, unlimited
