"""What makes the report's figures readable on a projector, in one place: a colour-blind-safe palette with a
distinct marker per scenario, plain tick labels (no offset or exponent), titles that cannot collide
(constrained layout) and axes clipped to the bulk of the data with the outliers marked at the edge."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402
from PIL import Image  # noqa: E402  (matplotlib's own dependency)

plt.rcParams.update({"font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "figure.dpi": 100,
                     "axes.spines.top": False, "axes.spines.right": False,
                     "axes.formatter.useoffset": False, "axes.formatter.use_mathtext": False})

# Okabe & Ito (2008), without its yellow (too pale on white under a projector); black last
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
MARKERS = ("o", "s", "D", "^", "v", "P", "X")
CLEAR, UNCLEAR, BASE = "#0072B2", "#8c8c8c", "#444444"
TIER_STYLE = {"tier=high": ("#D55E00", "^"), "tier=moderate": ("#E69F00", "s"), "tier=low": ("#0072B2", "o")}
OUTLIER_FACTOR = 4.0   # a value more than 4 times the largest of the others is drawn at the edge, not to scale
DPI = 110
SERIES_DPI = 90       # the daily-series grids: many panels, each still legible at this resolution


def style(i: int) -> tuple[str, str]:
    """(colour, marker) of the i-th scenario: distinct pairs for up to 49 scenarios."""
    n = len(PALETTE)
    return PALETTE[i % n], MARKERS[(i + i // n) % len(MARKERS)]


def plain_number(x: float, _pos=None) -> str:
    """A tick label without offset or exponent: 1,250 / 3.5 M / 0.012."""
    ax = abs(x)
    if ax == 0:
        return "0"
    if ax >= 1e6:
        return f"{x / 1e6:,.3g} M"
    if ax >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def plain_axes(ax) -> None:
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(plain_number))


def figure(rows: int, cols: int, width: float, height: float, **kwargs):
    """A grid of panels with constrained layout (titles, suptitle and legends never overlap) and plain ticks."""
    fig, axes = plt.subplots(rows, cols, figsize=(width, height), squeeze=False, layout="constrained", **kwargs)
    for ax in axes.flat:
        plain_axes(ax)
    return fig, axes


def save(fig: Figure, path: Path, dpi: int = DPI) -> Path:
    """Write the PNG with an adaptive 256-colour palette (what a chart needs; about half the bytes of full
    colour, which keeps the self-contained pages a few MB)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=dpi, format="png")
    plt.close(fig)
    image = Image.open(buffer).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, "PNG", compress_level=6)
    return Path(path)


def outliers(extents) -> np.ndarray:
    """Which entries are outliers: the fewest largest entries (at most a third, with three or more entries)
    that exceed OUTLIER_FACTOR times the largest of the rest."""
    e = np.asarray(extents, dtype=float)
    flags = np.zeros(e.size, dtype=bool)
    finite = np.flatnonzero(np.isfinite(e))
    if finite.size < 3:
        return flags
    order = finite[np.argsort(e[finite])]          # indices of the finite entries, ascending
    for k in range(1, finite.size // 3 + 1):
        rest_max = e[order[-k - 1]]
        if rest_max > 0 and e[order[-k]] > OUTLIER_FACTOR * rest_max:
            flags[order[-k:]] = True
            break
    return flags


def clipped_range(values, keep: np.ndarray, include=(0.0,), pad: float = 0.08) -> tuple[float, float]:
    """(low, high) covering the kept values and ``include``, padded."""
    v = np.asarray(values, dtype=float)[keep] if np.any(keep) else np.asarray([], dtype=float)
    v = np.concatenate([v[np.isfinite(v)], np.asarray(include, dtype=float)])
    lo, hi = float(v.min()), float(v.max())
    span = hi - lo or max(abs(hi), 1.0)
    return lo - pad * span, hi + pad * span


def mark_outlier(ax, value: float, y: float, axis: str = "x", text: str | None = None, colour: str = BASE) -> None:
    """An off-scale value: a triangle at the axis edge pointing outwards, labelled with the value."""
    lo, hi = (ax.get_xlim() if axis == "x" else ax.get_ylim())
    at_high = value > hi
    edge = hi if at_high else lo
    label = text or f"{plain_number(value)} (off scale)"
    if axis == "x":
        ax.plot(edge, y, ">" if at_high else "<", ms=11, color=colour, clip_on=False, zorder=5)
        ax.annotate(label, (edge, y), xytext=(-8 if at_high else 8, 8), textcoords="offset points",
                    ha="right" if at_high else "left", fontsize=10, color=colour)
    else:
        ax.plot(y, edge, "^" if at_high else "v", ms=11, color=colour, clip_on=False, zorder=5)
        ax.annotate(label, (y, edge), xytext=(6, -14 if at_high else 6), textcoords="offset points",
                    fontsize=10, color=colour)
