"""Fingerprints of every built-in scenario's outputs, for changes that must not change results.

``python -m experiments.fingerprint --write FILE`` runs the baseline, every scenario file in
``configs/scenario/`` and the payment presets on the small catchment (2 years after the default warm-up,
replications 0 and 1, event log on) and writes one SHA-256 per scenario and output: the KPI table, the
daily series and the event log, each as CSV with every float written exactly (``repr``).
``--check FILE`` runs the same and lists every output whose fingerprint differs (exit 1 if any does).

A refactoring (moving code, renaming, splitting modules) must leave every fingerprint unchanged: the
same random draws in the same order give byte-identical tables. The snapshot test guards one baseline
year; this guards every mechanism, the daily series and the event log.

    python -m experiments.fingerprint --write fingerprints.json
    python -m experiments.fingerprint --check fingerprints.json --jobs 2
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import multiprocessing
import sys
from pathlib import Path

import pandas as pd

from sim.hydra_app import CONFIG_DIR, compose_validated
from sim.runner import run_replication

REPLICATIONS = (0, 1)
COMMON = ["population=small", "run.years=2", "seed=0", "run.event_log=true"]
PAYMENT_PRESETS = ("drg", "budget", "mixed")


def cases() -> dict[str, list[str]]:
    """Case label -> overrides: every scenario file, and the baseline under each payment preset."""
    out = {p.stem: [f"scenario={p.stem}"] for p in sorted((CONFIG_DIR / "scenario").glob("*.yaml"))}
    out.update({f"baseline+payment={p}": ["scenario=baseline", f"payment={p}"] for p in PAYMENT_PRESETS})
    return out


def _digest(df: pd.DataFrame) -> str:
    text = df.to_csv(index=False, float_format=None, lineterminator="\n")
    # to_csv writes floats with repr (shortest round-trip): equal text means equal floats
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(overrides: list[str]) -> dict[str, str]:
    cfg = compose_validated(COMMON + overrides)
    out: dict[str, str] = {}
    for k in REPLICATIONS:
        result = run_replication(cfg, k)
        out[f"kpis/{k}"] = _digest(result.kpis)
        out[f"timeseries/{k}"] = _digest(result.timeseries)
        out[f"event_log/{k}"] = _digest(result.event_log)
    return out


def run_all(jobs: int, only: list[str] | None = None) -> dict[str, dict[str, str]]:
    todo = {name: overrides for name, overrides in cases().items() if only is None or name in only}
    if jobs == 1:
        return {name: fingerprint(overrides) for name, overrides in todo.items()}
    # spawned workers: forking a process that already runs threads (pyarrow's, a test runner's) can deadlock
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {name: pool.submit(fingerprint, overrides) for name, overrides in todo.items()}
        return {name: futures[name].result() for name in todo}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.fingerprint", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, metavar="FILE", help="write the fingerprints to FILE (JSON)")
    mode.add_argument("--check", type=Path, metavar="FILE", help="compare with the fingerprints in FILE")
    parser.add_argument("--jobs", type=int, default=2, help="processes to run cases in (default 2)")
    parser.add_argument("--cases", metavar="NAME,...",
                        help="only these cases (scenario file names, or baseline+payment=<preset>); default: all")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    only = None if args.cases is None else [name.strip() for name in args.cases.split(",") if name.strip()]
    unknown = sorted(set(only or ()) - set(cases()))
    if only is not None and (unknown or not only):
        parser.error(f"--cases: unknown case(s) {', '.join(unknown) or '(none given)'}; cases are {', '.join(cases())}")
    if args.check is not None and not args.check.is_file():
        parser.error(f"--check: no such file: {args.check}")
    got = run_all(args.jobs, only)
    if args.write is not None:
        args.write.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(got)} cases to {args.write}")
        return 0
    expected = json.loads(args.check.read_text())
    if only is not None:
        expected = {case: outputs for case, outputs in expected.items() if case in only}
    differ = [f"{case} {output}" for case in sorted(expected.keys() | got.keys())
              for output in sorted(expected.get(case, {}).keys() | got.get(case, {}).keys())
              if expected.get(case, {}).get(output) != got.get(case, {}).get(output)]
    for line in differ:
        print(f"differs: {line}")
    print(f"{len(got)} cases, {sum(len(v) for v in got.values())} outputs: "
          + (f"{len(differ)} differ" if differ else "all identical"))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
