"""What the specialisation mechanism produces (sim/scenarios/specialisation.py): what a patient leaves
hospital with (the ``transitions`` table is recorded in usual care too) and the slow loop's structural
fixes. Formulas read the results window (``w``) or a patient group's measures (``g``)."""

from __future__ import annotations

from ..kpi import KPI, Measure, ratio


def _transitions_total(column: str):
    return lambda w: w.total(w.transitions_table.person_id, w.transitions_table[column])


def _transitions_where(column: str):
    return lambda w: w.count(w.transitions_table.person_id[w.transitions_table[column]])


MEASURES: tuple[Measure, ...] = (
    Measure("transitions_table", lambda w: w.table_between("transitions")),
    Measure("transitions", lambda w: w.count(w.transitions_table.person_id)),
    Measure("adverse_transitions", _transitions_where("adverse")),
    Measure("untreated_at_discharge", _transitions_where("unstable")),
    Measure("transition_handoffs", _transitions_total("handoffs")),
    Measure("transition_coordinators", _transitions_total("coordinators")),
    Measure("coordinator_links", _transitions_total("coordinator_links")),
    Measure("failed_coordinator_links", _transitions_total("failed_links")),
)

# what a patient leaves hospital with (the specialisation dilemma, sim/scenarios/specialisation.py)
GROUP_KPIS: tuple[KPI, ...] = (
    KPI("adverse_transition_share", "share of discharges", "discharges home after which the patient left with an untreated unstable phase, a failed handoff or a failed coordinator link", "group",
        lambda g: ratio(g.sum(g.w.adverse_transitions), g.sum(g.w.transitions))),
    KPI("untreated_at_discharge_share", "share of discharges", "discharges home with the unstable phase that led to the admission still untreated (inpatient quality)", "group",
        lambda g: ratio(g.sum(g.w.untreated_at_discharge), g.sum(g.w.transitions))),
    KPI("handoffs_per_discharge", "handoffs per discharge", "handoffs a discharge needs: to the GP, to home nursing and to the specialised hospital units above the reference level", "group",
        lambda g: ratio(g.sum(g.w.transition_handoffs), g.sum(g.w.transitions))),
    KPI("coordinators_per_discharge", "coordinators per discharge", "coordinating teams (coordinators, complex-care team) the patient had at a discharge", "group",
        lambda g: ratio(g.sum(g.w.transition_coordinators), g.sum(g.w.transitions))),
    KPI("coordinator_interfaces_per_discharge", "links per discharge", "patient-coordinator links plus links among the patient's coordinators (M-1 in a chain, M(M-1)/2 when all must align) at a discharge", "group",
        lambda g: ratio(g.sum(g.w.coordinator_links), g.sum(g.w.transitions))),
    KPI("failed_coordinator_link_share", "share of coordinator links", "share of patient-coordinator and coordinator-coordinator links that failed at discharges (only with the specialisation mechanism on)", "group",
        lambda g: ratio(g.sum(g.w.failed_coordinator_links), g.sum(g.w.coordinator_links))),
)
SYSTEM_KPIS: tuple[KPI, ...] = (
    KPI("structural_fixes", "fixes", "interface types management fixed structurally after coordinators reported system-level problems, in the results window (specialisation mechanism's slow loop)", "system",
        lambda w: float(w.rec.table("structural_fixes").time.between(w.t0, w.t1).sum())),
)
