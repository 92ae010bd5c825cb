"""Hydra plugin of the chronic-care simulator: config folders are read through a checking config source.

Every ``file://`` config folder on Hydra's search path (the project's ``configs/``, ``--config-dir``,
``hydra.searchpath``) is served by :class:`CheckedFileConfigSource` (scheme ``checked://``), which checks a
scenario, population, costs, payment or experiment file against the schema before Hydra composes it
(:mod:`sim.input_files`). A file that could run code (``hydra.callbacks``, ``_target_``), read the environment
(``${oc.env:...}``) or is malformed is refused with one line naming the file, the line and the problem.
Hydra imports plugins in every app, so this module stays light; the checks are imported when a file loads.
"""
