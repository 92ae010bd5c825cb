"""Bad files, combinations and command lines (the table continues bad_input_cases.py)."""

from __future__ import annotations

from bad_input_cases import Case, compare, scenario_file, sim, sweep

GOOD = "name: {name}\ndescription: a test scenario\n"
CALLBACK = ("hydra:\n  callbacks:\n    steal:\n      _target_: shutil.copyfile\n      src: /etc/hostname\n"
            "      dst: stolen.txt\n")

FILES = [
    scenario_file("package_global_callbacks", "evil", "# @package _global_\nscenario:\n  name: evil\n" + CALLBACK),
    scenario_file("package_directive", "moved", "# @package population\nname: moved\n"),
    scenario_file("hydra_callbacks", "hooks", GOOD.format(name="hooks") + CALLBACK),
    scenario_file("hydra_job_logging", "logs", GOOD.format(name="logs") + "hydra:\n  job_logging:\n    root:\n      level: DEBUG\n"),
    scenario_file("target_nested", "target", GOOD.format(name="target") + "coordinator:\n  _target_: os.system\n"),
    scenario_file("target_top", "target2", GOOD.format(name="target2") + "_target_: builtins.exec\n"),
    scenario_file("env_resolver", "env", "name: env\ndescription: ${oc.env:HOME}\n"),
    scenario_file("env_resolver_in_source", "env2", "name: env2\nsources:\n  coordinator.enabled: ${oc.env:USER}\n"),
    scenario_file("now_resolver", "now", "name: now\ndescription: ${now:%Y}\n"),
    scenario_file("key_interpolation", "interp", "name: interp\ndescription: ${scenario.name}\n"),
    scenario_file("python_tag", "pytag", "name: pytag\ncoordinator: !!python/object/apply:os.system [ls]\n"),
    scenario_file("pathlib_tag", "pathtag", "name: pathtag\ndescription: !!python/object/apply:pathlib.Path [/etc]\n"),
    scenario_file("binary_tag", "bintag", "name: bintag\ndescription: !!binary aGVsbG8=\n"),
    scenario_file("duplicate_key", "dup", "name: dup\ncoordinator:\n  enabled: true\n  enabled: false\n"),
    scenario_file("duplicate_section", "dup2", "name: dup2\ncoordinator:\n  enabled: true\ncoordinator:\n  enabled: false\n"),
    scenario_file("tab_indent", "tabs", "name: tabs\ncoordinator:\n\tenabled: true\n"),
    scenario_file("not_utf8", "latin", b"name: latin\ndescription: caf\xe9\n"),
    scenario_file("empty", "empty", ""),
    scenario_file("only_comments", "comments", "# nothing here\n# at all\n"),
    scenario_file("nameless", "nameless", "description: no name\ncoordinator:\n  enabled: true\n"),
    scenario_file("name_differs", "mismatch", "name: something_else\n"),
    scenario_file("unknown_key", "unknown", "name: unknown\ncoordinater:\n  enabled: true\n"),
    scenario_file("bool_as_number", "boolnum", "name: boolnum\ncoordinator:\n  enabled: 2\n"),
    scenario_file("bool_as_word", "boolword", "name: boolword\ncoordinator:\n  enabled: maybe\n"),
    scenario_file("number_as_word", "numword", "name: numword\ncoordinator:\n  caseload_per_staff: lots\n"),
    scenario_file("list_for_section", "listsec", "name: listsec\ncoordinator: [1, 2]\n"),
    scenario_file("mapping_for_value", "mapval", "name: mapval\ncoordinator:\n  enabled:\n    really: true\n"),
    scenario_file("several_documents", "docs", "name: docs\n---\nname: docs\n"),
    scenario_file("alias", "alias", "name: alias\ncoordinator: &c\n  enabled: true\ncomplex_care_team: *c\n"),
    scenario_file("unterminated_quote", "quote", "name: quote\ndescription: \"never closed\n"),
    scenario_file("bad_indentation", "indent", "name: indent\ncoordinator:\n  enabled: true\n   targeting: high_tier\n"),
    scenario_file("defaults_list", "includes", "name: includes\ndefaults:\n  - act_team\n"),
    scenario_file("too_large", "huge", "name: huge\ndescription: \"" + "x" * 300_000 + "\"\n"),
    scenario_file("scalar_document", "scalar", "just a sentence\n"),
    scenario_file("list_document", "list", "- name: list\n"),
    scenario_file("value_out_of_range", "range", "name: range\ncoordinator:\n  case_days: -5\n", "scenario.coordinator.case_days"),
    scenario_file("calendar_entry_unknown_key", "cal", "name: cal\ncapacity_moves:\n  calendar:\n    - name: x\n      beds: 3\n"),
    sim("population_file_with_hydra", ["--config-dir", "conf", "population=town"], "population/town.yaml",
        conf__population__town_DOT_yaml="name: town\ninhabitants: 40000\nhydra:\n  run:\n    dir: ../escaped\n"),
    sim("costs_file_with_target", ["--config-dir", "conf", "costs=cheap2"], "costs/cheap2.yaml",
        conf__costs__cheap2_DOT_yaml="name: cheap2\nbed_day:\n  _target_: os.getcwd\n"),
    sim("payment_file_nameless", ["--config-dir", "conf", "payment=nameless"], "payment/nameless.yaml",
        conf__payment__nameless_DOT_yaml="model: budget\ntariff_share: 0.0\n"),
    sim("population_file_env", ["--config-dir", "conf", "population=envtown"], "population/envtown.yaml",
        conf__population__envtown_DOT_yaml="name: envtown\ninhabitants: ${oc.env:UID}\n"),
]

EXPERIMENTS = [
    sweep("experiment_with_callbacks", ["-m", "--config-dir", "conf", "+experiment=hooks"], "experiment/hooks.yaml",
          conf__experiment__hooks_DOT_yaml="# @package _global_\n" + CALLBACK),
    sweep("experiment_with_launcher", ["-m", "--config-dir", "conf", "+experiment=launch"], "experiment/launch.yaml",
          conf__experiment__launch_DOT_yaml="# @package _global_\nhydra:\n  launcher:\n    n_jobs: 64\n"),
    sweep("experiment_sampler_target", ["-m", "--config-dir", "conf", "+experiment=sampler"], "experiment/sampler.yaml",
          conf__experiment__sampler_DOT_yaml="# @package _global_\nhydra:\n  sweeper:\n    sampler:\n      _target_: os.system\n"),
    sweep("experiment_other_package", ["-m", "--config-dir", "conf", "+experiment=pkg"], "experiment/pkg.yaml",
          conf__experiment__pkg_DOT_yaml="# @package scenario\nname: x\n"),
    sweep("experiment_defaults_include", ["-m", "--config-dir", "conf", "+experiment=inc"], "experiment/inc.yaml",
          conf__experiment__inc_DOT_yaml="# @package _global_\ndefaults:\n  - smoke\n"),
    sweep("experiment_flag_as_number", ["-m", "--config-dir", "conf", "+experiment=flag"], "experiment/flag.yaml",
          conf__experiment__flag_DOT_yaml="# @package _global_\nrun:\n  event_log: 2\n"),
    sweep("experiment_env_resolver", ["-m", "--config-dir", "conf", "+experiment=envx"], "experiment/envx.yaml",
          conf__experiment__envx_DOT_yaml="# @package _global_\nsweep:\n  name: ${oc.env:HOME}\n"),
    # a bad file met by a glob over every scenario (the default comparison): test_files_cannot_run_code.py
]

COMBINATIONS = [
    sim("exclusive_controls", "scenario=[value_based_controls,pro_triggered_controls]", "scenario.controls.policy"),
    sim("exclusive_telemonitoring", "scenario=[telemonitoring_substitution,telemonitoring_parallel]", "scenario.telemonitoring.mode"),
    sim("exclusive_coordinators", "scenario=[coordinator_targeted,coordinator_universal]", "scenario.coordinator.targeting"),
    sim("no_scenario", "scenario=[]", "scenario=[]"),
    sim("scenario_twice", "scenario=[act_team,act_team]", "act_team"),
    sim("two_calendars_and_an_entry_override",
        "scenario=[capacity_move_ward_to_subacute,capacity_move_controls_to_gp] scenario.capacity_moves.calendar.0.share=-0.2",
        "scenario.capacity_moves.calendar"),
    sim("combination_with_unknown_file", "scenario=[baseline,nonexistent]", "nonexistent"),
]

COMMAND_LINES = [
    sweep("sweep_without_multirun", "+experiment=smoke", "-m"),
    sweep("sweep_run_mode", "-r +experiment=smoke", "-m"),
    sweep("sweep_block_zero", "-m +experiment=smoke sweep.block=0", "sweep.block"),
    sweep("sweep_block_above_replications", "-m +experiment=smoke sweep.block=5", "sweep.block"),
    sweep("sweep_first_set_by_hand", "-m +experiment=smoke sweep.first=2", "sweep.first"),
    sweep("sweep_setting_swept", "-m +experiment=smoke sweep.block=1,2", "sweep.block"),
    sweep("sweep_name_escapes", "-m +experiment=smoke sweep.name=../../x", "sweep.name"),
    sweep("sweep_name_absolute", "-m +experiment=smoke sweep.name=/tmp/elsewhere", "sweep.name"),
    sweep("sweep_unknown_key", "-m +experiment=smoke sweep.blok=3", "sweep.blok"),
    sweep("sweep_replications_zero", "-m +experiment=smoke sweep.replications=0", "sweep.replications"),
    sweep("sweep_objective_not_a_kpi", "-m +experiment=smoke sweep.objective.kpi=happiness sweep.block=4", "sweep.objective.kpi"),
    sweep("sweep_two_scenarios_one_label", "-m +experiment=smoke scenario.name=mixed", "mixed"),
    sweep("sweep_bad_value_in_one_job", "-m +experiment=smoke scenario.coordinator.caseload_per_staff=-1,40",
          "scenario.coordinator.caseload_per_staff"),
    sweep("sweep_unknown_experiment", "-m +experiment=nonexistent", "nonexistent"),
    sweep("aggregate_without_folder", "--aggregate", "--aggregate"),
    sweep("aggregate_missing_folder", "--aggregate nowhere", "nowhere"),
    sweep("aggregate_not_a_sweep", "--aggregate work", "work", work__notes_DOT_txt="not a sweep\n"),
]

COMPARISONS = [
    compare("compare_missing_folder", "nowhere", "nowhere"),
    compare("compare_unfinished_folder", "work", "sweep.json", work__cells__DOT_keep=""),
    compare("compare_out_is_a_file", "work --out work/report.txt", "report.txt", work__report_DOT_txt="a file\n"),
    compare("compare_out_below_a_file", "work --out work/report.txt/sub", "report.txt", work__report_DOT_txt="a file\n"),
    *(compare(f"compare_precision_{v}", f"work --precision {v}", "--precision") for v in ("0", "nan", "1.5", "abc")),
    compare("compare_without_arguments", "", "sweep_dir"),
    compare("compare_truncated_tables", "work", "work", work__sweep_DOT_json="{}", work__kpis_DOT_parquet="PAR1 truncated"),
]

CASES: list[Case] = [*FILES, *EXPERIMENTS, *COMBINATIONS, *COMMAND_LINES, *COMPARISONS]
