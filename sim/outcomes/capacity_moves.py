"""What the capacity calendar and capacity moves produce (sim/capacity_calendar.py, sim/scenarios/capacity_moves.py):
capacity cost per owner, the moves' effects (groups ``move=<name>``), closures and handed-over controls.
Formulas read the results window (``w``) or a move's measures (``mv``: ``mv.w`` and ``mv.move``)."""

from __future__ import annotations

from ..capacity_calendar import CAPACITY_OWNERS, capacity_cost, change_cost, level_integral
from ..kpi import KPI, Measure, overlap, ratio


def resource_use(w, resource: str, condition: int, t0: float, t1: float) -> tuple[float, float, float]:
    """(used, available, released) capacity of one calendar resource over [t0, t1): bed days, slots or
    place-days. ``released`` counts sub-acute slots given to the ordinary book unused (they count as available)."""
    model = w.model
    d0, d1 = int(t0), int(t1)
    if resource in ("medical_beds", "psychiatric_beds"):
        ward = model.medical_ward if resource == "medical_beds" else model.psychiatric_ward
        adm = w.admissions_table[(w.admissions_table.ward == ward.name) & (w.admissions_table.place == "ward")]
        used = overlap(adm.admitted.to_numpy(), adm.left.to_numpy(), t0, t1).sum()
        return float(used), level_integral(ward.capacity_levels, t0, t1), 0.0
    if resource in ("outpatient_slots", "subacute_slots"):
        clinic = model.clinics[condition]
        book = clinic.book if resource == "outpatient_slots" else clinic.reserve
        if book is None:
            return 0.0, 0.0, 0.0
        released = float(book.released_between(d0, d1))
        return float(book.booked_between(d0, d1)), float(book.capacity_between(d0, d1)) + released, released
    if resource == "gp_planned_slots":
        used, available = _planned_gp_use(w, t0, t1)
        return float(used), float(available), 0.0
    hn = model.recorder.table("home_nursing")
    started = hn.started.to_numpy(dtype=float)
    used = overlap(started, started + hn.days.to_numpy(dtype=float), t0, t1).sum()
    return float(used), sum(level_integral(mu.capacity_levels, t0, t1) for mu in model.municipalities), 0.0


def _planned_gp_use(w, t0: float | None = None, t1: float | None = None) -> tuple[int, int]:
    d0, d1 = int(w.t0 if t0 is None else t0), int(w.t1 if t1 is None else t1)
    used = available = 0
    for practice in w.model.practices:
        b, c = practice.planned_utilisation(d0, d1)
        used, available = used + b, available + c
    return used, available


def _control_transfers(w):
    return w.table_between("control_transfers")


def _move_effects(mv) -> dict[str, float]:
    """What one capacity move did: its cost at both ends and the utilisation of both ends after it."""
    w, move = mv.w, mv.move
    changes = (move.source, *move.receivers)
    costs = [change_cost(c, w.t0, w.t1) for c in changes]
    start = max(w.t0, float(move.source.time))
    src = resource_use(w, move.source.resource, move.source.condition, start, w.t1)
    targets = [resource_use(w, r.resource, r.condition, start, w.t1) for r in move.receivers]
    subacute = [t for r, t in zip(move.receivers, targets) if r.resource == "subacute_slots"]
    return {
        "move_capacity_cost_freed_dkk": float(-sum(c for c in costs if c < 0)),
        "move_capacity_cost_added_dkk": float(sum(c for c in costs if c > 0)),
        "move_capacity_cost_net_dkk": float(sum(costs)),
        "move_source_utilisation": ratio(src[0], src[1]),
        "move_target_utilisation": ratio(sum(t[0] for t in targets), sum(t[1] for t in targets)) if targets else float("nan"),
        "move_target_released_share": ratio(sum(t[2] for t in subacute), sum(t[1] for t in subacute)) if subacute else float("nan"),
    }


MEASURES: tuple[Measure, ...] = (
    Measure("capacity_cost", lambda w: capacity_cost(w.model.capacity_plan, w.t0, w.t1)),
)
_OWNER_LABELS = {"wards": "the wards (beds)", "clinics": "the outpatient clinics (ordinary and sub-acute slots)",
                 "general_practice": "general practice (same-day and planned slots)",
                 "municipality": "the municipalities (home-nursing places)"}
SYSTEM_KPIS: tuple[KPI, ...] = (
    KPI("gp_planned_utilisation", "share of slots", "booked share of planned GP appointment capacity (where checks and moved controls go)", "system",
        lambda w: ratio(*_planned_gp_use(w))),
    *(KPI(f"capacity_cost_{owner}_dkk", "DKK", f"capacity cost of {_OWNER_LABELS[owner]} over the results window, paid whether the capacity is used or not", "system",
          lambda w, owner=owner: w.capacity_cost[owner])
      for owner in CAPACITY_OWNERS),
    KPI("capacity_cost_total_dkk", "DKK", "capacity cost of all owners over the results window; a budget-neutral capacity move leaves it unchanged", "system",
        lambda w: float(sum(w.capacity_cost.values()))),
    KPI("closure_discharges", "stays", "stays ended early in the results window because ward beds closed (capacity calendar)", "system",
        lambda w: float(w.rec.table("closure_discharges").time.between(w.t0, w.t1).sum())),
    KPI("control_transfers", "patient-conditions", "hospital controls handed over to general practice in the results window (capacity move)", "system",
        lambda w: float(len(_control_transfers(w)))),
    KPI("control_transfers_failed", "patient-conditions", "handed-over controls whose GP follow-up was lost or delayed (transfer friction)", "system",
        lambda w: float((_control_transfers(w).outcome != "completed").sum())),
)
# one group "move=<name>" per capacity move (an entry of the calendar that is not funded by another)
MOVE_KPIS: tuple[KPI, ...] = (
    KPI("move_day", "day from the start of the results window", "day the move takes effect", "move",
        lambda mv: float(mv.move.source.day)),
    KPI("move_budget_neutral", "1 = yes, 0 = no", "whether the capacity the move adds costs exactly what it frees (from the same day)", "move",
        lambda mv: float(mv.move.budget_neutral)),
    KPI("move_capacity_cost_freed_dkk", "DKK", "capacity cost the move removes over the results window", "move",
        lambda mv: _move_effects(mv)["move_capacity_cost_freed_dkk"]),
    KPI("move_capacity_cost_added_dkk", "DKK", "capacity cost the move adds over the results window", "move",
        lambda mv: _move_effects(mv)["move_capacity_cost_added_dkk"]),
    KPI("move_capacity_cost_net_dkk", "DKK", "net change of capacity cost over the results window (0 when budget-neutral)", "move",
        lambda mv: _move_effects(mv)["move_capacity_cost_net_dkk"]),
    KPI("move_source_utilisation", "use per unit of planned capacity", "utilisation of the resource the move changes first, from the move's day (or the window start) to the window end (beds: above 1 when corridor beds are in use)", "move",
        lambda mv: _move_effects(mv)["move_source_utilisation"]),
    KPI("move_target_utilisation", "use per unit of planned capacity", "utilisation of the resources the move funds over the same span (NaN without receivers; beds: above 1 when corridor beds are in use)", "move",
        lambda mv: _move_effects(mv)["move_target_utilisation"]),
    KPI("move_target_released_share", "share of capacity", "share of the receiving sub-acute slots released unused to the ordinary book the day before (NaN unless sub-acute slots receive)", "move",
        lambda mv: _move_effects(mv)["move_target_released_share"]),
)
