"""Every built-in scenario file runs 10 years without a growing queue, or the model card says why it grows
(experiments/queue_growth.py; the table in docs/model-card.md)."""

from __future__ import annotations

import pytest

from experiments import queue_growth


def test_the_model_card_table_is_read():
    explained = queue_growth.documented()
    assert ("telemonitoring_parallel", "team_telemonitoring_waiting") in explained
    assert all(why for why in explained.values())


def test_a_growing_queue_needs_an_explanation_and_an_explanation_needs_a_growing_queue():
    explained = {("a", "q1"): "why", ("*", "edge"): "why"}
    found = [{"scenario": "a", "queue": "q1"}, {"scenario": "b", "queue": "edge"}, {"scenario": "b", "queue": "q2"}]
    assert queue_growth.check(found, explained, ["a", "b"]) == ["b: queue q2 keeps growing and docs/model-card.md does not say why"]
    assert queue_growth.check([], explained, ["a", "b"]) == ["a: docs/model-card.md explains a growing queue q1, but it does not grow"]
    assert queue_growth.check([], explained, ["b"]) == []  # not run: not judged


@pytest.mark.long
def test_every_builtin_scenario_runs_ten_years_without_an_unexplained_growing_queue():
    assert queue_growth.main(["--years", "10", "--jobs", "1"]) == 0
