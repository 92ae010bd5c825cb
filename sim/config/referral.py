"""How general practice refers (``scenario.gp_referral``)."""

from __future__ import annotations

from dataclasses import dataclass

from .params import param


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms II: how general practice refers
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReferralConfig:
    ratio: float = param(
        1.0, unit="multiplier on every GP referral probability", lo=0.0, hi=10.0,
        source="Slides l.41-44 (if 90/10 becomes 85/15, referrals to hospital rise by 50%: ratio 1.5)",
        doc="1 is today's practice; 1.5 moves the GPs from closing 90% of contacts to closing 85%")
