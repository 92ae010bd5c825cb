"""The slot allocation policies of a clinic's waiting list (sim/scenarios/slot_allocation.py).

The Region H dilemma (Region H 2018 l.1475-1485) is reproduced exactly; the properties are checked on
random instances against brute-force references (a maximum bipartite matching for "as many as possible
within the deadline").
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.config import ConfigError
from sim.validated import from_overrides
from sim.hydra_app import compose_config
from sim.mechanisms.slot_allocation import (LONGEST_WAIT_FIRST, MAX_30DAY_COMPLIANCE, WAITING_LIST_POLICIES,
                                           Referral, WaitingList, allocate, deadline_day, wait_days)

RTT = 30.0


def _waits(assignments, referrals, offset=0.0):
    by_key = {r.key: r for r in referrals}
    return {a.key: wait_days(by_key[a.key].requested, a.day, offset) for a in assignments}


# -- the dilemma box, Region H 2018 l.1475-1485 -------------------------------------------------------
# Today is day 0. A slot is free in 3 days, the next in 7. Patient A has waited 31 days (already past the
# 30-day right, l.1447-1448); patient B has waited 24 days.
REGION_H_SLOTS = [3, 7]
REGION_H = [Referral("A", -31.0), Referral("B", -24.0)]


def test_region_h_longest_wait_first_gives_two_breaches_and_a_34_day_maximum():
    got = allocate(REGION_H_SLOTS, REGION_H, LONGEST_WAIT_FIRST, today=0, rtt_days=RTT)
    assert {(a.key, a.day) for a in got} == {("A", 3), ("B", 7)}
    waits = _waits(got, REGION_H)
    assert waits == {"A": 34.0, "B": 31.0}
    assert sum(w > RTT for w in waits.values()) == 2


def test_region_h_max_compliance_gives_one_breach_and_a_38_day_maximum():
    got = allocate(REGION_H_SLOTS, REGION_H, MAX_30DAY_COMPLIANCE, today=0, rtt_days=RTT)
    assert {(a.key, a.day) for a in got} == {("B", 3), ("A", 7)}
    waits = _waits(got, REGION_H)
    assert waits == {"B": 27.0, "A": 38.0}
    assert sum(w > RTT for w in waits.values()) == 1


def test_region_h_with_the_row_of_shorter_waiters_the_breached_patient_gets_no_slot_under_max_compliance():
    # "and a number of patients who have waited 24 days or less": both slots can go to patients who are
    # still in time, so the patient past the deadline keeps waiting (l.1452-1455: the overshoot does not count)
    row = [*REGION_H, Referral("C", -20.0), Referral("D", -10.0)]
    lwf = allocate(REGION_H_SLOTS, row, LONGEST_WAIT_FIRST, today=0, rtt_days=RTT)
    comp = allocate(REGION_H_SLOTS, row, MAX_30DAY_COMPLIANCE, today=0, rtt_days=RTT)
    assert _waits(lwf, row) == {"A": 34.0, "B": 31.0}
    assert _waits(comp, row) == {"B": 27.0, "C": 27.0}


def test_appointment_time_of_day_counts_in_the_deadline():
    # referred at day 0 noon, seen at noon: day 30 is a wait of exactly 30 days (allowed), day 31 is not
    assert deadline_day(0.5, 30.0, 0.5) == 30
    assert deadline_day(0.7, 30.0, 0.5) == 30
    assert deadline_day(0.4, 30.0, 0.5) == 29


def test_counts_are_split_over_slots():
    got = allocate([1, 1, 2, 5], [Referral("bg", -3.0, count=3)], LONGEST_WAIT_FIRST, today=0, rtt_days=RTT)
    assert [(a.day, a.count) for a in got] == [(1, 2), (2, 1)]


def test_unknown_policy_is_rejected():
    with pytest.raises(ValueError, match="book_on_referral_typo"):
        allocate([1], [Referral("A", 0.0)], "book_on_referral_typo", today=0, rtt_days=RTT)


# -- properties on random instances -----------------------------------------------------------------
@st.composite
def instances(draw):
    today = draw(st.integers(0, 5))
    slots = draw(st.lists(st.integers(today - 3, today + 25), max_size=12))
    n = draw(st.integers(0, 7))
    referrals = [
        Referral(i, draw(st.floats(today - 60.0, float(today)).map(lambda x: round(x, 2))),
                 draw(st.integers(1, 3)), draw(st.one_of(st.none(), st.integers(today - 2, today + 6))))
        for i in range(n)
    ]
    rtt = draw(st.sampled_from([5.0, 14.0, 30.0]))
    offset = draw(st.sampled_from([0.0, 0.5]))
    return slots, referrals, today, rtt, offset


def _first(r: Referral, today: int) -> int:
    return today if r.earliest_day is None else max(today, r.earliest_day)


def _max_matching(slots, referrals, today, rtt, offset, with_deadline: bool) -> int:
    """Brute force (augmenting paths): the most referral units that can get a usable slot."""
    usable = [d for d in slots if d >= today]
    units = [r for r in referrals for _ in range(r.count)]
    allowed = [[k for k, d in enumerate(usable)
                if d >= _first(r, today) and (not with_deadline or d <= deadline_day(r.requested, rtt, offset))]
               for r in units]
    owner: dict[int, int] = {}

    def augment(u, seen):
        for k in allowed[u]:
            if k not in seen:
                seen.add(k)
                if k not in owner or augment(owner[k], seen):
                    owner[k] = u
                    return True
        return False

    return sum(augment(u, set()) for u in range(len(units)))


def _within(assignments, referrals, rtt, offset) -> int:
    by_key = {r.key: r for r in referrals}
    return sum(a.count for a in assignments if a.day <= deadline_day(by_key[a.key].requested, rtt, offset))


@settings(max_examples=300, deadline=None)
@given(instances(), st.sampled_from(WAITING_LIST_POLICIES))
def test_feasibility_slots_used_once_nobody_before_today_or_before_their_earliest_day(inst, policy):
    slots, referrals, today, rtt, offset = inst
    got = allocate(slots, referrals, policy, today, rtt, offset)
    used = Counter()
    per_referral = Counter()
    by_key = {r.key: r for r in referrals}
    for a in got:
        assert a.count > 0
        assert a.day >= today and a.day >= _first(by_key[a.key], today)
        used[a.day] += a.count
        per_referral[a.key] += a.count
    available = Counter(slots)
    assert all(used[d] <= available[d] for d in used)  # every slot at most once
    assert all(per_referral[k] <= by_key[k].count for k in per_referral)
    # no free slot is left idle that someone could take: as many people get a slot as possible
    assert sum(used.values()) == _max_matching(slots, referrals, today, rtt, offset, with_deadline=False)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_max_compliance_is_optimal_and_never_worse_than_longest_wait_first(inst):
    slots, referrals, today, rtt, offset = inst
    comp = allocate(slots, referrals, MAX_30DAY_COMPLIANCE, today, rtt, offset)
    lwf = allocate(slots, referrals, LONGEST_WAIT_FIRST, today, rtt, offset)
    best = _max_matching(slots, referrals, today, rtt, offset, with_deadline=True)
    assert _within(comp, referrals, rtt, offset) == best
    assert _within(lwf, referrals, rtt, offset) <= best
    # both give the same number of slots, so fewer seen in time means more breaches among those seen
    assert sum(a.count for a in comp) == sum(a.count for a in lwf)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_longest_wait_first_serves_in_referral_order(inst):
    slots, referrals, today, rtt, offset = inst
    referrals = [Referral(r.key, r.requested, r.count) for r in referrals]  # same earliest day for all
    got = allocate(slots, referrals, LONGEST_WAIT_FIRST, today, rtt, offset)
    assigned = Counter()
    last_day = {}
    for a in got:
        assigned[a.key] += a.count
        last_day[a.key] = max(last_day.get(a.key, a.day), a.day)
    order = sorted(referrals, key=lambda r: (r.requested, r.key))
    for older, younger in zip(order, order[1:]):
        if assigned[younger.key]:
            assert assigned[older.key] == older.count  # nobody is passed over
            assert last_day[older.key] <= min(a.day for a in got if a.key == younger.key)


# -- the waiting list takes only the candidates it needs, with the same result as the whole list --------
class _Person:
    def __init__(self, alive: bool):
        self.alive = alive


@st.composite
def lists(draw):
    today = draw(st.integers(40, 45))
    times = sorted(draw(st.lists(st.floats(0.0, float(today)).map(lambda x: round(x, 2)), max_size=25)))
    entries = []
    for t in times:
        if draw(st.booleans()):  # a patient, who may have left the catchment
            entries.append((t, 1, _Person(draw(st.integers(0, 5)) > 0)))
        else:
            entries.append((t, draw(st.integers(1, 4)), None))
    look_ahead = draw(st.integers(1, 20))
    slots = draw(st.lists(st.integers(today, today + look_ahead - 1), max_size=15))
    return today, entries, look_ahead, slots


@settings(max_examples=300, deadline=None)
@given(lists(), st.sampled_from(WAITING_LIST_POLICIES))
def test_waiting_list_candidates_give_the_same_allocation_as_the_whole_list(case, policy):
    today, entries, look_ahead, slots = case
    rtt, offset = 10.0, 0.5
    wl = WaitingList(rtt, offset)
    for t, n, person in entries:
        wl.add(t, int(t) + 1, n, person)
    everyone = wl.waiting()
    people_waiting = sum(e.count for e in everyone)
    whole = allocate(slots, [Referral(id(e), e.requested, e.count, e.earliest_day) for e in everyone],
                     policy, today, rtt, offset)
    cand = wl.candidates(policy, today, len(slots), today + look_ahead - 1)
    assert all(not e.gone() for e in cand)
    part = allocate(slots, [Referral(id(e), e.requested, e.count, e.earliest_day) for e in cand],
                    policy, today, rtt, offset)
    assert sorted((a.key, a.day, a.count) for a in part) == sorted((a.key, a.day, a.count) for a in whole)
    # after giving the rest back, the list holds everyone not (fully) assigned, still oldest first
    taken = Counter()
    for a in part:
        taken[a.key] += a.count
    for e in cand:
        e.count -= taken[id(e)]
    wl.give_back(cand, today)
    left = wl.waiting()
    assert [e.requested for e in left] == sorted(e.requested for e in left)
    expected = people_waiting - sum(taken.values())
    assert sum(e.count for e in left) == expected
    assert all(wl.deadline(e) < today for e in wl.breached) and all(wl.deadline(e) >= today for e in wl.on_time)


# -- configuration: bad input names the key and the allowed values or range -----------------------------
def _problems(overrides: dict) -> list[str]:
    with pytest.raises(ConfigError) as info:
        from_overrides(overrides)
    return info.value.problems


def test_unknown_policy_name_lists_the_allowed_values():
    (problem,) = _problems({"scenario.slot_allocation.policy": "shortest_first"})
    assert problem.startswith("scenario.slot_allocation.policy = 'shortest_first'"), problem
    for allowed in ("book_on_referral", "longest_wait_first", "max_30day_compliance"):
        assert allowed in problem.split("allowed values", 1)[1]


@pytest.mark.parametrize("days", [0, -3])
def test_look_ahead_must_be_at_least_one_day(days):
    (problem,) = _problems({"scenario.slot_allocation.look_ahead_days": days})
    assert problem.startswith(f"scenario.slot_allocation.look_ahead_days = {days}: allowed range [1, 365]"), problem


def test_policies_compose_from_the_command_line_with_a_scenario():
    cfg = compose_config(["population=small", "scenario=value_based_controls",
                          "scenario.slot_allocation.policy=max_30day_compliance", "scenario.slot_allocation.look_ahead_days=7"])
    assert cfg.scenario.slot_allocation.policy == "max_30day_compliance"
    assert cfg.scenario.slot_allocation.look_ahead_days == 7
    assert cfg.scenario.controls.policy == "needs_based"
    assert from_overrides().scenario.slot_allocation.policy == "book_on_referral"  # usual care by default
