"""Which scenario files a run uses, and how several combine (``scenario=[a,b]``).

Hydra merges the files of a list in order, the last one winning, which silently drops settings: two
capacity calendars kept only the second, ``[value_based_controls,pro_triggered_controls]`` gave whichever
policy came last. Combined scenarios therefore compose by these rules instead:

* capacity calendars (``capacity_moves.calendar``) **concatenate**, in the order given;
* ``sources`` merge (a setting cited by both files keeps both citations); descriptions are joined; the
  label is the names joined with ``+`` (``a+b``) unless ``scenario.name`` is given;
* every other setting may be set by several files only to the **same** value: two files setting one key
  differently (exclusive policies such as ``controls.policy``, ``telemonitoring.mode``) are refused, naming
  both files and the key. Write one scenario file for such a combination.

A selection of no file (``scenario=[]``) is refused, and ``scenario.name`` may not borrow the name of another
scenario file (two different scenarios under one label).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf, open_dict

from .config import ConfigError
from .input_files import read_data_file, shown

CALENDAR = ("capacity_moves", "calendar")
COMBINED_BY_RULE = {("name",), ("description",), ("sources",), CALENDAR}


@dataclass(frozen=True)
class Selection:
    """The scenario files a composed config used, the ``scenario.name`` given on the command line (if any),
    whether a calendar entry was overridden there, and where the config folders are."""
    files: tuple[str, ...]
    name_override: str | None
    calendar_overridden: bool
    config_dirs: tuple[Path, ...]

    @classmethod
    def of(cls, task_overrides: Sequence[str], runtime: Any) -> "Selection":
        """From a job's task overrides and Hydra's ``runtime`` node (``choices``, ``config_sources``)."""
        parsed = OverridesParser.create().parse_overrides([str(o) for o in task_overrides or []])
        files, name = None, None
        for o in parsed:
            key = o.key_or_group.lstrip("+~")
            if key == "scenario":
                value = [] if o.is_delete() else o.value()
                files = [str(v) for v in value] if isinstance(value, list) else [str(value)]
            elif key == "scenario.name" and not o.is_delete():
                name = str(o.value())
        if files is None:
            choice = runtime.choices.get("scenario")
            if choice is None:
                raise ConfigError(["the scenario files of this run cannot be told (a list in an experiment's defaults?): "
                                   "choose combined scenarios on the command line, e.g. scenario=[a,b]"])
            files = [str(choice)]
        calendar = any(o.key_or_group.lstrip("+~").startswith("scenario.capacity_moves.calendar") for o in parsed)
        dirs = [Path(s["path"]) for s in runtime.get("config_sources") or []
                if s.get("schema") in ("file", "checked") and s.get("path")]
        return cls(tuple(files), name, calendar, tuple(dirs))

    def path(self, name: str) -> Path:
        for folder in self.config_dirs:
            candidate = folder / "scenario" / f"{name}.yaml"
            if candidate.is_file():
                return candidate
        raise ConfigError([f"scenario={name}: no file scenario/{name}.yaml in {', '.join(map(shown, self.config_dirs))}"])

    def other_files(self) -> set[str]:
        return {p.stem for folder in self.config_dirs for p in (folder / "scenario").glob("*.yaml")} - set(self.files)


def compose_scenarios(raw: DictConfig, selection: Selection) -> None:
    """Apply the combination rules to a composed config's ``scenario`` node (in place); raise
    :class:`ConfigError` for an empty selection, conflicting files or a borrowed name."""
    if "scenario" not in raw:
        return
    files = list(selection.files)
    if not files:
        raise ConfigError(["scenario=[] selects no scenario file: name at least one (scenario=baseline is usual care)"])
    repeated = sorted({f for f in files if files.count(f) > 1})
    if repeated:
        raise ConfigError([f"scenario lists {', '.join(repeated)} more than once: name each scenario file once"])
    if selection.name_override is not None and selection.name_override in selection.other_files():
        raise ConfigError([f"scenario.name = {selection.name_override!r} is the name of another scenario file "
                           f"(scenario/{selection.name_override}.yaml): two different scenarios would share one label; "
                           "choose a new name"])
    if len(files) == 1:
        return
    paths = {name: selection.path(name) for name in files}
    deltas = {name: read_data_file(paths[name], "scenario", name) for name in files}
    problems = _conflicts(deltas, paths)
    calendars = [entry for name in files for entry in _get(deltas[name], CALENDAR) or []]
    several_calendars = sum(bool(_get(deltas[name], CALENDAR)) for name in files) > 1
    if several_calendars and selection.calendar_overridden:
        problems.append("scenario.capacity_moves.calendar is overridden on the command line while several scenario files "
                        "bring calendars (they are concatenated, so an entry's index is ambiguous): put the change in a "
                        "scenario file")
    if problems:
        raise ConfigError(problems)
    with open_dict(raw):
        scenario = raw.scenario
        if several_calendars:
            # merging a list replaces it and types its entries (a typed config refuses plain dicts assigned)
            OmegaConf.update(scenario, "capacity_moves.calendar", calendars, merge=True)
        scenario.description = "; ".join(f"{name}: {deltas[name].get('description', '(no description)')}" for name in files)
        sources: dict[str, str] = {}
        for name in files:
            for key, text in (deltas[name].get("sources") or {}).items():
                sources[key] = text if sources.get(key) in (None, text) else f"{sources[key]}; {text}"
        scenario.sources = sources
        scenario.name = selection.name_override if selection.name_override is not None else "+".join(files)


def _get(data: dict, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _leaves(data: dict, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    out: dict[tuple[str, ...], Any] = {}
    for key, value in data.items():
        path = prefix + (key,)
        if path in COMBINED_BY_RULE:
            continue
        if isinstance(value, dict):
            out.update(_leaves(value, path))
        else:
            out[path] = value
    return out


def _conflicts(deltas: dict[str, dict], paths: dict[str, Path]) -> list[str]:
    first: dict[tuple[str, ...], tuple[str, Any]] = {}
    problems = []
    for name, delta in deltas.items():
        for path, value in _leaves(delta).items():
            if path not in first:
                first[path] = (name, value)
                continue
            other, earlier = first[path]
            if earlier != value:
                key = ".".join(path)
                problems.append(f"{shown(paths[other])} and {shown(paths[name])} both set scenario.{key} "
                                f"({earlier!r} and {value!r}): a combination cannot hold both; combine scenarios that "
                                "set different keys, or write one scenario file for the combination")
    return problems
