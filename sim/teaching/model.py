"""TeachingModel: the Mesa-facing wrapper SolaraViz builds from the page's knobs.

SolaraViz creates a model as ``TeachingModel(**knobs)`` and calls ``step()``; it cannot pass a config
object. This wrapper composes the config from the knobs (``sim.hydra_app.compose_config``, which validates),
builds the unchanged ``CareModel`` through ``sim.runner.build_model``, runs its warm-up, and then advances
it one month per step. After each step it reads the KPIs of the results window so far from ``sim.outcomes.compute`` (the same code as every
other run, restricted to the plotted patient groups and the teams; 0.1-0.3 s for the small catchment) and
records them in its own ``DataCollector``, one row per
step, which the page plots.

Bad input never raises out of the constructor or ``step()``: a config the model rejects (an out-of-range
value, an impossible combination, a malformed override) is kept in ``error`` with the validation message,
and ``running`` is False, so the page shows the message and keeps serving.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import mesa
import pandas as pd
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from .. import outcomes
from ..config import ConfigError
from ..hydra_app import compose_validated
from ..model import CareModel
from ..runner import build_model
from .knobs import DAYS_PER_STEP, MEASURES, Measure, knob_values, overrides

log = logging.getLogger(__name__)

PLOTTED_GROUPS = tuple(sorted({m.group for m in MEASURES if m.kpi is not None}))

# Errors that mean "this input cannot be run" (validate(), Hydra's override parser, omegaconf's type checks):
# logged in one line. Anything else is a defect and is logged with its traceback (the page shows both).
INPUT_ERRORS = (ConfigError, HydraException, OmegaConfBaseException)


class TeachingModel(mesa.Model):
    """One teaching run: ``CareModel`` with the page's knobs, stepped a month at a time."""

    def __init__(self, scenario: Any = None, **knobs: Any):
        # SolaraViz's Reset also passes Mesa's experimental ``scenario`` (an empty default); the knobs are this
        # model's scenario, and its randomness comes from the seed knob, so it is not used.
        del scenario
        self.knobs = knob_values(knobs)
        super().__init__(rng=int(self.knobs["seed"]))
        self.error: str | None = None
        self.care: CareModel | None = None
        self.current: dict[str, float] = {m.column: math.nan for m in MEASURES}
        self.datacollector = mesa.DataCollector(model_reporters={
            "day": lambda m: m.results_day,
            **{measure.column: (lambda m, c=measure.column: m.current[c]) for measure in MEASURES},
        })
        try:
            # Hydra parse errors, omegaconf type errors and ConfigError (validate) all mean "this input cannot
            # be run"; the page shows the message and the server keeps going.
            self.care = build_model(compose_validated(overrides(self.knobs)), replication=0)
            self._run_warmup()
            self._read_daily()
        except Exception as exc:  # noqa: BLE001 - any failure to build is shown on the page, not raised
            self._fail("The model cannot run with these settings", exc)
        self.datacollector.collect(self)

    # -- state the page shows -------------------------------------------------------------------------
    @property
    def results_day(self) -> float:
        """Days of the results window simulated so far (0 right after the warm-up)."""
        return 0.0 if self.care is None else self.care.env.now - self.care.results_start

    @property
    def results_days(self) -> float:
        return 0.0 if self.care is None else self.care.end_time - self.care.results_start

    def series(self) -> pd.DataFrame:
        """The plotted series, one row per step (row 0: end of warm-up)."""
        return self.datacollector.get_model_vars_dataframe()

    # -- running ------------------------------------------------------------------------------------------
    def _run_warmup(self) -> None:
        care = self.care
        for _ in range(care.warmup_days):  # build_model opened the results window if there is no warm-up
            care.step()

    def step(self) -> None:
        """Advance the care model one month (the last step stops at the end of the run)."""
        care = self.care
        if care is None or self.error is not None:
            self.running = False
            return
        try:
            target = min(care.end_time, care.env.now + DAYS_PER_STEP)
            while care.env.now < target:
                care.step()
            self._read_kpis()
            self._read_daily()
        except Exception as exc:  # noqa: BLE001 - a failing run is reported on the page, not raised
            self._fail("The run stopped with an error", exc)
        self.running = self.error is None and care.env.now < care.end_time
        self.datacollector.collect(self)

    def _fail(self, what: str, exc: Exception) -> None:
        log.warning("teaching page: %s: %s", what, exc, exc_info=None if isinstance(exc, INPUT_ERRORS) else exc)
        self.error = f"{what}: {_explain(exc)}"
        self.running = False

    # -- reading results ------------------------------------------------------------------------------------
    def _read_kpis(self) -> None:
        care = self.care
        kpis = outcomes.compute(care, t1=care.env.now, groups=PLOTTED_GROUPS)
        by_group = kpis.set_index(["group", "kpi"])["value"]
        teams = kpis[kpis.group.str.startswith("team=coordinator")]
        for measure in MEASURES:
            if measure.kpi is not None:
                self.current[measure.column] = float(by_group.get((measure.group, measure.kpi), math.nan))
            elif measure.team_kpi is not None:
                self.current[measure.column] = _case_weighted(teams, measure)

    def _read_daily(self) -> None:
        today = self.care.datacollector.get_model_vars_dataframe()
        for measure in MEASURES:
            if measure.daily is not None:
                self.current[measure.column] = float(today[measure.daily].iloc[-1]) if len(today) else math.nan


def _explain(exc: BaseException) -> str:
    """The exception's message followed by its causes' (Hydra wraps omegaconf's "could not be converted")."""
    parts: list[str] = []
    while exc is not None and len(parts) < 4:
        text = str(exc).strip()
        if text and all(text not in p for p in parts):
            parts.append(text)
        exc = exc.__cause__
    return "\n".join(parts)


def _case_weighted(team_kpis: pd.DataFrame, measure: Measure) -> float:
    """A coordinator-team KPI over all coordinator services (one per condition in the specialised design),
    weighted by the cases each started; NaN when no coordinator started a case."""
    wide = team_kpis.pivot(index="group", columns="kpi", values="value")
    if wide.empty:
        return math.nan
    cases = wide["team_cases_started"]
    values = wide[measure.team_kpi]
    used = cases > 0
    return float((values[used] * cases[used]).sum() / cases[used].sum()) if used.any() else math.nan
