"""Running a bad input as the user runs it and checking the refusal (used by test_bad_values.py and
test_bad_files_and_commands.py; the cases are in bad_input_cases.py and bad_file_cases.py).

A case is run through its command-line entry point in this process (so the suite stays fast) from an empty
working folder, and :func:`assert_refused_clearly` checks:

* the exit code is not 0;
* one clear message names the key or the file (the case's expected text), in a few lines;
* there is no traceback;
* nothing is left behind: the working folder holds exactly what the case put there, and nothing appears
  beside it (a copied system file, a run folder a bad name or file pointed elsewhere).

Guard arguments keep an input that is wrongly accepted cheap (the small catchment, 18 days): it then fails
the exit-code check instead of running the Randers catchment for five years.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from bad_input_cases import Case

SIM_MAIN = Path(__file__).resolve().parents[2] / "sim" / "__main__.py"
MAX_LINES = 4      # Hydra's own messages (a wrong type: the override, the value, the hint) take three
HINT = "HYDRA_FULL_ERROR"
GUARD = {"sim": ["population=small", "run.years=0.05", "run.warmup_days=0", "run.event_log=false"],
         "sweep": ["population=small", "run.years=0.05", "run.warmup_days=0", "sweep.replications=1", "sweep.block=1",
                   "hydra/launcher=basic"]}


def _key(arg: str) -> str:
    return arg.split("=", 1)[0].lstrip("+~")


def command_line(case: Case) -> list[str]:
    if case.command not in GUARD or case.args[:1] == ("--aggregate",) or "-m" not in case.args and case.command == "sweep":
        return list(case.args)
    given = {_key(a) for a in case.args}
    guard = [g for g in GUARD[case.command] if _key(g) not in given and not any(k.startswith(_key(g) + ".") for k in given)]
    return [*case.args, *guard]   # after the case: Hydra's options (--config-dir) come before overrides


def run(case: Case, monkeypatch) -> int:
    args = command_line(case)
    try:
        if case.command == "sim":   # as python -m sim runs it (Hydra finds configs/ from the __main__ file)
            monkeypatch.setattr(sys, "argv", [str(SIM_MAIN), *args])
            runpy.run_module("sim", run_name="__main__")
            return 0
        if case.command == "sweep":
            from experiments import sweep as cli
        else:
            from experiments import compare as cli
        return cli.main(args)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def assert_refused_clearly(case: Case, tmp_path: Path, monkeypatch, capsys) -> None:
    work = tmp_path / "here"
    for name, content in case.files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    work.mkdir(exist_ok=True)
    monkeypatch.chdir(work)
    before, beside = tree(work), set(p.name for p in tmp_path.iterdir())

    code = run(case, monkeypatch)

    captured = capsys.readouterr()
    text = captured.out + captured.err
    # the message's own lines: indented lines continue the line above (a list of options, a key's details);
    # Hydra ends its errors with a hint about HYDRA_FULL_ERROR
    lines = [line for line in text.splitlines() if line.strip() and not line[0].isspace() and HINT not in line]
    assert code != 0, f"{case.id}: accepted (exit 0)\n{text[-2000:]}"
    assert case.expect in text, f"{case.id}: the message does not name {case.expect!r}:\n{text[-2000:]}"
    assert "Traceback" not in text, f"{case.id}: a traceback\n{text[-3000:]}"
    assert len(lines) <= MAX_LINES, f"{case.id}: {len(lines)} lines of output\n{text[-3000:]}"
    assert tree(work) == before, f"{case.id}: left behind {sorted(tree(work) - before)}"
    assert set(p.name for p in tmp_path.iterdir()) == beside, f"{case.id}: wrote beside the working folder"
