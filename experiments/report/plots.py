"""The report's figures. Each ``*_figure`` function builds a matplotlib Figure (the tests inspect it;
``figures.py`` plans which are drawn and ``figure_style.save`` writes them). Style (palette, markers, plain ticks,
outliers at the edge) is in ``figure_style``; titles carry each unit once; shares are drawn within [0, 1]."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .analysis import NO_CI, NOT_DISTINGUISHABLE
from .figure_style import BASE, CLEAR, TIER_STYLE, UNCLEAR, clipped_range, figure, mark_outlier, outliers, style
from .narrative import kpi_label, kpi_unit, kpi_words
from .verdicts import GROUPS

GROUP_TAGS = {"better": "better/cheaper", "trade_off": "trade-off", "worse": "worse", "unclear": "unclear"}
SERIES_UNITS = {"medical_beds_occupied": "beds", "psychiatric_beds_occupied": "beds", "boarding": "patients",
                "home_nursing_in_use": "places", "gp_same_day_lead_days": "days", "outpatient_lead_days": "days",
                "team_caseload": "patients", "team_waiting_list": "patients"}
assert set(GROUP_TAGS) == set(GROUPS)


def _scale(kpi: str) -> tuple[float, str]:
    """Differences of shares are drawn in percentage points."""
    unit = kpi_unit(kpi)
    return (100.0, "percentage points") if unit.startswith("share") else (1.0, unit)


def _diff_title(kpi: str) -> str:
    scale, unit = _scale(kpi)
    return f"{kpi_words(kpi)} ({unit})" if scale != 1.0 else kpi_label(kpi)


def _interval_panel(ax, rows: pd.DataFrame, labels: list[str], scale: float = 1.0, offsets=None, colours=None) -> None:
    """Differences with 95% CIs, one row per label (top to bottom), a line at zero, the outliers at the edge."""
    y0 = {label: len(labels) - 1 - i for i, label in enumerate(labels)}
    rows = rows[rows.label.isin(y0)]
    lo, hi, mid = (rows[c].to_numpy(float) * scale for c in ("ci_low", "ci_high", "difference"))
    extent = np.nanmax(np.abs(np.vstack([lo, hi, mid])), axis=0) if len(rows) else np.array([])
    off = outliers(extent)
    ax.set_xlim(*clipped_range(np.concatenate([lo, hi, mid]), np.tile(~off, 3)))
    for i, r in enumerate(rows.itertuples(index=False)):
        y = y0[r.label] + (offsets or {}).get(getattr(r, "group", ""), 0.0)
        clear = r.verdict not in (NOT_DISTINGUISHABLE, NO_CI)
        colour, marker = (colours or {}).get(getattr(r, "group", ""), (CLEAR if clear else UNCLEAR, "o"))
        if off[i]:
            mark_outlier(ax, mid[i], y, text=f"{mid[i]:+,.3g} [{lo[i]:+,.3g}, {hi[i]:+,.3g}]", colour=colour)
            continue
        if np.isfinite(lo[i]):
            ax.plot([lo[i], hi[i]], [y, y], color=colour, lw=2.5, solid_capstyle="butt")
        ax.plot(mid[i], y, marker, ms=8, color=colour, mfc=colour if clear else "white", mew=2)
    ax.axvline(0.0, color=BASE, lw=1)
    ax.set_yticks(range(len(labels)), labels[::-1])
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.grid(axis="x", alpha=0.3)


def _panels(n: int, labels: list[str], per_row: float, width: float = 7.4):
    cols = 2 if n > 1 else 1
    rows = int(np.ceil(n / cols))
    return figure(rows, cols, width * cols, max(2.4, per_row * len(labels) + 1.2) * rows)


def _hide_spare(axes, used: int, shared_rows: bool = True) -> None:
    """Hide unused panels; with the same rows in every panel, label them in the first column only."""
    for ax in axes.flat[used:]:
        ax.set_visible(False)
    if shared_rows:
        for ax in axes[:, 1:].flat:
            ax.tick_params(labelleft=False)


def forest_figure(diffs: pd.DataFrame, kpis, labels: list[str], title: str):
    """Paired differences against baseline, one panel (and x axis) per KPI."""
    kpis = [k for k in kpis if k in set(diffs.kpi)]
    fig, axes = _panels(len(kpis), labels, 0.42)
    for ax, kpi in zip(axes.flat, kpis):
        _interval_panel(ax, diffs[diffs.kpi == kpi], labels, _scale(kpi)[0])
        ax.set_title(_diff_title(kpi), loc="left")
        ax.set_xlabel("scenario − baseline")
    _hide_spare(axes, len(kpis))
    handles = [plt.Line2D([], [], color=CLEAR, marker="o", lw=2.5, ms=8, label="95% CI excludes 0"),
               plt.Line2D([], [], color=UNCLEAR, marker="o", mfc="white", lw=2.5, ms=8, mew=2, label=NOT_DISTINGUISHABLE)]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False)
    fig.suptitle(title, x=0.01, ha="left")
    return fig


def cost_outcome_plane_figure(diffs: pd.DataFrame, outcomes, labels: list[str], groups: dict[str, str] | None = None):
    """Δ cost per patient-year (y) against Δ outcome (x), one panel per outcome, with 95% CIs both ways; each
    scenario's legend entry carries its verdict group (verdicts.py)."""
    outcomes = [k for k in outcomes if k in set(diffs.kpi)]
    fig, axes = figure(1, len(outcomes), 7.0 * len(outcomes) + 3.2, 6.6)
    cost = diffs[diffs.kpi == "cost_per_patient_year_dkk"].set_index("label")
    shown = [lab for lab in labels if lab in cost.index]
    cy = np.array([[cost.loc[lab, c] for c in ("difference", "ci_low", "ci_high")] for lab in shown], dtype=float)
    y_off = outliers(np.nanmax(np.abs(cy), axis=1)) if len(shown) else np.array([], bool)
    for ax, kpi in zip(axes.flat, outcomes):
        scale = _scale(kpi)[0]
        effect = diffs[diffs.kpi == kpi].set_index("label")
        ex = np.array([[effect.loc[lab, c] * scale if lab in effect.index else np.nan
                        for c in ("difference", "ci_low", "ci_high")] for lab in shown], dtype=float).reshape(-1, 3)
        x_off = outliers(np.nanmax(np.abs(ex), axis=1)) if len(shown) else y_off
        ax.set_xlim(*clipped_range(ex.ravel(), np.repeat(~x_off, 3)))
        ax.set_ylim(*clipped_range(cy.ravel(), np.repeat(~y_off, 3)))
        for i, label in enumerate(shown):
            colour, marker = style(labels.index(label))
            tag = f" ({GROUP_TAGS[groups[label]]})" if groups and label in groups else ""
            (x, xl, xh), (y, yl, yh) = ex[i], cy[i]
            if not np.isfinite(x):
                continue
            if x_off[i] or y_off[i]:
                ax.plot([], [], marker, ms=10, color=colour, label=label + tag)
                mark_outlier(ax, x if x_off[i] else y, y if x_off[i] else x, "x" if x_off[i] else "y",
                             f"{label}: {x:+,.3g}, {y:+,.0f} DKK", colour)
                continue
            if np.isfinite(xl):
                ax.plot([xl, xh], [y, y], color=colour, lw=1.5, alpha=0.8)
                ax.plot([x, x], [yl, yh], color=colour, lw=1.5, alpha=0.8)
            ax.plot(x, y, marker, ms=10, color=colour, mec="white", mew=0.8, label=label + tag)
        ax.axhline(0, color=BASE, lw=1)
        ax.axvline(0, color=BASE, lw=1)
        ax.set_xlabel(f"Δ {_diff_title(kpi)}")
        ax.set_ylabel("Δ cost per patient-year (DKK)")
        ax.grid(alpha=0.3)
        for (x, y, text) in ((0.02, 0.98, "costs more, fewer events"), (0.98, 0.98, "costs more, more events"),
                             (0.02, 0.02, "costs less, fewer events"), (0.98, 0.02, "costs less, more events")):
            ax.text(x, y, text, transform=ax.transAxes, ha="left" if x < 0.5 else "right",
                    va="top" if y > 0.5 else "bottom", fontsize=10, color="#555555")
    for ax in axes.flat[1:]:
        ax.set_ylabel("")
    fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="outside right upper", frameon=False, fontsize=11)
    fig.suptitle("Cost against outcome: paired differences from baseline, 95% CIs", x=0.01, ha="left")
    return fig


def wait_figure(waits: pd.DataFrame, labels: list[str]):
    """Per wait KPI, one box per scenario over replications (dots: replications); axes start at 0, shares run
    0-1, and a scenario far beyond the others is marked at the edge with its median."""
    kpis = list(dict.fromkeys(waits.kpi))
    names = [lab for lab in labels] + sorted(set(waits.label) - set(labels))
    fig, axes = _panels(len(kpis), names, 0.42, 7.6)
    rng = np.random.default_rng(0)  # fixed jitter: the figure is reproducible
    for ax, kpi in zip(axes.flat, kpis):
        mine = waits[waits.kpi == kpi]
        order = [lab for lab in names if lab in set(mine.label)]
        data = [mine[mine.label == lab].value.dropna().to_numpy(float) for lab in order]
        positions = np.arange(len(order))[::-1]
        share = kpi_unit(kpi).startswith("share")
        top = np.array([d.max() if d.size else np.nan for d in data])
        off = np.zeros(len(order), bool) if share else outliers(top)
        keep = [i for i in range(len(order)) if not off[i] and data[i].size]
        ax.boxplot([data[i] for i in keep], positions=positions[keep], orientation="horizontal", widths=0.6,
                   showfliers=False, medianprops={"color": CLEAR, "lw": 2})
        for i in keep:
            ax.plot(data[i], positions[i] + rng.uniform(-0.15, 0.15, data[i].size), "o", color=BASE, alpha=0.6, ms=4)
        ax.set_xlim(*((0.0, 1.0) if share else (0.0, clipped_range(top, ~off)[1])))
        for i in np.flatnonzero(off):
            mark_outlier(ax, float(np.median(data[i])), positions[i], text=f"median {np.median(data[i]):,.3g}")
        ax.set_yticks(positions, order)
        ax.set_ylim(-0.7, len(order) - 0.3)
        ax.set_title(kpi_label(kpi), loc="left")
        ax.grid(axis="x", alpha=0.3)
    _hide_spare(axes, len(kpis), shared_rows=False)
    fig.suptitle("Waits over replications (box: quartiles; dots: replications)", x=0.01, ha="left")
    return fig


def series_figure(bands: pd.DataFrame, column: str, labels: list[str], baseline: str, warmup: float,
                  truncation: dict[str, int]):
    """One panel per scenario: its daily mean with the 95% band, the baseline's mean in grey, the warm-up
    shaded, the MSER-5 truncation dashed. One y scale for all, except a scenario far above the rest, which
    gets its own (said in its title)."""
    n = len(labels)
    cols = min(3, n)
    fig, axes = figure(int(np.ceil(n / cols)), cols, 5.6 * cols, 3.0 * int(np.ceil(n / cols)) + 1.0, sharex=True)
    peaks = np.array([bands[bands.label == lab]["high"].fillna(bands["mean"]).max() for lab in labels], float)
    off = outliers(peaks)
    common = (0.0, clipped_range(peaks, ~off, pad=0.05)[1])
    base = bands[bands.label == baseline]
    for i, (ax, label) in enumerate(zip(axes.flat, labels)):
        mine = bands[bands.label == label]
        ax.axvspan(0, warmup, color="#eeeeee", lw=0)
        if label != baseline and len(base):
            ax.plot(base.day, base["mean"], color=UNCLEAR, lw=1.2)
        ax.fill_between(mine.day, mine.low, mine.high, color=CLEAR, alpha=0.25, lw=0)
        ax.plot(mine.day, mine["mean"], color=CLEAR, lw=1.4)
        if label in truncation:
            ax.axvline(truncation[label], color="#D55E00", ls="--", lw=1.2)
        ax.set_ylim(bottom=0) if off[i] else ax.set_ylim(*common)
        ax.set_title(label + (" (own y scale)" if off[i] else ""), loc="left", fontsize=12)
        ax.grid(alpha=0.3)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax in axes[-1, :]:
        ax.set_xlabel("simulated day")
    for ax in axes[:, 0]:
        ax.set_ylabel(SERIES_UNITS.get(column, ""))
    fig.suptitle(f"{column.replace('_', ' ')}: daily mean with 95% band; grey: baseline; shaded: warm-up "
                 f"({warmup:g} days); dashed: MSER-5 truncation", x=0.01, ha="left", fontsize=12)
    return fig


def tier_figure(diffs: pd.DataFrame, kpis, labels: list[str]):
    """Paired differences per risk tier: one panel per KPI, the three tiers side by side per scenario."""
    kpis = [k for k in kpis if k in set(diffs.kpi)]
    fig, axes = _panels(len(kpis), labels, 0.55)
    offsets = {"tier=high": 0.22, "tier=moderate": 0.0, "tier=low": -0.22}
    for ax, kpi in zip(axes.flat, kpis):
        _interval_panel(ax, diffs[diffs.kpi == kpi], labels, _scale(kpi)[0], offsets, TIER_STYLE)
        ax.set_title(_diff_title(kpi), loc="left")
    _hide_spare(axes, len(kpis))
    handles = [plt.Line2D([], [], color=c, marker=m, lw=2, label=g.split("=")[1] + " risk") for g, (c, m) in TIER_STYLE.items()]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
    fig.suptitle("Paired differences by risk tier at entry (hollow: not distinguishable from zero)", x=0.01, ha="left")
    return fig
