"""Capacity moves on the small catchment (sim/capacity_calendar.py, sim/agents/hospital.py,
sim/scenarios/capacity_moves.py).

1. Beds in use never exceed the calendar's capacity at any time, also at the instant beds close while
   the ward is full: the ward discharges the patients above the new capacity then (closure_discharges).
2. A budget-neutral move conserves total capacity cost exactly (deterministic, float tolerance).
3. What each move does, paired with the baseline under common random numbers (same seed/replication).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from sim import outcomes
from sim.capacity import TimeWeighted
from sim.hydra_app import compose_config
from sim.model import CareModel

SMALL = ["population=small", "seed=0", "run.event_log=false"]


class RecordingLevel(TimeWeighted):
    """The ward's occupied-beds counter, logging (time, beds in use by the resource) at every change."""
    __slots__ = ("log", "beds")

    def change(self, delta, now):
        super().change(delta, now)
        self.log.append((now, len(self.beds.users), self.level))


def _recorded(model: CareModel) -> CareModel:
    for ward in (model.medical_ward, model.psychiatric_ward):
        ward.occupied = RecordingLevel()
        ward.occupied.log, ward.occupied.beds = [], ward.beds
    return model


# A full medical ward loses a third of its beds with no notice on day 20 and gets some back on day 45;
# the psychiatric ward closes a bed on day 40.
CLOSURES = [*SMALL, "run.years=0.3", "run.warmup_days=30",
            "pathways.background_acute_admissions_per_1000=[32.0, 9.0]",  # fuller wards than usual (corridor beds too)
            "scenario.capacity_moves.ward_closure_notice_days=0",
            "scenario.capacity_moves.calendar=["
            "{name: cut, day: 20, resource: medical_beds, share: -0.33},"
            "{name: reopen, day: 45, resource: medical_beds, per_1000: 0.1},"
            "{name: psych_cut, day: 40, resource: psychiatric_beds, per_1000: -0.025}]"]


@pytest.fixture(scope="module")
def closed():
    return _recorded(CareModel(compose_config(CLOSURES), 0)).run()


def _by_instant(log):
    """The level after the last change of each instant (what holds from that instant on)."""
    last = {}
    for time, users, level in log:
        last[time] = (users, level)
    return last


@pytest.mark.parametrize("ward_name", ["medical_ward", "psychiatric_ward"])
def test_beds_in_use_never_exceed_the_calendar_capacity(closed, ward_name):
    ward = getattr(closed, ward_name)
    assert len(ward.capacity_levels) > 1
    log = ward.occupied.log
    assert log, "the ward was used"
    places = ward.pressure.places  # the calendar's beds plus the corridor beds over-occupancy allows
    for time, (users, level) in _by_instant(log).items():
        capacity = places(ward.capacity_at(time))
        assert users <= capacity and level <= capacity, (ward_name, time, users, level, capacity)
    # at every change time itself, after the closure: in use <= the new capacity (the ward was full before)
    for (_, previous), (change_time, beds) in zip(ward.capacity_levels, ward.capacity_levels[1:]):
        before = [users for t, users, _ in log if t < change_time]
        at = [users for t, users, _ in log if t == change_time]
        if beds < previous:
            assert before and before[-1] > places(int(beds)), "the test needs a ward that is full when beds close"
        if at:
            assert at[-1] <= places(int(beds))


def test_patients_above_the_new_capacity_are_discharged_at_the_closure(closed):
    closures = closed.recorder.table("closure_discharges")
    drop = closed.warmup_days + 20.0
    medical = closures[closures.ward == "medical_ward"]
    assert (medical.time == drop).all()
    assert (closures[closures.ward == "psychiatric_ward"].time == closed.warmup_days + 40.0).all()
    # 40 beds (+4 corridor beds) -> 27 (+3): the ward was full, so up to 14 stays end at once, those nearest
    # to discharge first
    ward = closed.medical_ward
    assert 5 <= len(medical) <= ward.pressure.places(40) - ward.pressure.places(27) == 14
    assert (medical.days_early >= 0).all()
    adm = outcomes.admissions_table(closed)
    ended = adm[(adm.left == drop) & adm.person_id.isin(medical.person_id[medical.person_id >= 0])]
    assert len(ended) == (medical.person_id >= 0).sum(), "a modelled patient's stay ends at the closure"


def test_a_notice_period_leaves_fewer_patients_to_discharge(closed):
    with_notice = [a if "ward_closure_notice_days" not in a else "scenario.capacity_moves.ward_closure_notice_days=14"
                   for a in CLOSURES]
    model = _recorded(CareModel(compose_config(with_notice), 0)).run()
    n_notice = len(model.recorder.table("closure_discharges"))
    assert n_notice < len(closed.recorder.table("closure_discharges"))
    # during the notice the ward admits only up to the coming capacity
    drop = model.warmup_days + 20.0
    ward = model.medical_ward
    admitted_into = [users for t, users, _ in ward.occupied.log if drop - 14 < t < drop]
    coming = ward.pressure.places(ward.capacity_at(drop))
    first_at_limit = next((i for i, u in enumerate(admitted_into) if u <= coming), None)
    assert first_at_limit is not None
    assert all(u <= coming for u in admitted_into[first_at_limit:])


# ----------------------------------------------------------------------------------------------------
# Budget neutrality and what the ward-to-sub-acute move does (one paired replication)
# ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ward_pair():
    common = [*SMALL, "run.years=1", "run.warmup_days=90"]
    base = CareModel(compose_config(common), 0).run()
    move = CareModel(compose_config([*common, "scenario=capacity_move_ward_to_subacute"]), 0).run()
    return outcomes.compute(base), outcomes.compute(move)


def _all(kpis):
    return kpis[kpis.group == "all"].set_index("kpi").value


def test_budget_neutral_move_conserves_total_capacity_cost(ward_pair):
    base, move = map(_all, ward_pair)
    # the receiving sub-acute slots are derived from the freed bed cost: equal to float precision
    assert move.capacity_cost_total_dkk == pytest.approx(base.capacity_cost_total_dkk, rel=1e-12)
    freed = 4 * 3000.0 * 365  # 4 of 40 beds x capacity_bed_day x the window
    assert base.capacity_cost_wards_dkk - move.capacity_cost_wards_dkk == pytest.approx(freed, rel=1e-12)
    assert move.capacity_cost_clinics_dkk - base.capacity_cost_clinics_dkk == pytest.approx(freed, rel=1e-12)
    m = ward_pair[1][ward_pair[1].group == "move=close_medical_ward"].set_index("kpi").value
    assert m.move_budget_neutral == 1.0 and m.move_capacity_cost_net_dkk == pytest.approx(0.0, abs=1e-6)
    assert m.move_capacity_cost_freed_dkk == pytest.approx(freed)


def test_ward_to_subacute_changes_boarding_and_opens_sub_acute_visits(ward_pair):
    base, move = map(_all, ward_pair)
    m = ward_pair[1][ward_pair[1].group == "move=close_medical_ward"].set_index("kpi").value
    # 36 instead of 40 beds at ~85% baseline occupancy: boarding rises clearly (hours, several-fold)
    assert move.boarding_wait_mean_hours_all > 1.5 * base.boarding_wait_mean_hours_all
    assert move.medical_bed_occupancy > base.medical_bed_occupancy
    assert 0.85 < m.move_source_utilisation <= 1.1  # per normed bed: corridor beds allow up to 1.1
    # GP referrals of deteriorations now use sub-acute slots, seen within days
    assert base.subacute_visits_per_1000py == 0 and move.subacute_visits_per_1000py > 0
    assert move.subacute_wait_mean_days < base.outpatient_new_referral_wait_mean_days
    # most sub-acute capacity is released unused to the ordinary book, so new referrals wait less
    assert 0 < m.move_target_utilisation < 1 and m.move_target_released_share > 0.5
    assert move.outpatient_new_referral_wait_mean_days_all < base.outpatient_new_referral_wait_mean_days_all


# ----------------------------------------------------------------------------------------------------
# Controls handed over to general practice, with transfer friction (one paired replication)
# ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gp_runs():
    common = [*SMALL, "run.years=1.5", "run.warmup_days=90"]
    runs = {"base": CareModel(compose_config(common), 0).run()}
    for friction in (0.0, 1.0):
        runs[friction] = CareModel(compose_config([*common, "scenario=capacity_move_controls_to_gp",
                                                   f"scenario.capacity_moves.transfer_friction={friction}"]), 0).run()
    return runs


def test_controls_move_to_gp_and_capacity_cost_is_conserved(gp_runs):
    base = _all(outcomes.compute(gp_runs["base"]))
    move = _all(outcomes.compute(gp_runs[0.0]))
    assert move.control_transfers > 100 and move.control_transfers_failed == 0
    assert move.control_visits_per_1000py < base.control_visits_per_1000py
    assert move.capacity_cost_total_dkk == pytest.approx(base.capacity_cost_total_dkk, rel=1e-12)
    assert move.capacity_cost_clinics_dkk < base.capacity_cost_clinics_dkk
    assert move.capacity_cost_general_practice_dkk > base.capacity_cost_general_practice_dkk
    transfers = gp_runs[0.0].recorder.table("control_transfers")
    assert set(transfers.condition) == {0, 1}  # copd and t2d only


def test_a_lost_transfer_books_no_gp_check(gp_runs):
    """With friction 1 every transfer is lost: the transferred patients get no planned GP check afterwards
    (unless one was already pending); without friction their annual checks come a year later."""
    def checks_after_transfer(model):
        tr = model.recorder.table("control_transfers").groupby("person_id").time.min()
        gp = model.recorder.table("gp_contacts")
        gp = gp[(gp.kind == "check") & gp.person_id.isin(tr.index)]
        return int((gp.requested > gp.person_id.map(tr)).sum()), len(tr)

    lost, n_lost = checks_after_transfer(gp_runs[1.0])
    kept, n_kept = checks_after_transfer(gp_runs[0.0])
    assert n_lost > 100 and n_kept > 100
    assert kept > 50 and lost < 0.1 * kept, (lost, kept)


def test_failed_share_follows_the_friction():
    common = [*SMALL, "run.years=1", "run.warmup_days=60", "scenario=capacity_move_controls_to_gp"]
    model = CareModel(compose_config([*common, "scenario.capacity_moves.transfer_friction=0.3",
                                      "scenario.capacity_moves.friction_outcome=delayed"]), 0).run()
    tr = model.recorder.table("control_transfers")
    share = (tr.outcome == "delayed").mean()
    # ~350 transfers: binomial sd ~0.025; 0.1 is four sd
    assert len(tr) > 200 and abs(share - 0.3) < 0.1, (len(tr), share)
    assert set(tr.outcome) == {"completed", "delayed"}
