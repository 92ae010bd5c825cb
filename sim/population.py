"""Seeded synthetic population of people with chronic conditions, generated as columns.

The catchment's adults are drawn in one vectorised pass: age band and age, a shared gamma frailty
(which clusters conditions, so multimorbidity rises with age and is common), the five conditions,
substance misuse, social vulnerability and patient activation (PAM). People with at least one of the
five conditions become ``Patient`` agents; everyone else is background demand on GP and hospital
capacity (see ``sim.agents.general_practice`` and ``sim.agents.hospital``).

New patients (incidence) are drawn the same way, conditional on having a condition, with arrival
times from a Poisson process, all before the run starts, so incidence never depends on the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from .config import AGE_BAND_EDGES, CONDITIONS, SimConfig

N_CONDITIONS = len(CONDITIONS)
SMI = CONDITIONS.index("smi")
DEMENTIA = CONDITIONS.index("dementia")
TIERS: tuple[str, ...] = ("high", "moderate", "low")


@dataclass
class PatientTable:
    """Chronic patients as columns (one row per person). ``entry_time`` is 0 for the prevalent caseload."""

    person_id: np.ndarray
    entry_time: np.ndarray
    age: np.ndarray
    age_band: np.ndarray
    municipality: np.ndarray
    practice: np.ndarray
    conditions: np.ndarray          # bool, shape (n, N_CONDITIONS)
    substance_misuse: np.ndarray
    frailty: np.ndarray
    vulnerable: np.ndarray
    pam: np.ndarray                 # 1..4
    hospital_followed: np.ndarray   # bool, shape (n, N_CONDITIONS): followed in the hospital clinic
    base_rate: np.ndarray           # deteriorations per year in a stable phase (all conditions)
    tier: np.ndarray                # 0 high, 1 moderate, 2 low (fixed at entry: no regression-to-the-mean artefacts)
    prior_admissions_2y: np.ndarray
    _lists: dict[str, list] | None = field(default=None, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.person_id)

    def as_lists(self) -> dict[str, list]:
        """The columns as Python lists (built once): an agent reads its row's plain Python values without
        one numpy scalar conversion per attribute. The table is not changed after generation."""
        if self._lists is None:
            self._lists = {f.name: getattr(self, f.name).tolist() for f in fields(self) if f.name != "_lists"}
        return self._lists


def practice_municipality(cfg: SimConfig) -> np.ndarray:
    """Municipality index of each practice: practices are split by population share (largest remainder)."""
    pop = cfg.population
    n_practices = max(1, int(round(pop.general_practitioners / pop.gps_per_practice)))
    shares = np.asarray(pop.municipality_shares, float)
    raw = shares * n_practices
    counts = np.floor(raw).astype(int)
    counts[np.argsort(-(raw - counts))[: n_practices - counts.sum()]] += 1
    counts = np.maximum(counts, 1) if n_practices >= len(shares) else counts
    # keep the total at n_practices if max(.,1) added practices
    while counts.sum() > n_practices:
        counts[np.argmax(counts)] -= 1
    return np.repeat(np.arange(len(shares)), counts)


def _draw_people(cfg: SimConfig, rng: np.random.Generator, n: int, practice_muni: np.ndarray) -> dict[str, np.ndarray]:
    """Draw ``n`` adults with all attributes (vectorised)."""
    pop, path = cfg.population, cfg.pathways
    band = rng.choice(4, size=n, p=np.asarray(pop.adult_age_band_shares) / np.sum(pop.adult_age_band_shares))
    lo = np.asarray(AGE_BAND_EDGES[:-1])[band]
    hi = np.asarray(AGE_BAND_EDGES[1:])[band]
    age = lo + rng.random(n) * (hi - lo)
    k = pop.frailty_shape
    frailty = rng.gamma(k, 1.0 / k, size=n)
    prevalence = np.stack([np.asarray(getattr(pop, f"prevalence_{c}"))[band] for c in CONDITIONS], axis=1)
    p = np.minimum(prevalence * frailty[:, None], 0.95)
    conditions = rng.random((n, N_CONDITIONS)) < p
    misuse = conditions[:, SMI] & (rng.random(n) < pop.substance_misuse_given_smi)
    # vulnerability: odds raised with severe mental illness
    base_odds = pop.vulnerable_share / max(1e-12, 1 - pop.vulnerable_share)
    odds = base_odds * np.where(conditions[:, SMI], pop.vulnerable_multiplier_smi, 1.0)
    vulnerable = rng.random(n) < odds / (1 + odds)
    u = rng.random(n)
    pam = np.where(
        vulnerable,
        np.searchsorted(np.cumsum(pop.pam_shares_vulnerable), u, side="right"),
        np.searchsorted(np.cumsum(pop.pam_shares), u, side="right"),
    ).clip(0, 3) + 1
    municipality = rng.choice(len(pop.municipality_shares), size=n, p=np.asarray(pop.municipality_shares) / np.sum(pop.municipality_shares))
    # a practice in the person's municipality, uniformly
    practice = np.empty(n, dtype=np.int64)
    u_practice = rng.random(n)
    for m in range(len(pop.municipality_shares)):
        options = np.flatnonzero(practice_muni == m)
        if options.size == 0:
            options = np.arange(len(practice_muni))
        mask = municipality == m
        practice[mask] = options[(u_practice[mask] * options.size).astype(np.int64)]
    followed = conditions & (rng.random((n, N_CONDITIONS)) < np.asarray(path.hospital_followed_share))
    base_rate = (
        (conditions * np.asarray(path.deterioration_rate)).sum(axis=1)
        * np.asarray(path.deterioration_age_ratio)[band]
        * np.asarray(path.deterioration_pam_ratio)[pam - 1]
        * np.where(vulnerable, path.deterioration_vulnerable_ratio, 1.0)
        * frailty ** path.deterioration_frailty_exponent
    )
    return dict(age=age, age_band=band, municipality=municipality, practice=practice, conditions=conditions,
                substance_misuse=misuse, frailty=frailty, vulnerable=vulnerable, pam=pam,
                hospital_followed=followed, base_rate=base_rate)


def exit_rate_per_year(cfg: SimConfig, age_band, n_conditions):
    """Deaths plus moves out per patient-year."""
    pop = cfg.population
    return (np.asarray(pop.mortality)[age_band] * pop.mortality_per_extra_condition ** (np.asarray(n_conditions) - 1)
            + pop.move_out_rate)


def _chronic_only(people: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    keep = people["conditions"].any(axis=1)
    return {k: v[keep] for k, v in people.items()}


def instability_onset_per_year(cfg: SimConfig, base_rate):
    """Rate of entering an unstable phase: sicker patients (higher stable-phase rate) enter more often."""
    path = cfg.pathways
    return path.instability_onset_rate * np.minimum(base_rate / path.instability_reference_rate, path.instability_max_ratio)


def stationary_unstable_probability(cfg: SimConfig, base_rate):
    """Long-run share of time in an unstable phase (two-state Markov chain)."""
    onset = instability_onset_per_year(cfg, base_rate)
    recovery = 365.0 / cfg.pathways.instability_mean_days
    return onset / (onset + recovery)


def expected_admissions_per_year(cfg: SimConfig, base_rate: np.ndarray) -> np.ndarray:
    """Rough long-run admissions per year implied by a stable-phase rate (used only to draw prior use)."""
    path = cfg.pathways
    p_unstable = stationary_unstable_probability(cfg, base_rate)
    rate = base_rate * ((1 - p_unstable) + p_unstable * path.unstable_ratio)
    p_escalate = path.escalation_rate_per_day / max(1e-12, path.escalation_rate_per_day + path.resolution_rate_per_day)
    p_acute = path.p_severe + (1 - path.p_severe) * p_escalate * 0.5
    return rate * p_acute * path.p_admit_from_ed


def generate(cfg: SimConfig, rng_prevalent: np.random.Generator, rng_incident: np.random.Generator,
             horizon_days: float) -> PatientTable:
    """The prevalent caseload at t=0 plus all incident patients arriving before ``horizon_days``."""
    pop = cfg.population
    practice_muni = practice_municipality(cfg)
    n_adults = int(round(pop.inhabitants * pop.adult_share))
    prevalent = _chronic_only(_draw_people(cfg, rng_prevalent, n_adults, practice_muni))
    n_prev = len(prevalent["age"])

    # incident patients: Poisson arrivals, attributes drawn conditional on having a condition and
    # weighted by exit rate, so that in expectation they replace exits like for like and the caseload's
    # composition stays stationary (ageing within the horizon is not modelled)
    rate_per_day = pop.incidence_per_1000 * pop.inhabitants / 1000.0 / 365.0
    n_inc = int(rng_incident.poisson(rate_per_day * horizon_days)) if rate_per_day > 0 else 0
    times = np.sort(rng_incident.random(n_inc) * horizon_days)
    pieces, have = [], 0
    while have < n_inc:
        batch = _chronic_only(_draw_people(cfg, rng_incident, max(1000, 8 * (n_inc - have)), practice_muni))
        rate = exit_rate_per_year(cfg, batch["age_band"], batch["conditions"].sum(axis=1))
        keep = rng_incident.random(len(rate)) * rate.max() < rate
        batch = {k: v[keep] for k, v in batch.items()}
        pieces.append(batch)
        have += len(batch["age"])
    incident = {k: (np.concatenate([b[k] for b in pieces])[:n_inc] if pieces else prevalent[k][:0]) for k in prevalent}

    cols = {k: np.concatenate([prevalent[k], incident[k]]) for k in prevalent}
    n = n_prev + n_inc
    # tiers: cut points on the prevalent caseload's base rate, applied to everyone at entry
    tiers = cfg.risk_tiers
    if n_prev:
        hi_cut = np.quantile(prevalent["base_rate"], 1 - tiers.high_share) if tiers.high_share > 0 else np.inf
        mod_cut = np.quantile(prevalent["base_rate"], 1 - tiers.high_share - tiers.moderate_share) \
            if tiers.high_share + tiers.moderate_share > 0 else np.inf
    else:
        hi_cut = mod_cut = np.inf
    tier = np.where(cols["base_rate"] >= hi_cut, 0, np.where(cols["base_rate"] >= mod_cut, 1, 2))
    prior = rng_prevalent.poisson(2.0 * expected_admissions_per_year(cfg, cols["base_rate"]))
    return PatientTable(
        person_id=np.arange(n, dtype=np.int64),
        entry_time=np.concatenate([np.zeros(n_prev), times]),
        tier=tier, prior_admissions_2y=prior, **cols,
    )
