"""Morris elementary-effects screening, in plain numpy (Morris 1991; Campolongo, Cariboni & Saltelli 2007).

Factors live in the unit hypercube [0, 1]^k on a grid of ``levels`` values {0, 1/(p-1), ..., 1}. A
*trajectory* is k + 1 points: a random base point, then each factor in random order moves once by
+-delta, with delta = p / (2 (p - 1)) (for even p every grid value pairs with exactly one other, so the
levels are sampled evenly). The elementary effect of factor i on a trajectory is

    EE_i = (y(x + delta_i e_i) - y(x)) / delta_i        (delta_i = +-delta, the step taken)

i.e. the change of the output per unit of the factor's normalised range: with a factor mapped linearly
onto [lo, hi], ``EE_i`` is the output's change if the factor went from lo to hi at that slope. Over r
trajectories:

* ``mu_star`` = mean |EE_i| (Campolongo et al. 2007): overall influence; effects of opposite sign do not cancel;
* ``sigma`` = standard deviation of EE_i: non-linearity or interaction with other factors;
* ``mu`` = mean EE_i: the direction, when the effects agree in sign.

Nothing here runs the model: :mod:`experiments.sensitivity` maps the design onto parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def step(levels: int) -> float:
    """Morris' recommended step for ``levels`` grid values: p / (2 (p - 1))."""
    if levels < 2 or levels % 2:
        raise ValueError(f"levels = {levels}: need an even number of grid levels >= 2")
    return levels / (2.0 * (levels - 1))


@dataclass(frozen=True)
class Design:
    """r trajectories of k + 1 points in the unit hypercube.

    ``points[t, j]`` is point j of trajectory t (shape r x (k+1) x k); ``moved[t, j]`` is the factor that
    changes between point j and point j + 1 (shape r x k).
    """
    points: np.ndarray
    moved: np.ndarray
    levels: int

    @property
    def trajectories(self) -> int:
        return self.points.shape[0]

    @property
    def factors(self) -> int:
        return self.points.shape[2]


def trajectories(factors: int, count: int, levels: int, rng: np.random.Generator) -> Design:
    """``count`` random Morris trajectories for ``factors`` factors on a ``levels``-level grid.

    Each factor's base value is drawn uniformly from the grid; it moves up by delta if that stays inside
    [0, 1], otherwise down (for even ``levels`` exactly one of the two is possible, so every level is
    used equally often). The order in which factors move is a random permutation per trajectory.
    """
    if factors < 1:
        raise ValueError(f"factors = {factors}: need at least one factor")
    if count < 1:
        raise ValueError(f"count = {count}: need at least one trajectory")
    delta = step(levels)
    grid = np.arange(levels) / (levels - 1)
    points = np.empty((count, factors + 1, factors))
    moved = np.empty((count, factors), dtype=int)
    for t in range(count):
        x = grid[rng.integers(0, levels, size=factors)]
        direction = np.where(x + delta <= 1.0 + 1e-12, 1.0, -1.0)
        order = rng.permutation(factors)
        points[t, 0] = x
        for j, i in enumerate(order):
            x = x.copy()
            x[i] = round((x[i] + direction[i] * delta) * (levels - 1)) / (levels - 1)  # stay exactly on the grid
            points[t, j + 1] = x
        moved[t] = order
    return Design(points, moved, levels)


def elementary_effects(design: Design, outputs: np.ndarray) -> np.ndarray:
    """Elementary effects, shape r x k (column i: factor i), from outputs at the design's points.

    ``outputs`` has shape r x (k+1), or r x (k+1) x m for m outputs at once (then r x k x m is returned).
    """
    y = np.asarray(outputs, dtype=float)
    r, n, k = design.points.shape
    if y.shape[:2] != (r, n):
        raise ValueError(f"outputs have shape {y.shape}: expected ({r}, {n}, ...) for this design")
    effects = np.empty((r, k) + y.shape[2:])
    for t in range(r):
        for j, i in enumerate(design.moved[t]):
            delta = design.points[t, j + 1, i] - design.points[t, j, i]
            effects[t, i] = (y[t, j + 1] - y[t, j]) / delta
    return effects


@dataclass(frozen=True)
class Screening:
    """Per factor (and output): mean, mean absolute and standard deviation of the elementary effects."""
    mu: np.ndarray
    mu_star: np.ndarray
    sigma: np.ndarray


def screen(effects: np.ndarray) -> Screening:
    """mu, mu* and sigma over trajectories (axis 0) of an r x k (x m) array of elementary effects."""
    ee = np.asarray(effects, dtype=float)
    sigma = ee.std(axis=0, ddof=1) if ee.shape[0] > 1 else np.full(ee.shape[1:], np.nan)
    return Screening(ee.mean(axis=0), np.abs(ee).mean(axis=0), sigma)


def noise_floor(noise: float, trajectories: int, z: float = 2.0) -> float:
    """The mu* that pure noise stays below with probability about 97.5% (z = 2).

    If a factor has no effect, its elementary effects are noise, roughly N(0, noise^2); |EE| then has mean
    noise x sqrt(2/pi) and standard deviation noise x sqrt(1 - 2/pi), so the mean of r of them (mu*) stays
    below mean + z standard errors. A mu* above this floor is a signal.
    """
    return noise * (np.sqrt(2 / np.pi) + z * np.sqrt(1 - 2 / np.pi) / np.sqrt(trajectories))


def scale(unit: np.ndarray, lo, hi) -> np.ndarray:
    """Map unit-hypercube values onto [lo, hi] per factor (the last axis)."""
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    return lo + np.asarray(unit, dtype=float) * (hi - lo)
