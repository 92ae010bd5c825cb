"""Warnings generated from constructed results (experiments/report/caveats.py): growing queues from the
runs' queue=<name> rows (the queue-growth guard) or, without them, from the daily series; team waits beyond
the stated limit; warm-up not covered; outcomes that change partly by definition; capacity limits. Each
warning must reach the scenario's block and its summary row."""

from __future__ import annotations

import re
from html import unescape

import numpy as np
import pandas as pd
import pytest

from experiments import compare
from experiments.report.analysis import load_sweep
from experiments.report.caveats import (GROWTH_MIN, caveats_for, queue_caveats, series_growing, series_queue_caveats,
                                        warmup_caveats)

from constructed_sweep import group_rows, series_rows, write_constructed

QUEUE = "team_telemonitoring_waiting"


def queue(scenario: str, growing: list[int], name: str = QUEUE) -> pd.DataFrame:
    n = len(growing)
    return group_rows(scenario, f"queue={name}", {"queue_growing": growing, "queue_trend_per_year": [300.0] * n,
                                                  "queue_length_mean": [400.0] * n}, unit="")


def sweep_with(tmp_path, effects=None, extra=(), series=None, **kw):
    effects = effects or {"baseline": {}, "telemonitoring": {"cost_per_patient_year_dkk": 100.0}}
    return load_sweep(write_constructed(tmp_path / "sweep", effects, extra=list(extra), series=series, **kw))


def kinds(caveats) -> list[str]:
    return [c.kind for c in caveats]


def test_a_queue_most_replications_flag_is_named(tmp_path):
    sweep = sweep_with(tmp_path, extra=[queue("baseline", [0, 0, 0, 0]), queue("telemonitoring", [1, 1, 1, 0]),
                                        queue("telemonitoring", [0, 0, 1, 1], name="medical_ward_boarding")])
    variant = sweep.variants[0]
    found = queue_caveats(sweep, variant, sweep.baselines[0])
    assert len(found) == 1, found                                   # 2 of 4 is not "mostly"
    assert QUEUE in found[0].short and QUEUE in found[0].text and "3 of 4" in found[0].text
    assert "not in the baseline" in found[0].text and "+300.0 a year" in found[0].text


def test_a_queue_growing_in_the_baseline_too_says_so(tmp_path):
    sweep = sweep_with(tmp_path, extra=[queue("baseline", [1, 1, 1, 1]), queue("telemonitoring", [1, 1, 1, 1])])
    assert "(as in the baseline)" in queue_caveats(sweep, sweep.variants[0], sweep.baselines[0])[0].text
    assert "queue growing" in caveats_for(sweep, sweep.baselines[0], pd.DataFrame(), pd.DataFrame(),
                                          pd.DataFrame(columns=["label", "kpi", "value"]))[0].short


def growing_list(r, day):
    return {"boarding": 5 + np.sin(day / 7.0), "team_waiting_list": 2.0 * day + r}


def flat_list(r, day):
    rng = np.random.default_rng(r)
    return {"boarding": 5 + rng.normal(0, 1, day.size), "team_waiting_list": 3 + rng.normal(0, 1, day.size)}


def test_without_queue_rows_the_daily_series_are_checked(tmp_path):
    series = pd.concat([series_rows("baseline", 4, 400, flat_list), series_rows("telemonitoring", 4, 400, growing_list)])
    sweep = sweep_with(tmp_path, series=series)
    found = series_queue_caveats(sweep, sweep.variants[0], sweep.baselines[0])
    assert [c.short for c in found] == ["queue growing: team waiting list"], found
    assert "4 of 4" in found[0].text and "not in the baseline" in found[0].text
    assert series_queue_caveats(sweep, sweep.baselines[0], None) == []       # noise is not growth


def test_queue_rows_take_over_from_the_series_check(tmp_path):
    series = pd.concat([series_rows("baseline", 4, 400, flat_list), series_rows("telemonitoring", 4, 400, growing_list)])
    sweep = sweep_with(tmp_path, series=series, extra=[queue("baseline", [0] * 4), queue("telemonitoring", [0] * 4)])
    # the guard says no queue keeps growing over the results window: the series check is not used
    assert "queue" not in kinds(caveats_for(sweep, sweep.variants[0], pd.DataFrame(), pd.DataFrame(),
                                            pd.DataFrame(columns=["label", "kpi", "value"])))


@pytest.mark.parametrize("growth,expected", [(0.0, False), (GROWTH_MIN * 0.8, False), (200.0, True)])
def test_series_growing_needs_growth_against_the_level_and_an_absolute_minimum(growth, expected):
    day = np.arange(300, dtype=float)
    assert series_growing(day, 10 + growth * day / 299)[0] is expected


def test_warmup_not_covered_and_never_settling():
    table = pd.DataFrame([{"label": "s", "series": "outpatient_lead_days", "mser5_truncation_days": 400,
                           "warmup_days_used": 270.0, "covered": False, "at_search_limit": True},
                          {"label": "s", "series": "boarding", "mser5_truncation_days": 20,
                           "warmup_days_used": 270.0, "covered": True, "at_search_limit": False}])
    found = warmup_caveats(table, "s")
    assert [c.short for c in found] == ["warm-up not covered", "series never settle"]
    assert "outpatient lead days at up to 400 days, beyond the 270 days used" in found[0].text
    assert warmup_caveats(table, "other") == []


def _block(html: str, label: str) -> str:
    start = html.index(f'id="scenario-{label}"')
    end = html.find("<h3 ", start + 1)
    return unescape(re.sub(r"<[^>]+>", " ", html[start:end if end > 0 else None]))


def _summary_row(html: str, label: str) -> str:
    match = re.search(rf'<tr data-scenario="{label}".*?</tr>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", " ", match.group(0)))


def test_every_warning_reaches_the_scenario_block_and_its_summary_row(tmp_path):
    effects = {
        "baseline": {},
        "municipal_beds": {"municipal_acute_stays_per_1000py": 30.0, "acute_admissions_per_1000py": -20.0,
                           "acute_care_return_rate_30d": [-0.002, 0.002, -0.001, 0.001], "cost_per_patient_year_dkk": 200.0},
        "referral_shift": {"rtt_compliance_all": -0.8, "cost_per_patient_year_dkk": 300.0},
        "team": {"cost_per_patient_year_dkk": 500.0},
        "nothing_wrong": {"cost_per_patient_year_dkk": -100.0},
    }
    team = group_rows("team", "team=complex_care_team", {"team_intake_wait_mean_days": [600.0, 620.0, 640.0, 630.0],
                                                         "team_cases_started": [50, 50, 50, 50]})
    extra = [team, queue("referral_shift", [1, 1, 1, 1], name="outpatient_copd_waiting")]
    sweep_dir = write_constructed(tmp_path / "sweep", effects, extra=extra)
    assert compare.main([str(sweep_dir), "--out", str(tmp_path / "report"), "--max-team-wait", "60"]) == 0
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    expect = {
        "municipal_beds": ("partly by definition: municipal acute stays are not admissions",
                           "a stay in a municipal acute bed is not a hospital admission",
                           "acute_care_return_rate_30d, which counts both"),
        "referral_shift": ("queue growing: outpatient_copd_waiting", "fewer than 90% of new referrals seen within the 30-day "
                           "right: rtt_compliance_all 18.0% (baseline 98.0%)", "The queue outpatient_copd_waiting keeps growing"),
        "team": ("complex_care_team wait 622 d > 60 d", "wait 622 days on average", "limit stated for this report: 60 days"),
    }
    for label, texts in expect.items():
        block, row = _block(html, label), _summary_row(html, label)
        assert texts[0] in row, (label, row)
        for text in texts[1:]:
            assert text in block, (label, text, block)
    # a scenario with nothing to warn about has an empty warnings cell and no warning list in its block
    row = re.search(r'<tr data-scenario="nothing_wrong".*?</tr>', html, re.S).group(0)
    assert row.endswith('<td class="warn"></td></tr>')
    assert 'class="warnings"' not in html[html.index('id="scenario-nothing_wrong"'):]
    # the same limit with the default (30 days) and a bad value
    assert compare.main([str(sweep_dir), "--out", str(tmp_path / "r2"), "--max-team-wait", "-5"]) == 2
    assert not (tmp_path / "r2").exists()
