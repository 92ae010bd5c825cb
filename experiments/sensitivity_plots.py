"""The Morris screening's figure: per output, mu* of every parameter as bars, sigma as dots, the noise as a line."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from sim.io import atomic_write  # noqa: E402

STYLE = {"font.size": 11, "axes.titlesize": 12, "axes.spines.top": False, "axes.spines.right": False}


def draw(results, path: Path) -> Path:
    """Write the figure of ``results`` (an ``experiments.sensitivity_results.Results``) with one panel per output,
    parameters sorted by mu* within each; return its path."""
    s = results.summary()
    outs = results.outputs()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context(STYLE):
        columns = 3
        rows = int(np.ceil(len(outs) / columns))
        height = max(3.0, 0.32 * len(results.factors) + 1.4)
        fig, axes = plt.subplots(rows, columns, figsize=(17.5, height * rows), squeeze=False)
        for ax, (oid, _, label) in zip(axes.flat, outs):
            part = s[s.output == oid].sort_values("mu_star")
            y = np.arange(len(part))
            colours = np.where(part.signal, "#1f4e79", "#b0b7c3")
            ax.barh(y, part.mu_star, color=colours)
            ax.plot(part.sigma, y, "o", color="#d2691e", label="sigma (non-linearity, interaction)")
            floor = part.noise_floor.iloc[0]
            if np.isfinite(floor) and floor > 0:
                ax.axvline(floor, color="#b22222", linestyle="--", label="noise floor, all steps (a parameter without effect stays left of it)")
            ax.set_yticks(y, part.factor)
            ax.set_title(label.replace(": ", ":\n").replace(" (usual care)", "\n(usual care)"))
            ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4))
        for ax in list(axes.flat)[len(outs):]:
            ax.axis("off")
        handles, labels = axes.flat[0].get_legend_handles_labels()
        handles = [Patch(color="#1f4e79"), Patch(color="#b0b7c3"), *handles]
        labels = ["mu* (mean |effect| over the range)", "mu* within that parameter's noise", *labels]
        fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False)
        fig.suptitle(f"Morris screening: {results.design.trajectories} trajectories, {results.replications} paired "
                     f"replication(s) per point, {results.years:g} simulated year(s), {results.population} catchment")
        fig.tight_layout(rect=(0, 0.07, 1, 0.96), w_pad=3)
        atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
        plt.close(fig)
    return path
