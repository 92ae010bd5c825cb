"""A mechanism defined entirely outside ``sim/`` (``day_centre.py`` here: config section, stream, fact table,
measure, KPI, cost item and one hook) plus a scenario file (``configs/scenario/day_centre.yaml`` here) runs
without an edit to ``sim/``: registered in this process, its KPI and cost are in the model's results; installed
as an entry point, a sweep on the command line runs it and the comparison report shows its KPI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from day_centre import DayCentre, DayCentreConfig
from sim.hydra_app import compose_config
from sim.mechanisms import registry
from sim.outcomes import KPI_SCHEMA, all_kpis, compute
from sim.runner import run_model

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEARCHPATH = f"hydra.searchpath=[file://{HERE / 'configs'}]"
SMALL = ["population=small", "run.years=1", "run.warmup_days=30", "seed=4", "run.event_log=false"]
KPI = "day_centre_visits_per_1000py"


@pytest.fixture
def plugged():
    registry.register(DayCentre)
    try:
        yield DayCentre
    finally:
        registry.unregister(DayCentre)


def _config(scenario: str):
    return compose_config([f"scenario={scenario}", SEARCHPATH, *SMALL])


def _value(kpis: pd.DataFrame, kpi: str, group: str = "all") -> float:
    return float(kpis[(kpis.group == group) & (kpis.kpi == kpi)].value.iloc[0])


def test_the_plugin_kpi_and_cost_are_in_the_results_and_other_draws_stay(plugged):
    scenario, baseline = (run_model(_config(name), 0) for name in ("day_centre", "baseline"))
    kpis, base = compute(scenario), compute(baseline)
    visits = scenario.recorder.table("day_centre_visits")
    assert len(visits) > 0, "the after_discharge hook never recorded a visit"
    # the KPI is in every patient group, with its declared unit, and agrees with the fact table
    assert set(kpis[kpis.kpi == KPI].group) >= {"all", "tier=high", "tier=low"}
    assert set(kpis[kpis.kpi == KPI].unit) == {"per 1,000 patient-years"}
    assert _value(kpis, KPI) > 0 and _value(base, KPI) == 0
    # the plug-in draws only from its own stream: what the model did is what it did without the scenario
    assert (scenario.recorder.table("admissions").equals(baseline.recorder.table("admissions")))
    for kpi in ("readmission_rate_30d", "bed_days_per_1000py", "gp_wait_mean_days"):
        assert _value(kpis, kpi) == _value(base, kpi)
    # the cost item: the municipality pays the visits in the window at the section's unit cost, no one else
    in_window = visits.time.between(scenario.results_start, scenario.end_time)
    paid = in_window.sum() * DayCentreConfig().visit_cost
    assert _value(kpis, "cost_municipality_dkk") - _value(base, "cost_municipality_dkk") == pytest.approx(paid, rel=1e-9)
    assert _value(kpis, "cost_hospital_dkk") == _value(base, "cost_hospital_dkk")


def test_the_kpi_table_keeps_the_built_in_kpis_first_and_adds_the_plugins(plugged):
    assert all_kpis()[:len(KPI_SCHEMA)] == KPI_SCHEMA
    assert [k.name for k in all_kpis()[len(KPI_SCHEMA):]] == [KPI]


def _installed(tmp_path: Path) -> dict[str, str]:
    """The environment of a shell where the plug-in is installed: its module on the path and an entry point in
    the ``chronic_care.mechanisms`` group (what ``pip install`` of a package declaring it would leave)."""
    dist = tmp_path / "site" / "day_centre_example-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: day-centre-example\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[{registry.ENTRY_POINT_GROUP}]\nday_centre = day_centre:DayCentre\n")
    path = os.pathsep.join([str(HERE), str(tmp_path / "site"), str(REPO), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path, "HYDRA_FULL_ERROR": "0"}


def test_an_installed_plugin_runs_in_a_sweep_and_its_kpi_is_in_the_tidy_results_and_the_report(tmp_path):
    env = _installed(tmp_path)
    sweep = subprocess.run(
        [sys.executable, "-m", "experiments.sweep", "-m", "+experiment=smoke", "hydra/launcher=basic",
         "scenario=baseline,day_centre", SEARCHPATH, "sweep.name=plugin", "sweep.replications=2"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert sweep.returncode == 0, sweep.stderr[-3000:]
    kpis = pd.read_parquet(tmp_path / "sweeps" / "plugin" / "kpis.parquet")
    rows = kpis[(kpis.kpi == KPI) & (kpis.group == "all")]
    assert set(rows.scenario) == {"baseline", "day_centre"}
    assert (rows[rows.scenario == "day_centre"].value > 0).all() and (rows[rows.scenario == "baseline"].value == 0).all()
    report = subprocess.run([sys.executable, "-m", "experiments.compare", "sweeps/plugin", "--kpis", KPI,
                             "readmission_rate_30d"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert report.returncode == 0, report.stderr[-3000:]
    differences = pd.read_csv(tmp_path / "sweeps" / "plugin" / "report" / "paired_differences.csv")
    visits = differences[(differences.scenario == "day_centre") & (differences.kpi == KPI) & (differences.group == "all")]
    assert len(visits) == 1 and visits.difference.iloc[0] > 0
    page = (tmp_path / "sweeps" / "plugin" / "report" / "report.html").read_text(encoding="utf-8")
    assert "day-centre visits" in page.lower()


def test_a_bad_value_in_the_plugin_section_is_refused_like_any_parameter(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sim", "scenario=day_centre", SEARCHPATH, "population=small",
                           "scenario.plugins.day_centre.p_attend=2"],
                          cwd=tmp_path, env=_installed(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "scenario.plugins.day_centre.p_attend = 2" in done.stderr and "allowed range [0, 1]" in done.stderr
    assert "Traceback" not in done.stderr
    assert not [f for f in tmp_path.rglob("*") if f.is_file() and "site" not in f.parts], "the run left files behind"
