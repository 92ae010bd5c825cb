"""Experiment files (``configs/experiment/``) choose a sweep; like scenario files they are data, checked on load.

An experiment file may hold ``# @package _global_``, a ``defaults`` list of preset choices
(``- override /population: small``), model and sweep settings (typed by :class:`SweepAppConfig`, so
``run.event_log: 2`` is refused) and ``hydra.sweeper`` (what is swept). Refused with file and line: other
``hydra`` keys (callbacks, logging, launchers: choose a launcher on the command line), ``_target_``
anywhere, interpolations and resolvers, YAML tags, and everything :mod:`sim.input_files` refuses in any file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.input_files import InputFileError, SchemaChecker, read_checked

from .sweep_config import SweepAppConfig

GLOBAL_PACKAGE = ("#", "@package", "_global_")


class ExperimentChecker(SchemaChecker):
    def header(self, number: int, line: str) -> None:
        if tuple(line.replace("#", "# ", 1).split()) != GLOBAL_PACKAGE:
            raise InputFileError(self.path, number, f"'{line}': an experiment file's only directive is '# @package _global_'")

    def mapping(self, node: yaml.MappingNode, schema: type, prefix: str) -> None:
        if prefix:   # below the top level, the schema applies as in any file
            return super().mapping(node, schema, prefix)
        rest = []
        for key_node, value_node in node.value:
            if key_node.value == "defaults":
                self.defaults(value_node)
            elif key_node.value == "hydra":
                self.hydra(value_node)
            else:
                rest.append((key_node, value_node))
        super().mapping(yaml.MappingNode(node.tag, rest, node.start_mark, node.end_mark), schema, prefix)

    def defaults(self, node: yaml.Node) -> None:
        self.common(node, "defaults")
        for entry in node.value if isinstance(node, yaml.SequenceNode) else [node]:
            pairs = entry.value if isinstance(entry, yaml.MappingNode) else []
            if not (len(pairs) == 1 and str(pairs[0][0].value).startswith("override /")
                    and isinstance(pairs[0][1], yaml.ScalarNode)):
                self.fail(entry, "an experiment's defaults may only choose presets, e.g. '- override /population: small'")
            self.common(pairs[0][0], "defaults")
            self.common(pairs[0][1], str(pairs[0][0].value))

    def hydra(self, node: yaml.Node) -> None:
        self.common(node, "hydra")
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "hydra must hold 'sweeper:' settings")
        for key_node, value_node in node.value:
            if key_node.value != "sweeper":
                self.fail(key_node, f"hydra.{key_node.value}: an experiment file may set only hydra.sweeper (what is "
                                    "swept); callbacks, logging and launchers cannot be set here (choose a launcher on "
                                    "the command line)")
            self.free(value_node, "hydra.sweeper")

    def free(self, node: yaml.Node, where: str) -> None:
        """Sweeper settings follow the sweeper's own schema (Hydra checks them); here only what could run code
        or read the environment is refused."""
        self.common(node, where)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                self.common(key_node, where)
                self.forbidden(key_node, key_node.value, f"{where}.{key_node.value}")
                self.free(value_node, f"{where}.{key_node.value}")
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.free(item, f"{where}[{i}]")


def read_experiment_file(path: Path) -> Any:
    """The experiment file's data, checked; raises :class:`sim.input_files.InputFileError`."""
    return read_checked(Path(path), ExperimentChecker(Path(path), SweepAppConfig, "experiment", data_file=False))
