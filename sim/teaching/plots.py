"""The teaching page's plots: one matplotlib figure per entry of ``knobs.PLOTS``, the current run bold and
the earlier runs as faded lines with their settings in the legend. Axes are fixed: months from 0 to the
run's length, and each measure's y range from 0 to its ``y_max`` (raised to a round number only when a run
goes above it), so a line does not jump as the scale moves from step to step."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .knobs import MEASURE_BY_COLUMN
from .runs import Run, labels

# Okabe & Ito (2008): colour-blind-safe; one colour per measure of a plot
COLOURS = ("#0072B2", "#E69F00", "#009E73")
EARLIER_STYLES = ((0.55, "--"), (0.4, ":"), (0.3, "-."))  # (alpha, line style), newest earlier run first


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above ``value``."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def y_top(columns: tuple[str, ...], runs: list[Run]) -> float:
    fixed = max(MEASURE_BY_COLUMN[c].y_max for c in columns)
    highest = max((np.nanmax(r.series[c].to_numpy(float)) for r in runs for c in columns
                   if np.isfinite(r.series[c].to_numpy(float)).any()), default=0.0)
    return fixed if highest <= fixed else nice_ceiling(highest * 1.05)


def _plain(x: float, _pos=None) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}"


def figure(title: str, columns: tuple[str, ...], current: Run | None, earlier: list[Run], months_total: float) -> Figure:
    """One plot: each measure of ``columns`` in its colour; the current run solid with markers, the earlier
    runs faded. Row 0 of a run (the end of the warm-up, before any KPI) is not drawn."""
    fig = Figure(figsize=(6.2, 3.9), layout="constrained")
    ax = fig.add_subplot()
    runs = [*earlier, *([current] if current is not None else [])]
    names = dict(zip((r.number for r in runs), labels(runs)))
    measures = [MEASURE_BY_COLUMN[c] for c in columns]
    for age, run in enumerate(reversed(earlier)):
        alpha, style = EARLIER_STYLES[min(age, len(EARLIER_STYLES) - 1)]
        for colour, m in zip(COLOURS, measures):
            ax.plot(run.months()[1:], run.series[m.column].to_numpy(float)[1:], style, color=colour, alpha=alpha, lw=1.8)
    if current is not None:
        for colour, m in zip(COLOURS, measures):
            ax.plot(current.months()[1:], current.series[m.column].to_numpy(float)[1:], "-o", color=colour, lw=2.4, ms=4)
    ax.set_xlim(0, months_total)
    ax.set_ylim(0, y_top(columns, runs))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 3, 6, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(_plain))
    ax.set_title(title, fontsize=12, loc="left")
    ax.set_xlabel("month of the results window")
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    legend = [ax.plot([], [], "-", color=colour, lw=2.4, label=m.label)[0] for colour, m in zip(COLOURS, measures)] \
        if len(measures) > 1 else []
    if current is not None:
        legend.append(ax.plot([], [], "-o", color="#444444", lw=2.4, ms=4, label=f"this run: {names[current.number]}")[0])
    for age, run in enumerate(reversed(earlier)):
        alpha, style = EARLIER_STYLES[min(age, len(EARLIER_STYLES) - 1)]
        legend.append(ax.plot([], [], style, color="#444444", alpha=alpha, lw=1.8, label=names[run.number])[0])
    if legend:
        fig.legend(handles=legend, fontsize=9, loc="outside lower center", ncol=2, frameon=False)
    return fig
