"""Payment steering: how the payment model steers a clinic's decisions (Region H 2018 l.1262-1274, l.1536-1541).

* **Double steering**: the more revenue follows activity (``payment.tariff_share``), the less often a clinic
  offers needs-based or PRO-triggered follow-up (``payment.adoption_elasticity``).
* **An empty slot earns nothing**: under DRG a clinic with a sub-acute reserve books some fixed controls into
  it (``payment.p_fill_reserve_with_controls`` × tariff share), long before sub-acute patients call.

Who pays and earns what (``sim.payment``) is the accounting; this module is the behaviour it causes.
The reserve-filling decisions draw from each clinic's own ``reserve_filling`` agent stream.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from ..agents.outpatient_clinic import CONTROL
from .hooks import Mechanism

if TYPE_CHECKING:
    from ..agents.outpatient_clinic import OutpatientClinic
    from ..model import CareModel


class PaymentSteering(Mechanism):
    name = "payment_steering"
    config_sections = ("payment",)

    def __init__(self, model: CareModel):
        super().__init__(model)
        self.cfg = model.cfg.payment
        self._filling: dict[int, tuple[float, random.Random | None]] = {}  # condition -> (probability, stream)

    @property
    def active(self) -> bool:
        return True  # the steering follows from the payment model, which every run has

    def clinic_opened(self, clinic: OutpatientClinic) -> None:
        pay = self.cfg
        p_fill = pay.p_fill_reserve_with_controls * pay.tariff_share if clinic.reserve is not None else 0.0
        stream = self.model.streams.agent("outpatient_clinic", clinic.condition, "reserve_filling") if p_fill > 0 else None
        self._filling[clinic.condition] = (p_fill, stream)

    def switch_offer_probability(self, clinic: OutpatientClinic, p: float) -> float:
        """Double steering: the more revenue follows activity, the less often the switch is offered."""
        return p * (1.0 - self.cfg.adoption_elasticity * self.cfg.tariff_share)

    def books_control(self, clinic: OutpatientClinic, first: int) -> int | None:
        """DRG steering (Region H 2018 l.1536-1541): a reserve slot left empty earns nothing, so when the reserve
        offers a slot no later than the ordinary book the clinic may fill it with this control now, long before
        sub-acute patients call. Returns the reserve day, or None to book as usual."""
        p_fill, stream = self._filling[clinic.condition]
        if p_fill <= 0:
            return None
        reserve_day = clinic.reserve.first_free_day_or_none(first)  # None when a capacity move has closed the reserve
        if reserve_day is None or reserve_day > clinic.book.first_free_day(first):
            return None
        if stream.random() >= p_fill:
            return None
        return clinic.book_reserve(first, CONTROL)
