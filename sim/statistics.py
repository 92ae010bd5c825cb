"""Output analysis: MSER-5 warm-up truncation, t-based confidence intervals and paired differences."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def mser5(series) -> int:
    """MSER-5 truncation point (number of observations to delete) of a series.

    The series (usually the mean over replications of a daily output) is averaged in batches of 5;
    the truncation d minimises the squared standard error of the remaining batch means,
    sum((z - mean)^2) / n^2, searched over the first half (White 1997; Hoad, Robinson & Davies 2010
    found MSER-5 the best automatable warm-up rule).
    """
    y = np.asarray(series, dtype=float)
    b = len(y) // 5
    if b < 4:
        return 0
    z = y[: b * 5].reshape(b, 5).mean(axis=1)
    best, best_d = np.inf, 0
    for d in range(b // 2):
        rest = z[d:]
        value = ((rest - rest.mean()) ** 2).sum() / len(rest) ** 2
        if value < best - 1e-15:
            best, best_d = value, d
    return best_d * 5


def mean_ci(values, confidence: float = 0.95) -> tuple[float, float]:
    """Mean and t-interval half-width of independent replications (half-width NaN for fewer than 2)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return float("nan"), float("nan")
    if x.size == 1:
        return float(x[0]), float("nan")
    half = stats.t.ppf(0.5 + confidence / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return float(x.mean()), float(half)


def paired_difference(scenario, baseline, confidence: float = 0.95) -> tuple[float, float]:
    """Mean and t-interval half-width of the paired differences ``scenario - baseline``: element k of each
    is replication k (common random numbers), so the interval is that of the per-replication differences
    (what ``scipy.stats.ttest_rel`` tests): element k of each, or for two pandas Series the same label; a pair
    with a NaN on either side is left out. This is the one
    paired comparison of the project: the CLI, the sweep report and the experiments all use it."""
    if isinstance(scenario, pd.Series) and isinstance(baseline, pd.Series):
        # pairs by label (the replication): one missing on either side is a NaN, left out
        differences = (scenario - baseline).to_numpy(dtype=float)
    else:
        differences = np.asarray(scenario, dtype=float) - np.asarray(baseline, dtype=float)
    return mean_ci(differences, confidence)
