"""The benchmark's plain-SimPy reference, its ``--quick`` mode and the regression-guard hook."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from experiments.benchmark_reference import ERLANG_C_WQ, erlang_c_wq, plain_simpy_mmc
from experiments.benchmark_report import recorded_ratio, regression_message

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


def test_the_guard_is_armed():
    """docs/performance.md records the ratio ``--quick`` is compared with, so the CI run above can fail."""
    from experiments.benchmark_report import PERFORMANCE_DOC
    ratio = recorded_ratio(PERFORMANCE_DOC)
    assert ratio is not None and 0 < ratio < 1


def _fake_summary(ratio: float) -> dict:
    return {"preset": "small", "scenario": "baseline", "years": 1.0, "warmup_days": 270.0, "inhabitants": 40_000,
            "runs": 1, "wall_seconds_median": 1.0, "wall_seconds_min": 1.0, "wall_seconds_max": 1.0,
            "cpu_seconds_median": 1.0, "simpy_events": 75_000, "simpy_events_identical": True,
            "events_per_second": 75_000.0, "events_per_cpu_second": 75_000.0,
            "plain_simpy_events_per_cpu_second": 75_000.0 / ratio, "ratio": ratio, "patient_years": 5_000.0,
            "patient_years_per_second": 5_000.0, "peak_rss_mb": 300.0, "rss_after_imports_mb": 190.0, "per_run": []}


@pytest.mark.parametrize("recorded, status", [(0.10, 0), (0.20, 1)])
def test_quick_exit_status_follows_the_guard(monkeypatch, capsys, recorded, status):
    """(d) A measured ratio of 0.1 passes against 0.1 recorded and fails against 0.2 (0.1 < 0.8 x 0.2);
    ``ratio=`` is the last line either way."""
    import experiments.benchmark as bench
    monkeypatch.setattr(bench, "run_benchmark", lambda args: [_fake_summary(0.10)])
    monkeypatch.setattr(bench, "recorded_ratio", lambda: recorded)
    assert bench.main(["--quick"]) == status
    assert capsys.readouterr().out.strip().splitlines()[-1] == "ratio=0.1"


def test_growth_checks_compare_with_the_population_and_horizon_ratios():
    from experiments.benchmark_measure import growth_checks
    small, full = _fake_summary(0.1), _fake_summary(0.1)
    full.update(preset="randers", inhabitants=225_000, cpu_seconds_median=7.0, peak_rss_mb=900.0)  # 5.625 x people
    long = dict(small, years=5.0, cpu_seconds_median=3.0)  # 2095 / 635 days = 3.3 x
    checks = {c["check"]: c for c in growth_checks([small, full, long])}
    assert checks["CPU time: full / small (1 y)"]["measured"] == pytest.approx(7.0)
    assert checks["CPU time: full / small (1 y)"]["limit"] == pytest.approx(1.2 * 5.625)
    assert not checks["CPU time: full / small (1 y)"]["passed"]     # 7.0 > 6.75
    assert checks["peak RSS: full / small (1 y)"]["passed"]         # 3.0 <= 6.75
    assert checks["CPU time: 5 / 1 years (small)"]["passed"]        # 3.0 <= 1.2 x 3.3


def test_write_doc_section_replaces_only_the_marked_block(tmp_path):
    from experiments.benchmark_report import DOC_END, DOC_START, write_doc_section
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Performance\n\nintro\n\n{DOC_START}\nold table\n{DOC_END}\n\nratio=0.09\n")
    write_doc_section("new table", doc)
    text = doc.read_text()
    assert "new table" in text and "old table" not in text
    assert text.startswith("# Performance\n\nintro") and text.rstrip().endswith("ratio=0.09")
    assert recorded_ratio(doc) == pytest.approx(0.09)


@pytest.mark.parametrize("argv, message", [
    (["--presets", "huge"], "unknown preset 'huge'"),
    (["--scenarios", "baseline,warp_drive"], "unknown scenario 'warp_drive'"),
    (["--repeats", "0"], "--repeats must be at least 1"),
    (["--presets", "small", "--repeats", "full=2"], "which is not in --presets"),
])
def test_bad_arguments_name_the_option(capsys, argv, message):
    from experiments.benchmark import parse_args
    with pytest.raises(SystemExit) as exc:
        parse_args(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_presets_and_scenarios_resolve():
    from experiments.benchmark import builtin_scenarios, parse_args
    args = parse_args(["--presets", "small,full", "--repeats", "small=2"])
    assert args.preset_list == ["small", "randers"]
    assert args.repeat_map == {"small": 2, "randers": 3}
    assert args.scenario_list[0] == "baseline" and len(args.scenario_list) == len(builtin_scenarios()) > 10


def test_a_small_matrix_writes_json_and_markdown(tmp_path):
    """(e) The per-preset-and-scenario path: two scenarios, one run each, one year; JSON and Markdown table."""
    import json
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "experiments.benchmark", "--presets", "small",
                           "--scenarios", "baseline,health_coach", "--years", "1", "--repeats", "1",
                           "--growth-years", "0", "--mmc-customers", "5000", "--markdown", "--json", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(out.read_text())["results"]
    assert [(r["preset"], r["scenario"], r["runs"]) for r in results] == [("small", "baseline", 1), ("small", "health_coach", 1)]
    for r in results:
        assert r["simpy_events"] > 10_000 and 0 < r["ratio"] < 1 and r["peak_rss_mb"] > 50
    assert "| small (40,000) | health_coach | 1 | 1 |" in proc.stdout
