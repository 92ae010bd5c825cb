"""Every command and python snippet the documentation shows, registered exactly once with how it is checked.

Registering a command is one line in ``COMMANDS`` (``SNIPPETS`` for python blocks), keyed by the command
exactly as ``docs_commands`` reads it from the docs (comment cut off, continuation lines joined):

* ``RunHere(...)``: tests/docs/test_documented_commands.py runs it: ``python`` is this interpreter, the
  repository (or the copy named by ``workdir``) is on PYTHONPATH, and ``smaller`` changes arguments only
  to make the run smaller (``key=value`` replaces that override, ``--option value`` that option's value);
  it then checks the exit code, text in the output and files written;
* ``ExercisedBy(path, literal)``: an existing test runs it; that file must contain ``literal`` (default:
  the command itself) so a reader can find where;
* ``NotRun(reason)``: only for what cannot run here (a real Slurm partition, a Ray cluster address, the
  7-minute main job).

The meta-tests fail for a documented command that is not registered and for an entry the docs no longer
show. Workdirs: ``tmp`` an empty folder; ``repo_copy`` a copy of the repository's code, configs and docs
with the config files the docs ask readers to create (``yaml`` blocks headed ``# configs/...``);
``smoke_sweep`` a folder holding ``sweeps/smoke`` from a tiny smoke sweep; a name given by ``builds`` is
the workdir a RunHere command leaves behind, shared by later commands of the same walk-through.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunHere:
    expect: tuple[str, ...] = ()  # texts that must appear in stdout + stderr ("re:" + a regex, multiline)
    smaller: tuple[str, ...] = ()  # argument changes that only make the run smaller
    workdir: str = "tmp"
    files: tuple[str, ...] = ()  # globs (relative to the workdir) that must match afterwards
    exit_code: int | tuple[int, ...] = 0  # a tuple: any of these
    placeholders: tuple[tuple[str, str], ...] = ()  # (token in the docs, what the test uses)
    builds: str | None = None  # other entries may use the workdir this command leaves, by this name
    slow: bool = False
    timeout: float = 180


@dataclass(frozen=True)
class ExercisedBy:
    path: str  # a test file (or the helper module that holds the command for the tests that run it)
    literal: str | None = None  # distinctive text of the command in that file; default: the command
    note: str = ""


@dataclass(frozen=True)
class NotRun:
    reason: str


# Smaller runs of the model: the small catchment, a tenth of a year, no warm-up (about 1 s a replication).
TINY_SIM = ("population=small", "run.years=0.1", "run.warmup_days=0")
TWO_REPLICATIONS = ("run.replications=2",)  # keeps the confidence-interval path (one replication has none)
SWEEPING = "tests/experiments/sweeping.py"  # the sweep commands the sweep and launcher tests run
RESULTS = "Results written to"
# The paired scenario checks made small: exit code 1 means a statistical check failed, which is expected at
# 2 replications of a tenth of a year (tests/validation/test_scenario_checks.py checks them at strength).
CHECKS_SMALLER = ("--replications 2", "--years 0.1", "--set run.warmup_days=0")
PAIRED = "difference"  # the scenario-vs-baseline table's header

COMMANDS: dict[str, RunHere | ExercisedBy | NotRun] = {
    # README: Two commands
    "make example": ExercisedBy("tests/experiments/test_example.py", 'recipe("example")',
                                note="checks the recipe and runs its two commands made smaller"),
    "make run": NotRun("the 9- to 36-minute main job; its two steps run here smaller: the default comparison's sweep "
                       "(test_sweep.py plans every cell) and python -m experiments.compare (test_compare.py)"),
    "make test": NotRun("the test suite itself; CI runs it (.ci/run calls exactly make test)"),
    # docs/guides/running.md
    "python -m sim": RunHere((RESULTS, "cost_per_patient_year_dkk"), TINY_SIM, files=("outputs/baseline/*/manifest.json",)),
    "python -m sim population=small run.years=2 seed=3": RunHere((RESULTS,), TINY_SIM, slow=True),
    "python -m sim run.replications=5": RunHere(("95% CI",), TINY_SIM + TWO_REPLICATIONS),
    "python -m sim pathways.p_handoff_fail_gp=0.05": RunHere((RESULTS,), TINY_SIM, slow=True),
    "python -m sim --cfg job": RunHere(("p_handoff_fail_gp: ", "warmup_days: 270")),
    "python -m sim.warmup population=small": RunHere(("MSER-5",), ("--replications 2", "--years 0.3")),
    # docs/model-card.md: what overload does, and queues that keep growing
    "python -m experiments.overload": RunHere(("| outcome |", "cost per patient-year"),
                                              ("--replications 2", "--years 0.1", "--levels 1,2", "--warmup-days 0")),
    "python -m experiments.overload --levels 1,1.5,2,3 --replications 6 --years 1 --check": ExercisedBy(
        "tests/validation/test_overload_monotonicity.py", "monotonicity_failures",
        note="the same paired levels and the same check, at strength on two catchments"),
    "python -m experiments.queue_growth --jobs 2": ExercisedBy("tests/validation/test_queue_growth_scenarios.py",
                                                             'queue_growth.main(["--years", "10"'),
    "python -m experiments.benchmark --quick": ExercisedBy("tests/experiments/test_benchmark.py",
                                                           '"experiments.benchmark", "--quick"'),
    "python -m sim.docs": RunHere(("docs/parameters.md",), workdir="repo_copy"),
    # docs/guides/sweeps.md (the commands live in tests/experiments/sweeping.py)
    "python -m experiments.sweep -m +experiment=smoke": ExercisedBy(SWEEPING),
    "python -m experiments.sweep -m +experiment=smoke pathways.p_handoff_fail_gp=0.05,0.2": ExercisedBy(SWEEPING),
    "python -m experiments.sweep -m +experiment=default_comparison": ExercisedBy(
        SWEEPING, note="test_sweep.py plans every cell without running them (make run runs it)"),
    "python -m experiments.sweep --aggregate sweeps/smoke": ExercisedBy(SWEEPING),
    "python -m experiments.sweep -m +experiment=smoke hydra/launcher=basic": ExercisedBy(SWEEPING),
    "python -m experiments.sweep -m +experiment=smoke hydra/launcher=ray": ExercisedBy(SWEEPING),
    "python -m experiments.sweep -m +experiment=smoke hydra/launcher=ray_cluster hydra.launcher.ray.init.address=HEAD:6379":
        ExercisedBy(SWEEPING, note="test_launchers.py starts its own head node and joins it by address"),
    "python -m experiments.sweep -m +experiment=smoke hydra/launcher=submitit_local": ExercisedBy(SWEEPING),
    "python -m experiments.sweep -m +experiment=smoke hydra/launcher=slurm hydra.launcher.partition=PARTITION":
        ExercisedBy(SWEEPING, note="no Slurm here: test_launchers.py checks that it composes into submitit's Slurm executor"),
    "python -m experiments.sweep -m +experiment=optimise_coordinator hydra/sweeper=optuna": ExercisedBy(SWEEPING),
    # docs/guides/report.md
    "python -m experiments.compare SWEEP_DIR": ExercisedBy("tests/experiments/test_compare.py", '"-m", "experiments.compare"'),
    "python -m experiments.compare SWEEP_DIR --baseline baseline --out DIR": ExercisedBy(
        "tests/experiments/test_compare.py", '"--baseline", "baseline", "--out"'),
    "python -m experiments.compare SWEEP_DIR --kpis readmission_rate_30d cost_per_patient_year_dkk --precision 0.2":
        ExercisedBy("tests/experiments/test_compare.py", '"--kpis", "readmission_rate_30d", "cost_per_patient_year_dkk",'),
    "python -m experiments.compare SWEEP_DIR --max-team-wait 60": ExercisedBy(
        "tests/experiments/test_caveats.py", '"--max-team-wait", "60"'),
    # docs/guides/teaching-page.md
    "python -m sim.teaching": ExercisedBy("tests/teaching/test_page.py", '"-m", "sim.teaching"'),
    # README: One example; docs/guides/scenarios.md
    "python -m sim population=small scenario=act_team run.replications=20": RunHere((PAIRED, "95% CI"), TINY_SIM + TWO_REPLICATIONS),
    "python -m sim population=small 'scenario=[act_team,health_coach]'": ExercisedBy("tests/model/test_scenarios.py"),
    "python -m experiments.scenario_checks --jobs 2": RunHere(
        ("no coaching case finished within the run", "act_team"), CHECKS_SMALLER + ("--scenarios health_coach,act_team", "--jobs 2"),
        exit_code=(0, 1), slow=True),
    "python -m sim population=small scenario=capacity_move_ward_to_subacute run.replications=10": RunHere((PAIRED,), TINY_SIM + TWO_REPLICATIONS, slow=True),
    "python -m sim population=small scenario=capacity_move_controls_to_gp scenario.capacity_moves.calendar.1.funded_share=0":
        RunHere((PAIRED,), TINY_SIM, slow=True),
    "python -m experiments.capacity_moves --replications 6 --years 3": RunHere(("capacity_move",), ("--replications 2", "--years 0.1"), slow=True),
    "python -m sim population=small scenario=municipal_acute_beds run.replications=20": RunHere((PAIRED,), TINY_SIM + TWO_REPLICATIONS, slow=True),
    "python -m sim population=small 'scenario=[municipal_acute_beds,extended_responsibility_72h]'":
        ExercisedBy("tests/model/test_acute_alternatives_model.py"),
    "python -m experiments.scenario_checks --scenarios municipal_acute_beds,extended_responsibility_72h":
        RunHere(("municipal_acute_beds",), CHECKS_SMALLER, exit_code=(0, 1), slow=True),
    "python -m sim population=small scenario.slot_allocation.policy=max_30day_compliance scenario.name=max_compliance":
        RunHere((RESULTS,), TINY_SIM, files=("outputs/max_compliance/*/manifest.json",), slow=True),
    "python -m sim population=small 'capacity.outpatient_slots_per_1000_week=[0.475,0.456,0.698,0.281,0.184]' "
    "scenario.slot_allocation.policy=longest_wait_first scenario.slot_allocation.look_ahead_days=7": RunHere((RESULTS,), TINY_SIM, slow=True),
    "python -m sim population=small scenario=value_based_controls scenario.slot_allocation.policy=max_30day_compliance":
        RunHere((PAIRED,), TINY_SIM, slow=True),
    # docs/guides/scenarios.md: payment and steering
    "python -m sim population=small scenario=value_based_controls payment=budget run.replications=20":
        RunHere(("budget neutral for hospital?",), TINY_SIM + TWO_REPLICATIONS),
    "python -m sim population=small 'scenario=[value_based_controls]' payment=mixed payment.adoption_elasticity=0.8 run.replications=20":
        RunHere((PAIRED,), TINY_SIM + TWO_REPLICATIONS, slow=True),
    "python -m sim population=small scenario=value_based_controls payment.p_fill_reserve_with_controls=0.5 run.replications=20":
        RunHere((PAIRED,), TINY_SIM + TWO_REPLICATIONS, slow=True),
    "python -m experiments.scenario_checks --payment budget --scenarios value_based_controls,act_team":
        RunHere(("value_based_controls",), CHECKS_SMALLER, exit_code=(0, 1), slow=True),
    # docs/guides/dilemma-model.md
    "python -m experiments.specialisation_dilemma": RunHere(
        (), ("--curves level", "--replications 2", "--years 0.1", "--jobs 2"), files=("docs/img/dilemma-specialisation.png",), slow=True),
    "python -m experiments.specialisation_dilemma --curves level,optimum --replications 4 --years 1 --out /tmp/dilemma": RunHere(
        (), ("--curves level", "--replications 2", "--years 0.1", "--jobs 2", "--out img"), files=("img/dilemma-specialisation.png",), slow=True),
    "python -m experiments.specialisation_dilemma --set scenario.specialisation.coordinator_links=mesh --out /tmp/mesh": RunHere(
        (), ("--curves design", "--replications 2", "--years 0.1", "--jobs 2", "--out img"), files=("img/dilemma-design.png",), slow=True),
    "python -m sim population=small 'scenario=[specialised_units,coordinator_universal]' scenario.specialisation.diffusion=0":
        RunHere(("specialised_units+coordinator_universal", "actors_per_patient_year"), TINY_SIM),
    # docs/guides/performance.md and docs/performance.md
    "python -m experiments.benchmark --presets small --scenarios baseline,health_coach --years 1 --repeats 1 --json bench.json":
        ExercisedBy("tests/experiments/test_benchmark.py", '"--scenarios", "baseline,health_coach", "--years", "1", "--repeats", "1"'),
    "python -m experiments.benchmark --presets small,full --scenarios all --repeats 3 --markdown": RunHere(
        ("| small (40,000) | baseline |",), ("--presets small", "--scenarios baseline", "--years 0.1", "--repeats 1",
                                            "--growth-years 0", "--mmc-customers 2000"), slow=True),
    "python -m experiments.benchmark --markdown --write-doc": RunHere(
        ("| small (40,000) | baseline |",), ("--presets small", "--scenarios baseline", "--years 0.1", "--repeats 1",
                                            "--growth-years 0", "--mmc-customers 2000"), workdir="repo_copy", slow=True),
    # docs/model-card.md: the sensitivity screening (test_sensitivity_cli.py's fixture runs it made smaller)
    "python -m experiments.sensitivity": ExercisedBy("tests/experiments/test_sensitivity_cli.py", '"-m", "experiments.sensitivity"'),
    "python -m experiments.sensitivity --save runs.parquet": ExercisedBy(
        "tests/experiments/test_sensitivity_cli.py", '"--save", "runs.parquet"'),
    "python -m experiments.sensitivity --replot runs.parquet": ExercisedBy(
        "tests/experiments/test_sensitivity_cli.py", '"--replot", str(out / "runs.parquet")'),
    # docs/validation.md: the validation command (tests/validation/test_validate.py)
    "python -m experiments.validate --jobs 2": ExercisedBy(
        "tests/validation/test_validate.py", '"experiments.validate", "--jobs", "2"',
        note="with two facts, 3 replications of 1 year (the full run is 7-15 minutes)"),
    "python -m experiments.validate --quick": ExercisedBy("tests/validation/test_validate.py", 'validate.main(["--quick"'),
    "python -m experiments.validate --facts gp_referral,act --replications 4 --years 1 --out /tmp/validation.md": ExercisedBy(
        "tests/validation/test_validate.py", '"--facts", "gp_referral,act"', note="with 3 replications and a temporary --out"),
    # docs/guides/planners.md: the worked example, run in a copy of the repository holding its two config files
    "python -m sim population=small scenario=coordinator_short_cases run.replications=4":
        RunHere((PAIRED, "95% CI"), TINY_SIM + TWO_REPLICATIONS, workdir="repo_copy"),
    "python -m sim population=small 'scenario=[coordinator_short_cases,health_coach]'":
        RunHere(("coordinator_short_cases+health_coach",), TINY_SIM, workdir="repo_copy", slow=True),
    "python -m sim population=small scenario=coordinator_short_cases scenario.coordinator.case_days=-30": RunHere(
        ("scenario.coordinator.case_days = -30.0: allowed range [0, 36500]",), workdir="repo_copy", exit_code=2),
    "python -m experiments.sweep -m +experiment=short_cases": RunHere(
        ("3 cell(s) complete",), ("run.years=0.1", "run.warmup_days=0", "sweep.replications=2", "sweep.block=2",
                                  "hydra/launcher=basic"),
        workdir="repo_copy", builds="short_cases", files=("sweeps/short_cases/kpis.parquet",)),
    "python -m experiments.sweep -m +experiment=short_cases hydra/launcher=ray_cluster hydra.launcher.ray.init.address=HEAD:6379 "
    "hydra.sweep.dir=/shared/sweeps/short_cases": NotRun(
        "needs a Ray cluster at HEAD; test_launchers.py runs the README's ray_cluster command against a head node it starts"),
    "python -m experiments.sweep -m +experiment=short_cases hydra/launcher=slurm hydra.launcher.partition=PARTITION "
    "hydra.sweep.dir=/shared/sweeps/short_cases": NotRun(
        "needs a Slurm partition; test_launchers.py checks that the README's slurm command composes into submitit's Slurm executor"),
    "python -m experiments.compare sweeps/short_cases": RunHere(
        ("report written",), workdir="short_cases", files=("sweeps/short_cases/report/report.html",)),
    # docs/architecture.md: the worked example of a mechanism outside sim/ is the test folder it names
    "python -m pytest tests/plugins -q": ExercisedBy("tests/plugins/test_day_centre_plugin.py",
                                                    "test_an_installed_plugin_runs_in_a_sweep",
                                                    note="the suite runs tests/plugins; running pytest inside it again would repeat the sweep"),
    # docs/architecture.md: fingerprints before and after a refactoring, made smaller to two cases (each case:
    # 2 replications of 2 years on the small catchment)
    "python -m experiments.fingerprint --write fingerprints.json": RunHere(
        ("wrote 2 cases",), ("--cases baseline,act_team",), builds="fingerprints", files=("fingerprints.json",),
        slow=True, timeout=900),
    "python -m experiments.fingerprint --check fingerprints.json --jobs 2": RunHere(
        ("2 cases, 12 outputs: all identical",), ("--cases baseline,act_team",), workdir="fingerprints", slow=True,
        timeout=900),
    # docs/guides/steering-groups.md: the report command of make run, on the tiny smoke sweep instead
    "python -m experiments.compare sweeps/default_comparison": RunHere(
        ("report written",), workdir="smoke_sweep", placeholders=(("sweeps/default_comparison", "sweeps/smoke"),),
        files=("sweeps/smoke/report/report.html",)),
    # docs/guides/teachers.md: the page's settings through python -m sim
    "python -m sim population=small run.years=1 run.warmup_days=90 scenario.specialisation.enabled=true scenario.specialisation.level=6":
        RunHere((PAIRED, "readmission_rate_30d"), TINY_SIM),
    "python -m sim population=small run.years=1 run.warmup_days=90 scenario=coordinator_universal scenario.specialisation.enabled=true "
    "scenario.specialisation.level=4 scenario.coordinator.functions=3": RunHere((PAIRED, "cost_new_functions_dkk"), TINY_SIM, slow=True),
}

SNIPPETS: dict[str, RunHere | ExercisedBy | NotRun] = {
    # docs/guides/sweeps.md: reading the tidy table (run in a folder holding a tiny sweeps/smoke: 2 replications)
    'kpis, series, meta = read_tables("sweeps/smoke")': RunHere(("readmission_rate_30d", "cost_per_patient_year_dkk", r"re:^count\s+2\.0"), workdir="smoke_sweep"),
    # docs/guides/planners.md: the paired differences of the worked example's sweep (made smaller)
    'kpis, series, meta = read_tables("sweeps/short_cases")': RunHere(
        ("readmission_rate_30d", "coordinator_short_cases"), workdir="short_cases"),
}
