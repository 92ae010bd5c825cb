"""Which queues keep growing? Every built-in scenario run for a long horizon, through the queue-growth guard.

    python -m experiments.queue_growth                          # every scenario file, small catchment, 10 years
    python -m experiments.queue_growth --years 3 --scenarios baseline,referral_shift_85_15 --jobs 2

A comparison that rests on a queue growing without bound is not a steady state (``sim/queue_growth.py``).
Each scenario runs once (replication 0) for ``--years`` after the warm-up; the table lists every queue the
guard flags, with its mean level and trend. A growing queue must be explained where planners read about the
scenario: in the model card's table of growing queues (``docs/model-card.md``, between the markers
``<!-- growing-queues:start -->`` and ``<!-- growing-queues:end -->``, one row ``| scenario | queue | why |``;
scenario ``*`` for a queue at the edge of growth in any scenario).

Exit status 1 if a queue grows that the table does not explain (or the table explains one that no longer
grows, so the documentation cannot go stale); 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from experiments.benchmark import builtin_scenarios
from experiments.parallel import map_in_order
from sim.hydra_app import compose_validated
from sim.runner import run_replication

MODEL_CARD = Path(__file__).resolve().parent.parent / "docs" / "model-card.md"
START, END = "<!-- growing-queues:start -->", "<!-- growing-queues:end -->"


@dataclass(frozen=True)
class Task:
    scenario: str
    overrides: tuple[str, ...]


def growing_queues(task: Task) -> list[dict]:
    """The queues the guard flags in one run of the scenario."""
    cfg = compose_validated([f"scenario={task.scenario}", *task.overrides, "run.event_log=false", "run.timeseries=false"])
    kpis = run_replication(cfg, 0).kpis
    queues = kpis[kpis.group.str.startswith("queue=")].pivot(index="group", columns="kpi", values="value")
    grown = queues[queues.queue_growing == 1.0]
    return [{"scenario": task.scenario, "queue": group.removeprefix("queue="), "mean": row.queue_length_mean,
             "trend_per_year": row.queue_trend_per_year} for group, row in grown.iterrows()]


def documented(card: Path = MODEL_CARD) -> dict[tuple[str, str], str]:
    """(scenario, queue) -> why, from the model card's table of growing queues."""
    text = card.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise ValueError(f"{card}: the table of growing queues ({START} ... {END}) is missing")
    block = text[text.index(START) + len(START):text.index(END)]
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and not set(cells[0]) <= set("-: ") and cells[0] != "scenario":
            rows[(cells[0].strip("`"), cells[1].strip("`"))] = cells[2]
    return rows


def explanation(explained: dict[tuple[str, str], str], scenario: str, queue: str) -> str | None:
    """Why this queue grows in this scenario; a row for scenario ``*`` explains the queue in any scenario."""
    return explained.get((scenario, queue), explained.get(("*", queue)))


def check(found: list[dict], explained: dict[tuple[str, str], str], scenarios: list[str]) -> list[str]:
    """Problems: growing queues without an explanation, explanations of a scenario's queue that does not grow
    (rows for any scenario, ``*``, name a queue at the edge of growth and are not checked that way)."""
    grown = {(f["scenario"], f["queue"]) for f in found}
    problems = [f"{s}: queue {q} keeps growing and docs/model-card.md does not say why"
                for s, q in sorted(grown) if explanation(explained, s, q) is None]
    problems += [f"{s}: docs/model-card.md explains a growing queue {q}, but it does not grow"
                 for s, q in sorted(set(explained) - grown) if s in scenarios]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--population", default="small")
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--scenarios", default=None, help="comma-separated scenario files (default: all)")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    known = builtin_scenarios()
    scenarios = known if args.scenarios is None else [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in scenarios if s not in known]
    if unknown or not scenarios:
        print(f"error: --scenarios names no scenario file: {', '.join(unknown) or '(empty)'}; "
              f"known: {', '.join(known)}", file=sys.stderr)
        return 2
    if not (0 < args.years <= 50) or args.jobs < 1:
        print("error: --years must be in (0, 50] and --jobs at least 1", file=sys.stderr)
        return 2
    overrides = (f"population={args.population}", f"run.years={args.years}")
    tasks = [Task(s, overrides) for s in scenarios]
    found = [row for rows in map_in_order(growing_queues, tasks, jobs=args.jobs,
                                          on_done=lambda n: print(f"{n}/{len(tasks)} scenarios run", file=sys.stderr))
             for row in rows]
    explained = documented()
    print("| scenario | queue | mean level | trend per year | documented |")
    print("|---|---|---|---|---|")
    for f in found:
        why = explanation(explained, f["scenario"], f["queue"]) or "NO"
        print(f"| {f['scenario']} | {f['queue']} | {f['mean']:.4g} | {f['trend_per_year']:+.4g} | {why} |")
    if not found:
        print("| (none) | | | | |")
    problems = check(found, explained, scenarios)
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
