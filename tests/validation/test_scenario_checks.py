"""The complex-care team against baseline, with common random numbers (experiments.paired_scenarios).

The stylised facts of the other scenarios this file used to check (ACT, targeted and universal coordinator,
health coach: ``scenario_fact_checks.checks``) are checked by the validation command's reduced run, with the same
rules on 8 replications of 2 years (tests/validation/test_validate.py, experiments/validation/facts.py), so
their simulations run once. Here: 8 replications of 1.5 years on the small catchment.
"""

from __future__ import annotations

import pytest

from experiments.paired_scenarios import compare

REPLICATIONS, YEARS = 8, 1.5


@pytest.fixture(scope="module")
def paired():
    return {p.scenario: p for p in compare(("complex_care_team",), REPLICATIONS, YEARS, "small", seed=0,
                                           progress=lambda _: None)}


def test_complex_care_team_cuts_failed_handoffs_and_delayed_discharges(paired):
    # Symphony (VIVE 2018 l.2226-2227, l.2274): explicit handover to home care; fewer delayed-discharge days.
    diffs = paired["complex_care_team"].kpi_diffs
    assert diffs["delayed_discharge_days_per_1000py"].mean() < 0
    assert diffs["readmissions_30d"].mean() < 0
