"""Acute care outside the hospital and after discharge: municipal acute beds and the ward's extended
responsibility (``scenario.municipal_acute_beds``, ``scenario.extended_responsibility``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .params import param, probability

if TYPE_CHECKING:
    from .root import SimConfig
from .dimensions import AGE_BAND_EDGES


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms V: acute care outside the hospital and after discharge (capacity moves)
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MunicipalAcuteBedsConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)",
                          doc="each municipality opens acute beds (akutpladser) as an alternative to admission")
    beds_per_1000: float = param(
        0.1, unit="municipal acute beds per 1,000 inhabitants", lo=0.0, hi=1000.0,
        source="assumption: Danish municipalities run acute places (Slides l.147-149, l.235; VIVE 2018 l.1864-1865) in the order of one bed per 10,000 inhabitants; the sources give no number. Only modelled chronic patients use them here",
        doc="split between municipalities by population share and rounded; every municipality must get at least one bed")
    min_age: float = param(
        65.0, unit="years (age at the deterioration)", lo=0.0, hi=120.0,
        source="Region H 2018 l.552-556 (the elderly medical patient who stays home overnight with municipal nursing); VIVE 2018 l.1864-1865 (acute places for patients at risk of admission)",
        doc="younger patients go the usual way")
    p_suitable: float = probability(
        0.3, unit="probability an eligible acute somatic deterioration needs no hospital diagnostics or treatment",
        source="Region H 2018 l.1196-1205, l.552-556 (only patients able to stay out of hospital; the research notes put them at 0.2-0.4 of acute medical presentations); value assumption",
        doc="severe mental illness never goes to a municipal acute bed")
    p_used_by_gp: float = probability(
        0.8, unit="probability a GP who would refer a suitable patient to the ED uses a free municipal acute bed instead",
        source="assumption: the GP knows the patient and the local offer (VIVE 2018 l.1896-1897: stronger collaboration between municipal nursing and general practice); not all GPs use it")
    p_used_by_acute_line: float = probability(
        0.5, unit="probability the acute line (1813, ambulance, home nurse's call) sends a suitable patient to a free municipal acute bed",
        source="Region H 2018 l.442-446 (redirecting 1813 calls is 'not established yet', so 0 today); 0.5 assumes the redirect is set up and used for half of suitable calls")
    stay_mean_days: float = param(
        4.0, unit="days (mean length of a municipal acute stay, lognormal with pathways.los_cv)", lo=0.01, hi=365.0,
        source="assumption: short stays of a few days, somewhat shorter than a medical admission (pathways.los_mean_days)")
    p_transfer_to_hospital: float = probability(
        0.15, unit="probability a municipal acute stay ends in transfer on to hospital (via the ED)",
        source="assumption: a minority of municipal acute patients escalate; Slides l.151-152 (effect unclear) argue against assuming none")
    transfer_mean_days: float = param(
        1.0, unit="days (mean time from admission to transfer, exponential, capped at the stay)", lo=0.0, hi=365.0,
        source="assumption: patients who do not settle are sent on early, mostly within the first day")
    p_stabilises: float = probability(
        0.6, unit="probability a municipal acute stay ends an unstable phase",
        source="assumption: less than a hospital admission (pathways.p_inpatient_stabilises = 0.8) without hospital diagnostics")
    p_handoff_fail: float = probability(
        0.05, unit="probability the handoff home after a municipal acute stay fails",
        source="assumption: the handoff stays inside the municipality's own nursing (one organisation), well below the hospital-to-municipality failure (pathways.p_handoff_fail_municipality = 0.18)")


@dataclass(frozen=True)
class ExtendedResponsibilityConfig:
    enabled: bool = param(
        False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)",
        doc="Region Hovedstaden's extended treatment responsibility: the discharging ward answers enquiries after discharge (Slides l.140-142)")
    window_hours: float = param(
        72.0, unit="hours after discharge", lo=0.0, hi=720.0, source="Slides l.140-142 (extended treatment responsibility 72 hours)")
    p_enquiry_routed: float = probability(
        0.5, unit="probability an acute deterioration within the window reaches the discharging ward (GP, home nurse or 1813 calls it) instead of the ED",
        source="assumption: the GP, the home nurse and 1813 must all know and use the arrangement (Region H 2018 l.442-446: redirects of 1813 calls are not automatic); Slides l.151-152 (access improves, effect unclear) argue for a modest value")
    p_admit_directly: float = probability(
        0.75, unit="probability the ward admits the patient directly (skipping the ED) when an enquiry about an acute deterioration reaches it",
        source="assumption: the same clinical need decides as in the ED (pathways.p_admit_from_ed = 0.75); the ward settles the rest at a distance",
        doc="otherwise the ward advises or adjusts treatment and the patient stays home")
    p_advice_stabilises: float = probability(
        0.3, unit="probability the ward's advice or treatment change ends an unstable phase",
        source="assumption: as a clinic's phone contact (scenario.controls.p_detect_by_phone = 0.3); Slides l.151-152 (unclear regarding effect)")
    p_handoff_repair: float = probability(
        0.25, unit="probability a failing discharge handoff is caught within the window (the GP or home nurse asks the ward and gets what was missing)",
        source="assumption: the enquiries the hospital handles after discharge (Slides l.140-142) include the receivers' questions; modest because the receiver must notice the gap in time (Slides l.151-152: effect unclear)")



def municipal_acute_beds(cfg: SimConfig) -> list[int]:
    """Municipal acute beds per municipality: beds per 1,000 inhabitants x the municipality's inhabitants, rounded.
    The one place the number is computed (the model builds its units from it; validation checks it)."""
    per_1000 = cfg.population.inhabitants / 1000.0
    rate = cfg.scenario.municipal_acute_beds.beds_per_1000
    return [int(round(rate * per_1000 * share)) for share in cfg.population.municipality_shares]


def acute_alternative_problems(cfg: SimConfig) -> list[str]:
    p = []
    mab, ext = cfg.scenario.municipal_acute_beds, cfg.scenario.extended_responsibility
    key = "scenario.municipal_acute_beds"
    if mab.enabled and not cfg.capacity.unlimited_capacity:
        if mab.beds_per_1000 == 0:
            p.append(f"{key}.beds_per_1000 = 0 with municipal acute beds enabled: give the municipalities beds")
        else:
            beds = municipal_acute_beds(cfg)
            pop = cfg.population
            empty = [(name, share) for name, share, n in zip(pop.municipality_names, pop.municipality_shares, beds)
                     if n == 0 and share > 0]
            if empty:
                need = 0.5 / (pop.inhabitants / 1000.0 * min(share for _, share in empty))
                p.append(f"{key}.beds_per_1000 = {mab.beds_per_1000:g} leaves {', '.join(n for n, _ in empty)} without a bed after "
                         f"rounding: it must be at least {need:.3g} for this catchment (every municipality needs one bed)")
    if mab.enabled and mab.p_suitable == 0:
        p.append(f"{key}.p_suitable = 0 with municipal acute beds enabled: no patient could ever be sent to a bed; "
                 "allowed range (0, 1]")
    if mab.enabled and mab.p_used_by_gp == 0 and mab.p_used_by_acute_line == 0:
        p.append(f"{key}.p_used_by_gp and {key}.p_used_by_acute_line are both 0 with municipal acute beds enabled: "
                 "neither the GP nor the acute line would ever use a bed")
    if mab.enabled and mab.min_age > AGE_BAND_EDGES[-1]:
        p.append(f"{key}.min_age = {mab.min_age:g}: no patient is older than {AGE_BAND_EDGES[-1]}, so no one would be eligible")
    key = "scenario.extended_responsibility"
    if ext.enabled and ext.window_hours == 0:
        p.append(f"{key}.window_hours = 0 with extended responsibility enabled: the window must be positive (Slides l.140-142: 72)")
    if ext.enabled and ext.p_enquiry_routed == 0 and ext.p_handoff_repair == 0:
        p.append(f"{key}.p_enquiry_routed and {key}.p_handoff_repair are both 0 with extended responsibility enabled: "
                 "the ward would never be asked anything")
    return p
