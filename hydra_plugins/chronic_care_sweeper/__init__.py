"""Hydra plugin of the chronic-care simulator: the block sweeper (``hydra/sweeper=blocks``).

Hydra finds plugins in the ``hydra_plugins`` namespace package and imports them in every Hydra app, so
this module stays light: the work is in :mod:`experiments.planning`, imported when a sweep starts.
"""
