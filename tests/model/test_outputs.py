"""End to end: ``python -m sim`` writes a complete run folder and prints the KPI table."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from sim.outcomes import KPI_SCHEMA
from sim.recorder import EVENT_LOG_COLUMNS

ARGS = ["population=small", "run.years=0.5", "run.warmup_days=30"]
VIDIGI_COLUMNS = {"entity_id", "event_type", "event", "time", "resource_id", "run"}
EVENT_TYPES = {"arrival_departure", "queue", "resource_use", "resource_use_end"}
FILES = ("kpis.json", "kpis.parquet", "timeseries.parquet", "events.parquet", "config.yaml", "manifest.json")


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("cli")
    proc = subprocess.run([sys.executable, "-m", "sim", *ARGS], cwd=cwd, capture_output=True, text=True, timeout=600)
    return proc, cwd


@pytest.fixture(scope="module")
def run_dir(cli_run):
    proc, cwd = cli_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = [p for p in (cwd / "outputs" / "baseline").iterdir() if p.is_dir()]
    assert len(runs) == 1, runs
    return runs[0]


def test_exit_code_and_kpi_table(cli_run, run_dir):
    proc, _ = cli_run
    out = proc.stdout
    assert "Scenario 'baseline' on catchment 'small'" in out
    assert "KPI" in out and "95% CI" in out
    for name in ("acute_admissions_per_1000py", "gp_referral_fraction", "medical_bed_occupancy"):
        line = next((ln for ln in out.splitlines() if ln.startswith(name)), None)
        assert line is not None, f"{name} missing from the printed table"
        assert any(ch.isdigit() for ch in line.split(name, 1)[1]), line
    assert str(run_dir) in out or run_dir.name in out


def test_run_folder_contents(run_dir):
    for name in FILES:
        assert (run_dir / name).is_file(), f"{name} missing"
        assert (run_dir / name).stat().st_size > 0
    # atomic writes leave no temporary files behind
    assert not [p.name for p in run_dir.iterdir() if p.name.endswith(".tmp")]
    # the run folder is named by a timestamp
    assert run_dir.name[:4].isdigit() and "_" in run_dir.name


def test_manifest(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert isinstance(manifest["config_hash"], str) and len(manifest["config_hash"]) == 64
    assert manifest["seed"] == 0
    assert manifest["replications"] == [0]
    versions = manifest["versions"]
    for pkg in ("python", "mesa", "simpy", "numpy", "pandas", "hydra-core", "omegaconf"):
        assert versions.get(pkg) and versions[pkg] != "not installed", pkg
    assert versions["mesa"].startswith("3.5")
    assert set(manifest["git"]) >= {"commit", "dirty"}
    assert set(manifest["files"]) >= set(FILES) - {"manifest.json"}


def test_config_yaml_is_the_resolved_config(run_dir):
    cfg = OmegaConf.load(run_dir / "config.yaml")
    assert cfg.population.name == "small" and cfg.population.inhabitants == 40000
    assert cfg.run.years == 0.5 and cfg.run.warmup_days == 30
    from sim.validated import from_overrides  # noqa: PLC0415
    from sim.io import config_hash  # noqa: PLC0415

    # the manifest's hash identifies exactly this config
    rebuilt = from_overrides({f"{section}.{k}": v for section, node in OmegaConf.to_container(cfg).items()
                              if isinstance(node, dict) for k, v in node.items()} | {"seed": cfg.seed})
    assert config_hash(rebuilt) == json.loads((run_dir / "manifest.json").read_text())["config_hash"]


def test_kpi_files(run_dir):
    tidy = pd.read_parquet(run_dir / "kpis.parquet")
    assert set(tidy.columns) >= {"scenario", "seed", "replication", "group", "kpi", "value", "unit"}
    assert set(tidy.loc[tidy.group == "all", "kpi"]) == {k.name for k in KPI_SCHEMA if k.scope not in ("team", "move", "queue")}
    nested = json.loads((run_dir / "kpis.json").read_text())
    assert nested["scenario"] == "baseline" and nested["seed"] == 0
    rep0 = nested["replications"]["0"]
    all_kpis = tidy[tidy.group == "all"].set_index("kpi").value
    for name, value in rep0["all"].items():
        if value is None:
            assert np.isnan(all_kpis[name])
        else:
            assert value == pytest.approx(all_kpis[name], rel=1e-12)


def test_timeseries(run_dir):
    ts = pd.read_parquet(run_dir / "timeseries.parquet")
    horizon = 30 + round(0.5 * 365)
    assert len(ts) == horizon
    np.testing.assert_array_equal(ts.day.to_numpy(), np.arange(1, horizon + 1, dtype=float))
    assert (ts.patients > 0).all()


@pytest.fixture(scope="module")
def events(run_dir):
    return pd.read_parquet(run_dir / "events.parquet")


def test_event_log_vidigi_columns(events):
    assert VIDIGI_COLUMNS <= set(events.columns)
    assert set(events.columns) == set(EVENT_LOG_COLUMNS)
    assert set(events.event_type.astype(str).unique()) <= EVENT_TYPES
    assert set(events.event_type.astype(str).unique()) == EVENT_TYPES  # all four kinds occur
    assert (events.run == 0).all()
    assert events.time.min() >= 0 and events.time.max() <= 30 + round(0.5 * 365)
    arrivals = events[events.event_type == "arrival_departure"]
    assert set(arrivals.event.astype(str)) <= {"arrival", "depart"}
    # every entity arrives exactly once, before anything else happens to it
    first = events.groupby("entity_id", observed=True).time.min()
    arrive = arrivals[arrivals.event == "arrival"].set_index("entity_id").time
    assert not arrive.index.duplicated().any()
    assert set(arrive.index) == set(events.entity_id)
    assert (arrive.loc[first.index] <= first).all()
    # ... and nothing happens to it after it departs (death or moving out)
    depart = arrivals[arrivals.event == "depart"].set_index("entity_id").time
    assert not depart.index.duplicated().any()
    last = events.groupby("entity_id", observed=True).time.max()
    assert (last.loc[depart.index] <= depart).all()


def test_every_admission_is_discharged_or_still_in_bed(events, run_dir):
    cfg = OmegaConf.load(run_dir / "config.yaml")
    per_1000 = cfg.population.inhabitants / 1000
    beds = {"medical_ward": max(1, round(cfg.capacity.medical_beds_per_1000 * per_1000)),
            "psychiatric_ward": max(1, round(cfg.capacity.psychiatric_beds_per_1000 * per_1000))}
    stays = events[events.event.isin(["admitted", "discharged"])]
    # stays on another ward or at another hospital (no bed of the ward) are logged as <ward>/<place>
    elsewhere = {f"{ward}/{place}" for ward in beds for place in ("other_ward", "other_hospital")}
    assert set(stays.pathway.astype(str)) <= set(beds) | elsewhere
    assert stays[stays.pathway.isin(elsewhere)].resource_id.isna().all()
    beds_ev = stays[stays.pathway.isin(list(beds))].copy()
    assert ((beds_ev.event == "admitted") == (beds_ev.event_type == "resource_use")).all()
    assert ((beds_ev.event == "discharged") == (beds_ev.event_type == "resource_use_end")).all()
    assert beds_ev.resource_id.notna().all()
    beds_ev = beds_ev.sort_values("time", kind="stable")
    for ward, n_beds in beds.items():
        ev = beds_ev[beds_ev.pathway == ward]
        assert len(ev) > 0
        still_in_bed = 0
        for entity, stays in ev.groupby("entity_id", observed=True):
            kinds = stays.event.astype(str).tolist()
            ids = stays.resource_id.tolist()
            # admitted, discharged, admitted, discharged, ... possibly ending with an open 'admitted'
            assert kinds[::2] == ["admitted"] * len(kinds[::2]), (entity, kinds)
            assert kinds[1::2] == ["discharged"] * len(kinds[1::2]), (entity, kinds)
            assert ids[1::2] == ids[::2][: len(ids[1::2])], f"{entity} discharged from another bed: {ids}"
            still_in_bed += len(kinds) % 2
        places = n_beds + round(cfg.overload.corridor_beds_share * n_beds)  # normed and corridor beds
        assert still_in_bed <= places, f"{ward}: {still_in_bed} patients still in bed, {places} beds"
        # a bed (resource_id) never holds two patients at once, and ids stay within the bed count
        assert ev.resource_id.max() <= places
        for bed, use in ev.groupby("resource_id", observed=True):
            delta = np.where(use.event == "admitted", 1, -1)
            order = np.lexsort((delta, use.time.to_numpy()))
            level = np.cumsum(delta[order])
            assert level.max() <= 1 and level.min() >= 0, f"{ward} bed {bed} double-booked"


def test_mesa_step_logging_does_not_flood_the_run_log(cli_run, run_dir):
    # Mesa logs every step at INFO; the run log must hold our progress lines only (one per simulated
    # year), not one line per simulated day.
    log = (run_dir / "sim.log").read_text()
    assert "Step" not in log
    assert len(log.splitlines()) < 20
