"""Buffered columnar records: fact tables for outcomes and an event log in the vidigi convention.

Agents append named records (``sim.facts``; a record is a tuple, so appending stays cheap); tables become
pandas DataFrames once, at the end of a run, column by column into their declared dtypes (no row-wise object
inference), and are cached until a row is added.
No per-event DataFrame is ever built.

Event-log columns follow vidigi (``entity_id, event_type, event, time, resource_id, run``) with
``event_type`` one of ``arrival_departure``, ``queue``, ``resource_use``, ``resource_use_end``;
``pathway`` names the agent where it happened.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from collections.abc import Iterable

from .facts import all_fact_tables
from .kpi import FactTable

EVENT_LOG_COLUMNS = ("entity_id", "event_type", "event", "time", "resource_id", "pathway", "run")

# Fact tables: name -> (column, dtype) pairs, assembled from the declared record types (sim.facts).
FACT_SCHEMA: dict[str, tuple[tuple[str, str], ...]] = {table.name: table.columns for table in all_fact_tables()}
FACT_TABLES: dict[str, tuple[str, ...]] = {name: tuple(c for c, _ in cols) for name, cols in FACT_SCHEMA.items()}


def _column(values: tuple, dtype: str) -> np.ndarray:
    if dtype == "object":  # left to pandas' inference below, exactly as from_records did
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.array(values, dtype=dtype)


def typed_frame(name: str, rows: list[tuple], schema: tuple[tuple[str, str], ...] | None = None) -> pd.DataFrame:
    """A fact table as a DataFrame with its declared dtypes (also when empty).

    Numeric columns are built straight into their declared dtype, text columns go through the same
    inference and ``astype`` as ``DataFrame.from_records(rows).astype(dtypes)``: the same frame, without
    pandas turning every row into an object array first (that took most of the KPI computation's time).
    ``schema`` is the table's ``(column, dtype)`` pairs; by default the built-in table's.
    """
    schema = FACT_SCHEMA[name] if schema is None else schema
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    if len(columns) != len(schema):
        raise ValueError(f"fact table {name!r}: rows have {len(columns)} fields, the schema has {len(schema)}")
    df = pd.DataFrame({c: _column(values, t) for (c, t), values in zip(schema, columns)})
    return df.astype({c: t for c, t in schema})


class Recorder:
    """Collects fact rows and (optionally) the event log of one replication.

    ``tables`` are the fact tables it accepts (default: the built-in ones, :func:`sim.facts.all_fact_tables`);
    the model passes the registry's, which add the tables of mechanisms registered from outside ``sim``.
    """

    def __init__(self, replication: int = 0, event_log: bool = True, tables: Iterable[FactTable] | None = None):
        self.replication = replication
        tables = tuple(all_fact_tables() if tables is None else tables)
        self.schema: dict[str, tuple[tuple[str, str], ...]] = {table.name: table.columns for table in tables}
        self.facts: dict[str, list[tuple]] = {table.name: [] for table in tables}
        # record type -> its table's rows: an append is one dict lookup (about a million per large replication)
        self._rows_of = {table.record: self.facts[table.name] for table in tables}
        self._tables: dict[str, tuple[int, pd.DataFrame]] = {}  # name -> (rows when built, frame)
        self.event_log_enabled = event_log
        self._events: list[tuple] = []

    def fact(self, row: tuple) -> None:
        """Append a row: a record of a declared fact table, built with keywords (``sim.facts``)."""
        self._rows_of[type(row)].append(row)

    def event(self, entity_id: int, event_type: str, event: str, time: float, resource_id=None, pathway: str = "") -> None:
        if self.event_log_enabled:
            self._events.append((entity_id, event_type, event, time, resource_id, pathway))

    def table(self, name: str) -> pd.DataFrame:
        """The fact table as a DataFrame; built once and reused until rows are added (the KPIs read
        each table for the results window and again for each results year)."""
        rows = self.facts[name]
        cached = self._tables.get(name)
        if cached is None or cached[0] != len(rows):
            cached = (len(rows), typed_frame(name, rows, self.schema[name]))
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
