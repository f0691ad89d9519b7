"""Working days and deadlines with fixed dates over weekends and bank holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from hiddenharm.safeguarding import workdays as w

D = dt.date.fromisoformat


def sent(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=w.LONDON)


def test_it_counts_a_friday_referral_to_the_end_of_monday():
    due = w.deadline(sent("2026-11-27"), 1)  # a Friday
    assert due == dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=w.LONDON)


def test_it_skips_a_bank_holiday_monday_in_england_and_wales():
    # Friday 28 August 2026; Monday 31 August is the Summer bank holiday in England and Wales.
    assert w.deadline(sent("2026-08-28"), 1, "EW").date() == D("2026-09-01")
    # Not in Scotland, whose summer bank holiday was 3 August.
    assert w.deadline(sent("2026-08-28"), 1, "SC").date() == D("2026-08-31")


def test_it_skips_st_andrews_day_in_scotland_only():
    # Friday 27 November 2026; Monday 30 November is St Andrew's Day (Scotland).
    assert w.add_working_days(D("2026-11-27"), 1, "SC") == D("2026-12-01")
    assert w.add_working_days(D("2026-11-27"), 1, "EW") == D("2026-11-30")


def test_it_crosses_christmas_and_new_year():
    # Thursday 24 December 2026: 25th, 28th (Boxing Day observed) and 1 January are holidays.
    assert w.add_working_days(D("2026-12-24"), 1, "EW") == D("2026-12-29")
    assert w.add_working_days(D("2026-12-24"), 3, "EW") == D("2026-12-31")
    assert w.add_working_days(D("2026-12-24"), 4, "EW") == D("2027-01-04")
    # Scotland adds 2 January (here Saturday 2 January 2027, observed on Monday 4 January).
    assert w.add_working_days(D("2026-12-31"), 1, "SC") == D("2027-01-05")


def test_it_counts_the_working_days_in_a_half_open_interval():
    assert w.working_days_between(D("2026-11-27"), D("2026-11-27")) == 0
    assert w.working_days_between(D("2026-11-27"), D("2026-11-28")) == 0  # Saturday
    assert w.working_days_between(D("2026-11-27"), D("2026-11-30")) == 1
    assert w.working_days_between(D("2026-11-27"), D("2026-11-30"), "SC") == 0
    assert w.working_days_between(D("2026-11-23"), D("2026-12-04")) == 9
    with pytest.raises(ValueError):
        w.working_days_between(D("2026-11-30"), D("2026-11-27"))


def test_it_takes_the_london_date_of_a_late_evening_utc_time():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    late = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
    assert w.london_date(late) == D("2026-07-01")


def test_it_meets_a_deadline_on_its_last_day_and_not_after():
    due = w.deadline(sent("2026-11-27"), 1)
    assert w.met(sent("2026-11-30", "23:59"), due)
    assert not w.met(sent("2026-12-01", "00:00"), due)
    assert not w.met(None, due)


def test_it_refuses_an_unknown_country():
    with pytest.raises(ValueError):
        w.add_working_days(D("2026-11-27"), 1, "FR")
