"""The report's figures (matplotlib, Agg backend: no display needed). Each function writes one PNG and
returns its path. Sizes and fonts are chosen to stay readable on a projector: one panel per KPI, scenario
names on the y axis, intervals whose CI contains 0 drawn hollow and grey."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.outcomes import KPI_BY_NAME  # noqa: E402

from .analysis import NOT_DISTINGUISHABLE, NO_CI  # noqa: E402
from .narrative import kpi_words  # noqa: E402

plt.rcParams.update({"font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "figure.dpi": 100,
                     "axes.spines.top": False, "axes.spines.right": False})
CLEAR, UNCLEAR, BASE = "#1f5f9e", "#9a9a9a", "#444444"
TIER_COLOURS = {"tier=high": "#b2182b", "tier=moderate": "#ef8a62", "tier=low": "#4393c3"}
DPI = 110


def _save(fig, path: Path) -> Path:
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return path


def _title(kpi: str) -> str:
    unit = KPI_BY_NAME[kpi].unit if kpi in KPI_BY_NAME else ""
    words = kpi_words(kpi)
    return f"{words}\n[{unit}]" if unit and "(" not in words and unit not in words else words


def _interval_panel(ax, rows: pd.DataFrame, labels: list[str]) -> None:
    """Differences with 95% CIs, one row per label (top to bottom), a line at zero."""
    y = {label: len(labels) - 1 - i for i, label in enumerate(labels)}
    for r in rows.itertuples(index=False):
        clear = r.verdict not in (NOT_DISTINGUISHABLE, NO_CI)
        colour = CLEAR if clear else UNCLEAR
        if not np.isnan(r.ci_low):
            ax.plot([r.ci_low, r.ci_high], [y[r.label]] * 2, color=colour, lw=2.5, solid_capstyle="butt")
        ax.plot(r.difference, y[r.label], "o", ms=8, color=colour, mfc=colour if clear else "white", mew=2)
    ax.axvline(0.0, color=BASE, lw=1)
    ax.set_yticks(range(len(labels)), labels[::-1])
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.grid(axis="x", alpha=0.3)


def forest(diffs: pd.DataFrame, kpis, labels: list[str], path: Path, title: str) -> Path:
    """Paired differences against baseline, one panel per KPI (two columns)."""
    kpis = [k for k in kpis if k in set(diffs.kpi)]
    cols = 2 if len(kpis) > 1 else 1
    rows = int(np.ceil(len(kpis) / cols))
    height = max(2.2, 0.42 * len(labels) + 1.4)
    fig, axes = plt.subplots(rows, cols, figsize=(7.2 * cols, height * rows), squeeze=False)
    for ax, kpi in zip(axes.flat, kpis):
        _interval_panel(ax, diffs[diffs.kpi == kpi], labels)
        ax.set_title(_title(kpi), loc="left")
        ax.set_xlabel("difference from baseline (scenario − baseline)")
    for ax in axes.flat[len(kpis):]:
        ax.set_visible(False)
    for ax in axes[:, 1:].flat:
        ax.set_yticklabels([])
    fig.suptitle(title + "\n(filled: 95% CI excludes 0; hollow grey: not distinguishable from zero)", x=0.01, ha="left")
    fig.tight_layout()
    return _save(fig, path)


def cost_outcome_plane(diffs: pd.DataFrame, outcomes, labels: list[str], path: Path) -> Path:
    """Δ cost per patient-year (y) against Δ outcome (x), one panel per outcome, with 95% CIs both ways."""
    outcomes = [k for k in outcomes if k in set(diffs.kpi)]
    fig, axes = plt.subplots(1, len(outcomes), figsize=(8.0 * len(outcomes), 7.0), squeeze=False)
    cost = diffs[diffs.kpi == "cost_per_patient_year_dkk"].set_index("label")
    markers = "osD^vP*XhpH<>8"
    for ax, kpi in zip(axes.flat, outcomes):
        effect = diffs[diffs.kpi == kpi].set_index("label")
        reach_x, reach_y = [0.0], [0.0]
        for i, label in enumerate(labels):
            if label not in effect.index or label not in cost.index:
                continue
            e, c = effect.loc[label], cost.loc[label]
            reach_x += [abs(v) for v in (e.difference, e.ci_low, e.ci_high) if np.isfinite(v)]
            reach_y += [abs(v) for v in (c.difference, c.ci_low, c.ci_high) if np.isfinite(v)]
            colour = plt.cm.tab10(i % 10)
            if not np.isnan(e.ci_low):
                ax.plot([e.ci_low, e.ci_high], [c.difference] * 2, color=colour, lw=1.5, alpha=0.8)
                ax.plot([e.difference] * 2, [c.ci_low, c.ci_high], color=colour, lw=1.5, alpha=0.8)
            ax.plot(e.difference, c.difference, markers[i % len(markers)], ms=10, color=colour, label=label)
        # the origin (the baseline) in the middle, so each corner label names its quadrant
        ax.set_xlim(-1.15 * max(reach_x) or -1, 1.15 * max(reach_x) or 1)
        ax.set_ylim(-1.15 * max(reach_y) or -1, 1.15 * max(reach_y) or 1)
        ax.axhline(0, color=BASE, lw=1)
        ax.axvline(0, color=BASE, lw=1)
        ax.set_xlabel(f"Δ {_title(kpi)}".replace("\n", " "))
        ax.set_ylabel("Δ cost per patient-year (DKK)")
        ax.grid(alpha=0.3)
        # the quadrants in words (fewer events is better)
        for (x, y, text) in ((0.02, 0.97, "costs more, fewer events\n(trade-off)"), (0.98, 0.97, "costs more, more events\n(dominated)"),
                             (0.02, 0.03, "costs less, fewer events\n(dominant)"), (0.98, 0.03, "costs less, more events")):
            ax.text(x, y, text, transform=ax.transAxes, ha="left" if x < 0.5 else "right",
                    va="top" if y > 0.5 else "bottom", fontsize=10, color="#666666")
    axes.flat[-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=11)
    fig.suptitle("Cost against outcome: paired differences from baseline with 95% CIs", x=0.01, ha="left")
    fig.tight_layout()
    return _save(fig, path)


def wait_distributions(waits: pd.DataFrame, labels: list[str], path: Path) -> Path:
    """Per wait KPI, one box per scenario over replications, with the replications as dots.
    ``waits``: columns label, kpi, value (one row per replication; team intake waits labelled per team)."""
    kpis = list(dict.fromkeys(waits.kpi))
    cols = 2 if len(kpis) > 1 else 1
    rows = int(np.ceil(len(kpis) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(7.5 * cols, max(2.5, 0.42 * len(labels) + 1.6) * rows), squeeze=False)
    for ax, kpi in zip(axes.flat, kpis):
        mine = waits[waits.kpi == kpi]
        order = [lab for lab in labels if lab in set(mine.label)] + sorted(set(mine.label) - set(labels))
        data = [mine[mine.label == lab].value.dropna().to_numpy() for lab in order]
        positions = np.arange(len(order))[::-1]
        ax.boxplot(data, positions=positions, orientation="horizontal", widths=0.6, showfliers=False,
                   medianprops={"color": CLEAR, "lw": 2})
        rng = np.random.default_rng(0)  # fixed jitter: the figure is reproducible
        for pos, d in zip(positions, data):
            ax.plot(d, pos + rng.uniform(-0.15, 0.15, d.size), ".", color=BASE, alpha=0.6, ms=5)
        ax.set_yticks(positions, order)
        ax.set_title(_title(kpi), loc="left")
        ax.grid(axis="x", alpha=0.3)
    for ax in axes.flat[len(kpis):]:
        ax.set_visible(False)
    fig.suptitle("Waits: distribution over replications (box: quartiles; dots: replications)", x=0.01, ha="left")
    fig.tight_layout()
    return _save(fig, path)


def series_bands(bands: pd.DataFrame, column: str, labels: list[str], baseline: str, warmup: float,
                 truncation: dict[str, int], path: Path) -> Path:
    """One small panel per scenario: its daily mean with the 95% band across replications, the baseline's
    mean in grey, the warm-up shaded and the MSER-5 truncation as a dashed line.
    ``bands``: columns label, day, mean, low, high for this series."""
    n = len(labels)
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(5.6 * cols, 3.0 * rows + 0.8), squeeze=False, sharex=True, sharey=True)
    base = bands[bands.label == baseline]
    for ax, label in zip(axes.flat, labels):
        mine = bands[bands.label == label]
        ax.axvspan(0, warmup, color="#eeeeee", lw=0)
        if label != baseline and len(base):
            ax.plot(base.day, base["mean"], color=UNCLEAR, lw=1.2, label="baseline")
        ax.fill_between(mine.day, mine.low, mine.high, color=CLEAR, alpha=0.25, lw=0)
        ax.plot(mine.day, mine["mean"], color=CLEAR, lw=1.4, label=label)
        if label in truncation:
            ax.axvline(truncation[label], color="#b2182b", ls="--", lw=1.2)
        ax.set_title(label, loc="left", fontsize=12)
        ax.grid(alpha=0.3)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax in axes[-1, :]:
        ax.set_xlabel("simulated day")
    fig.suptitle(f"{column.replace('_', ' ')}: daily mean over replications with 95% band; grey line: baseline; "
                 f"shaded: warm-up ({warmup:g} days); dashed: MSER-5 truncation", x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return _save(fig, path)


def tier_forest(diffs: pd.DataFrame, kpis, labels: list[str], path: Path) -> Path:
    """Paired differences per risk tier: one panel per KPI, the three tiers side by side per scenario."""
    kpis = [k for k in kpis if k in set(diffs.kpi)]
    cols = 2 if len(kpis) > 1 else 1
    rows = int(np.ceil(len(kpis) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(7.2 * cols, max(2.5, 0.55 * len(labels) + 1.6) * rows), squeeze=False)
    offsets = {"tier=high": 0.22, "tier=moderate": 0.0, "tier=low": -0.22}
    for ax, kpi in zip(axes.flat, kpis):
        mine = diffs[diffs.kpi == kpi]
        for r in mine.itertuples(index=False):
            y = len(labels) - 1 - labels.index(r.label) + offsets.get(r.group, 0.0)
            colour = TIER_COLOURS.get(r.group, BASE)
            clear = r.verdict not in (NOT_DISTINGUISHABLE, NO_CI)
            if not np.isnan(r.ci_low):
                ax.plot([r.ci_low, r.ci_high], [y, y], color=colour, lw=2)
            ax.plot(r.difference, y, "o", color=colour, mfc=colour if clear else "white", mew=1.8, ms=7)
        ax.axvline(0, color=BASE, lw=1)
        ax.set_yticks(range(len(labels)), labels[::-1])
        ax.set_ylim(-0.7, len(labels) - 0.3)
        ax.set_title(_title(kpi), loc="left")
        ax.grid(axis="x", alpha=0.3)
    for ax in axes.flat[len(kpis):]:
        ax.set_visible(False)
    for ax in axes[:, 1:].flat:
        ax.set_yticklabels([])
    handles = [plt.Line2D([], [], color=c, marker="o", lw=2, label=g.split("=")[1] + " risk") for g, c in TIER_COLOURS.items()]
    fig.legend(handles=handles, loc="upper right", ncol=3, frameon=False)
    fig.suptitle("Paired differences from baseline by risk tier at entry (hollow: not distinguishable from zero)",
                 x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return _save(fig, path)
