"""Buffered columnar records: fact tables for outcomes and an event log in the vidigi convention.

Agents append plain tuples (cheap); tables become pandas DataFrames once, at the end of a run, column
by column into their declared dtypes (no row-wise object inference), and are cached until a row is added.
No per-event DataFrame is ever built.

Event-log columns follow vidigi (``entity_id, event_type, event, time, resource_id, run``) with
``event_type`` one of ``arrival_departure``, ``queue``, ``resource_use``, ``resource_use_end``;
``pathway`` names the agent where it happened.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EVENT_LOG_COLUMNS = ("entity_id", "event_type", "event", "time", "resource_id", "pathway", "run")

# Fact tables: name -> (column, dtype) pairs. The outcome module computes every KPI from these.
_I, _F, _B, _S = "int64", "float64", "bool", "object"
FACT_SCHEMA: dict[str, tuple[tuple[str, str], ...]] = {
    "entries": (("person_id", _I), ("time", _F)),
    "exits": (("person_id", _I), ("time", _F), ("reason", _S)),
    "deteriorations": (("person_id", _I), ("time", _F), ("condition", _I), ("unstable", _B), ("outcome", _S)),
    "gp_contacts": (("person_id", _I), ("practice", _I), ("requested", _F), ("seen", _F), ("kind", _S), ("referred", _B)),
    "gp_background": (("day", _I), ("contacts", _I), ("referred", _I)),
    "ed_visits": (("person_id", _I), ("time", _F), ("admitted", _B)),
    # one row per completed stay; stays still open are added at analysis time (HospitalWard.open_stay_rows)
    # place: "ward" (this ward's beds, corridor beds included), "other_ward" (a bed lent by another ward of the
    # hospital), "other_hospital" (placed elsewhere, paid by the region), "died_waiting" (died waiting for a
    # bed: the wait is on the record, the row is no admission); arrival = decision to admit, admitted = bed found
    "admissions": (("person_id", _I), ("ward", _S), ("condition", _I), ("arrival", _F), ("admitted", _F),
                   ("ready", _F), ("left", _F), ("place", _S)),
    "outpatient": (("person_id", _I), ("clinic", _I), ("kind", _S), ("requested", _F), ("appointment", _F), ("attended", _B)),
    "outpatient_background": (("clinic", _I), ("requested", _F), ("appointment", _F), ("count", _I)),
    "handoffs": (("person_id", _I), ("time", _F), ("target", _S), ("failed", _B)),
    "home_nursing": (("person_id", _I), ("municipality", _I), ("requested", _F), ("started", _F), ("days", _F)),
    "contacts": (("person_id", _I), ("time", _F), ("actor", _S)),
    "detections": (("person_id", _I), ("time", _F), ("where", _S)),
    "crises_at_home": (("person_id", _I), ("time", _F), ("team", _S)),
    "switches": (("person_id", _I), ("time", _F), ("condition", _I)),
    "pro_questionnaires": (("person_id", _I), ("clinic", _I), ("time", _F), ("answered", _B), ("unstable", _B), ("flagged", _B)),
    "handoff_repairs": (("person_id", _I), ("time", _F), ("team", _S), ("target", _S)),
    # one row per discharge home: what the patient left with (the specialisation mechanism's outcome; also in usual care)
    "transitions": (("person_id", _I), ("time", _F), ("handoffs", _I), ("failed_handoffs", _I), ("coordinators", _I),
                    ("coordinator_links", _I), ("failed_links", _I), ("unstable", _B), ("adverse", _B)),
    "structural_fixes": (("time", _F), ("interface", _S)),
    # capacity moves: stays ended early when ward beds closed; controls handed over to general practice
    "closure_discharges": (("person_id", _I), ("ward", _S), ("time", _F), ("days_early", _F), ("ready", _B)),
    # overload (sim/agents/ward_pressure.py): stays a full ward ended early to make room; deaths during an
    # episode, by where the patient was; new referrals seen elsewhere under the 30-day right (person -1:
    # background referrals, count people), and controls booked later than due
    "pressure_discharges": (("person_id", _I), ("ward", _S), ("time", _F), ("days_early", _F), ("ready", _B)),
    "deaths_in_care": (("person_id", _I), ("time", _F), ("place", _S)),
    "referrals_elsewhere": (("person_id", _I), ("clinic", _I), ("requested", _F), ("seen", _F), ("count", _I)),
    "control_transfers": (("person_id", _I), ("condition", _I), ("time", _F), ("outcome", _S)),
    # scenario acute alternatives (sim/scenarios/acute_alternatives.py): patients sent to a municipal acute bed
    # (accepted False: every bed was taken, so the ED), completed municipal stays (open ones are added at
    # analysis time, MunicipalAcuteUnit.open_stay_rows), and enquiries the discharging ward handled
    "municipal_acute_referrals": (("person_id", _I), ("municipality", _I), ("time", _F), ("route", _S), ("accepted", _B)),
    "municipal_acute_stays": (("person_id", _I), ("municipality", _I), ("condition", _I), ("route", _S), ("start", _F),
                              ("end", _F), ("transferred", _B)),
    "ward_enquiries": (("person_id", _I), ("time", _F), ("ward", _S), ("source", _S), ("outcome", _S)),
    # one row per closed case of a team; open cases are added at analysis time (CareTeam.open_case_rows)
    "team_cases": (("team", _S), ("person_id", _I), ("referred", _F), ("started", _F), ("ended", _F), ("reason", _S),
                   ("pam_start", _I), ("pam_end", _I)),
}
FACT_TABLES: dict[str, tuple[str, ...]] = {name: tuple(c for c, _ in cols) for name, cols in FACT_SCHEMA.items()}


def _column(values: tuple, dtype: str) -> np.ndarray:
    if dtype == _S:  # left to pandas' inference below, exactly as from_records did
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.array(values, dtype=dtype)


def typed_frame(name: str, rows: list[tuple]) -> pd.DataFrame:
    """A fact table as a DataFrame with its declared dtypes (also when empty).

    Numeric columns are built straight into their declared dtype, text columns go through the same
    inference and ``astype`` as ``DataFrame.from_records(rows).astype(dtypes)``: the same frame, without
    pandas turning every row into an object array first (that took most of the KPI computation's time).
    """
    schema = FACT_SCHEMA[name]
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    if len(columns) != len(schema):
        raise ValueError(f"fact table {name!r}: rows have {len(columns)} fields, the schema has {len(schema)}")
    df = pd.DataFrame({c: _column(values, t) for (c, t), values in zip(schema, columns)})
    return df.astype({c: t for c, t in schema})


class Recorder:
    """Collects fact rows and (optionally) the event log of one replication."""

    def __init__(self, replication: int = 0, event_log: bool = True):
        self.replication = replication
        self.facts: dict[str, list[tuple]] = {name: [] for name in FACT_TABLES}
        self._tables: dict[str, tuple[int, pd.DataFrame]] = {}  # name -> (rows when built, frame)
        self.event_log_enabled = event_log
        self._events: list[tuple] = []

    def fact(self, table: str, *row) -> None:
        self.facts[table].append(row)

    def event(self, entity_id: int, event_type: str, event: str, time: float, resource_id=None, pathway: str = "") -> None:
        if self.event_log_enabled:
            self._events.append((entity_id, event_type, event, time, resource_id, pathway))

    def table(self, name: str) -> pd.DataFrame:
        """The fact table as a DataFrame; built once and reused until rows are added (the KPIs read
        each table for the results window and again for each results year)."""
        rows = self.facts[name]
        cached = self._tables.get(name)
        if cached is None or cached[0] != len(rows):
            cached = (len(rows), typed_frame(name, rows))
            self._tables[name] = cached
        # a shallow copy: with pandas copy-on-write, a caller that modifies it never changes the cache
        return cached[1].copy(deep=False)

    def release(self) -> None:
        """Drop every row and cached table (after the results have been computed)."""
        for rows in self.facts.values():
            rows.clear()
        self._tables.clear()
        self._events.clear()

    def event_log(self) -> pd.DataFrame:
        df = pd.DataFrame.from_records(self._events, columns=list(EVENT_LOG_COLUMNS[:-1]))
        df["resource_id"] = pd.array(df["resource_id"], dtype="Int64")
        df["run"] = self.replication
        for col in ("event_type", "event", "pathway"):
            df[col] = df[col].astype("category")
        return df
