"""Reporting the benchmark (``python -m experiments.benchmark``): the tables of the summaries and the growth
checks as text or Markdown, the notes that say what each figure means, and ``docs/performance.md``: the
generated section between its markers, and the guard ratio recorded there, against which ``--quick``
checks for a regression.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from experiments.benchmark_reference import MMC_LAMBDA, MMC_MU, MMC_SERVERS, erlang_c_wq

REPO_ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE_DOC = REPO_ROOT / "docs" / "performance.md"
REGRESSION_FACTOR = 0.8        # --quick fails when the measured ratio < 0.8 x the recorded one
DOC_START, DOC_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


COLUMNS = ("preset", "scenario", "years", "runs", "wall s median [min, max]", "SimPy events", "events/s",
           "events/CPU s", "plain SimPy events/CPU s", "ratio", "patient-years/s", "peak RSS MB")
_LEFT = 2  # the first columns are text


def table_rows(summaries: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for s in summaries:
        wall = f"{s['wall_seconds_median']:.2f}"
        if s["runs"] > 1:
            wall += f" [{s['wall_seconds_min']:.2f}, {s['wall_seconds_max']:.2f}]"
        events = f"{s['simpy_events']:,.0f}" + ("" if s["simpy_events_identical"] else " (median; runs differ)")
        rows.append([
            f"{s['preset']} ({s['inhabitants']:,})", s["scenario"], f"{s['years']:g}", str(s["runs"]), wall, events,
            f"{s['events_per_second']:,.0f}", f"{s['events_per_cpu_second']:,.0f}",
            f"{s['plain_simpy_events_per_cpu_second']:,.0f}", f"{s['ratio']:.3f}",
            f"{s['patient_years_per_second']:,.0f}", f"{s['peak_rss_mb']:,.0f}",
        ])
    return rows


def format_text(summaries: list[dict[str, Any]]) -> str:
    rows = [list(COLUMNS), *table_rows(summaries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.rjust(w) if i >= _LEFT else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_markdown(summaries: list[dict[str, Any]]) -> str:
    align = ["---" if i < _LEFT else "---:" for i in range(len(COLUMNS))]
    lines = ["| " + " | ".join(COLUMNS) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in table_rows(summaries)]
    return "\n".join(lines)


def format_checks(checks: list[dict[str, Any]], markdown: bool) -> str:
    if not checks:
        return "(no growth check: needs the same scenario at small and full, or the baseline at two horizons)"
    lines = []
    if markdown:
        lines += ["| check | scenario | measured | proportional | limit (1.2 x) | |", "| --- | --- | ---: | ---: | ---: | --- |"]
    for c in checks:
        cells = [c["check"], c["scenario"], f"{c['measured']:.2f}", f"{c['proportional']:.2f}", f"{c['limit']:.2f}",
                 "pass" if c["passed"] else "FAIL"]
        lines.append("| " + " | ".join(cells) + " |" if markdown else "  ".join(cells))
    return "\n".join(lines)


NOTES = (
    "wall: one whole replication (sim.runner.run_replication: build, population, run, KPIs, freeing the model); "
    "events/s = SimPy events / wall s.",
    "events/CPU s and the ratio use the process's CPU time (time.process_time): not inflated by waiting for a core.",
    "plain SimPy: M/M/c (lambda=2.7, mu=1, c=3) in the same process, mean of the runs just before and after the model run.",
    "ratio = model events per CPU s / plain SimPy events per CPU s (median over runs); "
    "patient-years = results window (KPI patient_years).",
    "peak RSS: the child process that ran the replication (max over runs); after imports alone: {imports} MB.",
)


def report(summaries: list[dict[str, Any]], checks: list[dict[str, Any]], machine: dict[str, str],
           args: argparse.Namespace, total_seconds: float, markdown: bool) -> str:
    dash = "- " if markdown else ""
    lines = [f"{dash}machine: {machine['cpu']}, {machine['logical_cpus']} logical CPUs; {machine['platform']}",
             f"{dash}software: {machine['python']}; SimPy {machine['simpy']}, Mesa {machine['mesa']}, numpy {machine['numpy']}",
             f"{dash}load average (1/5/15 min) when the benchmark started: {machine['load_average_at_start']}",
             f"{dash}plain SimPy reference: M/M/c, lambda={MMC_LAMBDA:g}, mu={MMC_MU:g}, c={MMC_SERVERS}, "
             f"{args.mmc_customers:,} customers (Erlang-C Wq = {erlang_c_wq():.3f})", ""]
    lines.append(format_markdown(summaries) if markdown else format_text(summaries))
    lines.append("")
    imports = ", ".join(sorted({f"{s['rss_after_imports_mb']:,.0f}" for s in summaries}))
    lines += [dash + note.format(imports=imports) for note in NOTES]
    lines += [f"{dash}benchmark took {total_seconds:.0f} s.", "", "Growth checks (issue target 3):", ""]
    lines.append(format_checks(checks, markdown))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# The performance document and its regression guard
# --------------------------------------------------------------------------------------------------
_RATIO_RE = re.compile(r"^\s*ratio=([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*$", re.MULTILINE)


def recorded_ratio(path: str | Path = PERFORMANCE_DOC) -> float | None:
    """The guard ratio recorded in ``docs/performance.md``, or None if the file or figure is missing.

    The figure is a line of its own in the document, in the form ``--quick`` prints: ``ratio=0.0123``.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = _RATIO_RE.search(text)
    return float(match.group(1)) if match else None


def regression_message(measured: float, recorded: float | None, factor: float = REGRESSION_FACTOR) -> str | None:
    """A message if ``measured`` fell below ``factor`` x ``recorded``; None when fine or nothing is recorded."""
    if recorded is None or measured >= factor * recorded:
        return None
    return (f"performance regression: ratio {measured:.4g} < {factor:g} x recorded {recorded:.4g} "
            f"({PERFORMANCE_DOC.name})")


def write_doc_section(markdown: str, path: Path = PERFORMANCE_DOC) -> None:
    """Replace the text between the benchmark markers of ``docs/performance.md`` (append them if missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{DOC_START}\n{markdown.rstrip()}\n{DOC_END}"
    if DOC_START in text and DOC_END in text:
        text = text[:text.index(DOC_START)] + block + text[text.index(DOC_END) + len(DOC_END):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")

