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


def _replay(book, ref, ops) -> None:
    """Apply the same bookings to the book and its brute-force reference; every answer must agree."""
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
    _replay(book, ref, ops)
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


# -- capacity that changes over time (capacity calendar) ------------------------------------------------
import simpy  # noqa: E402

from sim.capacity import AdjustableResource, urgent_timeout  # noqa: E402


def test_adjustable_resource_grants_waiting_requests_when_capacity_rises():
    env = simpy.Environment()
    res = AdjustableResource(env, capacity=1)
    granted: list[tuple[str, float]] = []

    def user(name, hold):
        with res.request() as req:
            yield req
            granted.append((name, env.now))
            yield env.timeout(hold)

    for name in "abcd":
        env.process(user(name, 10.0))

    def planner():
        yield env.timeout(2.0)
        res.set_capacity(3)       # b and c get a slot at once, in queue order
        yield env.timeout(1.0)
        res.set_capacity(1)       # fewer slots: nobody is thrown out, but d is not let in
    env.process(planner())
    env.run(until=40)
    assert granted[:3] == [("a", 0.0), ("b", 2.0), ("c", 2.0)]
    # capacity 1 from t=3: d starts only when a, b and c have all left (t=12), not when a leaves (t=10)
    assert granted[3] == ("d", 12.0)


def test_adjustable_resource_without_changes_is_a_plain_resource():
    def trace(cls):
        env = simpy.Environment()
        res = cls(env, capacity=2)
        out = []

        def user(i):
            with res.request() as req:
                yield req
                out.append((i, env.now))
                yield env.timeout(1.0 + i % 3)
        for i in range(9):
            env.process(user(i))
        env.run()
        return out
    assert trace(AdjustableResource) == trace(simpy.Resource)


def test_adjustable_resource_rejects_negative_capacity():
    res = AdjustableResource(simpy.Environment(), capacity=1)
    with pytest.raises(ValueError):
        res.set_capacity(-1)


def test_urgent_timeout_comes_before_ordinary_events_of_its_instant():
    env = simpy.Environment()
    order = []

    def ordinary():
        yield env.timeout(5.0)
        order.append("ordinary")

    def urgent():
        yield urgent_timeout(env, 5.0)
        order.append("urgent")
    env.process(ordinary())
    env.process(urgent())   # started second, scheduled for the same instant, processed first
    env.run()
    assert order == ["urgent", "ordinary"]


class PiecewiseReference(ReferenceBook):
    """Brute-force book with a planned rate per day: open day k gets floor(C(k+1)) - floor(C(k)), C the
    cumulative planned rate over open days (rates are multiples of 1/4, so sums are exact)."""

    def __init__(self, slots, changes, weekend_closed=True):
        super().__init__(slots, weekend_closed)
        self.changes = sorted(changes)

    def rate(self, day):
        r = self.s
        for d, rate in self.changes:
            if d <= day:
                r = rate
        return r

    def cap(self, day):
        if day not in self._cap:
            if self.weekend_closed and day % 7 >= 5:
                self._cap[day] = 0
            else:
                cum = sum(self.rate(d) for d in range(day) if not (self.weekend_closed and d % 7 >= 5))
                self._cap[day] = math.floor(cum + self.rate(day) + 1e-9) - math.floor(cum + 1e-9)
        return self._cap[day]


quarter_rate = st.integers(0, 24).map(lambda q: q / 4.0)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    slots=st.integers(1, 24).map(lambda q: q / 4.0),
    changes=st.lists(st.tuples(st.integers(0, 70), quarter_rate), max_size=4, unique_by=lambda c: c[0]),
    horizon=st.integers(1, 30),
    weekend_closed=st.booleans(),
    ops=st.lists(operation, min_size=1, max_size=60),
)
def test_piecewise_book_matches_reference(slots, changes, horizon, weekend_closed, ops):
    """A book with planned rate changes: same days as the brute-force reference, never overbooked, and the
    union-find stays valid when days are built with a rate planned long before they are reached."""
    if changes and sorted(changes)[-1][1] == 0:
        changes = [*changes, (80, 1.0)]  # keep capacity at the end so every request can be served
    book = AppointmentBook("p", slots, horizon, weekend_closed=weekend_closed, changes=changes)
    ref = PiecewiseReference(slots, changes, weekend_closed)
    _replay(book, ref, ops)
    for d in range(len(book._capacity)):
        assert book._capacity[d] == ref.cap(d), d
        assert 0 <= book._booked[d] <= book._capacity[d]


@pytest.mark.parametrize("rates", [[(10, 0.7), (40, 2.3)], [(5, 0.0), (30, 1.1)], [(3, 5.5), (4, 0.2), (90, 3.0)]])
def test_piecewise_running_total_tracks_the_planned_rate(rates):
    """Over any prefix the slots given equal the integral of the planned rate over open days, to within 1."""
    book = AppointmentBook("b", 1.3, 8, changes=rates)
    n = 400
    book.capacity_between(0, n)
    total = planned = 0.0
    for d in range(n):
        rate = 1.3
        for first, r in rates:
            if d >= first:
                rate = r
        if d % 7 < 5:
            planned += rate
        total += book._capacity[d]
        assert abs(total - planned) < 1.0 + 1e-9, (d, total, planned)


def test_book_without_changes_is_built_as_before():
    a = AppointmentBook("a", 2.37, 100)
    b = AppointmentBook("b", 2.37, 100, changes=[])
    assert a._capacity == b._capacity == weekday_capacity(2.37, 100)


def test_a_reserve_that_closes_has_no_free_day():
    """A sub-acute reserve whose planned capacity ends gives None instead of looping or raising."""
    book = AppointmentBook("r", 1.0, 20, weekend_closed=False, changes=[(5, 0.0)])
    assert [book.book(0) for _ in range(5)] == [0, 1, 2, 3, 4]
    assert book.first_free_day_or_none(0) is None
    assert book.first_free_day_or_none(300) is None
    with pytest.raises(RuntimeError, match="no capacity from day"):
        book.book(0)


def test_bookings_far_ahead_see_the_planned_capacity():
    """A control booked a year ahead lands on a day built with that day's planned (reduced) rate."""
    book = AppointmentBook("c", 4.0, 30, weekend_closed=False, changes=[(300, 1.0)])
    assert book.book_many(365, 3) == [(365, 1), (366, 1), (367, 1)]
    assert book.book_many(100, 5) == [(100, 4), (101, 1)]


def test_released_slots_are_counted():
    reserve = AppointmentBook("r", 2.0, 10, weekend_closed=False)
    ordinary = AppointmentBook("o", 1.0, 10, weekend_closed=False)
    reserve.book(3)
    assert reserve.move_unused(3, ordinary, 2) == 1
    assert reserve.released_between(0, 10) == 1 and reserve.released_between(4, 10) == 0
    assert ordinary._capacity[3] == 2
