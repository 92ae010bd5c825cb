"""PRO-triggered controls and outreach to silent patients (Region H 2018 l.164-166, l.836-843, l.924-933).

One run of the small catchment per configuration; the checks are on thousands of questionnaires (binomial
tolerances stated) or are exact properties of the records.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim import outcomes
from sim.hydra_app import compose_config
from sim.model import CareModel

COMMON = ["population=small", "run.years=1.5", "run.event_log=false"]
OUTREACH_DAYS = 120.0


def _run(*extra: str, replication: int = 0) -> CareModel:
    return CareModel(compose_config([*COMMON, *extra]), replication).run()


@pytest.fixture(scope="module")
def pro_run():
    return _run("scenario=pro_triggered_controls", f"scenario.controls.outreach_after_days={OUTREACH_DAYS}")


def _within(share: float, p: float, n: int) -> bool:
    """Binomial share within 4 standard errors of p (a false alarm about 1 in 16,000)."""
    return n >= 50 and abs(share - p) <= 4.0 * math.sqrt(p * (1.0 - p) / n)


def test_the_algorithm_flags_with_its_sensitivity_and_specificity(pro_run):
    controls = pro_run.cfg.scenario.controls
    q = pro_run.recorder.table("pro_questionnaires")
    answered = q[q.answered]
    unstable, stable = answered[answered.unstable], answered[~answered.unstable]
    assert _within(unstable.flagged.mean(), controls.pro_sensitivity, len(unstable)), (unstable.flagged.mean(), len(unstable))
    assert _within(stable.flagged.mean(), 1.0 - controls.pro_specificity, len(stable)), (stable.flagged.mean(), len(stable))


def test_vulnerable_patients_answer_less(pro_run):
    controls = pro_run.cfg.scenario.controls
    q = pro_run.recorder.table("pro_questionnaires")
    vulnerable = pro_run.population.vulnerable[q.person_id.to_numpy()]
    p_v = controls.pro_response_probability * controls.contact_vulnerable_ratio
    # 'busy' patients (in hospital on the day) cannot answer, so shares sit a little below p
    assert q.answered[vulnerable].mean() < q.answered[~vulnerable].mean() <= controls.pro_response_probability
    assert abs(q.answered[vulnerable].mean() - p_v) < 0.06, q.answered[vulnerable].mean()


def test_a_flag_books_a_visit_and_controls_stop(pro_run):
    q = pro_run.recorder.table("pro_questionnaires")
    visits = pro_run.recorder.table("outpatient")
    switched = pro_run.recorder.table("switches").groupby("person_id").time.min()
    assert len(switched) > 100 and q.flagged.sum() > 50
    sub = visits[(visits.kind == "subacute")]
    # every flagged questionnaire that is not at the very end of the run has its visit, requested at the flag
    flagged = q[q.flagged & (q.time < pro_run.end_time - 60)]
    booked = set(zip(sub.person_id, sub.requested))
    assert all((pid, t) in booked for pid, t in zip(flagged.person_id, flagged.time))
    controls_after = visits[(visits.kind == "control") & visits.person_id.isin(switched.index)]
    controls_after = controls_after[controls_after.appointment > controls_after.person_id.map(switched) + 1.0]
    # a switched patient may still have a control in another condition's clinic, never in the switched one
    sw = pro_run.recorder.table("switches")
    same = controls_after.merge(sw, left_on=["person_id", "clinic"], right_on=["person_id", "condition"])
    assert (same.appointment <= same.time + 1.0).all()


def test_outreach_calls_only_patients_silent_for_the_whole_period(pro_run):
    rec = pro_run.recorder
    op = rec.table("outpatient")
    q = rec.table("pro_questionnaires")
    sw = rec.table("switches")
    heard = pd.concat([
        op[op.attended & op.kind.isin(["phone", "subacute", "outreach"])][["person_id", "clinic", "appointment"]]
        .rename(columns={"appointment": "time"}),
        q[q.answered][["person_id", "clinic", "time"]],
        sw.rename(columns={"condition": "clinic"})[["person_id", "clinic", "time"]],
    ]).sort_values("time")
    calls = op[op.kind == "outreach"]
    assert len(calls) > 50
    for pid, clinic, t in calls[["person_id", "clinic", "appointment"]].head(300).itertuples(index=False):
        before = heard[(heard.person_id == pid) & (heard.clinic == clinic) & (heard.time < t - 1e-9)]
        assert len(before), (pid, clinic, t)
        assert before.time.iloc[-1] == pytest.approx(t - OUTREACH_DAYS), (pid, clinic, t, before.time.iloc[-1])


def test_no_outreach_without_the_data():
    model = _run("scenario=pro_triggered_controls")
    assert (model.recorder.table("outpatient").kind != "outreach").all()


def test_pro_controls_cut_control_visits_against_baseline():
    base, pro = _run(), _run("scenario=pro_triggered_controls")
    kb = outcomes.compute(base).set_index(["group", "kpi"]).value
    kp = outcomes.compute(pro).set_index(["group", "kpi"]).value
    assert kp[("all", "control_visits_per_1000py")] < 0.8 * kb[("all", "control_visits_per_1000py")]
    assert kp[("all", "pro_questionnaires_per_1000py")] > 0 and kb[("all", "pro_questionnaires_per_1000py")] == 0
    # a half-yearly form with specificity 0.8 books fewer visits than the annual controls it replaces
    assert kp[("all", "outpatient_visits_per_1000py")] < kb[("all", "outpatient_visits_per_1000py")]
