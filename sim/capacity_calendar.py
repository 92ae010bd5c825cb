"""The capacity calendar: capacity moves as planned, dated changes of named capacities.

``scenario.capacity_moves.calendar`` lists entries (:class:`sim.config.CapacityChangeConfig`). A
:class:`CapacityPlan` resolves them once, before the run, into

* the capacity each owner has over time: ward beds, each clinic's ordinary and sub-acute books, each
  practice's planned GP book, each municipality's home-nursing places (``*_levels`` / ``*_changes``);
* moves: an entry that frees capacity together with the entries it funds (``funded_by``). A funded
  entry's amount is derived from the capacity cost the funder frees, so a move whose funded shares
  sum to 1 is budget-neutral by construction: capacity cost is conserved to float precision;
* the capacity cost of every owner over any window (:func:`capacity_cost`), paid whether the capacity
  is used or not (``costs.capacity_*``).

Days in the calendar count from the start of the results window (day 0 is the first results day; a
negative day falls in the warm-up, a day after the horizon never takes effect in this run but is still
checked). A change takes effect at the start of its day. Amounts scale with
the catchment: ``share`` of the preset's capacity plus ``per_1000`` per 1,000 inhabitants. Beds and
home-nursing places come in whole units (rounded; a budget-neutral receiver must therefore be slots,
which may be fractional per weekday because books spread fractions over days without drift).

Everything here is deterministic: no random numbers, no SimPy events. Validation problems are listed
by :func:`calendar_problems`, the capacity-moves mechanism's config check
(``sim.mechanisms.capacity_moves.CapacityMoves.config_problems``). Validation resolves the plan once
(:func:`resolve_plan`) and the validated config keeps it (``sim.validated.ValidatedConfig.capacity_plan``),
so the model and every replication of the config use that one plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import CONDITIONS, PER_CONDITION_RESOURCES, check_section, param_problems
from .population import practice_municipality

if TYPE_CHECKING:
    from .config import SimConfig

KEY = "scenario.capacity_moves.calendar"
WHOLE_UNITS = ("medical_beds", "psychiatric_beds", "home_nursing_places")
MUST_STAY_POSITIVE = ("medical_beds", "psychiatric_beds", "outpatient_slots", "gp_planned_slots", "home_nursing_places")
OWNER = {"medical_beds": "wards", "psychiatric_beds": "wards", "outpatient_slots": "clinics",
         "subacute_slots": "clinics", "gp_planned_slots": "general_practice", "home_nursing_places": "municipality"}
CAPACITY_OWNERS: tuple[str, ...] = ("wards", "clinics", "general_practice", "municipality")
WARD_OF = {"medical_beds": "medical_ward", "psychiatric_beds": "psychiatric_ward"}
UNIT = {"medical_beds": "beds", "psychiatric_beds": "beds", "outpatient_slots": "slots per week",
        "subacute_slots": "slots per week", "gp_planned_slots": "slots per week", "home_nursing_places": "places"}


@dataclass(frozen=True)
class Change:
    """A resolved calendar entry: ``amount`` in catchment units (beds, slots per week, places)."""
    index: int
    name: str
    day: int            # from the start of the results window
    time: int           # absolute simulation day
    resource: str
    condition: int      # -1 unless outpatient or sub-acute slots
    amount: float
    per_unit: tuple[float, ...]  # the amount per owner unit (per municipality for home nursing, else one value)
    funded_by: str
    cost_per_day: float  # change of capacity cost per day (DKK), signed


@dataclass(frozen=True)
class Move:
    """An entry not funded by another, with the entries it funds."""
    source: Change
    receivers: tuple[Change, ...]

    @property
    def budget_neutral(self) -> bool:
        net = self.source.cost_per_day + sum(r.cost_per_day for r in self.receivers)
        return abs(net) <= 1e-9 * max(1.0, abs(self.source.cost_per_day)) and all(r.time == self.source.time for r in self.receivers)


def unit_cost_per_day(cfg: SimConfig, resource: str) -> float:
    """DKK per unit of capacity per day (a slot per week costs its price once a week)."""
    c = cfg.costs
    return {"medical_beds": c.capacity_bed_day, "psychiatric_beds": c.capacity_bed_day_psychiatric,
            "outpatient_slots": c.capacity_outpatient_slot / 7.0, "subacute_slots": c.capacity_subacute_slot / 7.0,
            "gp_planned_slots": c.capacity_gp_slot / 7.0,
            "home_nursing_places": c.capacity_home_nursing_place_day}[resource]


def level_integral(levels: list[tuple[float, float]], t0: float, t1: float) -> float:
    """Integral over [t0, t1) of a right-continuous step function given as [(from time, level), ...]."""
    total = 0.0
    for i, (start, level) in enumerate(levels):
        end = levels[i + 1][0] if i + 1 < len(levels) else float("inf")
        span = min(end, t1) - max(start, t0)
        if span > 0:
            total += level * span
    return total


def _steps(base: float, changes: list[tuple[int, float]]) -> list[tuple[float, float]]:
    """[(0, base), (time, level after the changes of that time), ...] from (time, delta) pairs. The base entry
    stays first even when a change falls at time 0 (day -warmup): the owners build their capacity from the
    base and follow the entries after it, so a change merged into the base was never applied."""
    levels = [(0.0, base)]
    for time, delta in sorted(changes, key=lambda x: x[0]):
        if levels[-1][0] == time and len(levels) > 1:
            levels[-1] = (float(time), levels[-1][1] + delta)
        else:
            levels.append((float(time), levels[-1][1] + delta))
    return levels


class CapacityPlan:
    """The calendar resolved against a composed config (raises nothing; see ``problems``)."""

    def __init__(self, cfg: SimConfig):
        self.cfg = cfg
        pop, cap = cfg.population, cfg.capacity
        self.per_1000 = pop.inhabitants / 1000.0
        self.warmup_days = int(round(cfg.run.warmup_days))
        self.results_days = int(round(cfg.run.years * 365.0))
        self.unlimited = cap.unlimited_capacity
        controls = cfg.scenario.controls
        self.reserve_share = controls.subacute_reserve_share if controls.policy == "needs_based" else 0.0
        # base capacities exactly as the agents build them (sim/model.py); validation refuses a ward or a
        # municipality that rounds to zero (sim.config.input_checks), so none is quietly given one bed or place here
        self.beds = {"medical_ward": int(round(cap.medical_beds_per_1000 * self.per_1000)),
                     "psychiatric_ward": int(round(cap.psychiatric_beds_per_1000 * self.per_1000))}
        self.clinic_week = [s * self.per_1000 for s in cap.outpatient_slots_per_1000_week]
        self.municipality_shares = list(pop.municipality_shares)
        self.places = [int(round(cap.home_nursing_places_per_1000 * self.per_1000 * share))
                       for share in pop.municipality_shares]
        self.n_practices = len(practice_municipality(cfg)) if pop.general_practitioners >= pop.gps_per_practice else 1
        gp_week = pop.general_practitioners * cap.gp_consultations_per_gp_day * 5.0
        self.gp_planned_week = gp_week * (1.0 - cap.gp_acute_share)
        self.gp_same_day_week = gp_week * cap.gp_acute_share
        self.changes: list[Change] = []
        self.problems: list[str] = []
        self._resolve()

    # -- resolution ------------------------------------------------------------------------------------
    def _base_total(self, resource: str, condition: int) -> float:
        if resource in WARD_OF:
            return float(self.beds[WARD_OF[resource]])
        if resource in PER_CONDITION_RESOURCES:
            return self.clinic_week[condition]
        if resource == "gp_planned_slots":
            return self.gp_planned_week
        return float(sum(self.places))

    def _resolve(self) -> None:
        moves = self.cfg.scenario.capacity_moves
        entries = list(moves.calendar)
        p = self.problems
        if entries and self.unlimited:
            p.append(f"{KEY} has entries while capacity.unlimited_capacity is set: unlimited capacity cannot change; choose one")
            return
        for i, e in enumerate(entries):  # the entries' fields are not schema leaves: check each entry as a section
            named = f" (entry {e.name!r})" if e.name else ""
            p += [problem + named for problem in check_section(e, f"{KEY}[{i}].")]
        if p:
            return
        names: dict[str, int] = {}
        for i, e in enumerate(entries):
            where = f"{KEY}[{i}]" + (f" ({e.name})" if e.name else "")
            if not e.name:
                p.append(f"{where}: name is empty; give every entry a unique name")
            elif e.name in names:
                p.append(f"{where}: name {e.name!r} is used by entry [{names[e.name]}] too; names must be unique")
            else:
                names[e.name] = i
        by_name: dict[str, Change] = {}
        for i, e in enumerate(entries):
            where = f"{KEY}[{i}]" + (f" ({e.name})" if e.name else "")
            condition = -1
            if e.resource in PER_CONDITION_RESOURCES:
                if not e.condition:  # these belong to a clinic: the generic check, without the empty choice
                    p += param_problems(f"{where}.condition", e.condition, {"choices": CONDITIONS})
                    continue
                condition = CONDITIONS.index(e.condition)
            elif e.condition:
                p.append(f"{where}.condition = {e.condition!r}: only outpatient_slots and subacute_slots have a condition; leave it empty for {e.resource}")
                continue
            if e.day < -self.warmup_days:  # a day after the horizon is fine: the plan goes on beyond the run
                p.append(f"{where}.day = {e.day}: it falls before the run starts; the earliest day is -{self.warmup_days} "
                         "(the start of the warm-up; days count from the start of the results window)")
                continue
            time = self.warmup_days + int(e.day)
            if e.funded_by:
                funder = by_name.get(e.funded_by)
                if e.funded_by == e.name:
                    p.append(f"{where}.funded_by names the entry itself; name the entry that frees the capacity")
                    continue
                if funder is None:
                    known = [n for n in names if names[n] < i]
                    p.append(f"{where}.funded_by = {e.funded_by!r}: no earlier entry has that name"
                             + (f" (earlier entries: {', '.join(known)})" if known else ""))
                    continue
                if funder.funded_by:
                    p.append(f"{where}.funded_by = {e.funded_by!r}: that entry is itself funded; name the entry that frees capacity")
                    continue
                if funder.cost_per_day >= 0:
                    p.append(f"{where}.funded_by = {e.funded_by!r}: that entry frees no capacity (its change is not negative)")
                    continue
                if e.share != 0 or e.per_1000 != 0:
                    p.append(f"{where}: set either an amount (share, per_1000) or funded_by, not both; a funded entry's amount is derived from the cost freed")
                    continue
                if e.resource in WHOLE_UNITS:
                    p.append(f"{where}.resource = {e.resource!r}: a funded (budget-neutral) receiver must be divisible capacity "
                             "(outpatient_slots, subacute_slots, gp_planned_slots); beds and places come in whole units, give their amount explicitly")
                    continue
                if e.day != funder.day:
                    p.append(f"{where}.day = {e.day}: its funder {funder.name!r} takes effect on day {funder.day}; "
                             "a funded entry changes capacity on the same day as the entry that frees it")
                    continue
                unit = unit_cost_per_day(self.cfg, e.resource)
                if unit <= 0:
                    p.append(f"{where}: the capacity cost of {e.resource} is 0, so no amount can be derived from a budget; set costs.capacity_* or give an amount")
                    continue
                amount = -funder.cost_per_day * e.funded_share / unit
            else:
                amount = e.share * self._base_total(e.resource, condition) + e.per_1000 * self.per_1000
            per_unit: tuple[float, ...]
            if e.resource == "home_nursing_places":
                per_unit = tuple(float(round(e.share * places + e.per_1000 * self.per_1000 * share))
                                 for places, share in zip(self.places, self.municipality_shares))
                amount = float(sum(per_unit))
            elif e.resource in WHOLE_UNITS:
                amount = float(round(amount))
                per_unit = (amount,)
            else:
                per_unit = (amount,)
            if amount == 0 and not e.funded_by:
                p.append(f"{where}: the change rounds to 0 {UNIT[e.resource]} in this catchment; give a larger share or per_1000")
                continue
            change = Change(i, e.name, int(e.day), time, e.resource, condition, amount, per_unit, e.funded_by,
                            amount * unit_cost_per_day(self.cfg, e.resource))
            self.changes.append(change)
            by_name[e.name] = change
        funded: dict[str, float] = {}
        for i, e in enumerate(entries):
            if e.funded_by:
                funded[e.funded_by] = funded.get(e.funded_by, 0.0) + e.funded_share
        for name, total in funded.items():
            if total > 1.0 + 1e-9:
                p.append(f"{KEY}: the entries funded by {name!r} take {total:g} of the capacity cost it frees; the funded_share values must sum to at most 1")
        self._check_levels()
        self._check_transfer()

    def _check_levels(self) -> None:
        """Capacity must never go negative (nor to zero where a service needs some), at any date."""
        series = {
            **{(r, -1, 0): (f"{r.replace('_', ' ')}", self.beds[WARD_OF[r]]) for r in WARD_OF},
            **{("outpatient_slots", c, 0): (f"ordinary outpatient slots of clinic {CONDITIONS[c]} (per week)",
                                            self.clinic_week[c] * (1.0 - self.reserve_share)) for c in range(len(CONDITIONS))},
            **{("subacute_slots", c, 0): (f"sub-acute slots of clinic {CONDITIONS[c]} (per week)",
                                          self.clinic_week[c] * self.reserve_share) for c in range(len(CONDITIONS))},
            ("gp_planned_slots", -1, 0): ("planned GP slots (per week)", self.gp_planned_week),
            **{("home_nursing_places", -1, m): (f"home-nursing places of municipality {m}", self.places[m])
               for m in range(len(self.places))},
        }
        for (resource, condition, unit), (label, level) in series.items():
            for ch in sorted(self._of(resource, condition), key=lambda c: (c.time, c.index)):
                level += ch.per_unit[unit] if len(ch.per_unit) > 1 else ch.amount
                if level < -1e-9 or (level <= 1e-9 and resource in MUST_STAY_POSITIVE):
                    what = "negative" if level < -1e-9 else "zero"
                    self.problems.append(
                        f"{KEY}[{ch.index}] ({ch.name}) makes the {label} {what} ({level:.4g}) on day {ch.day} "
                        f"(absolute day {ch.time}): capacity must stay {'positive' if resource in MUST_STAY_POSITIVE else '>= 0'} at every date")
                    break

    def _check_transfer(self) -> None:
        moves = self.cfg.scenario.capacity_moves
        key = "scenario.capacity_moves"
        if moves.transfer_conditions and moves.transfer_from_day < -self.warmup_days:
            self.problems.append(f"{key}.transfer_from_day = {moves.transfer_from_day}: it falls before the run starts; "
                                 f"the earliest day is -{self.warmup_days} (the start of the warm-up)")

    # -- queries -----------------------------------------------------------------------------------------
    def _of(self, resource: str, condition: int = -1) -> list[Change]:
        return [c for c in self.changes if c.resource == resource and c.condition == condition]

    def ward_levels(self, ward: str) -> list[tuple[float, float]]:
        """Beds of a ward over time, [(absolute day, beds), ...]; one entry if nothing changes."""
        resource = {v: k for k, v in WARD_OF.items()}[ward]
        return _steps(float(self.beds[ward]), [(c.time, c.amount) for c in self._of(resource)])

    def clinic_changes(self, condition: int, reserve: bool) -> list[tuple[int, float]]:
        """Planned daily rates of a clinic's ordinary book (or its sub-acute reserve): [(day, slots per weekday)]."""
        week = self.clinic_week[condition]
        base = week * (self.reserve_share if reserve else 1.0 - self.reserve_share)
        levels = _steps(base, [(c.time, c.amount) for c in self._of("subacute_slots" if reserve else "outpatient_slots", condition)])
        return [(int(t), level / 5.0) for t, level in levels[1:]]

    def has_subacute_changes(self, condition: int) -> bool:
        return bool(self._of("subacute_slots", condition))

    def practice_changes(self, planned_per_weekday: float) -> list[tuple[int, float]]:
        """Planned daily rates of one practice's planned book, the catchment change split evenly over practices."""
        levels = _steps(planned_per_weekday, [(c.time, c.amount / 5.0 / self.n_practices) for c in self._of("gp_planned_slots")])
        return [(int(t), level) for t, level in levels[1:]]

    def municipality_levels(self, index: int) -> list[tuple[float, float]]:
        return _steps(float(self.places[index]), [(c.time, c.per_unit[index]) for c in self._of("home_nursing_places")])

    def moves(self) -> list[Move]:
        return [Move(c, tuple(r for r in self.changes if r.funded_by == c.name)) for c in self.changes if not c.funded_by]

    def levels(self, resource: str, condition: int = -1) -> list[tuple[float, float]]:
        """Catchment capacity of one resource over time (beds, slots per week, places)."""
        base = {"outpatient_slots": self.clinic_week[condition] * (1.0 - self.reserve_share) if condition >= 0 else 0.0,
                "subacute_slots": self.clinic_week[condition] * self.reserve_share if condition >= 0 else 0.0}
        base_level = base.get(resource, self._base_total(resource, condition))
        return _steps(base_level, [(c.time, c.amount) for c in self._of(resource, condition)])


def resolve_plan(cfg: SimConfig) -> tuple[CapacityPlan | None, list[str]]:
    """The calendar resolved against ``cfg`` and its problems: ``(plan, [])`` when it can be run, else
    ``(None, problems)``, one line per problem."""
    try:
        plan = CapacityPlan(cfg)
    except (IndexError, ZeroDivisionError, ValueError, OverflowError) as err:  # other problems of the config make the plan impossible
        return None, [f"{KEY}: could not be resolved against this configuration ({err}); fix the other problems first"]
    return (None, plan.problems) if plan.problems else (plan, [])


def calendar_problems(cfg: SimConfig) -> list[str]:
    """The calendar's problems in ``cfg`` (one line each), [] when it can be run."""
    return resolve_plan(cfg)[1]


def capacity_cost(plan: CapacityPlan, t0: float, t1: float) -> dict[str, float]:
    """Capacity cost (DKK) per owner over [t0, t1), paid whether the capacity is used or not.

    Wards: beds x bed-day price; clinics: ordinary and sub-acute slots per week / 7 x slot price per day;
    general practice: same-day and planned slots likewise; municipality: places x place-day price.
    NaN with unlimited capacity (there is no finite capacity to pay for).
    """
    if plan.unlimited:
        return {owner: float("nan") for owner in CAPACITY_OWNERS}
    cfg = plan.cfg
    out = {owner: 0.0 for owner in CAPACITY_OWNERS}
    for resource in ("medical_beds", "psychiatric_beds", "gp_planned_slots", "home_nursing_places"):
        out[OWNER[resource]] += level_integral(plan.levels(resource), t0, t1) * unit_cost_per_day(cfg, resource)
    for c in range(len(CONDITIONS)):
        for resource in PER_CONDITION_RESOURCES:
            out["clinics"] += level_integral(plan.levels(resource, c), t0, t1) * unit_cost_per_day(cfg, resource)
    out["general_practice"] += plan.gp_same_day_week * (t1 - t0) * unit_cost_per_day(cfg, "gp_planned_slots")
    return out


def change_cost(change: Change, t0: float, t1: float) -> float:
    """Capacity cost (DKK, signed) a change adds over [t0, t1)."""
    return change.cost_per_day * max(0.0, t1 - max(t0, float(change.time)))
