"""One definition of each verdict (experiments/report/verdicts.py), checked on constructed paired differences:
every verdict, the borderline cases (an interval touching zero, one replication, a missing KPI, mixed
outcomes), the price of a trade-off, and that the summary table, the scenario text and the plane's legend
all carry the same verdict."""

from __future__ import annotations

import re
from html import unescape
from types import SimpleNamespace

import pandas as pd
import pytest

from experiments.compare import build_report
from experiments.report.analysis import verdict as ci_verdict
from experiments.report.verdicts import BETTER, TRADE_OFF, UNCLEAR, WORSE, judge

from constructed_sweep import LEVELS, write_constructed

COST, READMIT, ADMIT, BEDS = ("cost_per_patient_year_dkk", "readmission_rate_30d", "acute_admissions_per_1000py",
                              "bed_days_per_1000py")
LOWER, HIGHER, UNCLEAR_CI = (-2.0, -1.0), (1.0, 2.0), (-1.0, 1.0)


def row(ci, difference=None):
    low, high = ci
    mid = (low + high) / 2 if difference is None else difference
    return SimpleNamespace(difference=mid, ci_low=low, ci_high=high, verdict=ci_verdict(low, high))


def rows(cost, readmit=UNCLEAR_CI, admit=UNCLEAR_CI, beds=UNCLEAR_CI):
    return {COST: row(cost), READMIT: row(readmit), ADMIT: row(admit), BEDS: row(beds)}


@pytest.mark.parametrize("cost,outcomes,key,group", [
    (LOWER, dict(readmit=LOWER), "dominant", BETTER),
    (UNCLEAR_CI, dict(admit=LOWER), "better", BETTER),
    (LOWER, {}, "cheaper", BETTER),
    (HIGHER, dict(readmit=LOWER), "buys", TRADE_OFF),
    (LOWER, dict(beds=HIGHER), "saves_at_loss", TRADE_OFF),
    (HIGHER, dict(readmit=LOWER, beds=HIGHER), "mixed", TRADE_OFF),
    (UNCLEAR_CI, dict(readmit=LOWER, admit=HIGHER), "mixed", TRADE_OFF),
    (HIGHER, {}, "dearer", WORSE),
    (UNCLEAR_CI, dict(admit=HIGHER), "worse", WORSE),
    (HIGHER, dict(readmit=HIGHER), "dominated", WORSE),
    (UNCLEAR_CI, {}, "unchanged", UNCLEAR),
])
def test_each_verdict_and_its_group(cost, outcomes, key, group):
    v = judge(rows(cost, **outcomes), discharges_per_py=0.2)
    assert (v.key, v.group) == (key, group), v.text


def test_an_interval_touching_zero_is_not_distinguishable():
    # cost [0, 2] is not "dearer"; readmissions [-2, 0] are not "fewer": nothing is judged
    assert judge(rows((0.0, 2.0), readmit=(-2.0, 0.0)), 0.2).key == "unchanged"
    # just off zero on both sides: the trade-off
    assert judge(rows((1e-9, 2.0), readmit=(-2.0, -1e-9)), 0.2).key == "buys"


def test_one_replication_and_missing_kpis_are_not_judged():
    no_ci = rows((float("nan"),) * 2, readmit=(float("nan"),) * 2)
    assert judge(no_ci, 0.2).key == "no_ci" and judge(no_ci, 0.2).group == UNCLEAR
    assert judge({READMIT: row(LOWER)}, 0.2).key == "not_judged"           # no cost
    assert judge({COST: row(LOWER)}, 0.2).key == "not_judged"              # no outcome


def test_the_readmission_count_does_not_decide_the_verdict():
    """The old verdict judged the readmission count while the text used the rate: a scenario whose count fell
    (fewer discharges) but whose rate did not change was called 'Dominant ... avoids readmissions'."""
    r = rows(LOWER, readmit=UNCLEAR_CI)
    r["readmissions_30d"] = row((-40.0, -10.0))
    v = judge(r, 0.2)
    assert v.key == "cheaper" and "readmission rate" in v.text and "lowers" not in v.text


def test_price_per_avoided_readmission_uses_the_rate_and_the_discharges():
    # +300 DKK per patient-year; the rate falls 2 points; 0.25 index discharges per patient-year:
    # 0.02 x 0.25 = 0.005 readmissions avoided per patient-year -> 60,000 DKK each
    r = {COST: row((250.0, 350.0), 300.0), READMIT: row((-0.03, -0.01), -0.02), ADMIT: row(UNCLEAR_CI),
         BEDS: row(UNCLEAR_CI)}
    v = judge(r, discharges_per_py=0.25)
    assert v.price == pytest.approx(60_000.0) and v.price_unit == "readmission"
    assert "60,000 DKK per avoided readmission" in v.text
    # without the discharges the price is not invented
    assert judge(r, None).price is None and "no price" in judge(r, None).text


def test_price_falls_back_to_admissions_per_1000_patient_years():
    # +500 DKK per patient-year buys 5 fewer admissions per 1,000 patient-years: 100,000 DKK per admission
    r = rows((400.0, 600.0), admit=(-6.0, -4.0))
    r[COST].difference, r[ADMIT].difference = 500.0, -5.0
    v = judge(r, 0.2)
    assert v.key == "buys" and v.price == pytest.approx(100_000.0) and v.price_unit == "admission"


def _scenario_block(html: str, label: str) -> str:
    start = html.index(f'id="scenario-{label}"')
    end = html.find("<h3 ", start + 1)
    return unescape(re.sub(r"<[^>]+>", " ", html[start:end if end > 0 else None]))


def test_summary_text_table_and_plane_carry_one_verdict(tmp_path):
    """A constructed sweep with one scenario per group: the first screen's row, the scenario's text and the
    plane's legend say the same."""
    effects = {
        "baseline": {},
        "cheaper_and_better": {COST: -200.0, READMIT: -0.01},
        "pays_for_gain": {COST: 300.0, READMIT: -0.02},
        "count_falls_rate_not": {COST: -150.0, READMIT: [-0.004, 0.004, -0.004, 0.004], "readmissions_30d": -30.0},
        "dearer_no_gain": {COST: 400.0},
        "nothing": {COST: [-50.0, 50.0, -50.0, 50.0]},
    }
    report = build_report(write_constructed(tmp_path / "sweep", effects), tmp_path / "report")
    table = pd.read_csv(tmp_path / "report" / "decision_summary.csv").set_index("label")
    expected = {"cheaper_and_better": "dominant", "pays_for_gain": "buys", "count_falls_rate_not": "cheaper",
                "dearer_no_gain": "dearer", "nothing": "unchanged"}
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    for label, key in expected.items():
        v = report.decision.verdicts[label]
        assert v.key == key
        assert table.loc[label, "verdict"] == v.short and table.loc[label, "group"] == v.group
        assert f"Verdict: {v.text}" in _scenario_block(html, label)
        assert re.search(rf'data-scenario="{label}" data-group="{v.group}"', html)
    # the price: 300 DKK / (0.02 x the scenario's index discharges per patient-year, readmissions / rate /
    # patient-years: 600 / 0.10 / 20,000 = 0.3); 1% tolerance for the shared replication noise
    discharges = LEVELS["readmissions_30d"] / (LEVELS["readmission_rate_30d"] - 0.02) / LEVELS["patient_years"]
    assert table.loc["pays_for_gain", "price_dkk"] == pytest.approx(300.0 / (0.02 * discharges), rel=0.01)
    # the regression of the old report: no "avoids readmissions" where the rate is not distinguishable
    text = _scenario_block(html, "count_falls_rate_not")
    assert "30-day readmission rate" in text and "avoids readmissions" not in text and "Dominant" not in text
    # the plane is drawn with the same groups
    from experiments.report.plots import cost_outcome_plane_figure
    groups = {label: v.group for label, v in report.decision.verdicts.items()}
    fig = cost_outcome_plane_figure(report.differences, (READMIT, ADMIT), list(expected), groups)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "pays_for_gain (trade-off)" in legend and "cheaper_and_better (better/cheaper)" in legend
    assert "dearer_no_gain (worse)" in legend and "nothing (unclear)" in legend


OUTPATIENT = "outpatient_new_referral_wait_mean_days_all"


def wait_row(ci, baseline_mean):
    r = row(ci)
    r.baseline_mean = baseline_mean
    return r


def test_a_material_wait_change_counts_an_immaterial_one_does_not():
    # outpatient waits 180 days longer, cost and counted outcomes unchanged: worse (the 85/15 referral shift)
    r = rows(UNCLEAR_CI)
    r[OUTPATIENT] = wait_row((160.0, 200.0), 4.0)
    v = judge(r, 0.2)
    assert (v.key, v.group) == ("worse", WORSE) and "the wait for a first outpatient appointment" in v.text
    # 0.27 days longer on a 4.5-day wait (6%): distinguishable but immaterial, so not judged worse
    r[OUTPATIENT] = wait_row((0.14, 0.41), 4.5)
    assert judge(r, 0.2).key == "unchanged"
    # just at the 10% line it counts
    r[OUTPATIENT] = wait_row((0.4, 0.5), 4.5)
    assert judge(r, 0.2).key == "worse"


def test_shorter_waits_bought_have_no_price_per_event():
    r = rows(HIGHER)
    r[OUTPATIENT] = wait_row((-5.0, -3.0), 6.0)
    v = judge(r, 0.2)
    assert (v.key, v.group, v.price) == ("buys", TRADE_OFF, None) and "no price per avoided event" in v.text
