"""Every command in the docs is run by a test, so the docs cannot rot.

docs_commands.py reads the commands and python snippets from README.md and docs/**/*.md; docs_registry.py
registers each exactly once: run here (smaller), exercised by a named test file, or not run (with the
reason). The meta-tests below fail when a documented command is not registered, when an entry is no longer
documented, or when a named test file does not contain the command; the RUN_HERE entries are run here.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from docs_commands import REPO_ROOT, documented, fenced_blocks, shell_commands, smaller, snippet_name, strip_comment
from docs_registry import COMMANDS, SNIPPETS, ExercisedBy, NotRun, RunHere

DOC_COMMANDS, DOC_SNIPPETS, DOC_FILES = documented()
# What a copy of the repository needs for commands to run from it (code, configs, and the docs that
# python -m sim.docs and the benchmark rewrite: python -m sim.docs also rewrites the README's scenario table).
COPIED = ("sim", "experiments", "hydra_plugins", "configs", "docs", "README.md", "pyproject.toml")
TEMPLATE = '    {command!r}: RunHere(expect=(...,), smaller=(...)),   # or ExercisedBy("tests/...") / NotRun("why")'


# -- the registry matches the docs ----------------------------------------------------------------------
def test_every_documented_command_is_registered():
    missing = [f"{doc.where}: {cmd}" for cmd, doc in DOC_COMMANDS.items() if cmd not in COMMANDS]
    assert not missing, ("documented commands no test runs; register each in tests/docs/docs_registry.py, e.g.\n"
                         + TEMPLATE.format(command=missing[0].split(": ", 1)[1]) + "\n" + "\n".join(missing))


def test_every_registered_command_is_still_documented():
    stale = sorted(set(COMMANDS) - set(DOC_COMMANDS))
    assert not stale, f"registered but no longer in the docs (remove from docs_registry.py): {stale}"


def test_every_python_snippet_is_registered_and_none_is_stale():
    assert set(DOC_SNIPPETS) == set(SNIPPETS), (
        f"unregistered snippets (key: first line after the imports): {sorted(set(DOC_SNIPPETS) - set(SNIPPETS))}; "
        f"stale entries: {sorted(set(SNIPPETS) - set(DOC_SNIPPETS))}")


@pytest.mark.parametrize("command", [c for c, e in {**COMMANDS, **SNIPPETS}.items() if isinstance(e, ExercisedBy)])
def test_the_test_that_runs_a_command_shows_it(command):
    entry = {**COMMANDS, **SNIPPETS}[command]
    path = REPO_ROOT / entry.path
    assert path.is_file(), f"{entry.path} (registered for {command!r}) does not exist"
    literal = entry.literal or command
    assert literal in path.read_text(encoding="utf-8"), f"{entry.path} does not contain {literal!r} ({command!r})"


def test_commands_not_run_say_why():
    for command, entry in COMMANDS.items():
        if isinstance(entry, NotRun):
            assert len(entry.reason) > 20, command


def test_run_here_commands_are_python_commands_and_workdirs_exist():
    builders = {e.builds for e in {**COMMANDS, **SNIPPETS}.values() if isinstance(e, RunHere) and e.builds}
    for command, entry in {**COMMANDS, **SNIPPETS}.items():
        if isinstance(entry, RunHere):
            assert entry.workdir in {"tmp", "repo_copy", "smoke_sweep"} | builders, (command, entry.workdir)
            if command in COMMANDS:
                assert shlex.split(command)[0] == "python", f"only python commands can be run here: {command}"


# -- reading the docs: the contract in docs_commands.py's docstring -----------------------------------------
def test_reading_commands_from_markdown():
    markdown = "\n".join([
        "text", "```bash", "python -m sim   # a comment", "", "# only a comment",
        "python -m sim 'scenario=[a,b]' x='#not a comment'  # cut", "python -m sim a=1 \\", "    b=2   # joined",
        "```", "```", "$ python -m sim output=not-a-command", "```", "```python", "import x", "", "y = x.f()", "```",
    ])
    (bash, _, lines), (untagged, _, _), (python, _, code) = fenced_blocks(markdown)
    assert (bash, untagged, python) == ("bash", "", "python")
    assert [c for _, c in shell_commands(lines)] == [
        "python -m sim", "python -m sim 'scenario=[a,b]' x='#not a comment'", "python -m sim a=1 b=2"]
    assert strip_comment("a#b  # c") == "a#b"
    assert snippet_name(code) == "y = x.f()"


def test_making_a_command_smaller():
    args = ["-m", "sim", "population=small", "run.replications=20", "'scenario=[a,b]'"]
    assert smaller(args, ("run.replications=2", "run.years=0.1")) == [
        "-m", "sim", "population=small", "run.replications=2", "'scenario=[a,b]'", "run.years=0.1"]
    assert smaller(["--years", "3", "--jobs", "2"], ("--years 0.2", "--out img")) == ["--years", "0.2", "--jobs", "2", "--out", "img"]


# -- running them ------------------------------------------------------------------------------------------
def copy_repository(target: Path) -> Path:
    """The repository's code, configs and docs in ``target``, plus the config files the docs ask readers to write."""
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    for relative, text in DOC_FILES.items():
        (target / relative).write_text(text, encoding="utf-8")
    return target


def run_command(command: str, entry: RunHere, cwd: Path, code_root: Path) -> subprocess.CompletedProcess:
    """The documented command as a user types it (made smaller), with this interpreter and ``code_root`` importable."""
    substitute = dict(entry.placeholders)
    args = [substitute.get(token, token) for token in shlex.split(command)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code_root), os.environ.get("PYTHONPATH", "")]),
           "HYDRA_FULL_ERROR": "0", "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, *smaller(args[1:], entry.smaller)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=entry.timeout)


def check(command: str, entry: RunHere, proc: subprocess.CompletedProcess, cwd: Path) -> None:
    output = proc.stdout + proc.stderr
    allowed = entry.exit_code if isinstance(entry.exit_code, tuple) else (entry.exit_code,)
    assert proc.returncode in allowed, f"{command}: exit code {proc.returncode}\n{output[-4000:]}"
    for text in entry.expect:
        assert shows(output, text), f"{command}: {text!r} not in the output\n{output[-4000:]}"
    for pattern in entry.files:
        assert list(cwd.glob(pattern)), f"{command}: nothing matches {pattern} in {cwd}"


def shows(output: str, expected: str) -> bool:
    if expected.startswith("re:"):
        return re.search(expected[3:], output, re.MULTILINE) is not None
    return expected in output


class Workdirs:
    """Folders commands run in; a walk-through's folder is built once by its ``builds`` command and shared."""

    def __init__(self, factory: pytest.TempPathFactory):
        self.factory = factory
        self.built: dict[str, tuple[Path, Path, subprocess.CompletedProcess | None]] = {}

    def fresh(self, kind: str) -> tuple[Path, Path]:
        """(cwd, code root) for one command."""
        if kind == "tmp":
            return self.factory.mktemp("cmd"), REPO_ROOT
        if kind == "repo_copy":
            root = copy_repository(self.factory.mktemp("repo") / "repo")
            return root, root
        if kind == "smoke_sweep":
            source, _, _ = self.smoke_sweep()
            cwd = self.factory.mktemp("smoke")
            shutil.copytree(source / "sweeps", cwd / "sweeps")
            return cwd, REPO_ROOT
        cwd, root, _ = self.build(kind)
        return cwd, root

    def smoke_sweep(self):
        """A tiny sweeps/smoke (the README's smoke sweep with 2 replications of a tenth of a year, one process)."""
        if "smoke_sweep" not in self.built:
            cwd = self.factory.mktemp("smoke_sweep")
            entry = RunHere(smaller=("hydra/launcher=basic", "run.years=0.1", "run.warmup_days=0", "sweep.replications=2"))
            proc = run_command("python -m experiments.sweep -m +experiment=smoke", entry, cwd, REPO_ROOT)
            check("the smoke sweep", entry, proc, cwd)
            self.built["smoke_sweep"] = (cwd, REPO_ROOT, proc)
        return self.built["smoke_sweep"]

    def build(self, name: str):
        """Run the command that ``builds`` ``name`` (once) in a fresh repository copy."""
        if name not in self.built:
            (command, entry), = [(c, e) for c, e in COMMANDS.items() if isinstance(e, RunHere) and e.builds == name]
            cwd, root = self.fresh(entry.workdir)
            self.built[name] = (cwd, root, run_command(command, entry, cwd, root))
        return self.built[name]


@pytest.fixture(scope="module")
def workdirs(tmp_path_factory):
    return Workdirs(tmp_path_factory)


def _params(registry: dict) -> list:
    return [pytest.param(key, marks=[pytest.mark.slow] if entry.slow else [], id=key[:80])
            for key, entry in registry.items() if isinstance(entry, RunHere)]


@pytest.mark.parametrize("command", _params(COMMANDS))
def test_documented_command_runs(command, workdirs):
    entry = COMMANDS[command]
    if entry.builds:
        cwd, _, proc = workdirs.build(entry.builds)
    else:
        cwd, root = workdirs.fresh(entry.workdir)
        proc = run_command(command, entry, cwd, root)
    check(command, entry, proc, cwd)


@pytest.mark.parametrize("name", _params(SNIPPETS))
def test_documented_python_snippet_runs(name, workdirs, monkeypatch, capsys):
    entry = SNIPPETS[name]
    cwd, _ = workdirs.fresh(entry.workdir)
    monkeypatch.chdir(cwd)
    exec(compile(DOC_SNIPPETS[name].text, DOC_SNIPPETS[name].where, "exec"), {"__name__": "__docs__"})
    printed = capsys.readouterr().out
    for text in entry.expect:
        assert shows(printed, text), f"{name}: {text!r} not printed:\n{printed}"
