"""The reminder cadence over plain dates (property tests: the rules hold for any cadence)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ledgerport.cases.reminder_schedule import Cadence, due_reminder, reminder_dates

DUE = date(2026, 3, 12)


def test_before_on_and_after_the_due_date_up_to_the_maximum():
    dates = reminder_dates(due=DUE, waiting_since=date(2026, 3, 1), cadence=Cadence(3, 2, 4))
    assert dates == [date(2026, 3, 9), DUE, date(2026, 3, 14), date(2026, 3, 16)]


def test_dates_before_the_case_waited_are_left_out():
    dates = reminder_dates(due=DUE, waiting_since=date(2026, 3, 10), cadence=Cadence(3, 5, 2))
    assert dates == [DUE, date(2026, 3, 17)]


def test_without_a_due_date_every_k_days_from_the_start():
    assert reminder_dates(due=None, waiting_since=DUE, cadence=Cadence(3, 7, 2)) == [
        date(2026, 3, 19),
        date(2026, 3, 26),
    ]
    assert reminder_dates(due=None, waiting_since=DUE, cadence=Cadence(3, 0, 2)) == []


def test_after_a_pause_only_the_latest_passed_date_is_sent_once():
    dates = [date(2026, 3, 9), DUE, date(2026, 3, 14)]
    assert due_reminder(dates, today=date(2026, 3, 8), last_sent_for=None) is None
    assert due_reminder(dates, today=date(2026, 3, 13), last_sent_for=None) == DUE
    assert due_reminder(dates, today=date(2026, 3, 13), last_sent_for=DUE) is None
    assert due_reminder(dates, today=date(2026, 3, 20), last_sent_for=DUE) == date(2026, 3, 14)


@given(
    due=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 1, 1))),
    start=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    before=st.integers(0, 30),
    every=st.integers(0, 30),
    most=st.integers(0, 10),
)
def test_the_schedule_is_ordered_after_the_start_and_bounded(due, start, before, every, most):
    dates = reminder_dates(due=due, waiting_since=start, cadence=Cadence(before, every, most))
    assert len(dates) <= most
    assert dates == sorted(set(dates))
    assert all(d > start for d in dates)
    if due is not None and every == 0:
        assert all(d in (due, due - timedelta(days=before)) for d in dates)
    # Walking day by day sends each date at most once, never more than the maximum.
    sent, last = [], None
    day = start
    while dates and day <= dates[-1]:
        found = due_reminder(dates, today=day, last_sent_for=last)
        if found is not None:
            sent.append(found)
            last = found
        day += timedelta(days=1)
    assert sent == dates
