"""The checking config source and the search-path plugin that puts it in front of every config folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

from hydra._internal.config_search_path_impl import ConfigSearchPathImpl
from hydra._internal.core_plugins.file_config_source import FileConfigSource
from hydra.core.config_search_path import ConfigSearchPath, SearchPathQuery
from hydra.plugins.config_source import ConfigResult
from hydra.plugins.search_path_plugin import SearchPathPlugin

SCHEME = "checked"


def checked(path: str) -> str:
    """A ``file://`` (or scheme-less) folder as a ``checked://`` one; other schemes (``pkg://``) unchanged."""
    if path.startswith("file://"):
        return f"{SCHEME}://{path[len('file://'):]}"
    return path if "://" in path else f"{SCHEME}://{path}"


class CheckedFileConfigSource(FileConfigSource):
    """A file config source that checks user-written files before loading them (see the package docstring)."""

    @staticmethod
    def scheme() -> str:
        return SCHEME

    def load_config(self, config_path: str) -> ConfigResult:
        full_path = Path(os.path.realpath(os.path.join(self.path, self._normalize_file_name(config_path))))
        if full_path.is_file():
            from sim.input_files import DATA_GROUPS, group_of, read_data_file  # noqa: PLC0415 - see the package docstring

            group, name = group_of(config_path)
            if group in DATA_GROUPS:
                read_data_file(full_path, group, name)
            elif group == "experiment":
                from experiments.experiment_files import read_experiment_file  # noqa: PLC0415

                read_experiment_file(full_path)
        return super().load_config(config_path)


class CheckedSearchPath(ConfigSearchPathImpl):
    """Hydra adds ``--config-dir`` and ``hydra.searchpath`` folders after search-path plugins have run; this
    search path turns those into checked folders too."""

    def append(self, provider: str, path: str, anchor: Optional[SearchPathQuery] = None) -> None:
        super().append(provider, checked(path), anchor)

    def prepend(self, provider: str, path: str, anchor: Optional[Union[SearchPathQuery, str]] = None) -> None:
        super().prepend(provider, checked(path), anchor)


class CheckedConfigFolders(SearchPathPlugin):
    def manipulate_search_path(self, search_path: ConfigSearchPath) -> None:
        for element in search_path.get_path():
            element.path = checked(element.path)
        if type(search_path) is ConfigSearchPathImpl:
            search_path.__class__ = CheckedSearchPath
