"""What a plug-in declares is checked when it is registered or assembled: a clash with a built-in name, an
unknown KPI scope or payer, a cost item priced twice or not at all, a column type the recorder cannot store."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from sim.kpi import KPI, CostItem, FactTable, Measure
from sim.mechanisms import Mechanism, registry
from sim.outcomes import all_cost_items, all_kpis, all_measures, kpi_by_name
from sim.outcomes.declarations import DeclarationError


class Visit(NamedTuple):
    person_id: int
    time: float


class Odd(NamedTuple):
    person_id: int
    when: complex


def _mechanism(**declared) -> type[Mechanism]:
    return type("Declared", (Mechanism,), {"name": "declared", **declared})


@pytest.fixture
def register():
    added = []

    def add(**declared):
        mechanism = _mechanism(**declared)
        registry.register(mechanism)
        added.append(mechanism)
        return mechanism
    yield add
    for mechanism in added:
        registry.unregister(mechanism)


def test_fact_tables_are_assembled_after_the_built_in_ones(register):
    register(fact_tables=(FactTable("visits", Visit),))
    assert registry.fact_tables()[-1] == FactTable("visits", Visit)


@pytest.mark.parametrize("table, message", [
    (FactTable("admissions", Visit), "a fact table named 'admissions' already exists"),
    (FactTable("odd", Odd), "column type"),
    (("visits", Visit), "must hold sim.kpi.FactTable"),
])
def test_a_bad_fact_table_is_refused_at_registration(table, message):
    with pytest.raises((registry.RegistryError, TypeError), match=message):
        registry.register(_mechanism(fact_tables=(table,)))
    assert "declared" not in {m.name for m in registry.registered()}


def test_a_plugin_kpi_is_found_by_name_after_the_built_in_ones(register):
    kpi = KPI("visits_per_1000py", "per 1,000 patient-years", "visits", "group", lambda g: 0.0)
    assert "visits_per_1000py" not in kpi_by_name()
    register(kpis=(kpi,))
    assert all_kpis()[-1] is kpi and kpi_by_name()["visits_per_1000py"] is kpi


@pytest.mark.parametrize("kpi, message", [
    (KPI("readmission_rate_30d", "share", "a clash", "group", lambda g: 0.0), "already exists"),
    (KPI("visits", "count", "no such scope", "ward", lambda g: 0.0), "allowed scopes are"),
    (KPI("visits", "count", "no formula", "group"), "with a formula"),
])
def test_a_bad_plugin_kpi_is_refused_by_name(register, kpi, message):
    register(kpis=(kpi,))
    with pytest.raises(DeclarationError, match=message):
        all_kpis()


@pytest.mark.parametrize("item, message", [
    (CostItem("ed_visits", "visits", "hospital", "ed_visit", activity=lambda w: 0), "already exists"),
    (CostItem("visits", "visits", "patients", "ed_visit", activity=lambda w: 0), "payers are"),
    (CostItem("visits", "visits", "hospital", "ed_visit"), "with an activity"),
])
def test_a_bad_plugin_cost_item_is_refused_by_name(register, item, message):
    register(cost_items=(item,))
    with pytest.raises(DeclarationError, match=message):
        all_cost_items()


def test_a_cost_item_is_priced_by_a_key_or_by_its_mechanism_not_both():
    with pytest.raises(ValueError, match="exactly one of unit_cost_key and price"):
        CostItem("visits", "visits", "municipality", "ed_visit", activity=lambda w: 0, price=lambda w: 1.0)
    with pytest.raises(ValueError, match="exactly one of unit_cost_key and price"):
        CostItem("visits", "visits", "municipality", None, activity=lambda w: 0)


@pytest.mark.parametrize("measure, message", [
    (Measure("stays_by_place", lambda w: 0), "a measure named 'stays_by_place' already exists"),
    (("visits", lambda w: 0), "must hold sim.kpi.Measure"),
])
def test_a_bad_plugin_measure_is_refused_by_name(register, measure, message):
    register(measures=(measure,))
    with pytest.raises(DeclarationError, match=message):
        all_measures()
