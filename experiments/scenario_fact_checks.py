"""The stylised facts a scenario must show against baseline (``python -m experiments.scenario_checks``, and the
validation command's scenario facts): one check per fact, each with its source, a verdict and the evidence,
decided on the paired comparison of ``experiments.paired_scenarios``.
"""

from __future__ import annotations

import pandas as pd

from experiments.paired_scenarios import Paired
from sim.statistics import mean_ci, paired_difference


def mean_and_interval(series: pd.Series) -> tuple[float, float, float]:
    """Mean and 95% t-interval (low, high) over replications."""
    mean, half = mean_ci(series.to_numpy(dtype=float))
    return mean, mean - half, mean + half


def checks(p: Paired) -> list[tuple[str, str, bool, str]]:
    """(check, source, passed, evidence) for one scenario."""
    out = []
    rel = p.relative_change
    if p.scenario == "act_team":
        bed = rel("psychiatric_bed_days")
        adm = rel("psychiatric_admissions")
        out.append(("psychiatric bed days of ACT citizens fall clearly", "VIVE 2018 l.3627",
                    bed[2] < 0 and bed[0] < -0.2, f"relative change {bed[0]:+.1%} [{bed[1]:+.1%}, {bed[2]:+.1%}]"))
        out.append(("their admissions change little (less than half the bed-day change)", "VIVE 2018 l.3625-3626",
                    abs(adm[0]) < abs(bed[0]) / 2, f"relative change {adm[0]:+.1%} [{adm[1]:+.1%}, {adm[2]:+.1%}]"))
        cost = mean_and_interval(p.extras["ACT cost per citizen-year (DKK)"])
        out.append(("cost per ACT citizen-year is about 107,000 DKK", "VIVE 2018 l.3657-3658",
                    100_000 <= cost[0] <= 115_000, f"{cost[0]:,.0f} DKK"))
    elif p.scenario == "coordinator_targeted":
        bed = rel("bed_days")
        adm = rel("admissions")
        out.append(("hospital use of the targeted patients falls", "SST 2013 l.1916-1917",
                    bed[2] < 0, f"bed days {bed[0]:+.1%} [{bed[1]:+.1%}, {bed[2]:+.1%}]"))
        out.append(("mostly through shorter stays (admissions fall less than half as much)", "SST 2013 l.1917",
                    abs(adm[0]) < abs(bed[0]) / 2, f"admissions {adm[0]:+.1%} [{adm[1]:+.1%}, {adm[2]:+.1%}]"))
    elif p.scenario == "coordinator_universal":
        cost = p.difference("cost_total_dkk")
        inter = p.difference("interfaces_per_patient_year")
        out.append(("total cost rises more than it saves", "SST 2013 l.1953-1956",
                    cost[1] > 0, f"{cost[0]:+,.0f} DKK [{cost[1]:+,.0f}, {cost[2]:+,.0f}]"))
        out.append(("interfaces per patient rise", "SST 2013 l.1953-1956",
                    inter[1] > 0, f"{inter[0]:+.3f} [{inter[1]:+.3f}, {inter[2]:+.3f}] per patient-year"))
    elif p.scenario == "telemonitoring_substitution":
        visits = p.difference("outpatient_visits_per_1000py")
        out.append(("substitution lowers outpatient visits", "SST 2013 l.3778-3782, l.3858",
                    visits[2] < 0, f"{visits[0]:+.1f} [{visits[1]:+.1f}, {visits[2]:+.1f}] per 1,000 patient-years"))
        cost = rel("cost_in_window")
        total = p.difference("cost_total_dkk")
        out.append(("substitution lowers total cost (monitored patients, all payers incl. monitoring)", "SST 2013 l.3770-3776",
                    cost[2] < 0, f"{cost[0]:+.1%} [{cost[1]:+.1%}, {cost[2]:+.1%}]; catchment total {total[0]:+,.0f} DKK [{total[1]:+,.0f}, {total[2]:+,.0f}]"))
    elif p.scenario == "municipal_acute_beds":
        ed, adm = p.difference("ed_visits_per_1000py"), p.difference("acute_admissions_per_1000py")
        hosp, mun = p.difference("cost_hospital_dkk"), p.difference("cost_municipality_dkk")
        ret = p.difference("acute_care_return_rate_30d")
        out.append(("ED visits and acute admissions fall", "Slides l.147-149; VIVE 2018 l.1864-1865",
                    ed[2] < 0 and adm[2] < 0, f"ED {ed[0]:+.1f} [{ed[1]:+.1f}, {ed[2]:+.1f}], admissions {adm[0]:+.1f} "
                    f"[{adm[1]:+.1f}, {adm[2]:+.1f}] per 1,000 patient-years"))
        out.append(("cost moves from the hospital to the municipality", "Slides l.147-149 (capacity move)",
                    hosp[2] < 0 and mun[1] > 0, f"hospital {hosp[0]:+,.0f}, municipality {mun[0]:+,.0f} DKK"))
        out.append(("returns to acute care (municipal stays counted) do not fall", "assumption: a municipal stay is not an admission",
                    ret[2] > -0.005, f"{ret[0]:+.4f} [{ret[1]:+.4f}, {ret[2]:+.4f}]"))
    elif p.scenario == "extended_responsibility_72h":
        ed72, enq = p.difference("ed_visits_within_72h_of_discharge_per_1000py"), p.difference("ward_enquiries_per_1000py")
        readmit = p.difference("readmission_rate_30d")
        out.append(("ED visits within 72 hours of discharge fall; the ward's enquiries rise", "Slides l.140-142, l.151-152 (access)",
                    ed72[2] < 0 and enq[1] > 0, f"ED {ed72[0]:+.2f} [{ed72[1]:+.2f}, {ed72[2]:+.2f}], enquiries {enq[0]:+.1f} per 1,000 patient-years"))
        out.append(("readmissions are not worse", "Slides l.151-152 (unclear regarding effect)",
                    readmit[0] < 0.005, f"{readmit[0]:+.4f} [{readmit[1]:+.4f}, {readmit[2]:+.4f}]"))
    elif p.scenario == "health_coach":
        gp = rel("gp_deterioration_contacts")
        out.append(("GP contacts about deteriorations of coached patients fall", "VIVE 2018 l.2234-2239",
                    gp[2] < 0, f"{gp[0]:+.1%} [{gp[1]:+.1%}, {gp[2]:+.1%}]"))
        if "PAM-1 share of coached, case start" not in p.extras:
            # a coaching case lasts a year: a shorter run has no finished case to judge (a failed check, not a crash)
            out.append(("PAM-1 share of coached patients falls (reference 41% -> 26%)", "VIVE 2018 l.2262",
                        False, "no coaching case finished within the run"))
            return out
        start = mean_and_interval(p.extras["PAM-1 share of coached, case start"])
        end = mean_and_interval(p.extras["PAM-1 share of coached, case end"])
        out.append(("PAM-1 share of coached patients falls (reference 41% -> 26%)", "VIVE 2018 l.2262",
                    end[2] < start[1], f"{start[0]:.0%} -> {end[0]:.0%}"))
    return out


def telemonitoring_checks(substitution: Paired, parallel: Paired) -> list[tuple[str, str, bool, str]]:
    """Parallel vs substitution, paired replication by replication (both differ from the same baseline run)."""
    mean, half = paired_difference(parallel.kpi_diffs["cost_total_dkk"], substitution.kpi_diffs["cost_total_dkk"])
    cost = mean, mean - half, mean + half
    gain_sub = -substitution.difference("acute_admissions_per_1000py")[0]
    gain_par = -parallel.difference("acute_admissions_per_1000py")[0]
    return [
        ("the parallel system keeps the clinical gain (fewer acute admissions, within a third of substitution's)",
         "SST 2013 l.3817-3819", gain_par > 0 and abs(gain_par - gain_sub) < min(gain_sub, gain_par) / 3,
         f"acute admissions per 1,000 patient-years {-gain_par:+.1f} (parallel) vs {-gain_sub:+.1f} (substitution)"),
        ("but costs more than substitution", "SST 2013 l.392-397, l.3770-3776",
         cost[1] > 0, f"{cost[0]:+,.0f} DKK [{cost[1]:+,.0f}, {cost[2]:+,.0f}] (parallel - substitution)"),
    ]
