"""Shared fixtures for the test suite.

* ``baseline``: the small catchment (``population=small``), two results years after the default
  warm-up, seed 0, replication 0, run once per session and shared by every test that only reads it.
* ``small_overrides(...)``: dotted overrides for the small catchment plus extras (for ``from_overrides``).
* ``browser``: a headless Chromium driven by Selenium (``tests/browser.py``), for the report and the
  teaching page; a missing browser fails with the install command.
* Tests marked ``@pytest.mark.slow`` (full catchment, long Erlang-C runs) run in ``make test`` and CI;
  ``make test-fast`` leaves them out for a quick local loop.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from sim import outcomes
from sim.config import CONDITIONS
from sim.hydra_app import compose_config
from sim.model import CareModel

from browser import headless_chromium

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
    """A headless Chromium (Selenium WebDriver); quits after the test."""
    with headless_chromium() as driver:
        yield driver
