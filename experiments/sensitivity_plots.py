"""The Morris screening's figure: per output, mu* of every parameter as bars, sigma as dots, the noise as a line."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from experiments.sensitivity import Results, outputs  # noqa: E402
from sim.io import _atomic  # noqa: E402

STYLE = {"font.size": 11, "axes.titlesize": 12, "axes.spines.top": False, "axes.spines.right": False}


def draw(results: Results, path: Path) -> Path:
    """Write the figure (one panel per output, parameters sorted by mu* within each) and return its path."""
    s = results.summary()
    outs = outputs(results.scenario)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context(STYLE):
        columns = 3
        rows = int(np.ceil(len(outs) / columns))
        height = max(3.0, 0.32 * len(results.factors) + 1.4)
        fig, axes = plt.subplots(rows, columns, figsize=(16, height * rows), squeeze=False)
        for ax, (oid, _, label) in zip(axes.flat, outs):
            part = s[s.output == oid].sort_values("mu_star")
            y = np.arange(len(part))
            ax.barh(y, part.mu_star, color="#1f4e79", label="mu* (mean |effect| over the range)")
            ax.plot(part.sigma, y, "o", color="#d2691e", label="sigma (non-linearity, interaction)")
            noise = part.noise.iloc[0]
            if np.isfinite(noise) and noise > 0:
                ax.axvline(noise, color="#b22222", linestyle="--", label="noise: SE of one effect")
            ax.set_yticks(y, part.factor)
            ax.set_title(label.replace(": ", ":\n"))
            ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4))
        for ax in list(axes.flat)[len(outs):]:
            ax.axis("off")
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=3, frameon=False)
        fig.suptitle(f"Morris screening: {results.design.trajectories} trajectories, {results.replications} paired "
                     f"replications per point, {results.years:g} years, {results.population} catchment")
        fig.tight_layout(rect=(0, 0.05, 1, 0.96))
        _atomic(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
        plt.close(fig)
    return path
