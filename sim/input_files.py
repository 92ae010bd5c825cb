"""Config files written by people are data: each is read against the schema before Hydra uses it.

A file in ``configs/scenario/``, ``population/``, ``costs/`` or ``payment/`` may hold only the settings of its
section (:data:`DATA_GROUPS`), typed as the schema types them; an experiment file (``configs/experiment/``)
may hold model and sweep settings, ``defaults`` overrides and ``hydra.sweeper`` choices. Refused, with the
file, the line and what is wrong:

* anything that could run code or reach outside the file: ``hydra`` keys in a data file (callbacks, logging,
  launchers), ``_target_`` anywhere, ``${...}`` interpolations and resolvers (``${oc.env:HOME}``), YAML tags
  such as ``!!python/object``, a ``# @package`` directive that would move a data file's keys elsewhere;
* malformed files: bad YAML, tabs, duplicate keys, aliases, several documents, bytes that are not UTF-8,
  files over :data:`MAX_BYTES`;
* wrong content: unknown keys, wrong types (``enabled: 2`` is not a boolean), an empty file, a file without
  ``name:`` or whose name differs from the file's name (the name labels every table and folder).

The Hydra plugin ``hydra_plugins/chronic_care_inputs`` checks every file Hydra loads from a config folder
(:func:`read_data_file` here; experiment files in :mod:`experiments.experiment_files`), so a refused file is
never composed, whichever command loads it.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path
from typing import Any

import yaml
from hydra.errors import CompactHydraException

from .config import ConfigError, CostConfig, PaymentConfig, PopulationConfig, ScenarioConfig

DATA_GROUPS: dict[str, type] = {"scenario": ScenarioConfig, "population": PopulationConfig,
                                "costs": CostConfig, "payment": PaymentConfig}
MAX_BYTES = 256 * 1024          # a scenario file is a few dozen lines; anything this large is not one
# scenario (and sweep) names label folders and tables: letters, digits, '_' and '-' ('+' joins combined scenarios)
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}
# Hydra reads a header directive (``# @package _global_``) only in the first lines of a file
HEADER_DIRECTIVE = re.compile(r"^\s*#\s*@")


class InputFileError(ConfigError, CompactHydraException):
    """A config file is refused: one line naming the file, the line and the problem. Also a Hydra
    'compact' error, so a command that meets it while composing prints that line without a traceback."""

    def __init__(self, path: Path, line: int | None, problem: str):
        self.path, self.line, self.problem = Path(path), line, problem
        message = f"{shown(path)}{f', line {line}' if line else ''}: {problem}"
        ConfigError.__init__(self, [message])

    def __str__(self) -> str:
        return self.problems[0]

    def __reduce__(self):   # rebuilt from its parts when it crosses processes (a sweep's workers)
        return type(self), (self.path, self.line, self.problem)


def shown(path: Path) -> str:
    """The path as a user would type it: relative to the current folder when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Loader(yaml.SafeLoader):
    """Scalars resolved as OmegaConf resolves them (YAML 1.1, floats without a dot such as 1e3, no timestamps),
    so a value's type here is the type Hydra will see."""


_Loader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"""^(?:
     [-+]?[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+)
    |\.[0-9]+(?:_[0-9]+)*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.X), list("-+0123456789."))
_Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                   for k, v in _Loader.yaml_implicit_resolvers.items()}


def group_of(config_path: str) -> tuple[str, str]:
    """``"scenario/act_team"`` -> ``("scenario", "act_team")``; top-level configs have group ``""``."""
    parts = config_path.replace("\\", "/").removesuffix(".yaml").rsplit("/", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])


def read_data_file(path: Path, group: str, name: str | None = None) -> dict[str, Any]:
    """The settings of a scenario (population, costs, payment) file, checked; raises :class:`InputFileError`."""
    path = Path(path)
    name = path.stem if name is None else name
    label = {"costs": "cost", "population": "population", "payment": "payment", "scenario": "scenario"}[group]
    if not FILE_NAME.fullmatch(name):
        raise InputFileError(path, None, f"the file name {name!r} cannot label results: use letters, digits, '_' "
                                         "and '-' (at most 64 characters)")
    data = read_checked(path, SchemaChecker(path, DATA_GROUPS[group], group, data_file=True))
    if data is None:
        raise InputFileError(path, None, f"the file is empty: a {label} file needs at least 'name: {name}'")
    if "name" not in data:
        raise InputFileError(path, 1, f"'name:' is missing: a {label} file must say 'name: {name}' (its file name), "
                                      "the label of its results")
    if data["name"] != name:
        raise InputFileError(path, None, f"name: {data['name']!r} differs from the file's name {name!r}; "
                                         f"use 'name: {name}' (the name labels tables and folders)")
    return data


def read_checked(path: Path, checker) -> Any:
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise InputFileError(path, None, f"the file has {len(raw):,} bytes; config files are small (at most {MAX_BYTES:,})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise InputFileError(path, line, f"byte 0x{raw[err.start]:02x} is not UTF-8 text: save the file as UTF-8") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not HEADER_DIRECTIVE.match(line):
            break
        checker.header(number, line.strip())
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = (err.problem or err.context or "not valid YAML").replace("\t", "\\t")
        if "\\t" in problem:
            problem += " (indent with spaces, not tabs)"
        raise InputFileError(path, mark.line + 1 if mark else None, f"not valid YAML: {problem}") from None
    except yaml.YAMLError as err:
        raise InputFileError(path, None, f"not valid YAML: {err}") from None
    if node is None:
        return None
    checker.check(node)
    return yaml.load(text, Loader=_Loader)


class SchemaChecker:
    """Walks the YAML nodes against a schema dataclass; the first problem raises (with its line)."""

    def __init__(self, path: Path, schema: type, section: str, data_file: bool):
        self.path, self.schema, self.section, self.data_file = path, schema, section, data_file
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, problem: str) -> None:
        raise InputFileError(self.path, node.start_mark.line + 1, problem)

    def header(self, number: int, line: str) -> None:
        raise InputFileError(self.path, number, f"'{line}': a {self.section} file cannot choose where its keys go "
                                                "(a # @package directive); it may only set its own settings")

    def check(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"the file must be a mapping of {self.section} settings (key: value lines)")
        self.mapping(node, self.schema, "")

    def common(self, node: yaml.Node, where: str) -> None:
        if id(node) in self.seen:
            self.fail(node, f"{where or 'a value'} repeats another value through a YAML alias (*name): write it out")
        self.seen.add(id(node))
        if node.tag not in STANDARD_TAGS:
            self.fail(node, f"{where or 'a value'} has the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')}: "
                            "data files hold plain values; tags that construct objects are refused")
        if isinstance(node, yaml.ScalarNode) and "${" in str(node.value):
            self.fail(node, f"{where} = {node.value!r} uses an interpolation or resolver (${{...}}): data files hold "
                            "plain values, not expressions; write the value itself")

    def mapping(self, node: yaml.MappingNode, schema: type, prefix: str) -> None:
        hints, seen = typing.get_type_hints(schema), {}
        for key_node, value_node in node.value:
            self.common(key_node, prefix.rstrip(".") or "a key")
            key = key_node.value
            where = f"{prefix}{key}"
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                self.fail(key_node, f"{where!r} is not a setting name (keys are words)")
            if key in seen:
                self.fail(key_node, f"{where} appears twice (first on line {seen[key]}); give each setting once")
            seen[key] = key_node.start_mark.line + 1
            self.forbidden(key_node, key, where)
            if key not in hints:
                self.fail(key_node, f"{where} is not a {self.section} setting; valid keys here: {', '.join(sorted(hints))}")
            self.value(value_node, hints[key], where)

    def forbidden(self, key_node: yaml.Node, key: str, where: str) -> None:
        if key == "_target_":
            self.fail(key_node, f"{where}: '_target_' names code to run; config files cannot run code")
        if key in ("hydra", "defaults") and self.data_file:
            what = "change how Hydra runs (callbacks, logging, launchers)" if key == "hydra" else "include other files"
            self.fail(key_node, f"{where}: a {self.section} file cannot {what}; it may only set {self.section} settings "
                                "(see docs/guides/planners.md, 'What a scenario file may contain')")

    def value(self, node: yaml.Node, kind: Any, where: str) -> None:
        self.common(node, where)
        if kind is Any:  # a plug-in's section (scenario.plugins): its own schema checks it; here only plain data
            return self.plain_data(node, where)
        if dataclasses.is_dataclass(kind):
            if not isinstance(node, yaml.MappingNode):
                self.fail(node, f"{where} holds settings (key: value lines under it), not a single value")
            return self.mapping(node, kind, where + ".")
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin is list:
            if not isinstance(node, yaml.SequenceNode):
                self.fail(node, f"{where} must be a list ([a, b] or '- ' lines)")
            for i, item in enumerate(node.value):
                self.value(item, args[0], f"{where}[{i}]")
        elif origin is dict:
            if not isinstance(node, yaml.MappingNode):
                self.fail(node, f"{where} must be a mapping (key: value lines)")
            for key_node, value_node in node.value:
                self.common(key_node, where)
                self.value(value_node, args[1], f"{where}.{key_node.value}")
        elif not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"{where} must be a single {kind.__name__} value")
        elif not _scalar_fits(node.tag, kind):
            self.fail(node, f"{where} = {node.value!r} is not a {_TYPE_WORDS[kind]}")

    def plain_data(self, node: yaml.Node, where: str) -> None:
        """Mappings, lists and scalars of any shape, with the same refusals as everywhere (tags, aliases,
        interpolations, keys that name code)."""
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                self.common(key_node, where)
                self.forbidden(key_node, str(key_node.value), f"{where}.{key_node.value}")
                self.value(value_node, Any, f"{where}.{key_node.value}")
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.value(item, Any, f"{where}[{i}]")


_TYPE_WORDS = {bool: "boolean (true or false)", int: "whole number", float: "number", str: "text value"}


def _scalar_fits(tag: str, kind: type) -> bool:
    short = tag.rsplit(":", 1)[-1]
    return {bool: short == "bool", int: short == "int", float: short in ("int", "float"), str: short == "str"}[kind]
