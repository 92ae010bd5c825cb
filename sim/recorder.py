"""Buffered columnar records: fact tables for outcomes and an event log in the vidigi convention.

Agents append plain tuples (cheap); tables become pandas DataFrames once, at the end of a run.
No per-event DataFrame is ever built.

Event-log columns follow vidigi (``entity_id, event_type, event, time, resource_id, run``) with
``event_type`` one of ``arrival_departure``, ``queue``, ``resource_use``, ``resource_use_end``;
``pathway`` names the agent where it happened.
"""

from __future__ import annotations

import pandas as pd

EVENT_LOG_COLUMNS = ("entity_id", "event_type", "event", "time", "resource_id", "pathway", "run")

# Fact tables: name -> columns. The outcome module computes every KPI from these.
FACT_TABLES: dict[str, tuple[str, ...]] = {
    "entries": ("person_id", "time"),
    "exits": ("person_id", "time", "reason"),
    "deteriorations": ("person_id", "time", "condition", "unstable", "outcome"),
    "gp_contacts": ("person_id", "practice", "requested", "seen", "kind", "referred"),
    "gp_background": ("day", "contacts", "referred"),
    "ed_visits": ("person_id", "time", "admitted"),
    "admissions": ("person_id", "ward", "condition", "arrival", "admitted", "ready", "left"),
    "outpatient": ("person_id", "clinic", "kind", "requested", "appointment", "attended"),
    "outpatient_background": ("clinic", "requested", "appointment", "count"),
    "handoffs": ("person_id", "time", "target", "failed"),
    "home_nursing": ("person_id", "municipality", "requested", "started", "days"),
    "contacts": ("person_id", "time", "actor"),
    "detections": ("person_id", "time", "where"),
}


class Recorder:
    """Collects fact rows and (optionally) the event log of one replication."""

    def __init__(self, replication: int = 0, event_log: bool = True):
        self.replication = replication
        self.facts: dict[str, list[tuple]] = {name: [] for name in FACT_TABLES}
        self.event_log_enabled = event_log
        self._events: list[tuple] = []

    def fact(self, table: str, *row) -> None:
        self.facts[table].append(row)

    def event(self, entity_id: int, event_type: str, event: str, time: float, resource_id=None, pathway: str = "") -> None:
        if self.event_log_enabled:
            self._events.append((entity_id, event_type, event, time, resource_id, pathway))

    def table(self, name: str) -> pd.DataFrame:
        return pd.DataFrame.from_records(self.facts[name], columns=list(FACT_TABLES[name]))

    def event_log(self) -> pd.DataFrame:
        df = pd.DataFrame.from_records(self._events, columns=list(EVENT_LOG_COLUMNS[:-1]))
        df["resource_id"] = pd.array(df["resource_id"], dtype="Int64")
        df["run"] = self.replication
        for col in ("event_type", "event", "pathway"):
            df[col] = df[col].astype("category")
        return df
