"""Names of a sweep's files and folders: where cells, the plan, manifests and errors live. A module of their
own so that the cells (which write them) and the progress line (which counts them) share them without
importing each other."""

CELLS = "cells"
PLAN = "plan.json"        # every job's overrides and cell, written before the first job starts (planning.py)
MANIFEST = "manifest.json"
ERROR = "error.json"
CELL_KPIS = "kpis.parquet"
CELL_SERIES = "timeseries.parquet"
