"""The safeguarding activity figures on hand-computed referrals, one rule of the spec each."""

from __future__ import annotations

import datetime as dt

import pytest

from hiddenharm.safeguarding import activity
from hiddenharm.safeguarding.workdays import LONDON, deadline

FROM, TO = dt.date(2026, 11, 2), dt.date(2026, 11, 30)


def t(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def ref(
    sent,
    *,
    ack=None,
    decided=None,
    outcome="",
    withdrawn=None,
    concerns=("NEGLECT",),
    children=1,
    agency="AG1",
    days=(1, 1),
    country="EW",
):
    s = t(sent) if sent else None
    return {
        "agency": agency,
        "sent_at": s,
        "acknowledged_at": t(*ack) if isinstance(ack, tuple) else (t(ack) if ack else None),
        "decided_at": t(decided) if decided else None,
        "withdrawn_at": t(withdrawn) if withdrawn else None,
        "ack_deadline": deadline(s, days[0], country) if s else None,
        "decision_deadline": deadline(s, days[1], country) if s else None,
        "outcome": outcome,
        "concerns": list(concerns),
        "children": children,
        "country": country,
    }


def test_it_counts_referrals_sent_in_the_period_and_their_children():
    rows = [
        ref("2026-11-02", children=2),
        ref("2026-11-30", children=1),
        ref("2026-11-01"),  # before the period
        ref("2026-12-01"),  # after
        ref("2026-11-10", withdrawn="2026-11-10", children=3),  # withdrawn ones count
    ]
    f = activity.compute(rows, FROM, TO)
    assert f["sent"] == 3 and f["children"] == 6


def test_it_counts_each_concern_once_per_referral():
    rows = [
        ref("2026-11-03", concerns=("NEGLECT", "UNBORN")),
        ref("2026-11-04", concerns=("NEGLECT",)),
    ]
    f = activity.compute(rows, FROM, TO)
    assert f["by_concern"]["NEGLECT"] == 2 and f["by_concern"]["UNBORN"] == 1
    assert f["by_concern"]["SEXUAL"] == 0


def test_it_splits_outcomes_pending_and_withdrawn_to_add_up_to_sent():
    rows = [
        ref("2026-11-03", ack="2026-11-03", decided="2026-11-04", outcome="S47"),
        ref("2026-11-05", decided="2026-12-02", outcome="NFA"),  # decided after TO: pending
        ref("2026-11-06", withdrawn="2026-11-09"),
        ref("2026-11-09"),
    ]
    f = activity.compute(rows, FROM, TO)
    assert f["by_outcome"]["S47"] == 1 and f["by_outcome"]["NFA"] == 0
    assert f["by_outcome"]["pending"] == 2 and f["by_outcome"]["withdrawn"] == 1
    assert sum(f["by_outcome"].values()) == f["sent"] == 4


def test_it_counts_acknowledgements_in_time_over_deadlines_on_or_before_to():
    rows = [
        ref("2026-11-06", ack="2026-11-09"),  # Fri; due Mon 9: met
        ref("2026-11-10", ack="2026-11-12"),  # due 11th: late
        ref("2026-11-12", withdrawn="2026-11-13"),  # withdrawn on its deadline day: not due
        ref("2026-11-16", withdrawn="2026-11-20"),  # withdrawn after its deadline, never acked: due
        ref("2026-11-30"),  # deadline 1 December, after TO: not due
    ]
    f = activity.compute(rows, FROM, TO)
    assert f["acknowledged_in_time"] == {"met": 1, "due": 3, "rate": 1 / 3}


def test_it_gives_a_null_rate_when_nothing_was_due():
    f = activity.compute([ref("2026-11-30")], FROM, TO)
    assert f["decided_in_time"] == {"met": 0, "due": 0, "rate": None}


def test_it_takes_the_median_working_days_with_the_mean_of_the_middle_two():
    rows = [
        ref("2026-11-06", ack="2026-11-09", decided="2026-11-09", outcome="NFA"),  # 1, 1
        ref("2026-11-10", ack="2026-11-13", decided="2026-11-16", outcome="NFA"),  # 3, 4
        ref("2026-11-17", ack="2026-11-17"),  # 0 to acknowledgement, not decided
        ref("2026-11-18", ack="2026-12-03"),  # after TO: not counted
    ]
    f = activity.compute(rows, FROM, TO)
    assert f["median_working_days"] == {"to_acknowledgement": 1, "to_decision": 2.5}
    assert activity.compute([], FROM, TO)["median_working_days"] == {
        "to_acknowledgement": None,
        "to_decision": None,
    }


def test_it_counts_overdue_at_to_once_each_including_referrals_sent_before_the_period():
    rows = [
        ref("2026-10-20"),  # before the period, never acknowledged: overdue
        ref("2026-11-26", ack="2026-11-26"),  # acked, decision due 27th, not decided: overdue
        ref("2026-11-27"),  # Fri: due Mon 30 = TO, not before TO: not overdue
        ref("2026-11-20", withdrawn="2026-11-30"),  # withdrawn by the end of TO: not overdue
        ref("2026-11-23", ack="2026-11-23", decided="2026-11-30", outcome="NFA"),  # decided by TO
        ref("2026-12-01"),  # sent after TO
    ]
    assert activity.compute(rows, FROM, TO)["overdue_at_to"] == 2


def test_it_keys_by_agency_and_adds_up_to_the_area():
    rows = [
        ref("2026-11-03", agency="AG1"),
        ref("2026-11-04", agency="AG2"),
        ref("2026-11-05", agency="AG2"),
    ]
    f = activity.compute(rows, FROM, TO, agencies=["AG1", "AG2", "AG3"])
    assert {a: b["sent"] for a, b in f["by_agency"].items()} == {"AG1": 1, "AG2": 2, "AG3": 0}


def test_it_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        activity.compute([], TO, FROM)


def test_it_suppresses_small_counts_for_publication_but_not_totals():
    rows = [ref("2026-11-03", concerns=("NEGLECT",)) for _ in range(7)] + [
        ref("2026-11-04", concerns=("DOMESTIC_ABUSE",), ack="2026-11-05")
    ]
    f = activity.compute(rows, FROM, TO, publish=True)
    assert f["sent"] == 8  # a total
    assert f["by_concern"]["DOMESTIC_ABUSE"] is None  # 1: suppressed
    # one suppressed cell in the one-way table: the smallest other non-zero one goes too
    assert f["by_concern"]["NEGLECT"] is None
    assert f["by_concern"]["SEXUAL"] == 0  # zeros are shown
    assert f["acknowledged_in_time"]["due"] == 8 and f["acknowledged_in_time"]["met"] is None
    assert f["acknowledged_in_time"]["rate"] is None
    unpublished = activity.compute(rows, FROM, TO)
    assert unpublished["by_concern"]["DOMESTIC_ABUSE"] == 1
