"""Figures of the specialisation dilemma, readable on a projector (large type, thick lines, 95% bands)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from experiments.dilemma_results import COMPLEX, SIMPLE, Results, optimum  # noqa: E402
from sim.statistics import mean_ci  # noqa: E402

LABELS = {
    "adverse_transition_share": "adverse transitions\n(share of discharges)",
    "readmission_rate_30d": "30-day readmission rate",
    "cost_per_patient_year_dkk": "cost per patient-year (DKK)",
    "coordinators_per_discharge": "coordinators per discharge",
    "coordinator_interfaces_per_discharge": "coordinator links\nper discharge",
    "team_intake_wait_mean_days": "coordinator intake wait (days)",
    "team_waiting_list_mean": "patients waiting for a coordinator",
}
GROUP_LABELS = {"all": "all patients", SIMPLE: "1 condition (simple)", "conditions=2": "2 conditions",
                COMPLEX: "3+ conditions (complex)", "tier=high": "high-risk patients"}
COLOURS = {"all": "#1f4e79", SIMPLE: "#2e8b57", "conditions=2": "#b8860b", COMPLEX: "#b22222",
           "diffusion off": "#2e8b57", "diffusion on": "#b22222", "generic": "#1f4e79", "disease-specific": "#d2691e"}
STYLE = {"font.size": 16, "axes.titlesize": 18, "axes.labelsize": 16, "legend.fontsize": 14,
         "lines.linewidth": 3, "lines.markersize": 9, "axes.spines.top": False, "axes.spines.right": False}


def _band(ax, results: Results, curve: str, line: str, group: str, kpi: str, label: str, colour: str,
          relative: bool = False):
    """Mean and 95% band over replications. ``relative``: the paired difference from the curve's own minimum,
    replication by replication (common random numbers), so curves of different groups compare in shape."""
    matrix = results.values(curve, line, group, kpi)
    best = optimum(matrix)
    if relative:
        matrix = matrix.sub(matrix[best.x], axis=0)
    x = matrix.columns.to_numpy(dtype=float)
    mean, half = np.array([mean_ci(matrix[column]) for column in matrix.columns]).T
    ax.plot(x, mean, "o-", color=colour, label=label)
    ax.fill_between(x, mean - half, mean + half, color=colour, alpha=0.18, linewidth=0)
    ax.axvline(best.x, color=colour, linestyle=":", linewidth=2)
    return best


def _finish(fig, title: str, results: Results, path: Path) -> Path:
    fig.suptitle(title, fontweight="bold")
    fig.text(0.99, 0.005, f"{results.replications} replications per point, common random numbers; band = 95% CI; "
             f"dotted line = minimum", ha="right", va="bottom", fontsize=11, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _curves(results: Results, curve: str, lines: tuple[str, ...], kpis: tuple[str, ...], xlabel: str, title: str,
            path: Path) -> Path:
    """One panel per KPI, one line per ``lines`` (all patients), with bands and minima."""
    fig, axes = plt.subplots(1, len(kpis), figsize=(4 * len(kpis) + 6, 6))
    for ax, kpi in zip(axes, kpis):
        for line in lines:
            label = GROUP_LABELS["all"] if len(lines) == 1 else line
            _band(ax, results, curve, line, "all", kpi, label, COLOURS["all"] if len(lines) == 1 else COLOURS[line])
        ax.set(xlabel=xlabel, ylabel=LABELS[kpi])
    if len(lines) > 1:
        axes[0].legend()
    return _finish(fig, title, results, path)


def specialisation(results: Results, out: Path) -> Path:
    return _curves(results, "level", ("no coordinators",), ("adverse_transition_share", "readmission_rate_30d"),
                   "specialisation level (hospital units per condition)",
                   "More specialised units: better care inside, more fragile transitions", out / "dilemma-specialisation.png")


def coordinators(results: Results, out: Path) -> Path:
    return _curves(results, "coordinators", ("diffusion on",),
                   ("adverse_transition_share", "readmission_rate_30d", "cost_per_patient_year_dkk"),
                   "coordinator functions per patient",
                   "Coordinators repair transitions - until they become interfaces themselves", out / "dilemma-coordinators.png")


def optimum_moves(results: Results, out: Path) -> Path:
    fig, axes = plt.subplots(1, 2, figsize=(15, 6))
    for group in (SIMPLE, COMPLEX):
        _band(axes[0], results, "level", "no coordinators", group, "adverse_transition_share",
              GROUP_LABELS[group], COLOURS[group], relative=True)
        _band(axes[1], results, "coordinators", "diffusion on", group, "adverse_transition_share",
              GROUP_LABELS[group], COLOURS[group], relative=True)
    axes[0].set(xlabel="specialisation level (units per condition)", ylabel="adverse transitions above\nthe group's best (paired)")
    axes[1].set(xlabel="coordinator functions per patient", ylabel="adverse transitions above\nthe group's best (paired)")
    axes[1].legend(loc="upper center")
    return _finish(fig, "The optimum moves with complexity", results, out / "dilemma-optimum.png")


def diffusion(results: Results, out: Path) -> Path:
    return _curves(results, "coordinators", ("diffusion off", "diffusion on"),
                   ("adverse_transition_share", "readmission_rate_30d"), "coordinator functions per patient",
                   "Responsibility diffusion: the others relax when a coordinator is there", out / "dilemma-diffusion.png")


def design(results: Results, out: Path) -> Path:
    summary = results.summary()
    groups = (SIMPLE, "conditions=2", COMPLEX)
    kpis = ("coordinators_per_discharge", "coordinator_interfaces_per_discharge", "adverse_transition_share")
    fig, axes = plt.subplots(1, 3, figsize=(18, 6))
    width = 0.38
    for ax, kpi in zip(axes, kpis):
        for i, line in enumerate(("generic", "disease-specific")):
            sel = summary[(summary.curve == "design") & (summary.line == line) & (summary.kpi == kpi)].set_index("group")
            means = [sel.loc[g, "mean"] for g in groups]
            halves = [sel.loc[g, "half_width"] for g in groups]
            ax.bar(np.arange(3) + (i - 0.5) * width, means, width, yerr=halves, capsize=6, color=COLOURS[line], label=line)
        ax.set_xticks(np.arange(3), ["1", "2", "3+"])
        ax.set(xlabel="conditions per patient", ylabel=LABELS[kpi])
    axes[0].legend()
    return _finish(fig, "Disease-specific or generic coordinators, at equal staff", results, out / "dilemma-design.png")


def cases(results: Results, out: Path) -> Path:
    summary = results.summary()
    sel = summary[summary.curve == "cases"]
    order = sorted(sel.x.unique(), key=lambda d: (d != 0, -d))  # open-ended first, then shorter cases
    names = ["open-ended" if d == 0 else f"{d:g} days" for d in order]
    fig, axes = plt.subplots(1, 3, figsize=(18, 6))
    for ax, (group, kpi) in zip(axes, (("coordinators", "team_intake_wait_mean_days"),
                                       ("coordinators", "team_waiting_list_mean"),
                                       ("tier=high", "readmission_rate_30d"))):
        part = sel[(sel.group == group) & (sel.kpi == kpi)].set_index("x")
        ax.bar(range(len(order)), [part.loc[d, "mean"] for d in order], yerr=[part.loc[d, "half_width"] for d in order],
               capsize=6, color=["#b22222"] + ["#1f4e79"] * (len(order) - 1))
        ax.set_xticks(range(len(order)), names, rotation=20)
        ax.set(xlabel="coordinator case length", ylabel=LABELS[kpi] + (" (high risk)" if group == "tier=high" else ""))
    return _finish(fig, "Open-ended cases fill the caseload: the intake queue", results, out / "dilemma-cases.png")


FIGURES = {"level": specialisation, "coordinators": coordinators, "optimum": optimum_moves, "diffusion": diffusion,
           "design": design, "cases": cases}


def draw(results: Results, curves, out: Path) -> list[Path]:
    with plt.rc_context(STYLE):
        return [FIGURES[curve](results, Path(out)) for curve in curves]
