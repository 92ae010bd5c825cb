"""The registry: which mechanisms a model builds, in which order, and what they declare together.

The order of the registry is the order in which hooks reach the mechanisms (``sim.mechanisms.hooks``), so it
is part of the results: a new mechanism is appended (``register``), never inserted among the built-in ones.

A mechanism defined outside ``sim/`` is registered with one public call::

    from sim.mechanisms import Mechanism, registry

    class DayCentre(Mechanism):
        name = "day_centre"
        patient_stream_purposes = ("day_centre",)

        def after_discharge(self, patient, condition):
            ...

    registry.register(DayCentre)

A mechanism distributed as a package registers itself through the entry-point group
``chronic_care.mechanisms`` (``[project.entry-points."chronic_care.mechanisms"] day_centre =
"my_package.day_centre:DayCentre"`` in its ``pyproject.toml``): :func:`registered` loads every installed
one once, sorted by entry-point name, so ``python -m sim``, sweeps on any launcher and the report see the
same mechanisms in the same order without an edit to ``sim/``.

A plug-in with settings declares ``config_schema`` (a dataclass of ``sim.config.param()`` fields) and reads
them as ``self.settings``; they come from ``scenario.plugins.<name>``. The registry checks every mechanism's
config (:func:`config_problems`), including that each ``scenario.plugins`` key names a registered mechanism
that takes a section.

Patient stream purposes and fact tables are assembled here. Patient streams are positional (``sim.streams``): the purposes
the built-in model has always had keep their positions (``BUILT_IN_PATIENT_PURPOSES``), and purposes that
plug-ins add come after them, in registration order, so adding a plug-in never changes a draw of the model.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from ..facts import all_fact_tables
from ..kpi import FactTable
from ..streams import PATIENT_PURPOSES, USUAL_CARE_PATIENT_PURPOSES
from .acute_alternatives import AcuteAlternatives
from .capacity_moves import CapacityMoves
from .controls import ValueBasedControls
from .hooks import Mechanism
from .payment_steering import PaymentSteering
from .slot_allocation import SlotAllocation
from .specialisation import SpecialisedPathway
from .teams import Teams, Telemonitoring

if TYPE_CHECKING:
    from ..config import SimConfig
    from ..model import CareModel

# The patient purposes in the positions they have had since they were introduced (sim.streams).
BUILT_IN_PATIENT_PURPOSES: tuple[str, ...] = PATIENT_PURPOSES

# Hooks reach mechanisms in this order: teams act on a discharge before the ward's 72-hour responsibility,
# and the specialised pathway adds its unit handoffs last; at a control, needs-based or PRO-triggered
# follow-up is offered before telemonitoring.
_BUILT_IN: tuple[type[Mechanism], ...] = (Teams, ValueBasedControls, Telemonitoring, AcuteAlternatives,
                                          SpecialisedPathway, SlotAllocation, CapacityMoves, PaymentSteering)
_registered: list[type[Mechanism]] = list(_BUILT_IN)
ENTRY_POINT_GROUP = "chronic_care.mechanisms"
_entry_points_loaded = False


class RegistryError(ValueError):
    """A mechanism that cannot be registered (a clash with one already there, or a missing declaration)."""


def register(mechanism: type[Mechanism]) -> type[Mechanism]:
    """Add a mechanism class after those already registered; returns it, so it can be a class decorator."""
    if not (isinstance(mechanism, type) and issubclass(mechanism, Mechanism)):
        raise RegistryError(f"{mechanism!r} is not a subclass of sim.mechanisms.Mechanism")
    name = getattr(mechanism, "name", None)
    if not isinstance(name, str) or not name.isidentifier():
        raise RegistryError(f"{mechanism.__name__}: a mechanism needs a name that is a Python identifier, got {name!r}")
    if any(m.name == name for m in _registered):
        raise RegistryError(f"a mechanism named {name!r} is already registered")
    taken = {table.name for table in fact_tables()}
    for table in mechanism.fact_tables:
        if not isinstance(table, FactTable):
            raise RegistryError(f"{name}: fact_tables must hold sim.kpi.FactTable declarations, got {table!r}")
        if table.name in taken:
            raise RegistryError(f"{name}: a fact table named {table.name!r} already exists")
        table.columns  # noqa: B018 - raises TypeError naming a column type the recorder cannot store
        taken.add(table.name)
    _registered.append(mechanism)
    return mechanism


def unregister(mechanism: type[Mechanism]) -> None:
    """Remove a plug-in (tests register and remove their own); built-in mechanisms stay."""
    if mechanism in _BUILT_IN:
        raise RegistryError(f"{mechanism.name!r} is built in and cannot be removed")
    _registered.remove(mechanism)


def load_entry_points() -> None:
    """Register every mechanism installed under the entry-point group (once per process, by name)."""
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        mechanism = point.load()
        if mechanism not in _registered:
            register(mechanism)


def registered() -> tuple[type[Mechanism], ...]:
    """The registered mechanism classes, in hook order (installed plug-ins loaded on first use)."""
    load_entry_points()
    return tuple(_registered)


def fact_tables() -> tuple[FactTable, ...]:
    """Every fact table a model records: the built-in ones (``sim.facts``), then each plug-in's."""
    return (*all_fact_tables(), *(table for m in registered() for table in m.fact_tables))


def patient_purposes() -> tuple[str, ...]:
    """Every patient stream purpose, by position: usual care's and the built-in mechanisms' where they have
    always been, then the plug-ins' new ones in registration order."""
    purposes = list(BUILT_IN_PATIENT_PURPOSES)
    declared = set(USUAL_CARE_PATIENT_PURPOSES)
    for mechanism in registered():
        for purpose in mechanism.patient_stream_purposes:
            declared.add(purpose)
            if purpose not in purposes:
                purposes.append(purpose)
    missing = set(BUILT_IN_PATIENT_PURPOSES) - declared
    assert not missing, f"built-in patient purposes nobody declares: {sorted(missing)}"
    return tuple(purposes)


def plugin_key_problems(cfg: SimConfig) -> list[str]:
    """Each ``scenario.plugins`` key must name a registered mechanism that declares a ``config_schema``: a
    section nobody reads (a typo, a plug-in not registered in this process) would silently change nothing."""
    takes_section = sorted(m.name for m in registered() if m.config_schema is not None)
    known = ", ".join(takes_section) or "none"
    problems = []
    for key in cfg.scenario.plugins:
        mechanism = next((m for m in registered() if m.name == key), None)
        if mechanism is None:
            problems.append(f"scenario.plugins.{key}: no mechanism named {key!r} is registered (registered plug-ins: {known})")
        elif mechanism.config_schema is None:
            problems.append(f"scenario.plugins.{key}: the mechanism {key!r} declares no config_schema, so it reads no "
                            f"plug-in section (registered plug-ins: {known})")
    return problems


def check_config(cfg: SimConfig) -> tuple[list[str], dict[str, Any]]:
    """Every registered mechanism's check of ``cfg``, in registry order: the problems (one line each; the
    ``scenario.plugins`` keys first) and, by mechanism name, what each resolved for the run to reuse."""
    problems = plugin_key_problems(cfg)
    resolved: dict[str, Any] = {}
    for mechanism in registered():
        found, kept = mechanism.check_config(cfg)
        problems += found
        if kept is not None:
            resolved[mechanism.name] = kept
    return problems, resolved


def config_problems(cfg: SimConfig) -> list[str]:
    """What every registered mechanism finds wrong with ``cfg`` (see ``Mechanism.config_problems``)."""
    return check_config(cfg)[0]


def build(model: CareModel) -> dict[str, Mechanism]:
    """One instance of every registered mechanism for this model, by name, in hook order."""
    return {mechanism.name: mechanism(model) for mechanism in registered()}
