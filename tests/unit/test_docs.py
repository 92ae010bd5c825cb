"""Generated documentation must match the schema it is generated from."""

from sim import docs
from sim.config import iter_params
from sim.outcomes import KPI_SCHEMA


def test_generated_docs_are_current():
    # Fails when a parameter or KPI changed without `python -m sim.docs` being rerun.
    assert docs.main(["--check"]) == 0


def test_parameter_table_lists_every_parameter_and_kpi():
    params = docs.parameters_markdown()
    for key, _ in iter_params():
        assert f"| `{key}` |" in params, key
    assert "MISSING" not in params, "a preset overrides a value without citing its source"
    kpis = docs.outcomes_markdown()
    for k in KPI_SCHEMA:
        assert f"| `{k.name}` |" in kpis, k.name
