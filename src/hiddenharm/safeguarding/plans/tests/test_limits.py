"""The meetings' time limits on fixed dates, over weekends and bank holidays (England and
Wales; Scotland, where Easter Monday is a working day and 2 January is not). Counted by
hand in the comments."""

from __future__ import annotations

import datetime as dt

import pytest

from hiddenharm.safeguarding.plans import limits
from hiddenharm.safeguarding.plans.limits import Deadline, MeetingFacts

D = dt.date


@pytest.mark.parametrize(
    "strategy, country, due",
    [
        # Thu 10 Apr 2025: 11, 14-17 (5), Good Friday 18 and Easter Monday 21 off, 22-25 (9),
        # 28 Apr-2 May (14), early May bank holiday Mon 5 off: Tue 6 May is the 15th.
        (D(2025, 4, 10), "EW", D(2025, 5, 6)),
        # Scotland works Easter Monday: 21 Apr is the 6th, Fri 2 May the 15th.
        (D(2025, 4, 10), "SC", D(2025, 5, 2)),
        # Fri 7 Mar 2025, no holiday: three weeks of five working days, Fri 28 Mar.
        (D(2025, 3, 7), "EW", D(2025, 3, 28)),
        # A strategy discussion on a Saturday counts from the Monday: Fri 28 Mar again.
        (D(2025, 3, 8), "EW", D(2025, 3, 28)),
    ],
)
def test_the_initial_conference_is_due_15_working_days_after_the_strategy_discussion(
    strategy, country, due
):
    assert limits.icpc_due(strategy, country) == due


@pytest.mark.parametrize(
    "icpc, country, due",
    [
        # Fri 19 Dec 2025: 22, 23, 24 (3), Christmas 25-26 off, 29, 30, 31 (6), 1 Jan off,
        # Fri 2 Jan (7), 5, 6, 7 Jan (10).
        (D(2025, 12, 19), "EW", D(2026, 1, 7)),
        # Scotland also takes 2 January: Thu 8 Jan 2026.
        (D(2025, 12, 19), "SC", D(2026, 1, 8)),
    ],
)
def test_the_first_core_group_is_due_10_working_days_after_the_initial_conference(
    icpc, country, due
):
    assert limits.first_core_group_due(icpc, country) == due
    assert limits.reminder_horizon(icpc, country) == due  # the same ten working days


@pytest.mark.parametrize(
    "conference, country, due",
    [
        (D(2025, 3, 13), "EW", D(2025, 3, 10)),  # Thursday: the Monday before
        # Thu 8 May 2025: Wed 7, Tue 6, Mon 5 (bank holiday) off, Fri 2 May.
        (D(2025, 5, 8), "EW", D(2025, 5, 2)),
        # Tue 22 Apr 2025: Easter Monday and Good Friday off: Thu 17, Wed 16, Tue 15.
        (D(2025, 4, 22), "EW", D(2025, 4, 15)),
        # In Scotland Easter Monday is worked: Mon 21, Thu 17, Wed 16.
        (D(2025, 4, 22), "SC", D(2025, 4, 16)),
        # Monday 9 June 2025: Thu 5, Wed 4 ... the weekend skipped: Wed 4 June.
        (D(2025, 6, 9), "EW", D(2025, 6, 4)),
    ],
)
def test_the_contribution_is_due_3_working_days_before_a_conference(conference, country, due):
    assert limits.contribution_due(conference, country) == due


def test_a_protocol_may_set_another_number_of_days_for_the_contribution():
    assert limits.contribution_due(D(2025, 3, 13), "EW", days=5) == D(2025, 3, 6)


@pytest.mark.parametrize(
    "start, months, end",
    [
        (D(2025, 1, 15), 3, D(2025, 4, 15)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),  # no 30 February: the month's last day
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2025, 12, 31), 6, D(2026, 6, 30)),
    ],
)
def test_review_conferences_are_due_in_calendar_months(start, months, end):
    assert limits.add_months(start, months) == end


STRATEGY = D(2025, 4, 10)


def plan_deadlines(meetings, strategy=STRATEGY, end=None, country="EW"):
    return {d.what: d for d in limits.deadlines(strategy, end, meetings, country)}


def test_it_lists_every_limit_of_a_plan_with_what_met_it():
    meetings = [
        MeetingFacts(1, "ICPC", D(2025, 5, 8), contribution_sent_on=D(2025, 5, 1)),
        MeetingFacts(2, "CORE", D(2025, 5, 23)),
        MeetingFacts(3, "RCPC", D(2025, 8, 7), contribution_sent_on=D(2025, 8, 5)),
    ]
    d = plan_deadlines(meetings)
    today = D(2025, 9, 1)
    icpc = d["Initial child protection conference"]
    assert (icpc.due, icpc.met_on, icpc.status(today)) == (D(2025, 5, 6), D(2025, 5, 8), "late")
    core = d["First core group"]
    # 8 May + 10 working days: 9, 12-16 (6), 19-22 (10): Thu 22 May; held Fri 23: late.
    assert (core.due, core.status(today)) == (D(2025, 5, 22), "late")
    first = d["First review conference"]
    assert (first.due, first.status(today)) == (D(2025, 8, 8), "met")
    second = d["Review conference 2"]
    assert (second.due, second.met_on, second.status(today)) == (D(2026, 2, 7), None, "due")
    assert second.status(D(2026, 2, 9)) == "overdue"
    c1 = d["Written contribution to the conference of 8 May 2025"]
    assert (c1.due, c1.status(today), c1.meeting_id) == (D(2025, 5, 2), "met", 1)
    c2 = d["Written contribution to the conference of 7 August 2025"]
    # Thu 7 Aug: Mon 4 Aug is worked in England (Scotland's summer holiday): due Mon 4; sent Tue 5.
    assert (c2.due, c2.status(today)) == (D(2025, 8, 4), "late")
    assert plan_deadlines(meetings, country="SC")[c2.what].due == D(2025, 8, 1)


def test_an_ended_plan_needs_no_further_review_and_nothing_is_due_before_the_first_meeting():
    meetings = [MeetingFacts(1, "ICPC", D(2025, 5, 6))]
    assert "First review conference" in plan_deadlines(meetings)
    assert "First review conference" not in plan_deadlines(meetings, end=D(2025, 7, 1))
    only_strategy = plan_deadlines([])
    assert list(only_strategy) == ["Initial child protection conference"]
    assert only_strategy["Initial child protection conference"].status(D(2025, 5, 7)) == "overdue"
    assert limits.deadlines(None, None, []) == []


def test_a_meeting_planned_in_the_future_does_not_yet_meet_a_limit():
    d = Deadline("x", due=D(2025, 5, 6), met_on=D(2025, 5, 5))
    assert d.status(D(2025, 5, 1)) == "due"
    assert d.status(D(2025, 5, 5)) == "met"
