"""The comparison report (``python -m experiments.compare``) on a tiny real sweep: the baseline and two
scenarios with an effect (ACT team, targeted coordinators), small catchment, half a year, 4 paired replications."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments import compare
from experiments.report.analysis import (HEADLINE_KPIS, NO_CI, NOT_DISTINGUISHABLE, PAYER_KPIS, load_sweep,
                                         paired_differences, replications_needed, verdict)
from experiments.report.narrative import describe
from experiments.tables import read_tables, write_tables

from tiny_sweep import SCENARIOS, write_tiny_sweep

REPO = Path(__file__).resolve().parents[2]
REPLICATIONS = 4


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    return write_tiny_sweep(tmp_path_factory.mktemp("sweep"), REPLICATIONS)


@pytest.fixture(scope="module")
def report(sweep):
    """The README's command, run as a user would: ``python -m experiments.compare SWEEP_DIR`` (-> SWEEP_DIR/report)."""
    done = subprocess.run([sys.executable, "-m", "experiments.compare", str(sweep)], capture_output=True, text=True,
                          cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    return sweep / "report", done


def _per_replication(sweep: Path, scenario: str, kpi: str, group: str = "all") -> pd.Series:
    kpis, _, _ = read_tables(sweep)
    rows = kpis[(kpis.scenario == scenario) & (kpis.group == group) & (kpis.kpi == kpi)]
    return rows.set_index("replication").value.sort_index()


@pytest.mark.parametrize("scenario,kpi", [("coordinator_targeted", "cost_per_patient_year_dkk"),
                                          ("act_team", "readmission_rate_30d")])
def test_paired_difference_is_the_mean_of_replication_differences_with_scipys_ci(sweep, report, scenario, kpi):
    out, _ = report
    diffs = pd.read_csv(out / "paired_differences.csv")
    row = diffs[(diffs.scenario == scenario) & (diffs.kpi == kpi) & (diffs.group == "all")].iloc[0]
    s, b = _per_replication(sweep, scenario, kpi), _per_replication(sweep, "baseline", kpi)
    assert list(s.index) == list(b.index) == list(range(REPLICATIONS))
    assert row.difference == pytest.approx(float((s - b).mean()), rel=1e-12)
    ci = stats.ttest_rel(s.to_numpy(), b.to_numpy()).confidence_interval(0.95)
    assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert row.replications == REPLICATIONS


def test_differences_whose_ci_contains_zero_are_labelled_not_distinguishable(report):
    out, _ = report
    diffs = pd.read_csv(out / "paired_differences.csv")
    contains_zero = (diffs.ci_low <= 0) & (diffs.ci_high >= 0)
    assert (diffs.verdict[contains_zero] == NOT_DISTINGUISHABLE).all()
    assert (diffs.verdict[~contains_zero] != NOT_DISTINGUISHABLE).all()
    # the tiny sweep has both kinds, so the check above is not vacuous: coordinators clearly cost more
    # (SST 2013: a coordinator is paid whether or not it saves), many outcome changes are within the noise
    assert contains_zero.any() and (~contains_zero).any()
    cost = diffs[(diffs.scenario == "coordinator_targeted") & (diffs.kpi == "cost_per_patient_year_dkk")].iloc[0]
    assert cost.verdict == "higher than baseline"


def test_verdict_rule():
    assert verdict(-1.0, 2.0) == NOT_DISTINGUISHABLE
    assert verdict(0.0, 2.0) == NOT_DISTINGUISHABLE        # touching zero is not excluding it
    assert verdict(0.5, 2.0) == "higher than baseline"
    assert verdict(-2.0, -0.1) == "lower than baseline"
    assert verdict(float("nan"), float("nan")) == NO_CI


def test_replications_needed_is_the_smallest_n_meeting_the_target():
    d = np.array([10.0, 12.0, 7.0, 11.0, 9.0])
    n = replications_needed(d, 0.05)
    s, target = d.std(ddof=1), 0.05 * d.mean()
    assert stats.t.ppf(0.975, n - 1) * s / np.sqrt(n) <= target
    assert stats.t.ppf(0.975, n - 2) * s / np.sqrt(n - 1) > target
    assert replications_needed(d[:1], 0.05) is None


def test_report_files_exist_and_every_png_is_embedded(report):
    out, done = report
    for name in ("report.html", "scenario_table.csv", "paired_differences.csv", "tier_differences.csv",
                 "waits.csv", "replications.csv", "warmup.csv", "forest_headline.png", "forest_payers.png",
                 "cost_outcome_plane.png", "waits.png", "tiers.png", "series_medical_beds_occupied.png"):
        assert (out / name).stat().st_size > 0, name
    pngs = sorted(out.glob("*.png"))
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    # every figure is embedded once: the daily-series grids in series.html, the rest in report.html
    html = (out / "report.html").read_text(encoding="utf-8")
    series_html = (out / "series.html").read_text(encoding="utf-8")
    series = [p for p in pngs if p.name.startswith("series_")]
    assert html.count('src="data:image/png;base64,') == len(pngs) - len(series)
    assert series_html.count('src="data:image/png;base64,') == len(series) > 0
    assert (out / "decision_summary.csv").stat().st_size > 0
    assert "report written to" in done.stderr and "plotting" in done.stderr   # progress lines on stderr
    assert done.stdout.strip().endswith("report.html")


def test_tables_cover_every_scenario_tier_and_the_warmup(sweep, report):
    out, _ = report
    table = pd.read_csv(out / "scenario_table.csv")
    assert set(table.scenario) == set(SCENARIOS)
    tiers = pd.read_csv(out / "tier_differences.csv")
    assert set(tiers.group) == {"tier=high", "tier=moderate", "tier=low"}
    assert set(tiers.scenario) == set(SCENARIOS) - {"baseline"}
    warm = pd.read_csv(out / "warmup.csv")
    _, series, _ = read_tables(sweep)
    from sim.statistics import mser5
    base = series[series.scenario == "baseline"].groupby("day").medical_beds_occupied.mean().to_numpy()
    row = warm[(warm.scenario == "baseline") & (warm.series == "medical_beds_occupied")].iloc[0]
    assert row.mser5_truncation_days == mser5(base) and row.warmup_days_used == 30


def test_html_opens_in_a_headless_browser_with_every_scenario_and_no_external_resource(report, browser):
    from browser import severe_console_errors
    out, _ = report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)   # nothing fetched from anywhere
    browser.get((out / "report.html").as_uri())
    assert severe_console_errors(browser) == []
    text = browser.find_element("tag name", "body").text
    for scenario in SCENARIOS:
        assert scenario in text
    # every scenario's verdict, as the decision summary's table has it, is on the page
    verdicts = pd.read_csv(out / "decision_summary.csv").verdict
    assert len(verdicts) == len(SCENARIOS) - 1 and all(v in text for v in verdicts), list(verdicts)
    images = browser.find_elements("tag name", "img")
    assert images and all(img.get_attribute("src").startswith("data:image/png;base64,") for img in images)
    # every image decoded and laid out (a broken data URI has naturalWidth 0)
    assert all(browser.execute_script("return arguments[0].naturalWidth", img) > 100 for img in images)
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(name.startswith("data:") for name in loaded), loaded
    # every shown difference whose CI contains 0 is a greyed row saying so: the scenarios' tables (headline
    # KPIs and net spending) and the risk-tier table
    diffs, tiers = pd.read_csv(out / "paired_differences.csv"), pd.read_csv(out / "tier_differences.csv")
    shown = diffs[diffs.kpi.isin([*HEADLINE_KPIS, *PAYER_KPIS])]
    expected = sum(int(((t.ci_low <= 0) & (t.ci_high >= 0)).sum()) for t in (shown, tiers))
    greyed = browser.find_elements("css selector", "tr.nd")
    assert len(greyed) == expected > 0
    # (textContent: the risk-tier table is in a folded section, and a folded element has no visible text)
    assert all(NOT_DISTINGUISHABLE in row.get_attribute("textContent") for row in greyed)


def test_baseline_and_out_options_give_the_same_tables_elsewhere(sweep, report, tmp_path):
    out, _ = report
    assert compare.main([str(sweep), "--baseline", "baseline", "--out", str(tmp_path / "elsewhere")]) == 0
    for name in ("paired_differences.csv", "scenario_table.csv", "warmup.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "elsewhere" / name), pd.read_csv(out / name))
    assert [p.name for p in tmp_path.iterdir()] == ["elsewhere"]      # no scratch folder left behind


def test_not_a_sweep_a_missing_baseline_and_an_unknown_kpi_are_clear_errors(sweep, tmp_path, capsys):
    assert compare.main([str(tmp_path)]) == 2
    assert "not a finished sweep" in capsys.readouterr().err
    (tmp_path / "sweep.json").write_text("{}")                 # meta written, tables not
    assert compare.main([str(tmp_path)]) == 2
    assert "kpis.parquet is missing" in capsys.readouterr().err
    assert compare.main([str(sweep), "--baseline", "usual_care", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "baseline 'usual_care' is not in the sweep" in err and "act_team" in err
    assert compare.main([str(sweep), "--kpis", "readmission_rate", "--out", str(tmp_path / "r")]) == 2
    assert "unknown KPI" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()      # nothing half-written


def test_one_replication_gives_point_estimates_and_says_why_there_is_no_ci(sweep, tmp_path, capsys):
    kpis, series, meta = read_tables(sweep)
    write_tables(tmp_path, kpis[kpis.replication == 0], series[series.replication == 0], {**meta, "replications": [0]})
    assert compare.main([str(tmp_path), "--kpis", "readmission_rate_30d", "cost_per_patient_year_dkk",
                         "--precision", "0.2"]) == 0
    assert "one replication only" in capsys.readouterr().err
    out = tmp_path / "report"                                   # the default report folder
    diffs = pd.read_csv(out / "paired_differences.csv")
    assert (diffs.verdict == NO_CI).all() and diffs.difference.notna().all() and diffs.ci_low.isna().all()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "One replication only: confidence intervals cannot be computed" in html


def test_pairs_are_matched_within_a_parameter_set_and_a_cell_without_its_baseline_is_not_compared(sweep, tmp_path):
    kpis, series, meta = read_tables(sweep)
    shifted = kpis[kpis.scenario.isin(["baseline", "act_team"])].assign(parameters="x=1")
    shifted.loc[shifted.scenario == "act_team", "value"] += 1.0      # a known effect under x=1
    orphan = kpis[kpis.scenario == "coordinator_targeted"].assign(parameters="y=2")
    write_tables(tmp_path, pd.concat([kpis, shifted, orphan]), None, {**meta, "parameters": ["", "x=1", "y=2"]})
    loaded = load_sweep(tmp_path)
    assert [v.label for v in loaded.variants] == ["act_team", "act_team [x=1]", "coordinator_targeted",
                                                  "coordinator_targeted [y=2]"]
    diffs = paired_differences(loaded, ["cost_per_patient_year_dkk"]).set_index("label")
    assert "coordinator_targeted [y=2]" not in diffs.index
    assert diffs.loc["act_team [x=1]", "difference"] == pytest.approx(diffs.loc["act_team", "difference"] + 1.0)


def test_a_combined_scenario_lists_both_files_assumptions_with_sources():
    descriptions, assumptions = describe("act_team+coordinator_targeted", "seed=3")
    keys = {a.key: a for a in assumptions}
    assert len(descriptions) == 2 and descriptions[0].startswith("act_team: ")
    assert "VIVE 2018" in keys["scenario.act_team.enabled"].source
    assert "SST 2013 l.1944-1946" in keys["scenario.coordinator.targeting"].source
    assert keys["seed"].value == "3" and keys["seed"].source.startswith("sweep parameter")


def test_the_first_screen_decides_and_every_row_links_to_its_detail(report, browser, tmp_path):
    """At 1400 x 1000 px the page opens on the decision summary (one row per scenario, grouped by verdict),
    the cost-outcome plane follows it, no table scrolls sideways, and a row's link lands on its scenario.
    REPORT_SWEEP=<sweep folder> checks another sweep's report instead (built in a temporary folder);
    REPORT_SCREENSHOT=docs/img/report-first-screen.png keeps the first screen for the README."""
    import os
    out, _ = report
    if os.environ.get("REPORT_SWEEP"):
        assert compare.main([os.environ["REPORT_SWEEP"], "--out", str(tmp_path / "report")]) == 0
        out = tmp_path / "report"
    assert (out / "report.html").stat().st_size < 3_000_000        # a few MB at most
    summary = pd.read_csv(out / "decision_summary.csv")
    browser.set_window_size(1400, 1000)
    browser.get((out / "report.html").as_uri())
    height = browser.execute_script("return window.innerHeight")
    table = browser.find_element("css selector", "table.decision")
    assert browser.execute_script("return arguments[0].getBoundingClientRect().top", table) < height / 2
    rows = browser.find_elements("css selector", "table.decision tr[data-scenario]")
    assert [r.get_attribute("data-scenario") for r in rows] == list(summary.label)
    assert {r.get_attribute("data-group") for r in rows} <= {"better", "trade_off", "worse", "unclear"}
    headings = [h.text for h in browser.find_elements("css selector", "table.decision tr.group th")]
    assert len(headings) == summary.group.nunique()
    # what follows the summary is the plane, then the contents
    order = browser.execute_script(
        "return ['decision', 'plane', 'contents', 'scenarios'].map(id => document.getElementById(id).getBoundingClientRect().top)")
    assert order == sorted(order)
    browser.save_screenshot(str(tmp_path / "first-screen.png"))
    if os.environ.get("REPORT_SCREENSHOT"):
        browser.save_screenshot(os.environ["REPORT_SCREENSHOT"])
    # with every folded section open, no table is wider than the page (none scrolls sideways at 1400 px)
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    wide = browser.execute_script(
        "return Array.from(document.querySelectorAll('table')).filter(t => t.getBoundingClientRect().width > "
        "document.body.clientWidth).map(t => t.rows[0].textContent.slice(0, 80))")
    assert wide == []
    browser.execute_script("window.scrollTo(0, 0)")
    # a row's link lands on the scenario's block
    label = rows[-1].get_attribute("data-scenario")
    rows[-1].find_element("tag name", "a").click()
    target = browser.find_element("id", browser.current_url.split("#", 1)[1])
    assert target.text == label
    assert -1 <= browser.execute_script("return arguments[0].getBoundingClientRect().top", target) < height  # sub-pixel
