"""The hook protocol: the moments at which usual care lets a scenario mechanism act.

Agents never import a mechanism. They call ``model.hooks.<moment>(...)``; :class:`Hooks` passes the call on
to every *active* mechanism that implements that moment, in registry order (``sim.mechanisms.registry``).
A mechanism implements a moment by overriding the method of :class:`Mechanism` with the same name; the
base methods are the usual-care answers, so a mechanism implements only the moments it changes.

How the answers of several mechanisms combine is part of each hook (its docstring says which): *notify*
(every one is called), *chain* (each gets the previous one's value), *first* (the first definite answer
wins), *sum* or *any*. The order of calls is the registry order, so it is part of the results: random
draws happen inside hooks, and reordering the registry can change them.

The moments, in the order a patient meets them:

=============================  ================================================================  =========
hook                           called from                                                        combines
=============================  ================================================================  =========
``add_agents()``               ``CareModel``, once care owners and population exist               notify
``clinic_opened(clinic)``      ``OutpatientClinic.__init__``, when its books are open             notify
``at_entry(patient)``          ``CareModel`` when a patient enters the catchment                   notify
``start_results(now)``         ``CareModel`` at the start of the results window                    notify
``seeks_care_elsewhere``       ``Patient`` at a moderate deterioration (a SimPy generator)         first
``seek_care_probability``      ``Patient`` deciding to seek care for a moderate deterioration      chain
``takes_moderate_call``        ``Patient`` before booking the GP for a moderate deterioration      first
``handles_crisis_at_home``     ``Patient`` at an acute deterioration, before anything else         first
``before_ed``                  ``Patient`` at an acute deterioration (a SimPy generator)           first
``length_of_stay``             ``HospitalWard.admit``, after drawing the planned stay              chain
``at_admission``               ``HospitalWard.admit``, once the patient has a place               any
``alignment_days``             ``HospitalWard.admit``, when the patient is ready to go            sum
``p_inpatient_stabilises``     ``Patient`` after the stay                                          chain
``discharge_coordinators``     ``discharge_handoffs``: who coordinates this discharge             concat
``handoff_failure_probabilities``       ``discharge_handoffs``: each handoff's failure probability         chain
``repair_handoffs``            ``discharge_handoffs``: after the handoffs are drawn               notify
``coordinator_misses_patient`` a coordinator's link to the patient (called by mechanisms)        any
``repair_succeeds``            a coordinator's repair of a failing handoff (called by mechanisms)  first
``after_handoffs``             ``discharge_handoffs``: after the handoffs are recorded             notify
``after_discharge``            ``Patient`` once home from hospital                                 notify
``books_control``              ``OutpatientClinic.book_control``: a slot other than the book's     first
``hands_over_at_control``      ``OutpatientClinic.attend_control``, the patient attended           first
``replaces_next_control``      ``OutpatientClinic.attend_control``, before booking the next       first
``switch_offer_probability``   offering another follow-up at a control (called by mechanisms)      chain
``at_exit``                    ``Patient`` leaving the catchment (death or move)                   notify
=============================  ================================================================  =========

**Configuration.** A built-in mechanism reads its sections of the schema (``config_sections``, e.g.
``scenario.coordinator``) from ``self.model.cfg``. A mechanism registered from outside ``sim/`` brings its own
section: ``config_schema``, a dataclass of :func:`sim.config.param` fields, filled from
``scenario.plugins.<name>`` (a scenario file's ``plugins: {<name>: {...}}``, or
``+scenario.plugins.<name>.<key>=...`` on the command line) with the schema's defaults for missing keys. Each
instance has it parsed as ``self.settings`` (None without a ``config_schema``); such a plug-in is active in a
scenario that gives its section (a baseline without it is usual care). Validation
(:func:`sim.validated.validate`) runs every registered mechanism's :meth:`Mechanism.config_problems` once the
config's own checks pass: by default it refuses unknown keys and checks the section like any built-in one
(:func:`sim.config.check_section`, keys named ``scenario.plugins.<name>.<key>``); a mechanism with rules that
combine several values overrides it (the capacity moves check their calendar). What a check resolves and
every replication can reuse (the capacity calendar's plan) it returns from :meth:`Mechanism.check_config`;
the validated config keeps it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ..config import ConfigError, check_section, section_from
from ..kpi import KPI, CostItem, FactTable, Measure

if TYPE_CHECKING:
    from ..agents.discharge import DischargeHandoffs
    from ..config import SimConfig
    from ..agents.hospital import HospitalWard
    from ..agents.outpatient_clinic import OutpatientClinic
    from ..agents.patient import Patient
    from ..model import CareModel

TO_ED = "ed"  # before_ed's usual-care answer: the acute deterioration goes to the emergency department


class Mechanism:
    """A scenario mechanism: what it declares, and the moments (hooks) at which it acts.

    Subclasses set the class attributes and override the hooks they need. The model builds one instance per
    replication (``Mechanism(model)``) before any agent exists, so ``__init__`` may read ``model.cfg`` and
    ``model.streams`` only; agents and processes are made in :meth:`add_agents`.
    """

    name: ClassVar[str]                                # unique; also ``model.<name>`` for readers of results
    config_sections: ClassVar[tuple[str, ...]] = ()    # dotted paths into the config, e.g. "scenario.coordinator"
    patient_stream_purposes: ClassVar[tuple[str, ...]] = ()  # the patient streams it draws from (sim.streams)
    # what a mechanism registered from outside sim/ records and reports (sim.kpi declarations); the built-in
    # mechanisms keep theirs in sim/facts/<mechanism>.py and sim/outcomes/<mechanism>.py (agents record some
    # of their facts, so those sit below the agents, and the KPI table keeps its historic row order)
    fact_tables: ClassVar[tuple[FactTable, ...]] = ()  # rows: model.recorder.fact(Record(...))
    kpis: ClassVar[tuple[KPI, ...]] = ()               # after the built-in KPIs in the KPI table
    cost_items: ClassVar[tuple[CostItem, ...]] = ()    # priced per patient, added after the built-in items
    measures: ClassVar[tuple[Measure, ...]] = ()       # window measures its KPIs and cost items share
    # a plug-in's own config section (scenario.plugins.<name>): a dataclass of sim.config.param() fields
    config_schema: ClassVar[type | None] = None

    def __init__(self, model: CareModel):
        self.model = model
        # the parsed plug-in section (scenario.plugins.<name>), or None for a mechanism without config_schema
        self.settings: Any = None if self.config_schema is None else type(self).settings_from(model.cfg)

    # -- configuration (class-level: validation runs before any model exists) ------------------------------
    @classmethod
    def settings_from(cls, cfg: SimConfig) -> Any:
        """The mechanism's ``scenario.plugins.<name>`` section of ``cfg`` as an instance of ``config_schema`` (its
        defaults for missing keys); None when it declares no schema. A section :meth:`config_problems` refuses
        raises :class:`sim.config.ConfigError`."""
        if cls.config_schema is None:
            return None
        settings, problems = section_from(cls.config_schema, cfg.scenario.plugins.get(cls.name), cls._plugin_prefix())
        if problems:
            raise ConfigError(problems)
        return settings

    @classmethod
    def config_problems(cls, cfg: SimConfig) -> list[str]:
        """What is wrong with ``cfg`` for this mechanism, one line per problem naming the key in full ([] when
        all is well). Validation calls it once every value of the config is in range and the config's own
        cross-field rules pass. Default: the problems of the plug-in section (unknown keys, wrong types, values
        outside their declared range); [] without a ``config_schema``. Override it to add rules of your own:
        start from ``super().config_problems(cfg)`` and, when that is empty, read the section with
        :meth:`settings_from`."""
        if cls.config_schema is None:
            return []
        settings, problems = section_from(cls.config_schema, cfg.scenario.plugins.get(cls.name), cls._plugin_prefix())
        return problems if settings is None else check_section(settings, cls._plugin_prefix())

    @classmethod
    def check_config(cls, cfg: SimConfig) -> tuple[list[str], Any]:
        """:meth:`config_problems`, and what the check resolved from ``cfg`` that every replication can reuse
        (kept by the validated config, ``ValidatedConfig.resolved[name]``). Default: nothing to keep."""
        return cls.config_problems(cfg), None

    @classmethod
    def _plugin_prefix(cls) -> str:
        return f"scenario.plugins.{cls.name}."

    @property
    def active(self) -> bool:
        """Whether the model dispatches hooks to this mechanism. By default: its first config section's
        ``enabled`` switch; for a plug-in with a ``config_schema``, whether the scenario gives its section
        (``scenario.plugins.<name>``, and its ``enabled`` switch if the schema has one); else always."""
        if not self.config_sections and self.config_schema is not None:
            return self.name in self.model.cfg.scenario.plugins and bool(getattr(self.settings, "enabled", True))
        if not self.config_sections:
            return True
        return bool(getattr(self.section(self.config_sections[0]), "enabled", True))

    def section(self, dotted: str) -> Any:
        """A section of the model's config by its dotted path."""
        node: Any = self.model.cfg
        for part in dotted.split("."):
            node = node[part] if isinstance(node, dict) else getattr(node, part)
        return node

    # -- model lifecycle ----------------------------------------------------------------------------
    def add_agents(self) -> None:
        """Build the mechanism's agents and start its processes (care owners and population exist)."""

    def clinic_opened(self, clinic: OutpatientClinic) -> None:
        """An outpatient clinic has opened its appointment books (called from its constructor)."""

    def at_entry(self, patient: Patient) -> None:
        """A patient entered the catchment (the prevalent caseload at t=0, then incident patients)."""

    def start_results(self, now: float) -> None:
        """The results window starts: restart time-weighted counters."""

    def at_exit(self, patient: Patient) -> None:
        """The patient leaves the catchment (death or move)."""

    # -- the patient's path ---------------------------------------------------------------------------
    def seeks_care_elsewhere(self, patient: Patient, condition: int, escalate_at: float):
        """SimPy generator: a moderate deterioration the patient takes somewhere other than usual care (e.g. the
        clinic on needs-based follow-up). Returns ``(outcome, goes_acute)``, ``"no_contact"`` if the patient
        then seeks no care, or None for usual care (first answer that is not None wins)."""
        return None
        yield  # a generator, so callers can ``yield from`` it

    def seek_care_probability(self, patient: Patient, p: float) -> float:
        """Probability of seeking care for a moderate deterioration (chain)."""
        return p

    def takes_moderate_call(self, patient: Patient) -> str | None:
        """Someone other than the GP takes the call about a moderate deterioration: its name, else None."""
        return None

    def handles_crisis_at_home(self, patient: Patient, condition: int) -> bool:
        """An acute deterioration handled at home before it reaches any acute service."""
        return False

    def before_ed(self, patient: Patient, condition: int, referred_by_gp: bool):
        """SimPy generator: where an acute deterioration goes; ``TO_ED`` is usual care (first other answer wins)."""
        return TO_ED
        yield  # a generator, so callers can ``yield from`` it

    def length_of_stay(self, patient: Patient, ward: HospitalWard, condition: int, los: float) -> float:
        """The planned length of stay in days (chain)."""
        return los

    def at_admission(self, patient: Patient, ward: HospitalWard, now: float) -> bool:
        """The patient has a place; True if home nursing is arranged during the stay (any)."""
        return False

    def alignment_days(self, patient: Patient) -> float:
        """Days the ready patient keeps the bed while the discharge is aligned (sum)."""
        return 0.0

    def p_inpatient_stabilises(self, p: float) -> float:
        """Probability a whole stay ends an unstable phase (chain)."""
        return p

    # -- discharge handoffs (sim.agents.discharge) --------------------------------------------------------
    def discharge_coordinators(self, patient: Patient) -> list:
        """The agents coordinating this patient's discharge (lists of all mechanisms are joined)."""
        return []

    def handoff_failure_probabilities(self, handoffs: DischargeHandoffs, p_gp: float,
                                      p_municipality: float) -> tuple[float, float]:
        """Failure probabilities of the handoffs to the GP and the municipality (chain)."""
        return p_gp, p_municipality

    def repair_handoffs(self, handoffs: DischargeHandoffs) -> None:
        """The handoffs are drawn (``handoffs.failed_gp``, ``failed_municipality``): repair some of them."""

    def coordinator_misses_patient(self, patient: Patient) -> bool:
        """A coordinator who heard of the discharge fails to reach the patient (any)."""
        return False

    def repair_succeeds(self, u: float, p_repair: float, interface: str) -> bool | None:
        """Whether a coordinator's repair with uniform draw ``u`` succeeds; None: no opinion (first)."""
        return None

    def after_handoffs(self, handoffs: DischargeHandoffs) -> None:
        """The handoffs to GP and municipality are recorded: add handoffs and links of the mechanism's own."""

    def after_discharge(self, patient: Patient, condition: int) -> None:
        """The patient is home from a hospital stay for ``condition``."""

    # -- outpatient controls ------------------------------------------------------------------------------
    def books_control(self, clinic: OutpatientClinic, first: int) -> int | None:
        """A fixed control due from day ``first``: the day of a slot booked elsewhere than the clinic's ordinary
        book (e.g. its reserve), or None to book as usual (first)."""
        return None

    def hands_over_at_control(self, clinic: OutpatientClinic, patient: Patient) -> bool:
        """At an attended control: True if the patient's follow-up left the clinic (no next control)."""
        return False

    def replaces_next_control(self, clinic: OutpatientClinic, patient: Patient) -> bool:
        """Before booking the next fixed control: True if something else replaces it."""
        return False

    def switch_offer_probability(self, clinic: OutpatientClinic, p: float) -> float:
        """Probability a clinic offers a patient judged able to self-manage another form of follow-up (chain)."""
        return p


NOT_HOOKS = frozenset({"section", "settings_from", "config_problems", "check_config"})
HOOKS: tuple[str, ...] = tuple(name for name, value in vars(Mechanism).items()
                               if callable(value) and not name.startswith("_") and name not in NOT_HOOKS)


class Hooks:
    """The hooks of one model: each call goes to the active mechanisms that implement it, in registry order."""

    def __init__(self, mechanisms: list[Mechanism]):
        active = [m for m in mechanisms if m.active]
        self.implementers: dict[str, list] = {
            hook: [getattr(m, hook) for m in active if getattr(type(m), hook) is not getattr(Mechanism, hook)]
            for hook in HOOKS}
        for hook, implementers in self.implementers.items():
            setattr(self, f"_{hook}", implementers)

    def add_agents(self) -> None:
        for hook in self._add_agents:
            hook()

    def clinic_opened(self, clinic: OutpatientClinic) -> None:
        for hook in self._clinic_opened:
            hook(clinic)

    def at_entry(self, patient: Patient) -> None:
        for hook in self._at_entry:
            hook(patient)

    def start_results(self, now: float) -> None:
        for hook in self._start_results:
            hook(now)

    def at_exit(self, patient: Patient) -> None:
        for hook in self._at_exit:
            hook(patient)

    def seeks_care_elsewhere(self, patient: Patient, condition: int, escalate_at: float):
        """SimPy generator: the first mechanism that gives an answer (not None) decides."""
        for hook in self._seeks_care_elsewhere:
            answer = yield from hook(patient, condition, escalate_at)
            if answer is not None:
                return answer
        return None

    def seek_care_probability(self, patient: Patient, p: float) -> float:
        for hook in self._seek_care_probability:
            p = hook(patient, p)
        return p

    def takes_moderate_call(self, patient: Patient) -> str | None:
        for hook in self._takes_moderate_call:
            taken_by = hook(patient)
            if taken_by is not None:
                return taken_by
        return None

    def handles_crisis_at_home(self, patient: Patient, condition: int) -> bool:
        return any(hook(patient, condition) for hook in self._handles_crisis_at_home)

    def before_ed(self, patient: Patient, condition: int, referred_by_gp: bool):
        """SimPy generator: the first mechanism that sends the patient elsewhere than the ED decides."""
        for hook in self._before_ed:
            entry = yield from hook(patient, condition, referred_by_gp)
            if entry != TO_ED:
                return entry
        return TO_ED

    def length_of_stay(self, patient: Patient, ward: HospitalWard, condition: int, los: float) -> float:
        for hook in self._length_of_stay:
            los = hook(patient, ward, condition, los)
        return los

    def at_admission(self, patient: Patient, ward: HospitalWard, now: float) -> bool:
        arranged = False
        for hook in self._at_admission:  # every mechanism hears of the admission
            arranged = hook(patient, ward, now) or arranged
        return arranged

    def alignment_days(self, patient: Patient) -> float:
        days = 0.0
        for hook in self._alignment_days:
            days += hook(patient)
        return days

    def p_inpatient_stabilises(self, p: float) -> float:
        for hook in self._p_inpatient_stabilises:
            p = hook(p)
        return p

    def discharge_coordinators(self, patient: Patient) -> list:
        return [agent for hook in self._discharge_coordinators for agent in hook(patient)]

    def handoff_failure_probabilities(self, handoffs: DischargeHandoffs, p_gp: float,
                                      p_municipality: float) -> tuple[float, float]:
        for hook in self._handoff_failure_probabilities:
            p_gp, p_municipality = hook(handoffs, p_gp, p_municipality)
        return p_gp, p_municipality

    def repair_handoffs(self, handoffs: DischargeHandoffs) -> None:
        for hook in self._repair_handoffs:
            hook(handoffs)

    def coordinator_misses_patient(self, patient: Patient) -> bool:
        return any(hook(patient) for hook in self._coordinator_misses_patient)

    def repair_succeeds(self, u: float, p_repair: float, interface: str) -> bool:
        for hook in self._repair_succeeds:
            succeeds = hook(u, p_repair, interface)
            if succeeds is not None:
                return succeeds
        return u < p_repair

    def after_handoffs(self, handoffs: DischargeHandoffs) -> None:
        for hook in self._after_handoffs:
            hook(handoffs)

    def after_discharge(self, patient: Patient, condition: int) -> None:
        for hook in self._after_discharge:
            hook(patient, condition)

    def books_control(self, clinic: OutpatientClinic, first: int) -> int | None:
        for hook in self._books_control:
            day = hook(clinic, first)
            if day is not None:
                return day
        return None

    def switch_offer_probability(self, clinic: OutpatientClinic, p: float) -> float:
        for hook in self._switch_offer_probability:
            p = hook(clinic, p)
        return p

    def hands_over_at_control(self, clinic: OutpatientClinic, patient: Patient) -> bool:
        return any(hook(clinic, patient) for hook in self._hands_over_at_control)

    def replaces_next_control(self, clinic: OutpatientClinic, patient: Patient) -> bool:
        return any(hook(clinic, patient) for hook in self._replaces_next_control)
