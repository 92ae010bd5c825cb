"""Scenario mechanisms as plug-ins: each declares its config section, patient streams and hooks
(``hooks.Mechanism``); the registry (``registry``) lists them in hook order and the model builds them."""

from .hooks import Mechanism

__all__ = ["Mechanism"]
