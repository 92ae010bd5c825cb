"""The queue-growth guard's rule (sim/queue_growth.py) on series whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from sim.queue_growth import is_growing, queue_kpis

DAYS = 730
MIN_RISE, RISE_SHARE = 1.0, 0.25  # the defaults of run.queue_growth_min_rise / run.queue_growth_rise_share


def ar1(rng: np.random.Generator, mean: float, sd: float, phi: float = 0.98, n: int = DAYS) -> np.ndarray:
    """A stationary, strongly autocorrelated queue level (like a daily boarding count or lead time)."""
    x = np.empty(n)
    x[0] = mean
    innovation = sd * np.sqrt(1 - phi**2)
    for t in range(1, n):
        x[t] = mean + phi * (x[t - 1] - mean) + rng.normal(0.0, innovation)
    return np.clip(x, 0.0, None)


def test_a_queue_that_fills_linearly_grows():
    levels = np.linspace(0.0, 2000.0, DAYS)  # the checker's boarding queue: thousands waiting by the end
    k = queue_kpis(levels, MIN_RISE, RISE_SHARE)
    assert k["queue_growing"] == 1.0
    assert k["queue_trend_per_year"] == pytest.approx(2000.0 / (DAYS - 1) * 365.0)
    assert k["queue_length_mean"] == pytest.approx(1000.0)


def test_a_slowly_growing_backlog_grows():
    rng = np.random.default_rng(1)
    levels = 20.0 + np.arange(DAYS) * 0.03 + rng.normal(0.0, 2.0, DAYS)  # +22 days of lead time over 2 years
    assert is_growing(levels, MIN_RISE, RISE_SHARE)


def test_settled_queues_are_rarely_flagged():
    """Stationary but autocorrelated series (phi = 0.98: a correlation time of about 50 days): the guard may
    flag one by chance, but in at most 5% of 400 seeded series (the four-batch rule alone gives about 4% for
    independent batches; the size condition removes most of those)."""
    rng = np.random.default_rng(2024)
    flagged = sum(is_growing(ar1(rng, mean=10.0, sd=3.0), MIN_RISE, RISE_SHARE) for _ in range(400))
    assert flagged <= 20, f"{flagged} of 400 settled queues flagged"


def test_a_rise_below_the_thresholds_is_not_growth():
    tiny = np.linspace(0.0, 0.8, DAYS)             # rises by less than one person
    assert not is_growing(tiny, MIN_RISE, RISE_SHARE)
    small_share = 100.0 + np.linspace(0.0, 10.0, DAYS)  # rises, but by a tenth of its level
    assert not is_growing(small_share, MIN_RISE, RISE_SHARE)
    assert is_growing(small_share, MIN_RISE, 0.05)


def test_a_queue_that_rises_then_settles_is_not_growth():
    levels = np.r_[np.linspace(0.0, 50.0, DAYS // 4), np.full(DAYS - DAYS // 4, 50.0)]
    assert not is_growing(levels, MIN_RISE, RISE_SHARE)


def test_too_short_a_window_says_nothing():
    assert queue_kpis(np.array([]), MIN_RISE, RISE_SHARE)["queue_growing"] == 0.0
    assert not is_growing(np.array([1.0, 2.0, 3.0]), MIN_RISE, RISE_SHARE)
