"""The bad inputs a hostile tester tries, as data: one row per distinct case, run by test_bad_values.py and test_bad_files_and_commands.py.

A case is ``(id, command, arguments, expected text, files)``: ``command`` is ``sim`` (``python -m sim``),
``sweep`` (``python -m experiments.sweep``) or ``compare`` (``python -m experiments.compare``); the expected
text names the key or the file the message must point at; ``files`` are written into ``conf/`` (a config
folder the command is given with ``--config-dir conf``) or, under ``work/``, into the working folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    command: str
    args: tuple[str, ...]
    expect: str
    files: dict[str, bytes | str] = field(default_factory=dict)


def sim(id: str, args: str | list[str], expect: str, **files) -> Case:
    return Case(id, "sim", tuple(args.split() if isinstance(args, str) else args), expect, _files(files))


def sweep(id: str, args: str | list[str], expect: str, **files) -> Case:
    return Case(id, "sweep", tuple(args.split() if isinstance(args, str) else args), expect, _files(files))


def compare(id: str, args: str, expect: str, **files) -> Case:
    return Case(id, "compare", tuple(args.split()), expect, _files(files))


def _files(files: dict) -> dict:
    return {name.replace("__", "/").replace("_DOT_", "."): content for name, content in files.items()}


def scenario_file(id: str, name: str, content: bytes | str, expect: str | None = None) -> Case:
    """A scenario file ``conf/scenario/<name>.yaml`` chosen with ``scenario=<name>``; the message names it."""
    return sim(f"scenario_file_{id}", ["--config-dir", "conf", f"scenario={name}"], expect or f"scenario/{name}.yaml",
               **{f"conf__scenario__{name}_DOT_yaml": content})


NUMBERS = [
    *(sim(f"run_years_{v}", f"run.years={v}", "run.years") for v in ("inf", "-inf", "1e308", "nan", "0", "-1", "51")),
    *(sim(f"warmup_{v}", f"run.warmup_days={v}", "run.warmup_days") for v in ("nan", "-1", "inf", "1e9")),
    *(sim(f"replications_{v}", f"run.replications={v}", "run.replications") for v in ("0", "-3", "100001")),
    sim("seed_negative", "seed=-1", "seed"),
    *(sim(f"bed_day_cost_{v}", f"costs.bed_day={v}", "costs.bed_day") for v in ("-1", "nan", "inf")),
    *(sim(f"probability_{v}", f"pathways.p_handoff_fail_gp={v}", "pathways.p_handoff_fail_gp") for v in ("1.5", "-0.1", "nan")),
    *(sim(f"medical_beds_{v}", f"capacity.medical_beds_per_1000={v}", "capacity.medical_beds_per_1000")
      for v in ("0", "-2", "0.001", "inf")),
    sim("psychiatric_beds_zero", "capacity.psychiatric_beds_per_1000=0", "capacity.psychiatric_beds_per_1000"),
    *(sim(f"home_nursing_{v}", f"capacity.home_nursing_places_per_1000={v}", "capacity.home_nursing_places_per_1000")
      for v in ("0", "0.001")),
    sim("gp_consultations_zero", "capacity.gp_consultations_per_gp_day=0", "capacity.gp_consultations_per_gp_day"),
    sim("gp_acute_share_one", "capacity.gp_acute_share=1.0", "capacity.gp_acute_share"),
    sim("clinic_without_slots", "capacity.outpatient_slots_per_1000_week=[0.49,0,0.72,0.29,0.19]",
        "capacity.outpatient_slots_per_1000_week[1]"),
    sim("clinic_slots_too_few_values", "capacity.outpatient_slots_per_1000_week=[0.49,0.5]", "capacity.outpatient_slots_per_1000_week"),
    *(sim(f"inhabitants_{v}", f"population.inhabitants={v}", "population.inhabitants") for v in ("0", "50")),
    *(sim(f"adult_share_{v}", f"population.adult_share={v}", "population.adult_share") for v in ("0", "1.5")),
    sim("municipality_shares_sum", "population.municipality_shares=[0.5,0.6]", "population.municipality_shares"),
    sim("municipality_without_inhabitants", "population.municipality_shares=[1.0,0.0]", "population.municipality_shares"),
    *(sim(f"vulnerable_share_{v}", f"population.vulnerable_share={v}", "population.vulnerable_share") for v in ("0", "1")),
    sim("high_tier_empty", "risk_tiers.high_share=0", "risk_tiers.high_share"),
    sim("moderate_tier_empty", "risk_tiers.moderate_share=0", "risk_tiers.moderate_share"),
    sim("low_tier_empty", "risk_tiers.high_share=0.5 risk_tiers.moderate_share=0.5", "tier=low"),
    sim("incidence_nobody_can_have", [f"population.prevalence_{c}=[0,0,0,0]" for c in
                                      ("copd", "t2d", "heart_disease", "smi", "dementia")], "population.incidence_per_1000"),
    sim("fewer_gps_than_a_practice", "population.general_practitioners=1", "population.general_practitioners"),
    sim("drg_with_partial_tariff", "payment.tariff_share=0.5", "payment.tariff_share"),
    sim("budget_with_full_tariff", "payment=budget payment.tariff_share=1", "payment.tariff_share"),
    sim("negative_case_days", "scenario=coordinator_targeted scenario.coordinator.case_days=-30", "scenario.coordinator.case_days"),
    sim("negative_caseload", "scenario.coordinator.caseload_per_staff=-1", "scenario.coordinator.caseload_per_staff"),
    sim("referral_ratio_too_high", "scenario.gp_referral.ratio=20", "scenario.gp_referral.ratio"),
    sim("specialisation_level_too_high", "scenario.specialisation.level=12", "scenario.specialisation.level"),
    sim("act_nobody_eligible", "scenario=act_team scenario.act_team.misuse_qualifies=false scenario.act_team.min_admissions_2y=500",
        "scenario.act_team.min_admissions_2y"),
    sim("calendar_share_out_of_range", "scenario=capacity_move_ward_to_subacute scenario.capacity_moves.calendar.0.share=-2",
        "scenario.capacity_moves.calendar[0].share"),
    sim("calendar_day_before_the_run", "scenario=capacity_move_ward_to_subacute scenario.capacity_moves.calendar.0.day=-1000",
        "scenario.capacity_moves.calendar[0]"),
    sim("calendar_funded_by_nobody", "scenario=capacity_move_ward_to_subacute scenario.capacity_moves.calendar.1.funded_by=nobody",
        "funded_by"),
    sim("municipal_beds_zero", "scenario=municipal_acute_beds scenario.municipal_acute_beds.beds_per_1000=0",
        "scenario.municipal_acute_beds.beds_per_1000"),
    sim("warmup_ten_times_the_horizon", "run.years=0.05 run.warmup_days=3000", "run.warmup_days"),
]

TYPES = [
    *(sim(f"type_{k.replace('.', '_')}_{v.strip('[]').replace(',', '_')}", f"{k}={v}", k) for k, v in (
        ("costs.bed_day", "abc"), ("run.years", "abc"), ("run.replications", "1.5"), ("seed", "1.5"),
        ("population.municipality_shares", "[0.5,abc]"), ("run.years", "[1,2]"), ("run.event_log", "2"),
        ("run.event_log", "yes"), ("run.event_log", "1"), ("run.timeseries", "on"), ("capacity.unlimited_beds", "2"),
        ("scenario.coordinator.enabled", "1"), ("run.years", "true"), ("population.name", "[a]"))),
]

ENUMS = [
    *(sim(f"enum_{k.split('.', 1)[1].replace('.', '_')}", f"{k}={v}", k) for k, v in (
        ("scenario.coordinator.kind", "hybrid"), ("scenario.coordinator.placement", "moon"),
        ("scenario.coordinator.targeting", "all"), ("scenario.controls.policy", "sometimes"),
        ("scenario.telemonitoring.mode", "both"), ("scenario.slot_allocation.policy", "random"),
        ("pathways.background_los_distribution", "weibull"), ("payment.model", "free"),
        ("scenario.act_team.payer", "nobody"), ("scenario.telemonitoring.conditions", "[flu]"),
        ("scenario.capacity_moves.friction_outcome", "maybe"))),
]

KEYS = [
    sim("unknown_key", "costs.bed_dya=5", "bed_dya"),
    sim("appended_unknown_key", "+costs.bed_dya=5", "bed_dya"),
    sim("appended_unknown_section", "+nonsense=1", "nonsense"),
    sim("misspelt_run_key", "run.yeers=2", "yeers"),
    sim("misspelt_section", "scenario.coordinatr.enabled=true", "coordinatr"),
    sim("unknown_scenario", "scenario=nonexistent", "nonexistent"),
    sim("unknown_population", "population=nowhere", "nowhere"),
    sim("unknown_payment", "payment=free", "free"),
    sim("unknown_costs", "costs=cheap", "cheap"),
    sim("deleted_section", "~run", "run"),
]

NAMES = [
    sim("name_escapes_outputs", "scenario.name=../../x", "scenario.name"),
    sim("name_absolute_path", "scenario.name=/tmp/elsewhere", "scenario.name"),
    sim("name_with_space", ["scenario.name=a b"], "scenario.name"),
    sim("name_empty", ["scenario.name="], "scenario.name"),
    sim("name_too_long", f"scenario.name={'x' * 201}", "scenario.name"),
    sim("name_of_another_file", "scenario=act_team scenario.name=baseline", "scenario.name"),
    sim("name_dot_dot", "scenario.name=..", "scenario.name"),
]
