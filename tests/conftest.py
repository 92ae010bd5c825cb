"""Shared fixtures for the test suite.

* ``baseline``: the small catchment (``population=small``), two results years after the default
  warm-up, seed 0, replication 0, run once per session and shared by every test that only reads it.
* ``small_overrides(...)``: dotted overrides for the small catchment plus extras (for ``from_overrides``).
* ``browser``: a headless Chromium driven by Selenium (``tests/browser.py``), for the report and the
  teaching page; without Chromium the test is skipped with the reason and the install command, except when
  the ``CI`` environment variable is set, where it fails.
* Tests marked ``@pytest.mark.slow`` (full catchment, long Erlang-C runs) run in ``make test`` and CI;
  ``make test-fast`` leaves them out for a quick local loop.
* Tests marked ``@pytest.mark.long`` (minutes each: the reduced validation run, CRN against independent
  streams, the Ray and submitit engines) run when the ``CI`` environment variable is set (CI services set
  it, and ``.ci/run`` does) or with ``--run-long``; elsewhere they are skipped, with the reason, so a local
  ``make test`` stays near ten minutes on two cores.
"""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

import pytest

from sim import outcomes
from sim.config import CONDITIONS
from sim.hydra_app import compose_config
from sim.model import CareModel

from browser import headless_chromium, missing_browser_reason

def pytest_addoption(parser):
    parser.addoption("--run-long", action="store_true",
                     help="also run the tests marked long (CI runs them whenever the CI environment variable is set)")


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-long") or running_in_ci():
        return
    skip = pytest.mark.skip(reason="long check: runs in CI (CI=true) or with --run-long")
    for item in items:
        if item.get_closest_marker("long"):
            item.add_marker(skip)


# The small catchment (configs/population/small.yaml) as dotted overrides for from_overrides().
SMALL: dict[str, Any] = {
    "population.inhabitants": 40000,
    "population.general_practitioners": 26,
    "population.municipality_names": ["North", "South"],
    "population.municipality_shares": [0.5, 0.5],
}

# No chronic patients at all: every prevalence is zero and nobody becomes a patient.
NO_PATIENTS: dict[str, Any] = {
    **{f"population.prevalence_{c}": [0.0, 0.0, 0.0, 0.0] for c in CONDITIONS},
    "population.incidence_per_1000": 0.0,
}

BASELINE_OVERRIDES = ["population=small", "run.years=2", "seed=0", "run.event_log=true"]


@pytest.fixture(scope="session")
def small_overrides():
    """``small_overrides({"run.years": 1, ...})`` -> dict for ``from_overrides``."""

    def make(extra: dict[str, Any] | None = None) -> dict[str, Any]:
        return {**SMALL, **(extra or {})}

    return make


@pytest.fixture(scope="session")
def no_patients():
    return dict(NO_PATIENTS)


def run_model(cfg, replication: int = 0) -> SimpleNamespace:
    """Run one replication and keep the model (``run_replication`` returns only tables)."""
    model = CareModel(cfg, replication)
    model.run()
    kpis = outcomes.compute(model)
    return SimpleNamespace(
        cfg=cfg,
        model=model,
        kpis=kpis,
        all=kpis[kpis.group == "all"].set_index("kpi")["value"],
        timeseries=model.datacollector.get_model_vars_dataframe().reset_index(drop=True),
        event_log=model.recorder.event_log() if cfg.run.event_log else None,
        table=model.recorder.table,
        t0=model.results_start,
        t1=model.end_time,
    )


@pytest.fixture(scope="session")
def baseline() -> SimpleNamespace:
    """The small baseline (seed 0, replication 0), run once for the whole session. Read only!"""
    return run_model(compose_config(BASELINE_OVERRIDES), 0)


@pytest.fixture(scope="session")
def model_runner():
    """``model_runner(cfg, replication=0)`` -> namespace with the finished model, KPIs and tables."""
    return run_model


@pytest.fixture
def browser():
    """A headless Chromium (Selenium WebDriver); quits after the test. Without Chromium the test is skipped
    with the reason and the install command, except in CI, where it fails (CI must exercise the pages)."""
    missing = missing_browser_reason()
    if missing is not None:
        if running_in_ci():
            pytest.fail(f"browser test in CI without a browser: {missing}")
        pytest.skip(f"no headless browser here ({missing}); CI runs this test")
    with headless_chromium() as driver:
        yield driver
