"""Municipal acute beds and the 72-hour ward responsibility inside a running model (small catchment).

Invariants checked on every row of the fact tables, not on averages:

* only eligible patients (somatic, aged ``min_age`` or more) are sent to a municipal acute bed, the beds
  of a municipality are never over-full, a patient turned away (every bed taken) goes to the ED at once,
  and a stay transferred on to hospital goes to the ED when it ends;
* every enquiry the ward handles falls inside its window after a discharge from that ward; a direct
  admission has no ED visit; advice keeps the patient out of hospital;
* the two mechanisms combine, from the command line too.
"""

from __future__ import annotations

import shlex
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim import outcomes
from sim.costs import PAYERS
from sim.config import CONDITIONS
from sim.hydra_app import compose_config
from sim.model import CareModel

SMI = CONDITIONS.index("smi")
COMMON = ["population=small", "seed=0", "run.years=1", "run.warmup_days=60", "run.event_log=false"]


@pytest.fixture(scope="module")
def combined() -> CareModel:
    # every eligible acute deterioration is sent (p_suitable = p_used = 1), so the beds fill up and the
    # turned-away path is exercised too
    return CareModel(compose_config([*COMMON, "scenario=[municipal_acute_beds,extended_responsibility_72h]",
                                     "scenario.municipal_acute_beds.p_suitable=1.0",
                                     "scenario.municipal_acute_beds.p_used_by_gp=1.0",
                                     "scenario.municipal_acute_beds.p_used_by_acute_line=1.0"]), 0).run()


def _same_time(a: pd.DataFrame, b: pd.DataFrame, a_time: str, b_time: str) -> np.ndarray:
    """For each row of ``a``: does ``b`` have a row of the same person at the same time?"""
    keys = set(zip(b.person_id.tolist(), np.round(b[b_time].to_numpy(), 9).tolist()))
    return np.array([(p, t) in keys for p, t in zip(a.person_id.tolist(), np.round(a[a_time].to_numpy(), 9).tolist())], bool)


def test_only_eligible_patients_get_a_municipal_bed(combined):
    stays = combined.recorder.table("municipal_acute_stays")
    assert len(stays) > 100
    assert (stays.condition != SMI).all()
    pop = combined.population
    age = pop.age[stays.person_id.to_numpy()] + (stays.start.to_numpy() - pop.entry_time[stays.person_id.to_numpy()]) / 365.0
    assert (age >= combined.cfg.scenario.municipal_acute_beds.min_age - 1e-9).all()


def test_beds_are_never_over_full(combined):
    stays = outcomes.municipal_acute_stays_table(combined)
    for unit in combined.acute_alternatives.units:
        mine = stays[stays.municipality == unit.municipality.index]
        # +1 at each start, -1 at each end; ends before starts at the same time (a bed freed is reused)
        times = np.r_[mine.start.to_numpy(), mine.end.to_numpy()]
        deltas = np.r_[np.ones(len(mine)), -np.ones(len(mine))]
        order = np.lexsort((deltas, times))
        assert np.cumsum(deltas[order]).max() <= unit.beds_count
        assert unit.occupied.peak <= unit.beds_count


def test_turned_away_and_transferred_patients_go_to_the_ed(combined):
    rec = combined.recorder
    referrals, stays, ed = rec.table("municipal_acute_referrals"), rec.table("municipal_acute_stays"), rec.table("ed_visits")
    # an ED visit is recorded when its assessment ends (hours later): leave out the run's last day
    ed_done = combined.end_time - 1.0
    turned_away = referrals[~referrals.accepted & (referrals.time < ed_done)]
    assert len(turned_away) > 0, "with everyone eligible sent, the beds must sometimes be full"
    assert _same_time(turned_away, ed, "time", "time").all()
    accepted = referrals[referrals.accepted]
    assert _same_time(accepted, outcomes.municipal_acute_stays_table(combined), "time", "start").all()
    assert not _same_time(accepted, ed, "time", "time").any()
    transferred = stays[stays.transferred & (stays.end < ed_done)]
    assert len(transferred) > 0
    assert _same_time(transferred, ed, "end", "time").all()
    assert not _same_time(stays[~stays.transferred], ed, "end", "time").any()


def test_ward_enquiries_fall_in_the_window_after_a_discharge_from_that_ward(combined):
    rec = combined.recorder
    enquiries = rec.table("ward_enquiries")
    assert set(enquiries.outcome) == {"admitted_directly", "advice", "handoff_repaired"}
    adm = outcomes.admissions_table(combined)
    adm = adm[adm.person_id >= 0]
    window = combined.cfg.scenario.extended_responsibility.window_hours / 24.0
    for row in enquiries.itertuples(index=False):
        before = adm[(adm.person_id == row.person_id) & (adm.left <= row.time + 1e-9)]
        last = before.loc[before.left.idxmax()]
        assert last.ward == row.ward and row.time - last.left <= window + 1e-9, row
    direct = enquiries[enquiries.outcome == "admitted_directly"]
    assert len(direct) > 0
    # a direct admission arrives at the ward at the enquiry time, without an ED visit
    assert _same_time(direct, adm, "time", "arrival").all()
    assert not _same_time(direct, rec.table("ed_visits"), "time", "time").any()
    advice = enquiries[enquiries.outcome == "advice"]
    assert not _same_time(advice, adm, "time", "arrival").any()


def test_costs_land_with_the_payers(combined):
    k = outcomes.compute(combined)
    a = k[k.group == "all"].set_index("kpi").value
    assert a.municipal_acute_stays_per_1000py > 0 and a.ward_enquiries_per_1000py > 0
    assert 0 < a.municipal_acute_bed_utilisation <= 1
    assert a.municipal_acute_vacant_bed_cost_dkk > 0
    for group, v in k.groupby("group"):
        v = v.set_index("kpi").value
        if "cost_total_dkk" not in v:  # team, move and queue groups carry no costs
            continue
        total = sum(v[f"cost_{payer}_dkk"] for payer in PAYERS)
        assert total == pytest.approx(v.cost_total_dkk, rel=1e-9), group
    # the municipality pays the occupied bed days and the staffed empty ones
    w = outcomes.Window(combined)
    cost = combined.cfg.costs
    expected = w.municipal_bed_days.sum() * cost.municipal_acute_bed_day + w.municipal_vacant_cost
    base_municipal = w.home_nursing_days.sum() * cost.home_nursing_day + w.delayed_days.sum() * cost.delayed_discharge_day
    assert a.cost_municipality_dkk == pytest.approx(base_municipal + expected, rel=1e-9)


def test_combined_scenario_runs_from_the_command_line(tmp_path):
    # README's command (tests/docs/docs_registry.py points here), made shorter
    documented = "python -m sim population=small 'scenario=[municipal_acute_beds,extended_responsibility_72h]'"
    proc = subprocess.run([sys.executable, "-m", "sim", *shlex.split(documented)[3:], "run.years=0.3", "run.warmup_days=30"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "municipal_acute_beds+extended_responsibility_72h" in proc.stdout
    assert list((tmp_path / "outputs" / "municipal_acute_beds+extended_responsibility_72h").glob("*/kpis.json"))


def test_home_nursing_after_a_municipal_stay_needs_a_place(combined):
    # a patient who needs home nursing leaves the acute bed when a home-nursing place starts, not before
    stays = combined.recorder.table("municipal_acute_stays")
    home = stays[~stays.transferred]
    nursing = combined.recorder.table("home_nursing")
    with_nursing = _same_time(home, nursing, "end", "started")
    assert 0 < with_nursing.sum() < len(home)
    waited = nursing[nursing.started > nursing.requested + 1e-9]
    assert _same_time(waited, home, "started", "end").any(), "some municipal patients wait in the bed for a place"
