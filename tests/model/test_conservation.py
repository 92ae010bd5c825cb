"""Conservation laws on the shared small baseline: patients, beds, home-nursing places, appointment slots."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.agents import Patient


def max_concurrent(starts, ends) -> int:
    """Sweep over sorted start/end events; at equal times an end is processed before a start
    (a bed released at t can be taken at t)."""
    starts = np.asarray(starts, float)
    ends = np.asarray(ends, float)
    assert (ends >= starts).all(), "an interval ends before it starts"
    times = np.concatenate([ends, starts])
    deltas = np.concatenate([-np.ones(len(ends)), np.ones(len(starts))])
    order = np.lexsort((deltas, times))  # by time, then -1 before +1
    running = np.cumsum(deltas[order])
    return int(running.max()) if running.size else 0


def test_max_concurrent_helper():
    assert max_concurrent([0, 1, 2], [1, 2, 3]) == 1   # back-to-back stays share one bed
    assert max_concurrent([0, 0.5, 0.7], [1, 2, 3]) == 3
    assert max_concurrent([], []) == 0


# -- patients ---------------------------------------------------------------------------------------
def test_entries_are_unique_and_match_the_population(baseline):
    entries = baseline.table("entries")
    assert not entries.person_id.duplicated().any(), "a person entered twice"
    pop = baseline.model.population
    # every generated patient with an entry time inside the horizon entered exactly at that time
    expected = pop.entry_time <= baseline.t1
    assert sorted(entries.person_id) == sorted(pop.person_id[expected].tolist())
    got = entries.set_index("person_id").time.sort_index()
    np.testing.assert_array_equal(got.to_numpy(), pop.entry_time[got.index.to_numpy()])


def test_every_entry_exits_once_or_is_still_present(baseline):
    model = baseline.model
    entries = baseline.table("entries").set_index("person_id")
    exits = baseline.table("exits")
    assert not exits.person_id.duplicated().any(), "a person exited twice"
    assert set(exits.person_id) <= set(entries.index), "an exit without an entry"
    exit_time = exits.set_index("person_id").time
    assert (exit_time >= entries.time.loc[exit_time.index]).all(), "exit before entry"
    assert (exit_time <= baseline.t1).all()
    assert set(exits.reason) <= {"death", "moved"}

    still_present = set(entries.index) - set(exits.person_id)
    agents = model.agents_by_type.get(Patient, [])
    assert len(still_present) == model.patients_present == len(agents)
    assert {a.person_id for a in agents} == still_present
    assert all(a.alive for a in agents)
    assert len(exits) > 0 and len(still_present) > 0  # the check is not vacuous


def test_daily_patient_count_matches_entries_and_exits(baseline):
    entries, exits = baseline.table("entries"), baseline.table("exits")
    ts = baseline.timeseries
    # patients present at the end of each day = entries up to then - exits up to then
    days = ts.day.to_numpy()
    present = (np.searchsorted(np.sort(entries.time), days, side="right")
               - np.searchsorted(np.sort(exits.time), days, side="right"))
    np.testing.assert_array_equal(ts.patients.to_numpy(), present)


# -- beds -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("ward_attr,column", [("medical_ward", "medical_beds_occupied"),
                                              ("psychiatric_ward", "psychiatric_beds_occupied")])
def test_beds_in_use_never_exceed_beds(baseline, ward_attr, column):
    """Beds in use never exceed the normed beds plus the corridor beds over-occupancy allows."""
    ward = getattr(baseline.model, ward_attr)
    places = ward.pressure.places(ward.beds_count)
    assert places > ward.beds_count, "the baseline allows corridor beds"
    assert ward.occupied.peak <= places
    assert baseline.timeseries[column].max() <= places
    assert baseline.timeseries[column].min() >= 0
    # the counters agree with the SimPy resource they shadow
    assert ward.occupied.level == ward.beds.count
    assert ward.boarding.level == len(ward.beds.queue)
    assert ward.boarding.level >= 0
    assert ward.corridor.level == max(0, ward.occupied.level - ward.beds_count)

    adm = baseline.table("admissions")
    rows = adm[(adm.ward == ward.name) & (adm.place == "ward")]
    assert (rows.person_id == -1).any() and (rows.person_id >= 0).any(), "background and patient stays both present"
    assert (rows.admitted >= rows.arrival).all() and (rows.ready >= rows.admitted).all() and (rows.left >= rows.ready).all()
    concurrent = max_concurrent(rows.admitted, rows.left)
    assert concurrent <= places
    # a ward run at 85-90% occupancy is full at times: the sweep goes past the normed beds into the corridor
    assert concurrent > ward.beds_count


def test_bed_event_log_matches_admissions(baseline):
    """Every 'discharged' event is an admissions row; unmatched 'admitted' events are patients still in bed."""
    log = baseline.event_log
    adm = baseline.table("admissions")
    for ward in (baseline.model.medical_ward, baseline.model.psychiatric_ward):
        ev = log[log.pathway == ward.name]
        admitted = ev[(ev.event_type == "resource_use") & (ev.event == "admitted")]
        discharged = ev[(ev.event_type == "resource_use_end") & (ev.event == "discharged")]
        rows = adm[(adm.ward == ward.name) & (adm.person_id >= 0) & (adm.place == "ward")]
        got = sorted(zip(discharged.entity_id, discharged.time))
        want = sorted(zip(rows.person_id, rows.left))
        assert got == want
        open_stays = len(admitted) - len(discharged)
        assert 0 <= open_stays <= ward.occupied.level


def test_home_nursing_places_never_exceeded(baseline):
    hn = baseline.table("home_nursing")
    assert len(hn) > 0
    assert (hn.started >= hn.requested).all()
    # an episode ends early when the person dies or moves away: the place is free from then on
    exits = baseline.table("exits").set_index("person_id").time
    for mu in baseline.model.municipalities:
        rows = hn[hn.municipality == mu.index]
        starts = rows.started.to_numpy(float)
        left = exits.reindex(rows.person_id).fillna(float("inf")).to_numpy(float)
        assert max_concurrent(starts, np.minimum(starts + rows.days.to_numpy(float), left)) <= mu.places
        assert mu.in_use.peak <= mu.places
        assert mu.in_use.level == mu.home_nursing.count
    assert baseline.timeseries.home_nursing_in_use.max() <= sum(mu.places for mu in baseline.model.municipalities)


def test_delayed_discharge_only_for_home_nursing(baseline):
    """A bed is held after 'ready' only while the patient waits for a home-nursing place (unless the ward
    sends the patient home under pressure meanwhile, or the patient dies there)."""
    adm = baseline.table("admissions")
    hn = baseline.table("home_nursing")
    pressure = baseline.table("pressure_discharges")
    deaths = baseline.table("exits").query("reason == 'death'")
    cut_short = set(zip(pressure.person_id, pressure.time)) | set(zip(deaths.person_id, deaths.time))
    delayed = adm[adm.left > adm.ready + 1e-9]
    delayed = delayed[[(p, t) not in cut_short for p, t in zip(delayed.person_id, delayed.left)]]
    assert (delayed.person_id >= 0).all()
    keys = set(zip(hn.person_id, hn.requested))
    assert all((p, r) in keys for p, r in zip(delayed.person_id, delayed.ready))
    # and the patient leaves the bed exactly when the place starts
    starts = dict(zip(zip(hn.person_id, hn.requested), hn.started))
    assert all(starts[(p, r)] == left for p, r, left in zip(delayed.person_id, delayed.ready, delayed.left))


# -- appointment books ------------------------------------------------------------------------------
def _books(model):
    for clinic in model.clinics:
        yield clinic.book
    for practice in model.practices:
        yield practice.same_day
        yield practice.planned


def test_appointment_books_never_overbook(baseline):
    total_booked = 0
    for book in _books(baseline.model):
        booked = np.asarray(book._booked)
        capacity = np.asarray(book._capacity)
        assert booked.shape == capacity.shape
        assert (booked >= 0).all()
        over = np.flatnonzero(booked > capacity)
        assert over.size == 0, f"{book.name} overbooked on days {over[:10].tolist()}"
        total_booked += booked.sum()
    assert total_booked > 0


def test_appointments_recorded_on_open_days_only(baseline):
    """GP consultations and outpatient visits happen at noon on weekdays (day 0 is a Monday)."""
    gp = baseline.table("gp_contacts")
    op = baseline.table("outpatient")
    for times in (gp.seen, op.appointment):
        t = times.to_numpy(float)
        assert np.allclose(t - np.floor(t), 0.5)
        assert (np.floor(t).astype(int) % 7 < 5).all()
    assert pd.Series(gp.seen - gp.requested).min() >= 0
    assert pd.Series(op.appointment - op.requested).min() >= 0


# -- bed days: the KPIs account for every bed day used in the results window -------------------------
def _patient_stays_from_log(baseline):
    """(person, ward, admitted, left) of every patient stay in the event log; stays still open at the end
    of the run get left = t1."""
    log = baseline.event_log
    ev = log[log.event.isin(["admitted", "discharged"])].sort_values("time", kind="stable")
    stays = []
    for (pid, ward), g in ev.groupby(["entity_id", "pathway"], observed=True):
        times = g.time.tolist()
        for i in range(0, len(times), 2):
            stays.append((pid, ward, times[i], times[i + 1] if i + 1 < len(times) else baseline.t1))
    return pd.DataFrame(stays, columns=["person_id", "ward", "admitted", "left"])


def test_bed_day_kpi_counts_every_bed_day_in_the_window(baseline):
    """bed_days_per_1000py x patient-years = the patients' bed days inside [t0, t1], including stays
    that have not ended when the run stops (their days up to t1 were used and paid for) and stays on
    other wards or at other hospitals (the log names them ``<ward>/<place>``)."""
    stays = _patient_stays_from_log(baseline)
    in_window = (np.minimum(stays.left, baseline.t1) - np.maximum(stays.admitted, baseline.t0)).clip(lower=0).sum()
    kpi = baseline.all["bed_days_per_1000py"] * baseline.all["patient_years"] / 1000
    assert kpi == pytest.approx(in_window, rel=1e-9), (
        f"KPI has {kpi:.1f} bed days, the event log {in_window:.1f} "
        f"({(stays.left == baseline.t1).sum()} stays still open at the end)")


def test_admission_kpi_counts_every_admission_in_the_window(baseline):
    stays = _patient_stays_from_log(baseline)
    n = stays.admitted.between(baseline.t0, baseline.t1).sum()
    kpi = baseline.all["acute_admissions_per_1000py"] * baseline.all["patient_years"] / 1000
    assert kpi == pytest.approx(n, rel=1e-9), f"KPI counts {kpi:.0f} admissions, the event log {n}"
