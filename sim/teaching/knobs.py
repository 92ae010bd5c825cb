"""The teaching page's knobs and plotted measures, each declared once.

A :class:`Knob` binds one control on the page to one config key (``sim/config/`` is authoritative for
names and allowed ranges; a knob's range is the part of it worth showing students). Adding a knob is one
line in :data:`KNOBS`: the page's controls, the model's keywords and the page's knob table follow from it.
A :class:`Measure` names one plotted series and where it comes from (a KPI of ``sim.outcomes`` over the
results window so far, or a daily level of the model's data collector).
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass
from typing import Any, Callable

from ..config import ConfigError
from ..config import SpecialisationConfig

# The knobs' defaults are the first block of the lesson (docs/guides/teachers.md): usual care's specialisation
# level with no coordinators, the small catchment, one year, seed 0.
# The teaching preset: the specialisation mechanism on (at its reference level with no coordinators it is
# usual care exactly), no event log or time series files (nothing is written), a 90-day warm-up (MSER-5
# found 80 days enough for the small catchment, see run.warmup_days in sim/config/run.py). The population is a
# knob; the small catchment (40,000 inhabitants, about 4,600 chronic patients) runs a year in about 2 s.
PRESET: tuple[str, ...] = ("scenario.specialisation.enabled=true", "run.warmup_days=90", "run.event_log=false",
                           "run.timeseries=false")

DAYS_PER_STEP = 30  # one press of Step = one simulated month

# the diffusion knob switches between none and the mechanism's default size (research/buch-and-slides.md §4.4
# curve 5 compares δ = 0 with δ = 0.2)
DIFFUSION_ON = SpecialisationConfig().diffusion


def _config_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return str(value)


@dataclass(frozen=True)
class Knob:
    """One control on the page bound to config keys (usually one; ``to_config`` maps the control's value
    to the keys' values when it sets several or translates, e.g. 0 coordinators = coordinators off)."""

    name: str  # keyword argument of TeachingModel
    keys: tuple[str, ...]  # dotted config keys the value overrides
    label: str
    default: Any
    help: str
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    to_config: Callable[[Any], tuple[Any, ...]] | None = None

    @property
    def widget(self) -> str:
        """The SolaraViz input type (``mesa.visualization.solara_viz.UserInputs``)."""
        if self.choices:
            return "Select"
        if isinstance(self.default, bool):
            return "Checkbox"
        if isinstance(self.default, int):
            return "SliderInt"
        return "SliderFloat"

    def user_param(self) -> dict[str, Any]:
        """The ``model_params`` entry SolaraViz turns into this knob's input."""
        param: dict[str, Any] = {"type": self.widget, "label": self.label, "value": self.default}
        if self.choices:
            param["values"] = list(self.choices)
        elif self.widget != "Checkbox":
            param.update(min=self.lo, max=self.hi, step=self.step)
        return param

    @property
    def short(self) -> str:
        """The knob's name in a legend: its label without the explanation in brackets."""
        return self.label.split(" (")[0].lower()

    def shown(self, value: Any) -> str:
        """A value as a legend shows it."""
        if isinstance(value, bool):
            return "on" if value else "off"
        return f"{value:g}" if isinstance(value, float) else str(value)

    def overrides(self, value: Any) -> list[str]:
        """The Hydra overrides setting this knob's keys for the control's ``value``."""
        values = self.to_config(value) if self.to_config is not None else (value,)
        return [f"{key}={_config_text(v)}" for key, v in zip(self.keys, values, strict=True)]


def _coordinators(per_patient: Any) -> tuple[bool, int]:
    """0 coordinators = coordinators off; n = n coordinator functions per patient (config range 1-10)."""
    return (int(per_patient) > 0, max(1, int(per_patient)))


KNOBS: tuple[Knob, ...] = (
    Knob("specialisation", ("scenario.specialisation.level",), "Specialisation (units per condition)", 2,
         "hospital units each condition passes through; 2 is usual care. More units: better care inside each, "
         "but more handoffs that fail more often as people know each other less", lo=1, hi=6, step=1),
    Knob("coordinators", ("scenario.coordinator.enabled", "scenario.coordinator.functions"),
         "Coordinators per patient (0 = none)", 0,
         "coordinator functions that take the same patient (each with its own staff and caseload); 0 = usual care",
         lo=0, hi=6, step=1, to_config=_coordinators),
    Knob("coordinator_kind", ("scenario.coordinator.kind",), "Design (holistic = generic, specialised = per disease)",
         "holistic", "holistic: generic coordinators; specialised: one disease-specific coordinator per condition, "
         "so a patient with three conditions has three (then 'coordinators per patient' must be 1)",
         choices=("holistic", "specialised")),
    Knob("coordinator_links", ("scenario.specialisation.coordinator_links",), "Coordinators must agree",
         "sequential", "sequential: each hands over to the next (M-1 links); mesh: all must align (M(M-1)/2 links)",
         choices=("sequential", "mesh")),
    Knob("diffusion", ("scenario.specialisation.diffusion",), "Responsibility diffusion", True,
         f"on: with a coordinator present the units' own handoffs fail {1 + DIFFUSION_ON:g} times as often "
         "(others leave coordination to the coordinator); off: they do not",
         to_config=lambda on: (DIFFUSION_ON if on else 0.0,)),
    Knob("case_days", ("scenario.coordinator.case_days",), "Case length (days, 0 = open-ended)", 180,
         "goal-defined cases close after this many days; open-ended cases (0) never close, so the queue grows",
         lo=0, hi=360, step=30),
    Knob("management", ("scenario.specialisation.management_responsiveness",), "Management fixes reported problems",
         0.0, "probability per quarterly review that management fixes an interface type coordinators reported "
         "system-level problems on (0 = nobody listens)", lo=0.0, hi=1.0, step=0.1),
    Knob("targeting", ("scenario.coordinator.targeting",), "Who gets a coordinator", "high_tier",
         "high-risk patients at discharge (complex patients) ... every chronic patient (mostly simple ones)",
         choices=("high_tier", "high_or_moderate_tier", "prior_use", "everyone")),
    Knob("staff_per_100k", ("scenario.coordinator.staff_per_100k",), "Coordinator staff per 100,000 inhabitants", 10,
         "FTE per coordinator function; 0 with coordinators on is rejected by the model's validation",
         lo=0, hi=100, step=5),
    Knob("caseload_per_staff", ("scenario.coordinator.caseload_per_staff",), "Cases per coordinator", 40,
         "active cases one coordinator carries (places = staff x caseload)", lo=10, hi=150, step=10),
    Knob("population", ("population",), "Population", "small",
         "small: 40,000 inhabitants, about 4,600 chronic patients (a year in seconds); randers: 225,000 "
         "(a year in about 20 s)", choices=("small", "randers")),
    Knob("years", ("run.years",), "Years to simulate", 1.0,
         "length of the results window (after a 90-day warm-up)", lo=0.5, hi=3.0, step=0.5),
    Knob("seed", ("seed",), "Seed", 0,
         "random seed; the same seed gives the same patients and events in every design (common random numbers)",
         lo=0, hi=9, step=1),
)

# Free-text Hydra overrides applied after the knobs, for keys without a knob (advanced use). This is also
# where an out-of-range value can reach the model: the page shows validate()'s message instead of crashing.
EXTRA_OVERRIDES = "extra_overrides"
EXTRA_OVERRIDES_PARAM = {"type": "InputText", "label": "Extra overrides (key=value ...)", "value": ""}

KNOB_BY_NAME: dict[str, Knob] = {k.name: k for k in KNOBS}


def knob_values(given: dict[str, Any]) -> dict[str, Any]:
    """Every knob's value (defaults for those not given); unknown names are a programming error."""
    unknown = sorted(set(given) - set(KNOB_BY_NAME) - {EXTRA_OVERRIDES})
    if unknown:
        raise TypeError(f"unknown teaching knob(s): {', '.join(unknown)}; known: {', '.join(KNOB_BY_NAME)}")
    values = {k.name: given.get(k.name, k.default) for k in KNOBS}
    values[EXTRA_OVERRIDES] = given.get(EXTRA_OVERRIDES, "") or ""
    return values


def overrides(values: dict[str, Any]) -> list[str]:
    """The Hydra overrides of a teaching run: the preset, then the knobs, then the extra overrides."""
    text = str(values.get(EXTRA_OVERRIDES, "") or "")
    try:
        extra = shlex.split(text)
    except ValueError as exc:  # e.g. an unclosed quote
        raise ConfigError([f"extra overrides {text!r}: {exc}; write key=value pairs separated by spaces"]) from None
    return [*PRESET, *(o for k in KNOBS for o in k.overrides(values[k.name])), *extra]


def model_params() -> dict[str, dict[str, Any]]:
    """SolaraViz ``model_params``: one input per knob plus the extra-overrides field."""
    return {**{k.name: k.user_param() for k in KNOBS}, EXTRA_OVERRIDES: dict(EXTRA_OVERRIDES_PARAM)}


@dataclass(frozen=True)
class Measure:
    """One plotted series: a KPI over the results window so far, or a daily level."""

    column: str  # column of TeachingModel.datacollector
    label: str
    unit: str
    kpi: str | None = None  # KPI name (sim.outcomes) of patient group ``group``
    group: str = "all"
    daily: str | None = None  # column of CareModel.datacollector (the current day's level)
    team_kpi: str | None = None  # KPI of the coordinator teams (group "team=coordinator*"), case-weighted
    y_max: float = 1.0  # the top of its plot's y axis (fixed, so a line does not jump as the scale moves;
    #                     raised to a round number only when a run goes above it)


MEASURES: tuple[Measure, ...] = (
    # the dilemma's outcome, for all patients and for simple and complex ones (the optimum moves with
    # complexity: research/buch-and-slides.md §4.4 curve 3)
    Measure("adverse_transitions", "Adverse transitions, all patients", "share of discharges",
            kpi="adverse_transition_share", y_max=1.0),
    Measure("adverse_transitions_1_condition", "Adverse transitions, 1 condition", "share of discharges",
            kpi="adverse_transition_share", group="conditions=1", y_max=1.0),
    Measure("adverse_transitions_3_conditions", "Adverse transitions, 3+ conditions", "share of discharges",
            kpi="adverse_transition_share", group="conditions=3+", y_max=1.0),
    Measure("readmission_rate_30d", "30-day readmissions", "share of discharges", kpi="readmission_rate_30d", y_max=0.25),
    Measure("handoffs_per_discharge", "Handoffs per discharge", "interfaces per discharge", kpi="handoffs_per_discharge", y_max=12.0),
    Measure("coordinator_links_per_discharge", "Coordinator links per discharge", "interfaces per discharge",
            kpi="coordinator_interfaces_per_discharge", y_max=12.0),
    Measure("coordinator_waiting_list", "Waiting for a coordinator (today)", "patients", daily="team_waiting_list", y_max=100.0),
    Measure("coordinator_intake_wait_days", "Wait for a coordinator (mean)", "days", team_kpi="team_intake_wait_mean_days", y_max=60.0),
    Measure("cost_per_patient_year_dkk", "Cost per patient-year", "DKK", kpi="cost_per_patient_year_dkk", y_max=35_000.0),
)

# The plots: a title and the measures drawn together (same unit); every measure is in exactly one plot.
PLOTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Adverse transitions (share of discharges)",
     ("adverse_transitions", "adverse_transitions_1_condition", "adverse_transitions_3_conditions")),
    ("30-day readmissions (share of discharges)", ("readmission_rate_30d",)),
    ("Interfaces per discharge", ("handoffs_per_discharge", "coordinator_links_per_discharge")),
    ("Waiting for a coordinator today (patients)", ("coordinator_waiting_list",)),
    ("Mean wait for a coordinator (days)", ("coordinator_intake_wait_days",)),
    ("Cost per patient-year (DKK)", ("cost_per_patient_year_dkk",)),
)
MEASURE_BY_COLUMN: dict[str, Measure] = {m.column: m for m in MEASURES}
