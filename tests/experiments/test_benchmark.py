"""The benchmark's plain-SimPy reference, its ``--quick`` mode and the regression-guard hook."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from experiments.benchmark import (ERLANG_C_WQ, erlang_c_wq, plain_simpy_mmc, recorded_ratio,
                                   regression_message)

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_erlang_c_reference_value():
    assert erlang_c_wq(2.7, 1.0, 3) == pytest.approx(ERLANG_C_WQ, abs=5e-4)


def test_plain_simpy_mmc_mean_wait_matches_erlang_c():
    """(a) The M/M/c reference is a correct M/M/c queue.

    Tolerance 15%: at utilisation 0.9 successive waits are strongly autocorrelated, so the mean of
    200,000 waits is still noisy: over 20 seeds its standard deviation was about 0.13 (4.6% of 2.724),
    and the empty start biases it a little. 15% is more than three standard errors, so a correct queue
    passes (and the seed is fixed, so the test is deterministic), while the bugs worth catching are far
    outside it: c=4 gives Wq ~ 0.30, c=2 is unstable, swapped rates give Wq ~ 0.001.
    """
    events, seconds, mean_wait = plain_simpy_mmc(200_000, seed=12345)
    assert mean_wait == pytest.approx(ERLANG_C_WQ, rel=0.15)
    assert events == 6 * 200_000 + 2
    assert seconds > 0


@pytest.mark.parametrize("n", [0, 1, 10, 1000])
def test_plain_simpy_mmc_counts_events_exactly(n):
    # per customer: source timeout, process start, request, service timeout, release, process end;
    # plus the source process's start and end. The final EmptySchedule step is not an event.
    assert plain_simpy_mmc(n, seed=1)[0] == 6 * n + 2


def test_quick_mode_exits_zero_and_prints_ratio_last():
    """(b) ``--quick`` runs the small preset for 1 year, 3 times (about 15 s); the timeout catches hangs."""
    proc = subprocess.run([sys.executable, "-m", "experiments.benchmark", "--quick"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    match = re.fullmatch(r"ratio=([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)", last)
    assert match, f"last line was {last!r}"
    assert float(match.group(1)) > 0


def test_recorded_ratio_missing_file_is_none(tmp_path):
    """(c) Nothing recorded yet: no guard."""
    assert recorded_ratio(tmp_path / "performance.md") is None


def test_recorded_ratio_reads_the_quick_line(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nNo figure yet.\n")
    assert recorded_ratio(doc) is None
    doc.write_text("# Performance\n\n`python -m experiments.benchmark --quick` gave\n\n    ratio=0.0891\n")
    assert recorded_ratio(doc) == pytest.approx(0.0891)


def test_regression_message():
    assert regression_message(0.05, None) is None
    assert regression_message(0.09, 0.1) is None          # within 0.8 x recorded
    assert regression_message(0.079, 0.1) is not None     # below 0.8 x recorded
