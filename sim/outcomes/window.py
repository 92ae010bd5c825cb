"""The results window: per-patient activity as named measures, each computed once on first use.

A measure is an array indexed by person id (or a filtered fact table) over ``[t0, t1]``. The core measures
are the properties below; a mechanism declares its own as :class:`sim.kpi.Measure` and they are read the
same way, ``window.<name>``. KPI formulas and cost items read measures; none is computed unless one needs it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Iterable

import numpy as np
import pandas as pd

from ..agents.ward_pressure import NOT_ADMITTED
from ..kpi import Measure, overlap
from .tables import LATE, MISSED, admissions_table

if TYPE_CHECKING:
    from ..model import CareModel


class Window:
    """Per-patient activity in the results window ``[t0, t1]`` of a finished (or running) model."""

    def __init__(self, model: CareModel, t0: float | None = None, t1: float | None = None,
                 measures: Iterable[Measure] | None = None):
        if measures is None:
            from .declarations import all_measures  # the default: every declared measure (imported late: it imports this module)
            measures = all_measures()
        self.model = model
        self.rec = model.recorder
        self.n = len(model.population)
        self.t0 = model.results_start if t0 is None else t0
        self.t1 = model.end_time if t1 is None else t1
        self.measures = {m.name: m for m in measures}

    def __getattr__(self, name: str):
        # only called for names that are not (yet) attributes: a declared measure, computed and kept
        measures = self.__dict__.get("measures", {})
        if name not in measures:
            raise AttributeError(f"{type(self).__name__} has no measure {name!r}")
        value = measures[name].compute(self)
        self.__dict__[name] = value
        return value

    def span(self, t0: float, t1: float) -> Window:
        """The same model and measures over another window (e.g. one results year)."""
        return Window(self.model, t0, t1, self.measures.values())

    # -- helpers ---------------------------------------------------------------------------------------
    def count(self, person_ids) -> np.ndarray:
        ids = np.asarray(person_ids, dtype=np.int64)
        return np.bincount(ids[ids >= 0], minlength=self.n).astype(float)

    def total(self, person_ids, values) -> np.ndarray:
        ids = np.asarray(person_ids, dtype=np.int64)
        vals = np.asarray(values, dtype=float)
        keep = ids >= 0
        return np.bincount(ids[keep], weights=vals[keep], minlength=self.n)

    def table_between(self, name: str, column: str = "time") -> pd.DataFrame:
        """Rows of a fact table whose ``column`` lies in the window."""
        table = self.rec.table(name)
        return table[table[column].between(self.t0, self.t1)]

    # -- exposure --------------------------------------------------------------------------------------
    @cached_property
    def leave(self) -> np.ndarray:
        """When each person left the catchment (the window's end if still there)."""
        exits = self.rec.table("exits")
        leave = np.full(self.n, self.t1)
        leave[exits.person_id.to_numpy()] = exits.time.to_numpy()
        return leave

    @cached_property
    def exposure_days(self) -> np.ndarray:
        entries = self.rec.table("entries")
        entry = np.full(self.n, np.inf)
        entry[entries.person_id.to_numpy()] = entries.time.to_numpy()
        return overlap(entry, self.leave, self.t0, self.t1)

    @cached_property
    def present(self) -> np.ndarray:
        return self.exposure_days > 0

    @cached_property
    def deaths(self) -> np.ndarray:
        exits = self.rec.table("exits")
        return np.bincount(exits.person_id[(exits.reason == "death") & exits.time.between(self.t0, self.t1)], minlength=self.n)

    # -- disease course and general practice ------------------------------------------------------------
    @cached_property
    def deteriorations_table(self) -> pd.DataFrame:
        return self.table_between("deteriorations")

    @cached_property
    def deteriorations(self) -> np.ndarray:
        return self.count(self.deteriorations_table.person_id)

    @cached_property
    def missed(self) -> np.ndarray:
        det = self.deteriorations_table
        return self.count(det.person_id[det.outcome.isin(MISSED)])

    @cached_property
    def late(self) -> np.ndarray:
        det = self.deteriorations_table
        return self.count(det.person_id[det.outcome.isin(LATE)])

    @cached_property
    def detections(self) -> np.ndarray:
        return self.count(self.table_between("detections").person_id)

    @cached_property
    def gp_table(self) -> pd.DataFrame:
        return self.table_between("gp_contacts", "seen")

    @cached_property
    def gp_contacts(self) -> np.ndarray:
        return self.count(self.gp_table.person_id)

    @cached_property
    def gp_deterioration_contacts(self) -> pd.DataFrame:
        return self.gp_table[self.gp_table.kind == "deterioration"]

    @cached_property
    def gp_wait_sum(self) -> np.ndarray:
        gp = self.gp_deterioration_contacts
        return self.total(gp.person_id, gp.seen - gp.requested)

    @cached_property
    def gp_wait_n(self) -> np.ndarray:
        return self.count(self.gp_deterioration_contacts.person_id)

    # -- the hospital ------------------------------------------------------------------------------------
    @cached_property
    def ed_table(self) -> pd.DataFrame:
        return self.table_between("ed_visits")

    @cached_property
    def ed_visits(self) -> np.ndarray:
        return self.count(self.ed_table.person_id)

    @cached_property
    def admissions_table(self) -> pd.DataFrame:
        """Every stay of the run, background included, open stays ending now."""
        return admissions_table(self.model)

    @cached_property
    def admissions_all(self) -> pd.DataFrame:
        """Stays (background included) that found a bed in the window."""
        adm = self.admissions_table
        return adm[adm.admitted.between(self.t0, self.t1)]

    @cached_property
    def patient_admissions(self) -> pd.DataFrame:
        """The chronic patients' admissions over the whole run (a wait that ended without a bed is none)."""
        adm = self.admissions_table[self.admissions_table.person_id >= 0]
        return adm[~adm.place.isin(NOT_ADMITTED)]

    @cached_property
    def admissions_in_window(self) -> pd.DataFrame:
        adm = self.patient_admissions
        return adm[adm.admitted.between(self.t0, self.t1)]

    @cached_property
    def admissions(self) -> np.ndarray:
        return self.count(self.admissions_in_window.person_id)

    @cached_property
    def boarding_sum(self) -> np.ndarray:
        adm = self.admissions_in_window
        return self.total(adm.person_id, (adm.admitted - adm.arrival) * 24.0)

    @cached_property
    def bed_days_each(self) -> np.ndarray:
        """Each patient admission's bed days in the window (aligned with ``patient_admissions``)."""
        adm = self.patient_admissions
        return overlap(adm.admitted.to_numpy(), adm.left.to_numpy(), self.t0, self.t1)

    @cached_property
    def delayed_days_each(self) -> np.ndarray:
        adm = self.patient_admissions
        return overlap(adm.ready.to_numpy(), adm.left.to_numpy(), self.t0, self.t1)

    @cached_property
    def bed_days(self) -> np.ndarray:
        return self.total(self.patient_admissions.person_id, self.bed_days_each)

    @cached_property
    def delayed_days(self) -> np.ndarray:
        return self.total(self.patient_admissions.person_id, self.delayed_days_each)
