"""Appointment books, the earliest-day rule and time-weighted counters."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.capacity import AppointmentBook, TimeWeighted, earliest_day, lognormal_params, weekday_capacity


# -- a brute-force reference book ---------------------------------------------------------------------
def reference_capacity(slots_per_weekday: float, day: int, weekend_closed: bool = True) -> int:
    """Slots on ``day``: open days k = 0, 1, ... get floor((k+1) s) - floor(k s) (day 0 is a Monday)."""
    if weekend_closed and day % 7 >= 5:
        return 0
    k = sum(1 for d in range(day) if not (weekend_closed and d % 7 >= 5))  # open days before `day`
    return math.floor((k + 1) * slots_per_weekday + 1e-9) - math.floor(k * slots_per_weekday + 1e-9)


class ReferenceBook:
    def __init__(self, slots_per_weekday: float, weekend_closed: bool = True):
        self.s = slots_per_weekday
        self.weekend_closed = weekend_closed
        self.booked: dict[int, int] = {}
        self._cap: dict[int, int] = {}

    def cap(self, day: int) -> int:
        if day not in self._cap:
            self._cap[day] = reference_capacity(self.s, day, self.weekend_closed)
        return self._cap[day]

    def first_free(self, earliest: int) -> int:
        d = earliest
        while self.booked.get(d, 0) >= self.cap(d):
            d += 1
        return d

    def book(self, earliest: int) -> int:
        d = self.first_free(earliest)
        self.booked[d] = self.booked.get(d, 0) + 1
        return d


# -- plain examples -----------------------------------------------------------------------------------
def test_books_first_free_day():
    book = AppointmentBook("b", 2, 30)
    assert [book.book(0) for _ in range(5)] == [0, 0, 1, 1, 2]
    assert book.book(10) == 10
    assert book.first_free_day(0) == 2
    assert book.book(0) == 2 and book.first_free_day(0) == 3


def test_weekends_have_no_capacity():
    book = AppointmentBook("b", 3.7, 70)
    for d in range(70):
        if d % 7 >= 5:
            assert book._capacity[d] == 0
        else:
            assert book._capacity[d] in (3, 4)
    # a Saturday request gets Monday
    assert book.book(5) == 7
    assert book.book(6) == 7


def test_never_overbooks_under_heavy_demand():
    book = AppointmentBook("b", 1.5, 10)
    days = [book.book(0) for _ in range(500)]   # forces many extensions of the 10-day horizon
    assert days == sorted(days)
    for d in set(days) - {days[-1]}:
        assert days.count(d) == book._capacity[d]  # every day before the last one used is full
    assert all(b <= c for b, c in zip(book._booked, book._capacity))


@pytest.mark.parametrize("slots", [0.3, 1.0, 2.5, 7.25, 0.05])
def test_fractional_capacity_running_total(slots):
    """Over any prefix, slots given = slots_per_weekday x open days, to within 1 (no rounding drift),
    including across extensions of the book beyond its initial horizon."""
    book = AppointmentBook("b", slots, 8)
    n = 3 * 365
    book.capacity_between(0, n)  # extends the book in pieces
    open_days = 0
    total = 0
    for d in range(n):
        total += book._capacity[d]
        open_days += d % 7 < 5
        assert abs(total - slots * open_days) < 1.0, (d, total, slots * open_days)
    assert book.capacity_between(0, n) == total


def test_weekday_capacity_continues_across_extension():
    whole = weekday_capacity(0.7, 100)
    first = weekday_capacity(0.7, 40)
    open_first = sum(1 for d in range(40) if d % 7 < 5)
    second = weekday_capacity(0.7, 60, start_day=40, open_days_before=open_first)
    assert first + second == whole


def test_book_many_equals_repeated_book():
    a = AppointmentBook("a", 2.3, 20)
    b = AppointmentBook("b", 2.3, 20)
    for earliest, n in [(0, 7), (3, 1), (1, 25), (19, 3), (2, 0), (5, 11), (0, 40)]:
        many = a.book_many(earliest, n)
        single = [b.book(earliest) for _ in range(n)]
        expanded = [d for d, count in many for _ in range(count)]
        assert expanded == single
        assert all(count > 0 for _, count in many)
        assert [d for d, _ in many] == sorted({d for d, _ in many})
    assert a._booked == b._booked


@pytest.mark.parametrize("earliest", [8, 15, 16, 17, 100, 1000])
def test_booking_far_beyond_the_horizon(earliest):
    """A request beyond the book's horizon extends the book as far as needed (a control due a year ahead
    in a run shorter than a year does exactly this)."""
    book = AppointmentBook("far", 1.0, 8, weekend_closed=False)
    assert book.first_free_day(earliest) == earliest
    assert book.book(earliest) == earliest
    assert book.book_many(earliest, 2) == [(earliest + 1, 1), (earliest + 2, 1)]
    assert len(book._capacity) > earliest + 2


def test_unlimited_book_gives_the_earliest_day():
    book = AppointmentBook("u", 0.0, 10, unlimited=True)
    assert [book.book(5) for _ in range(100)] == [5] * 100
    assert book.book_many(3, 1000) == [(3, 1000)]
    assert book.first_free_day(6) == 6


def test_earliest_day_rule():
    assert earliest_day(3.2, same_day=True) == 3      # before noon: today
    assert earliest_day(3.5, same_day=True) == 4      # from noon: tomorrow
    assert earliest_day(3.9, same_day=True) == 4
    assert earliest_day(3.2, same_day=False) == 4     # planned: never today
    assert earliest_day(3.0, same_day=False) == 4


# -- property test against the brute-force reference ---------------------------------------------------
operation = st.one_of(
    st.tuples(st.just("book"), st.integers(0, 60), st.just(1)),
    st.tuples(st.just("many"), st.integers(0, 60), st.integers(0, 12)),
    st.tuples(st.just("peek"), st.integers(0, 60), st.just(0)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    slots=st.one_of(st.integers(1, 6).map(float), st.floats(0.1, 6.0, allow_nan=False)),
    horizon=st.integers(1, 30),
    weekend_closed=st.booleans(),
    ops=st.lists(operation, min_size=1, max_size=60),
)
def test_book_matches_reference(slots, horizon, weekend_closed, ops):
    book = AppointmentBook("p", slots, horizon, weekend_closed=weekend_closed)
    ref = ReferenceBook(slots, weekend_closed)
    for kind, earliest, n in ops:
        if kind == "book":
            assert book.book(earliest) == ref.book(earliest)
        elif kind == "many":
            got = book.book_many(earliest, n)
            want: dict[int, int] = {}
            for _ in range(n):
                d = ref.book(earliest)
                want[d] = want.get(d, 0) + 1
            assert got == sorted(want.items())
        else:
            assert book.first_free_day(earliest) == ref.first_free(earliest)
    for d in range(len(book._capacity)):
        assert book._capacity[d] == ref.cap(d)
        assert 0 <= book._booked[d] <= book._capacity[d]
        assert book._booked[d] == ref.booked.get(d, 0)


# -- time-weighted counter --------------------------------------------------------------------------
def test_time_weighted_mean_hand_example():
    tw = TimeWeighted()
    tw.change(+2, 1.0)   # level 0 on [0, 1)
    tw.change(+1, 2.0)   # level 2 on [1, 2)
    tw.change(-3, 4.0)   # level 3 on [2, 4)
    tw.change(+1, 5.0)   # level 0 on [4, 5), then 1
    # area to t=6: 0 + 2 + 6 + 0 + 1 = 9
    assert tw.mean(0.0, 6.0) == pytest.approx(9 / 6)
    assert tw.peak == 3 and tw.level == 1
    # restart at t=6 (end of warm-up): only what follows counts
    tw.restart(6.0)
    assert tw.peak == 1
    tw.change(+1, 8.0)   # level 1 on [6, 8), 2 afterwards
    assert tw.mean(6.0, 10.0) == pytest.approx((1 * 2 + 2 * 2) / 4)
    assert tw.mean(6.0, 6.0) == 2.0  # empty window: the current level


def test_lognormal_params_reproduce_mean_and_cv():
    for mean, cv in [(5.0, 0.8), (18.0, 0.3), (0.5, 2.0)]:
        mu, sigma = lognormal_params(mean, cv)
        assert math.exp(mu + sigma**2 / 2) == pytest.approx(mean)
        assert math.sqrt(math.exp(sigma**2) - 1) == pytest.approx(cv)
