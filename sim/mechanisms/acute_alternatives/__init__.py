"""Alternatives to the emergency department: the router (``routing``: municipal acute beds, the discharging
ward's 72-hour responsibility) and the municipal acute unit agent (``municipal_acute``)."""

from .municipal_acute import MunicipalAcuteUnit
from .routing import HANDLED, TO_ED, TO_WARD, AcuteAlternatives, offered_municipal_bed

__all__ = ["HANDLED", "TO_ED", "TO_WARD", "AcuteAlternatives", "MunicipalAcuteUnit", "offered_municipal_bed"]
