"""Validation against the source documents: the stylised-facts table, with paired replications.

    python -m experiments.validate --jobs 2       # every fact, full settings -> docs/validation.md
    python -m experiments.validate --quick        # the reduced version CI runs
    python -m experiments.validate --facts gp_referral,act --replications 4 --years 1 --out /tmp/validation.md

Runs usual care and the scenarios the facts need with common random numbers (replication k of every
scenario uses the same streams, ``experiments.paired_scenarios.paired_runs``), and the specialisation
dilemma's curves (``experiments.specialisation_dilemma.run_points``); evaluates every fact of
``experiments.validation.facts`` and writes the table (target, source with line, pass rule, simulated value
with 95% CI, pass/fail) to ``--out``. Progress goes to stderr, the table's summary to stdout.

Exit code 0 if every check passes, 1 if one fails, 2 for bad arguments (nothing is run or written).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import shlex
import sys
import time as wallclock
from pathlib import Path

from hydra.errors import HydraException

from experiments.validation.facts import BY_KEY, FACTS, Fact, Row
from experiments.validation.report import markdown
from experiments.validation.runs import FULL, QUICK, Settings, run
from sim.config import ConfigError
from sim.hydra_app import compose_config
from sim.io import git_commit, write_text


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m experiments.validate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--replications", type=int,
                    help=f"replications of every run (default {FULL.replications} paired and {FULL.dilemma_replications} "
                         f"per dilemma point; --quick: {QUICK.replications} and {QUICK.dilemma_replications})")
    ap.add_argument("--years", type=float, help=f"simulated years after the warm-up of every run (default {FULL.years:g}; "
                                                f"--quick: {QUICK.years:g}, dilemma {QUICK.dilemma_years:g})")
    ap.add_argument("--population", default="small", help="population preset of configs/population/ (default small)")
    ap.add_argument("--seed", type=int, default=0, help="seed of every run (default 0)")
    ap.add_argument("--jobs", type=int, default=1, help="replications run in this many processes (default 1)")
    ap.add_argument("--facts", default=",".join(f.key for f in FACTS),
                    help=f"comma-separated subset of {', '.join(f.key for f in FACTS)} (default all)")
    ap.add_argument("--out", type=Path, default=Path("docs/validation.md"), help="the Markdown table (default docs/validation.md)")
    ap.add_argument("--quick", action="store_true", help="the reduced version for CI (fewer replications and dilemma points)")
    return ap


def _check(ap: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[list[Fact], Settings]:
    """The facts and settings the arguments ask for; ``ap.error`` (exit 2) names what is wrong."""
    keys = [k.strip() for k in args.facts.split(",") if k.strip()]
    unknown = [k for k in keys if k not in BY_KEY]
    if unknown or not keys:
        ap.error(f"--facts: unknown fact(s) {', '.join(unknown) or '(none given)'}; allowed values: {', '.join(BY_KEY)}")
    facts = [BY_KEY[k] for k in dict.fromkeys(keys)]
    if args.replications is not None and args.replications < 2:
        ap.error(f"--replications {args.replications}: need at least 2 for confidence intervals")
    if args.years is not None and args.years <= 0:
        ap.error(f"--years {args.years:g}: must be positive")
    if args.jobs < 1:
        ap.error(f"--jobs {args.jobs}: must be at least 1")
    base = QUICK if args.quick else FULL
    settings = dataclasses.replace(
        base, population=args.population, seed=args.seed, jobs=args.jobs,
        replications=args.replications or base.replications,
        dilemma_replications=args.replications or base.dilemma_replications,
        years=args.years or base.years, dilemma_years=args.years or base.dilemma_years)
    try:
        cfg = compose_config([f"population={args.population}", f"seed={args.seed}", f"run.years={settings.years}"])
    except (HydraException, ConfigError) as error:
        presets = sorted(f.stem for f in (Path(__file__).resolve().parents[1] / "configs" / "population").glob("*.yaml"))
        ap.error(f"--population {args.population} / --seed {args.seed}: {str(error).splitlines()[0]} "
                 f"(population presets: {', '.join(presets)})")
    for fact in facts:
        if not fact.dilemma and settings.years < fact.min_years:
            ap.error(f"--years {settings.years:g}: fact {fact.key} needs at least {fact.min_years:g} results years")
        if fact.last_day and cfg.run.warmup_days + settings.years * 365.0 < fact.last_day:
            ap.error(f"--years {settings.years:g}: fact {fact.key} reads day {fact.last_day} of the run, which ends on "
                     f"day {cfg.run.warmup_days + settings.years * 365.0:g} (warm-up {cfg.run.warmup_days:g} days)")
    return facts, settings


def main(argv: list[str] | None = None, facts_override: list[Fact] | None = None) -> int:
    """``facts_override`` replaces the chosen facts (tests inject a fact that must fail)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    ap = _parser()
    args = ap.parse_args(argv)
    facts, settings = _check(ap, args)
    facts = facts_override if facts_override is not None else facts
    started = wallclock.perf_counter()
    def progress(message: str) -> None:
        print(f"[validate {wallclock.perf_counter() - started:6.0f} s] {message}", file=sys.stderr, flush=True)

    inputs = run(facts, settings, progress)
    rows: list[Row] = []
    for fact in facts:
        rows += fact.evaluate(inputs)
    seconds = wallclock.perf_counter() - started
    commit = git_commit()
    text = markdown(rows, settings, shlex.join(["python", "-m", "experiments.validate", *argv]), seconds,
                    datetime.date.today().isoformat(), commit["commit"] + (" (with uncommitted changes)" if commit["dirty"] else ""))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_text(args.out, text)
    failed = [r for r in rows if not r.passed]
    for r in failed:
        print(f"FAIL {r.fact}: {r.target} ({r.source}); rule: {r.rule}; simulated: {r.value}", file=sys.stderr)
    print(f"{len(rows) - len(failed)} of {len(rows)} checks pass ({seconds / 60:.1f} minutes); wrote {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
