"""Rules that combine several values of a config (shares that must sum to 1, a team enabled without staff,
...). Each runs once every value is within its range and among its allowed values. Rules that need more than
the config (the capacity calendar, resolved against the catchment) are the mechanisms' own checks
(``Mechanism.config_problems``), run by :func:`sim.validated.validate` after these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .acute_alternatives import acute_alternative_problems
from .input_checks import capacity_problems, population_problems
from .payment import payment_problems
from .specialisation import specialisation_problems

if TYPE_CHECKING:
    from .root import SimConfig


def cross_field_problems(cfg: SimConfig) -> list[str]:
    p = []
    pop, cap, path = cfg.population, cfg.capacity, cfg.pathways
    if len(pop.municipality_names) != len(pop.municipality_shares):
        p.append(f"population.municipality_shares has {len(pop.municipality_shares)} values but "
                 f"population.municipality_names has {len(pop.municipality_names)}: give one share per municipality")
    for key in ("municipality_shares", "adult_age_band_shares", "pam_shares", "pam_shares_vulnerable"):
        total = sum(getattr(pop, key))
        if abs(total - 1.0) > 1e-6:
            p.append(f"population.{key} sums to {total:.6g}: the shares must sum to 1")
    dest = sum(path.background_referral_destinations)
    if dest > 1.0 + 1e-9:
        p.append(f"pathways.background_referral_destinations sums to {dest:.6g}: it must be at most 1")
    if cfg.risk_tiers.high_share + cfg.risk_tiers.moderate_share > 1.0:
        p.append("risk_tiers.high_share + risk_tiers.moderate_share exceeds 1: the tiers cannot overlap")
    if pop.general_practitioners < pop.gps_per_practice:
        p.append(f"population.general_practitioners = {pop.general_practitioners} is fewer than "
                 f"population.gps_per_practice = {pop.gps_per_practice:g}: a catchment needs at least one practice")
    if cfg.run.warmup_days > 0 and cfg.run.warmup_days >= cfg.run.years * 365.0 * 10:
        p.append("run.warmup_days is more than ten times the horizon run.years: shorten the warm-up")
    for c, slots in enumerate(cap.outpatient_slots_per_1000_week):
        if slots == 0 and not cap.unlimited_capacity:
            p.append(f"capacity.outpatient_slots_per_1000_week[{c}] = 0: a clinic without slots can never see "
                     "its referred and followed patients; give it a positive capacity")
    if cap.gp_consultations_per_gp_day == 0 and not cap.unlimited_capacity:
        p.append("capacity.gp_consultations_per_gp_day = 0: practices without consultations cannot see patients; "
                 "give a positive capacity")
    if not 0.0 < cap.gp_acute_share < 1.0 and not cap.unlimited_capacity:
        p.append(f"capacity.gp_acute_share = {cap.gp_acute_share:g}: both same-day and planned GP capacity are "
                 "needed; the share must lie strictly between 0 and 1")
    sc = cfg.scenario
    co = sc.coordinator
    if co.functions > 1 and co.kind == "specialised":
        p.append(f"scenario.coordinator.functions = {co.functions} with kind = 'specialised': the disease-specific design "
                 "already gives one coordinator per condition; use functions = 1, or kind = 'holistic' for several generic functions")
    p += specialisation_problems(cfg)
    for team, cfg_team in (("coordinator", co), ("complex_care_team", sc.complex_care_team), ("act_team", sc.act_team)):
        if cfg_team.enabled and cfg_team.caseload_per_staff == 0:
            p.append(f"scenario.{team}.caseload_per_staff = 0 with the team enabled: a team without caseload places "
                     "can never take a patient; give it a positive caseload")
    if co.enabled and co.staff_per_100k == 0:
        p.append("scenario.coordinator.staff_per_100k = 0 with coordinators enabled: give at least some staff")
    if sc.complex_care_team.enabled and sc.complex_care_team.staff_per_team == 0:
        p.append("scenario.complex_care_team.staff_per_team = 0 with the team enabled: give it staff")
    base_refer = max(path.p_gp_refer_background, path.p_gp_refer_deterioration)
    if base_refer * sc.gp_referral.ratio > 1.0:
        p.append(f"scenario.gp_referral.ratio = {sc.gp_referral.ratio:g}: it would make a GP referral probability "
                 f"exceed 1 ({base_refer:g} x {sc.gp_referral.ratio:g}); the largest allowed is {1.0 / base_refer:.3g}")
    tm = sc.telemonitoring
    if tm.enabled and not tm.conditions:
        p.append("scenario.telemonitoring.conditions is empty with telemonitoring enabled: name at least one condition")
    if tm.enabled and tm.places_per_1000 == 0:
        p.append("scenario.telemonitoring.places_per_1000 = 0 with telemonitoring enabled: give it places, or no patient can be monitored")
    hc = sc.health_coach
    for key in ("coaches_per_practice", "fte_per_coach", "caseload_per_fte"):
        if hc.enabled and getattr(hc, key) == 0:
            p.append(f"scenario.health_coach.{key} = 0 with health coaches enabled: it must be positive, or no patient can be coached")
    act = sc.act_team
    if act.enabled and (act.teams_per_100k == 0 or act.staff_per_team == 0):
        p.append("scenario.act_team.teams_per_100k or staff_per_team = 0 with ACT enabled: give it at least one team with staff")
    if act.enabled and not act.misuse_qualifies and act.min_admissions_2y > 200:
        p.append(f"scenario.act_team.min_admissions_2y = {act.min_admissions_2y}: nobody can have that many admissions "
                 "in two years, so no one would ever be eligible")
    if act.enabled and not act.misuse_qualifies and act.min_bed_days_2y > 730:
        p.append(f"scenario.act_team.min_bed_days_2y = {act.min_bed_days_2y:g}: two years hold only 730 days, "
                 "so no one would ever be eligible")
    if cap.unlimited_capacity and (cap.medical_beds_per_1000 == 0 or cap.psychiatric_beds_per_1000 == 0):
        p.append("capacity.unlimited_capacity is set together with zero beds: choose one")
    p += capacity_problems(cfg) + population_problems(cfg)
    p += payment_problems(cfg.payment)
    p += acute_alternative_problems(cfg)
    return p
