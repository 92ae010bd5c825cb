"""The catchment and its synthetic population (``population.*``) and the risk tiers (``risk_tiers.*``)."""

from __future__ import annotations

from dataclasses import dataclass

from .params import param, probability
from .dimensions import PER_AGE_BAND, PER_PAM


# --------------------------------------------------------------------------------------------------
# Catchment and synthetic population
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PopulationConfig:
    name: str = param("randers", unit="label", source="Slides l.245-246", doc="catchment preset name")
    sources: dict[str, str] = param(
        {}, unit="parameter -> source", source="assumption: presets cite a source for each value they change",
        doc="provenance of the values a preset in configs/population/ overrides")
    inhabitants: int = param(
        225_000, unit="persons", lo=100, hi=10_000_000, source="Slides l.246",
        doc="inhabitants of the catchment (Randers health cluster)")
    general_practitioners: int = param(
        146, unit="GPs", lo=1, hi=100_000, source="Slides l.246", doc="general practitioners in the catchment")
    gps_per_practice: float = param(
        2.0, unit="GPs per practice", lo=1.0, hi=20.0,
        source="assumption: Danish general practice is mostly solo or small partnership practices; 2 gives 73 practices for Randers",
        doc="practice size; practices are the GeneralPractice agents")
    municipality_names: list[str] = param(
        ["Randers", "Favrskov", "Syddjurs", "Norddjurs"], unit="names", source="Slides l.245",
        doc="municipalities of the catchment; each is a Municipality agent")
    municipality_shares: list[float] = param(
        [0.44, 0.22, 0.18, 0.16], unit="share of inhabitants", lo=0.0, hi=1.0,
        source="assumption: rough relative sizes of the four municipalities (Statistics Denmark order of magnitude); the slides give only the names",
        doc="share of inhabitants living in each municipality (sums to 1)")
    adult_share: float = probability(
        0.79, unit="share of inhabitants aged 18+",
        source="assumption: Danish age structure (about 4 in 5 inhabitants are adults)")
    adult_age_band_shares: list[float] = param(
        [0.33, 0.42, 0.18, 0.07], unit=f"share of adults {PER_AGE_BAND}", lo=0.0, hi=1.0, length=4,
        source="assumption: Danish adult age structure, rounded")
    prevalence_copd: list[float] = probability(
        [0.002, 0.03, 0.09, 0.11], length=4, unit=f"probability {PER_AGE_BAND} at average frailty",
        source="assumption: Danish register orders of magnitude for diagnosed COPD; SST 2013 l.2376 (multimorbidity is the rule) is met through the shared frailty term")
    prevalence_t2d: list[float] = probability(
        [0.01, 0.06, 0.14, 0.15], length=4, unit=f"probability {PER_AGE_BAND} at average frailty",
        source="assumption: Danish register orders of magnitude for type 2 diabetes")
    prevalence_heart_disease: list[float] = probability(
        [0.003, 0.03, 0.12, 0.22], length=4, unit=f"probability {PER_AGE_BAND} at average frailty",
        source="assumption: Danish register orders of magnitude for ischaemic heart disease and heart failure")
    prevalence_smi: list[float] = probability(
        [0.012, 0.012, 0.008, 0.006], length=4, unit=f"probability {PER_AGE_BAND} at average frailty",
        source="assumption: about 1% of adults with schizophrenia-spectrum or bipolar disorder (VIVE 2018 l.2528-2529 names the diagnoses)")
    prevalence_dementia: list[float] = probability(
        [0.0, 0.002, 0.03, 0.16], length=4, unit=f"probability {PER_AGE_BAND} at average frailty",
        source="assumption: dementia prevalence rises steeply after 80 (Danish orders of magnitude)")
    frailty_shape: float = param(
        1.2, unit="gamma shape (variance = 1/shape)", lo=0.1, hi=1000.0,
        source="assumption: a shared frailty term clusters conditions so that multimorbidity is 'more the rule than the exception' (SST 2013 l.2375-2377) and rises with age",
        doc="each person's condition probabilities are multiplied by a gamma(shape, 1/shape) frailty")
    substance_misuse_given_smi: float = probability(
        0.3, source="assumption: dual diagnosis is common among people with severe mental illness (VIVE 2018 l.2531, l.2561-2566 use it as an ACT criterion)")
    vulnerable_share: float = probability(
        0.15, unit="probability that a chronic patient is socially vulnerable",
        source="assumption: a minority of chronic patients has social problems that hamper care (VIVE 2018 l.2124-2126)")
    vulnerable_multiplier_smi: float = param(
        3.0, unit="odds ratio", lo=0.0, hi=100.0,
        source="assumption: social vulnerability concentrates in severe mental illness (VIVE 2018 l.3520: 96% on disability pension)")
    pam_shares: list[float] = param(
        [0.12, 0.23, 0.38, 0.27], unit=f"share of chronic patients {PER_PAM}", lo=0.0, hi=1.0, length=4,
        source="assumption: patient activation of non-vulnerable chronic patients; PAM scale 1-4 as in VIVE 2018 l.2254-2256")
    pam_shares_vulnerable: list[float] = param(
        [0.41, 0.30, 0.20, 0.09], unit=f"share of vulnerable chronic patients {PER_PAM}", lo=0.0, hi=1.0, length=4,
        source="VIVE 2018 l.2262 (PAM-1 share 41% at baseline in the Symphony target group); other levels assumption")
    incidence_per_1000: float = param(
        7.0, unit="new chronic patients per 1,000 inhabitants per year", lo=0.0, hi=1000.0,
        source="assumption: set so that incidence roughly balances deaths and moves and the caseload stays stable over five years (new patients are drawn weighted by exit rate, so they replace exits like for like)")
    mortality: list[float] = probability(
        [0.002, 0.008, 0.03, 0.10], length=4, unit=f"deaths per patient-year {PER_AGE_BAND}",
        source="assumption: Danish mortality orders of magnitude for people with chronic disease")
    mortality_per_extra_condition: float = param(
        1.3, unit="rate ratio per condition beyond the first", lo=0.0, hi=10.0,
        source="assumption: multimorbidity raises mortality")
    move_out_rate: float = param(
        0.02, unit="moves out of the catchment per patient-year", lo=0.0, hi=1.0,
        source="assumption: a small yearly outflow of patients to other regions")



@dataclass(frozen=True)
class RiskTierConfig:
    high_share: float = probability(
        0.10, unit="share of chronic patients in the high tier",
        source="assumption: SST 2013 research proposal of three levels with 10% in the top level (SST 2013 l.144-147 describes stratification, shares not given)")
    moderate_share: float = probability(
        0.25, unit="share of chronic patients in the moderate tier", source="assumption: as for the high tier (25% in the middle level)")
