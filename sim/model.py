"""CareModel: a health cluster's chronic-care pathways as Mesa agents inside a SimPy resource model.

Read top to bottom:

0. **A validated config.** The config is validated on entry (``sim.validated``) unless it comes validated
   already; the capacity calendar's plan that validation resolved is the one the capacity owners build on.
1. **Clock, randomness and mechanisms.** One ``simpy.Environment`` owns time (days) and every queue.
   Mesa's ``model.time`` is kept equal to ``env.now``: ``step()`` advances SimPy by one day and collects
   the daily row. Randomness comes only from named streams (``sim.streams``) for common random numbers.
   The scenario mechanisms are built from the registry (``sim.mechanisms.registry``); agents reach them
   only through the hooks (``model.hooks``, ``sim.mechanisms.hooks``).
2. **Catchment and capacity owners.** General practices (same-day and planned appointment books),
   an emergency department, a medical and a psychiatric ward (beds), one outpatient clinic per
   condition (appointment book), and the municipalities (home-nursing places).
3. **Population.** The prevalent caseload of chronic patients is created at t=0; incident patients
   join at their pre-drawn arrival times. Each patient's life is a SimPy process (``Patient.lifecycle``).
   Before the first patient enters, the mechanisms add their agents (teams, municipal acute beds).
4. **Background demand.** The rest of the population books GP time every weekday, is referred to
   clinics and the ED at the GPs' referral rate, and is admitted to the wards, all without agents.
   When beds or slots run out, wards and clinics act as Danish ones do (corridor beds, discharging the
   most stable patient, beds on other wards or at another hospital, the 30-day right honoured elsewhere;
   ``sim.agents.ward_pressure``), and every queue is watched for growth (``sim.queue_growth``).
5. **Records.** Agents append rows to the recorder; ``sim.outcomes`` turns them into KPIs after the
   run. A warm-up precedes the results window; its length is a parameter diagnosed with MSER-5.
"""

from __future__ import annotations

import logging
import math
import time as wallclock
from typing import Callable

import mesa
import numpy as np
import simpy

from .agents import EmergencyDepartment, GeneralPractice, HospitalWard, Municipality, OutpatientClinic, Patient
from .config import CONDITIONS, SimConfig
from .engine import DayBucketEnvironment
from .population import PatientTable, generate, practice_municipality
from .queue_growth import QueueMonitor
from .mechanisms import registry
from .mechanisms.hooks import Hooks, Mechanism
from .recorder import Recorder
from .streams import Streams
from .facts.core import GpBackgroundDay
from .validated import ValidatedConfig, validate

log = logging.getLogger(__name__)
# Mesa logs every step at INFO; keep Hydra's job log readable.
logging.getLogger("MESA").setLevel(logging.WARNING)

SMI = CONDITIONS.index("smi")


class CareModel(mesa.Model):
    """One replication of one scenario. Build it, then ``run()``; results are in ``self.recorder``."""

    # SimPy's Environment with far-future events parked by day (sim/engine.py): same order, faster heap
    environment_class: type[simpy.Environment] = DayBucketEnvironment

    def __init__(self, cfg: SimConfig | ValidatedConfig, replication: int = 0):
        # 0. a validated config (validated here unless it was already) ----------------------------
        self.validated = validate(cfg)
        cfg = self.cfg = self.validated.config
        # 1. clock, randomness and mechanisms -----------------------------------------------------
        self.replication = replication
        self.streams = Streams(cfg.seed, replication, registry.patient_purposes())
        super().__init__(rng=self.streams.mesa_seed())
        self.env = self.environment_class()
        self.warmup_days = int(round(cfg.run.warmup_days))
        self.results_days = int(round(cfg.run.years * 365.0))
        self.horizon_days = self.warmup_days + self.results_days
        self.results_start = float(self.warmup_days)
        self.end_time = float(self.horizon_days)
        self.recorder = Recorder(replication, event_log=cfg.run.event_log, tables=registry.fact_tables())
        # every registered mechanism, in hook order; inactive ones are built (results read them) but not called
        self.mechanisms: dict[str, Mechanism] = registry.build(self)
        self.hooks = Hooks(list(self.mechanisms.values()))

        # 2. catchment and capacity owners -------------------------------------------------------
        pop, cap = cfg.population, cfg.capacity
        per_1000 = pop.inhabitants / 1000.0
        # the capacity calendar (capacity moves), resolved by validation: each owner builds its capacity over time from it
        self.capacity_plan = self.validated.capacity_plan
        self.municipalities = [
            Municipality(self, m, name, int(round(cap.home_nursing_places_per_1000 * per_1000 * share)))
            for m, (name, share) in enumerate(zip(pop.municipality_names, pop.municipality_shares))
        ]
        practice_muni = practice_municipality(cfg)
        gps_each = pop.general_practitioners / len(practice_muni)
        self.practices = [GeneralPractice(self, i, int(m), gps_each) for i, m in enumerate(practice_muni)]
        self.emergency_department = EmergencyDepartment(self)
        self.medical_ward = HospitalWard(self, "medical_ward", round(cap.medical_beds_per_1000 * per_1000), "bed_day")
        self.psychiatric_ward = HospitalWard(self, "psychiatric_ward", round(cap.psychiatric_beds_per_1000 * per_1000),
                                             "bed_day_psychiatric")
        self.clinics = [OutpatientClinic(self, c, cap.outpatient_slots_per_1000_week[c] * per_1000 / 5.0)
                        for c in range(len(CONDITIONS))]

        # 3. population, and the agents the mechanisms add (teams take patients on as they enter) ---
        self.population: PatientTable = generate(cfg, self.streams.numpy("population"),
                                                 self.streams.numpy("incidence"), self.end_time)
        self.teams: list = []  # teams with places (coordinators, ACT, ...), added by the mechanisms
        self.hooks.add_agents()
        self.patients: dict[int, Patient] = {}  # present patients by person id (kept incrementally)
        self.needs_based_patients = 0  # patient-condition pairs on needs-based follow-up (kept incrementally)
        self.pro_followed_patients = 0  # patient-condition pairs on PRO-triggered follow-up (kept incrementally)
        self.patients_present = 0
        prevalent = np.flatnonzero(self.population.entry_time == 0.0)
        for row in prevalent:
            self._admit_to_catchment(int(row))
        for clinic in self.clinics:  # clinics plan for the follow-up caseload they start with
            clinic.planned_followed = clinic.followed
        self.env.process(self._incidence(np.flatnonzero(self.population.entry_time > 0.0)))

        # 4. background demand -------------------------------------------------------------------
        self._lognormal_params: dict[float, tuple[float, float]] = {}  # mean stay -> (mu, sigma)
        self.env.process(self._gp_background())
        path = cfg.pathways
        for ward, rate, los in ((self.medical_ward, path.background_acute_admissions_per_1000[0], path.background_los_mean_days[0]),
                                (self.psychiatric_ward, path.background_acute_admissions_per_1000[1], path.background_los_mean_days[1])):
            self.env.process(self._background_admissions(ward, rate * per_1000 / 365.0, los))

        # 5. daily data collection (from counters: O(1) per day, no population scans) ------------
        self.datacollector = mesa.DataCollector(model_reporters={
            "day": lambda m: m.env.now,
            "patients": lambda m: m.patients_present,
            "medical_beds_occupied": lambda m: m.medical_ward.occupied.level,
            "psychiatric_beds_occupied": lambda m: m.psychiatric_ward.occupied.level,
            "boarding": lambda m: m.medical_ward.boarding.level + m.psychiatric_ward.boarding.level,
            "corridor_beds": lambda m: m.medical_ward.corridor.level + m.psychiatric_ward.corridor.level,
            "home_nursing_in_use": lambda m: sum(mu.in_use.level for mu in m.municipalities),
            "gp_same_day_lead_days": lambda m: m.mean_lead_days(b.same_day for b in m.practices),
            "outpatient_lead_days": lambda m: m.mean_lead_days(c.book for c in m.clinics),
            "team_caseload": lambda m: sum(len(t.active) for t in m.teams),
            "team_waiting_list": lambda m: sum(len(t.queue) for t in m.teams),
            "needs_based_followups": lambda m: m.needs_based_patients,
            "pro_followups": lambda m: m.pro_followed_patients,
        })
        # every queue's daily level over the results window: is any of them still growing? (sim/queue_growth.py)
        self.queues = QueueMonitor(self)

    # -- population flows --------------------------------------------------------------------------
    def _admit_to_catchment(self, row: int) -> Patient:
        self.patients_present += 1
        patient = Patient(self, self.population, row)
        self.patients[patient.person_id] = patient
        self.hooks.at_entry(patient)
        return patient

    def patients_by_id(self, person_ids):
        return [self.patients[pid] for pid in person_ids]

    def patient_exited(self, patient: Patient) -> None:
        self.patients_present -= 1
        del self.patients[patient.person_id]

    def _incidence(self, rows: np.ndarray):
        entry = self.population.entry_time
        for row in rows:
            yield self.env.timeout(max(0.0, entry[row] - self.env.now))
            self._admit_to_catchment(int(row))

    def ward_for(self, condition: int) -> HospitalWard:
        return self.psychiatric_ward if condition == SMI else self.medical_ward

    # -- background demand ---------------------------------------------------------------------------
    def _gp_background(self):
        """Each weekday: the listed population's routine GP contacts, and the referrals they produce."""
        cfg = self.cfg
        path = cfg.pathways
        rng = self.streams.numpy("gp_background")
        n_practices = len(self.practices)
        per_practice_weekday = cfg.population.inhabitants * path.gp_background_contacts_per_person_year / 365.0 * 7.0 / 5.0 / n_practices
        destinations = np.asarray(path.background_referral_destinations + [max(0.0, 1.0 - sum(path.background_referral_destinations))])
        destinations = destinations / destinations.sum()
        for day in range(self.horizon_days):
            if day % 7 < 5:  # practices are closed at weekends
                contacts = rng.poisson(per_practice_weekday, n_practices)
                same_day = rng.binomial(contacts, path.gp_background_same_day_share)
                for practice, n, s in zip(self.practices, contacts.tolist(), same_day.tolist()):
                    practice.book_background(day, s, n - s)
                total = int(contacts.sum())
                referred = int(rng.binomial(total, path.p_gp_refer_background * cfg.scenario.gp_referral.ratio))
                self.recorder.fact(GpBackgroundDay(day=day, contacts=total, referred=referred))
                routed = rng.multinomial(referred, destinations)
                for clinic, n in zip(self.clinics, routed[: len(CONDITIONS)].tolist()):
                    clinic.book_background(day, n)
                acute = int(routed[len(CONDITIONS)])
                admitted = int(rng.binomial(acute, path.p_admit_from_ed)) if acute else 0
                # GP-referred patients reach the ED from noon over the afternoon (the practices' opening hours)
                for offset in np.sort(rng.random(admitted)).tolist():
                    los = self._background_los(rng, path.background_los_mean_days[0])
                    self.env.process(self._delayed(day + 0.5 + 0.4 * offset - self.env.now,
                                                   self.medical_ward.background_stay, los))
            yield self.env.timeout(1.0)

    def _delayed(self, delay: float, process: Callable, *args):
        yield self.env.timeout(max(0.0, delay))
        yield from process(*args)

    def _background_los(self, rng: np.random.Generator, mean: float) -> float:
        if self.cfg.pathways.background_los_distribution == "exponential":
            return float(rng.exponential(mean))
        params = self._lognormal_params.get(mean)
        if params is None:  # the same expressions, evaluated once per mean instead of once per stay
            cv = self.cfg.pathways.los_cv
            sigma2 = math.log1p(cv * cv)
            params = self._lognormal_params[mean] = (math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))
        return float(rng.lognormal(*params))

    def _background_admissions(self, ward: HospitalWard, rate_per_day: float, mean_los: float):
        """Poisson acute admissions of people outside the modelled caseload."""
        if rate_per_day <= 0:
            return
        rng = self.streams.numpy(f"background_admissions/{ward.name}")
        while True:
            yield self.env.timeout(float(rng.exponential(1.0 / rate_per_day)))
            self.env.process(ward.background_stay(self._background_los(rng, mean_los)))

    # -- running -------------------------------------------------------------------------------------
    def mean_lead_days(self, books) -> float:
        """Days from today to the first free slot, averaged over appointment books."""
        today = int(self.env.now)
        leads = [b.first_free_day(today) - today for b in books]
        return float(sum(leads) / len(leads)) if leads else 0.0

    def step(self) -> None:
        """Advance one day. Mesa has already moved ``self.time`` on by one; SimPy catches up."""
        self.env.run(until=self.time)
        if self.env.now == self.results_start:
            self.start_results()
        if self.env.now > self.results_start:
            self.queues.sample()
        self.datacollector.collect(self)

    def start_results(self) -> None:
        """Open the results window: the monitors start counting from now (run and sim.runner.build_model)."""
        now = self.env.now
        for owner in (self.medical_ward, self.psychiatric_ward):
            owner.occupied.restart(now)
            owner.corridor.restart(now)
            owner.boarding.restart(now)
        for mu in self.municipalities:
            mu.in_use.restart(now)
        self.hooks.start_results(now)

    def __getattr__(self, name: str):
        """A mechanism by its name, e.g. ``model.acute_alternatives`` (only for names that are no attribute)."""
        mechanisms = self.__dict__.get("mechanisms")
        if mechanisms is not None and name in mechanisms:
            return mechanisms[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def run(self, progress: Callable[[str], None] | None = None) -> CareModel:
        """Run warm-up and results window day by day; report progress once per simulated year."""
        if self.warmup_days == 0:
            self.start_results()
        started = wallclock.perf_counter()
        for day in range(1, self.horizon_days + 1):
            self.step()
            if progress and (day % 365 == 0 or day == self.horizon_days):
                progress(f"replication {self.replication}: day {day}/{self.horizon_days} "
                         f"({wallclock.perf_counter() - started:.1f} s, {self.patients_present} patients present)")
        assert self.env.now == self.time == self.end_time, "SimPy and Mesa clocks must agree"
        return self
