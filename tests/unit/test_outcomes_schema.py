"""The KPI frame of the shared small baseline against the schema in sim.outcomes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.config import CONDITIONS
from sim.costs import PAYERS
from sim.facts import all_fact_tables
from sim.kpi import KPI, SCOPES, Measure, ratio
from sim.outcomes import KPI_BY_NAME, KPI_SCHEMA, all_kpis, all_measures, compute
from sim.recorder import FACT_SCHEMA
from sim.population import TIERS

GROUP_KPIS = [k.name for k in KPI_SCHEMA if k.scope == "group"]
SYSTEM_KPIS = [k.name for k in KPI_SCHEMA if k.scope == "system"]
SUBGROUPS = ([f"tier={t}" for t in TIERS] + [f"condition={c}" for c in CONDITIONS] + ["vulnerable=yes", "vulnerable=no"]
             + ["conditions=1", "conditions=2", "conditions=3+"])

# rates that a two-year baseline of ~4,700 patients must produce (each rests on hundreds of events)
MUST_EXIST = [
    "patients", "patient_years", "deteriorations_per_1000py", "gp_contacts_per_1000py", "gp_wait_mean_days",
    "ed_visits_per_1000py", "acute_admissions_per_1000py", "bed_days_per_1000py", "readmission_rate_30d",
    "boarding_wait_mean_hours", "outpatient_visits_per_1000py", "failed_handoff_share",
    *[f"cost_{p}_dkk" for p in PAYERS], "cost_total_dkk", "cost_per_patient_year_dkk",
    *(k for k in SYSTEM_KPIS if k not in ("municipal_acute_bed_utilisation",)),
]


def test_schema_is_consistent():
    names = [k.name for k in KPI_SCHEMA]
    assert len(names) == len(set(names))
    assert all(k.scope in SCOPES and k.unit and k.description for k in KPI_SCHEMA)


def test_tidy_frame_columns(baseline):
    kpis = baseline.kpis
    assert list(kpis.columns) == ["group", "kpi", "value", "unit"]
    assert not kpis.duplicated(["group", "kpi"]).any()
    assert (kpis.unit == kpis.kpi.map(lambda k: KPI_BY_NAME[k].unit)).all()
    assert kpis.value.dtype.kind == "f"


def test_group_all_has_exactly_the_schema(baseline):
    # team KPIs appear only in groups team=<name> when a scenario adds teams, move KPIs only in groups
    # move=<name> when the capacity calendar has moves (neither in the baseline), queue KPIs in queue=<name>
    got = baseline.kpis.loc[baseline.kpis.group == "all", "kpi"]
    assert sorted(got) == sorted(k.name for k in KPI_SCHEMA if k.scope not in ("team", "move", "queue"))
    assert not baseline.kpis.group.str.startswith("team=").any()


@pytest.mark.parametrize("group", SUBGROUPS)
def test_group_scope_kpis_for_every_group(baseline, group):
    got = baseline.kpis.loc[baseline.kpis.group == group, "kpi"]
    assert sorted(got) == sorted(GROUP_KPIS), "group KPIs only (system KPIs are overall)"


QUEUES = ["medical_ward_boarding", "psychiatric_ward_boarding", "home_nursing_waiting", "gp_same_day_lead",
          *[f"outpatient_{c}_lead" for c in CONDITIONS]]


def test_groups_are_exactly_all_tiers_conditions_vulnerability_multimorbidity_and_queues(baseline):
    assert set(baseline.kpis.group) == {"all", *SUBGROUPS, *(f"queue={q}" for q in QUEUES)}


def test_every_queue_has_the_queue_kpis(baseline):
    queue_kpis = sorted(k.name for k in KPI_SCHEMA if k.scope == "queue")
    for q in QUEUES:
        got = baseline.kpis.loc[baseline.kpis.group == f"queue={q}", "kpi"]
        assert sorted(got) == queue_kpis, q


def test_no_unexpected_nan_for_all(baseline):
    values = baseline.all
    missing = [k for k in MUST_EXIST if not np.isfinite(values[k])]
    assert not missing, f"NaN/inf for group 'all': {missing}"
    assert values["acute_admissions_per_1000py"] > 0 and values["readmission_rate_30d"] > 0
    assert values["cost_total_dkk"] > 0
    # a share of municipal acute beds is undefined without beds (they exist only in a scenario)
    assert np.isnan(values["municipal_acute_bed_utilisation"])


@pytest.mark.parametrize("group", ["all", *SUBGROUPS])
def test_costs_by_payer_sum_to_total(baseline, group):
    v = baseline.kpis[baseline.kpis.group == group].set_index("kpi").value
    assert sum(v[f"cost_{p}_dkk"] for p in PAYERS) == pytest.approx(v["cost_total_dkk"], rel=1e-9)
    assert v["cost_per_patient_year_dkk"] == pytest.approx(v["cost_total_dkk"] / v["patient_years"], rel=1e-9)


def test_tiers_partition_all(baseline):
    """Every patient is in exactly one risk tier: counts, patient-years and costs add up to 'all'."""
    k = baseline.kpis.set_index(["group", "kpi"]).value
    for name in ("patients", "patient_years", "deaths", "readmissions_30d", "cost_total_dkk"):
        assert sum(k[(f"tier={t}", name)] for t in TIERS) == pytest.approx(k[("all", name)], rel=1e-9), name
    # a multimorbid patient counts in each of their conditions: condition groups cover at least 'all'
    assert sum(k[(f"condition={c}", "patients")] for c in CONDITIONS) >= k[("all", "patients")]


def test_patient_count_matches_fact_tables(baseline):
    """'patients' = chronic patients present at some time in the results window."""
    entries = baseline.table("entries").set_index("person_id").time
    exits = baseline.table("exits").set_index("person_id").time.reindex(entries.index).fillna(np.inf)
    present = (entries < baseline.t1) & (exits > baseline.t0)
    assert baseline.all["patients"] == present.sum()


def test_shares_are_shares(baseline):
    for name in ("readmission_rate_30d", "rtt_compliance", "failed_handoff_share", "gp_referral_fraction",
                 "rtt_compliance_all", "cost_share_top_4pct", "high_cost_persistence", "medical_bed_occupancy",
                 "psychiatric_bed_occupancy", "gp_utilisation", "outpatient_utilisation", "home_nursing_utilisation"):
        assert 0.0 <= baseline.all[name] <= 1.0, name


def test_every_declaration_has_a_formula_and_a_known_scope():
    assert all(callable(k.formula) and k.scope in SCOPES for k in KPI_SCHEMA)
    assert list(KPI_SCHEMA) == list(all_kpis()), "the schema is the assembled declarations, in the table's order"


def test_a_kpi_is_one_declaration(baseline):
    """A KPI added as one declaration (and one new measure) appears in every patient group with its unit,
    computed from the same window measures as the built-in KPIs, which stay exactly as they were."""
    visits = Measure("ed_visits_admitted", lambda w: w.count(w.ed_table.person_id[w.ed_table.admitted]))
    share = KPI("ed_admitted_share", "share of ED visits", "ED visits that led to an admission", "group",
                lambda g: ratio(g.sum(g.w.ed_visits_admitted), g.sum(g.w.ed_visits)))
    kpis = compute(baseline.model, kpis=(*all_kpis(), share), measures=(*all_measures(), visits))
    extra = kpis[kpis.kpi == "ed_admitted_share"]
    assert sorted(extra.group) == sorted(["all", *SUBGROUPS]) and (extra.unit == "share of ED visits").all()
    ed = baseline.table("ed_visits")
    ed = ed[ed.time.between(baseline.t0, baseline.t1) & (ed.person_id >= 0)]
    assert extra.set_index("group").value["all"] == pytest.approx(ed.admitted.mean(), rel=1e-12)
    pd.testing.assert_frame_equal(kpis[kpis.kpi != "ed_admitted_share"].reset_index(drop=True), baseline.kpis)


def test_fact_schema_is_assembled_from_the_record_types():
    tables = all_fact_tables()
    assert [t.name for t in tables] == list(FACT_SCHEMA) and len({t.record for t in tables}) == len(tables)
    for table in tables:
        assert tuple(c for c, _ in FACT_SCHEMA[table.name]) == table.record._fields
    assert dict(FACT_SCHEMA["ed_visits"]) == {"person_id": "int64", "time": "float64", "admitted": "bool"}
