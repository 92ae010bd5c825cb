"""The sweep's tidy tables: the schema the sweep writes and the comparison reads."""

import pandas as pd
import pytest

from experiments.tables import KPI_COLUMNS, SERIES_KEYS, parameters_label, read_tables, tidy_kpis, tidy_series, write_tables
from sim.hydra_app import compose_config
from sim.runner import run_replication


@pytest.fixture(scope="module")
def one_run():
    cfg = compose_config(["population=small", "run.years=0.2", "run.warmup_days=10", "run.event_log=false"])
    return cfg, run_replication(cfg, 3)


def test_parameters_label_is_canonical():
    assert parameters_label(["b=2", "a=1"]) == parameters_label(["a=1", "b=2"]) == "a=1,b=2"
    assert parameters_label([]) == ""


def test_round_trip_keeps_schema_and_values(one_run, tmp_path):
    cfg, result = one_run
    kpis = tidy_kpis(result, cfg, "x=1")
    series = tidy_series(result, cfg, "x=1")
    assert tuple(kpis.columns) == KPI_COLUMNS
    assert tuple(series.columns[:len(SERIES_KEYS)]) == SERIES_KEYS
    assert set(kpis.replication) == {3} and set(series.replication) == {3}
    write_tables(tmp_path, kpis, series, {"replications": 1})
    kpis2, series2, meta = read_tables(tmp_path)
    pd.testing.assert_frame_equal(kpis2, kpis.reset_index(drop=True))
    pd.testing.assert_frame_equal(series2, series.reset_index(drop=True))
    assert meta == {"replications": 1}


def test_unfinished_or_malformed_tables_are_refused(one_run, tmp_path):
    cfg, result = one_run
    with pytest.raises(FileNotFoundError, match="not a finished sweep"):
        read_tables(tmp_path)
    with pytest.raises(ValueError, match="lacks columns"):
        write_tables(tmp_path, tidy_kpis(result, cfg).drop(columns=["unit"]), None, {})
