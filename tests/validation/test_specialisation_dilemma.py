"""The specialisation dilemma's curves appear with the teaching values (VIVE 2018 §3.4; Buch (DSI)).

Replicated means with common random numbers, on fewer points and a shorter horizon than the teaching
figures (``python -m experiments.specialisation_dilemma``) so that the check fits in CI. Each claim is a
paired comparison (replication k of every point shares its streams), asserted when its 95% t-interval
lies above zero; the tolerance is that interval, and the seeds are fixed, so the test is stable. Measured
with 10 replications of 2 years (docs/specialisation-dilemma.md) every asserted difference is at least
four of its standard errors from zero.

1. U over specialisation: adverse transitions are lowest at the reference level and rise at both ends.
2. U over coordinators per patient at a specialised hospital: they first fall, then rise again, and the
   cost rises all the way.
3. The optimum moves with complexity: beyond the simple patients' best number of coordinators their adverse
   transitions rise more than the complex patients' (a paired difference in differences).
"""

from __future__ import annotations

import pytest

from experiments.specialisation_dilemma import COMPLEX, SIMPLE, Point, optimum, run_points, universal_coordinators
from sim.statistics import mean_ci

pytestmark = pytest.mark.slow  # about 2 minutes on one busy core: 7 points x 5 replications x 1 year

REPLICATIONS, YEARS = 5, 1.0
LEVELS = (1, 2, 5)
COORDINATORS = (0, 2, 4, 6)


@pytest.fixture(scope="module")
def results():
    chosen = [Point("level", "no coordinators", s, (f"scenario.specialisation.level={s}",)) for s in LEVELS]
    chosen += [Point("coordinators", "diffusion on", m, universal_coordinators(m)) for m in COORDINATORS]
    return run_points(chosen, REPLICATIONS, YEARS, jobs=1, progress=None)


def _above_zero(values) -> tuple[float, float]:
    mean, half = mean_ci(values)
    assert mean - half > 0, f"paired difference {mean:.4f} +/- {half:.4f} does not lie above zero"
    return mean, half


def test_adverse_transitions_are_u_shaped_in_specialisation(results):
    matrix = results.values("level", "no coordinators", "all", "adverse_transition_share")
    best = optimum(matrix)
    assert best.x == 2, matrix.mean()
    assert best.is_u, best
    _above_zero(matrix[5] - matrix[1])  # the right arm (handoffs and erosion) is the steeper one


def test_readmissions_rise_with_specialisation_beyond_the_reference(results):
    matrix = results.values("level", "no coordinators", "all", "readmission_rate_30d")
    _above_zero(matrix[5] - matrix[2])


def test_coordinators_first_help_then_fragment(results):
    adverse = results.values("coordinators", "diffusion on", "all", "adverse_transition_share")
    best = optimum(adverse)
    assert best.x in (2, 4), adverse.mean()
    assert best.is_u, best
    cost = results.values("coordinators", "diffusion on", "all", "cost_per_patient_year_dkk")
    for fewer, more in zip(COORDINATORS, COORDINATORS[1:]):
        _above_zero(cost[more] - cost[fewer])


def test_the_best_number_of_coordinators_is_higher_for_complex_patients(results):
    simple = results.values("coordinators", "diffusion on", SIMPLE, "adverse_transition_share")
    complex_ = results.values("coordinators", "diffusion on", COMPLEX, "adverse_transition_share")
    assert optimum(simple).x < optimum(complex_).x, (simple.mean(), complex_.mean())
    # from two coordinators to six, simple patients lose more than complex ones (paired by replication)
    _above_zero((simple[6] - simple[2]) - (complex_[6] - complex_[2]))
    _above_zero(simple[0] - simple[2])  # both gain from the first coordinators
    _above_zero(complex_[0] - complex_[2])
