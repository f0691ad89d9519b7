"""The time limits of a child protection plan's meetings (spec/safeguarding.md, "Child
protection plans: the meetings' time limits"), as Working Together 2023 sets them:

- the initial conference within 15 working days of the strategy discussion;
- the first core group within 10 working days of the initial conference;
- the first review conference within 3 months of the initial conference, then at most
  every 6 months while the plan lasts;
- the service's written contribution 3 working days before each conference (the joint
  protocol may set another number).

Working days come from `hiddenharm.safeguarding.workdays` (the protocol's country). Plain
functions over plain values: `deadlines()` takes the plan's dates and meetings as tuples.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from hiddenharm.safeguarding.workdays import (
    DEFAULT_COUNTRY,
    add_working_days,
    subtract_working_days,
)

ICPC_DAYS = 15
CORE_GROUP_DAYS = 10
FIRST_REVIEW_MONTHS = 3
REVIEW_MONTHS = 6
CONTRIBUTION_DAYS = 3
REMINDER_DAYS = 10

INITIAL, REVIEW, CORE = "ICPC", "RCPC", "CORE"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (30 November + 3 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def icpc_due(strategy_on: dt.date, country: str = DEFAULT_COUNTRY) -> dt.date:
    return add_working_days(strategy_on, ICPC_DAYS, country)


def first_core_group_due(icpc_on: dt.date, country: str = DEFAULT_COUNTRY) -> dt.date:
    return add_working_days(icpc_on, CORE_GROUP_DAYS, country)


def first_review_due(icpc_on: dt.date) -> dt.date:
    return add_months(icpc_on, FIRST_REVIEW_MONTHS)


def next_review_due(review_on: dt.date) -> dt.date:
    return add_months(review_on, REVIEW_MONTHS)


def contribution_due(
    conference_on: dt.date, country: str = DEFAULT_COUNTRY, days: int = CONTRIBUTION_DAYS
) -> dt.date:
    """The working day `days` working days before the conference (Thursday's: Monday)."""
    return subtract_working_days(conference_on, days, country)


def reminder_horizon(today: dt.date, country: str = DEFAULT_COUNTRY) -> dt.date:
    """The last day of the next 10 working days (reminders cover today up to it)."""
    return add_working_days(today, REMINDER_DAYS, country)


@dataclass(frozen=True)
class Deadline:
    what: str
    due: dt.date
    met_on: dt.date | None  # the date of the meeting or contribution that answers it
    meeting_id: int | None = None  # the conference a contribution is for

    def status(self, today: dt.date) -> str:
        """met, late (done after the limit), overdue (limit passed, not done) or due."""
        if self.met_on is not None and self.met_on <= today:
            return "met" if self.met_on <= self.due else "late"
        return "overdue" if self.due < today else "due"


@dataclass(frozen=True)
class MeetingFacts:
    id: int
    kind: str
    date: dt.date
    contribution_sent_on: dt.date | None = None


def deadlines(
    strategy_on: dt.date | None,
    end_date: dt.date | None,
    meetings: list[MeetingFacts],
    country: str = DEFAULT_COUNTRY,
    contribution_days: int = CONTRIBUTION_DAYS,
) -> list[Deadline]:
    """Every time limit of the plan, each with the meeting or contribution that met it."""
    meetings = sorted(meetings, key=lambda m: (m.date, m.id))
    initial = next((m for m in meetings if m.kind == INITIAL), None)
    out: list[Deadline] = []
    if strategy_on is not None:
        out.append(
            Deadline(
                "Initial child protection conference",
                icpc_due(strategy_on, country),
                initial.date if initial else None,
            )
        )
    if initial is not None:
        core = next((m for m in meetings if m.kind == CORE and m.date >= initial.date), None)
        out.append(
            Deadline(
                "First core group",
                first_core_group_due(initial.date, country),
                core.date if core else None,
            )
        )
        out.extend(_reviews(initial, meetings, end_date))
    for m in meetings:
        if m.kind in (INITIAL, REVIEW):
            out.append(
                Deadline(
                    f"Written contribution to the conference of {m.date:%-d %B %Y}",
                    contribution_due(m.date, country, contribution_days),
                    m.contribution_sent_on,
                    meeting_id=m.id,
                )
            )
    return out


def _reviews(initial: MeetingFacts, meetings: list[MeetingFacts], end_date):
    """The chain of review conferences: the first within 3 months of the initial one, each
    next within 6 months of the last; the open one only while the plan lasts."""
    reviews = [m for m in meetings if m.kind == REVIEW and m.date >= initial.date]
    due = first_review_due(initial.date)
    n = 1
    for review in reviews:
        yield Deadline(_nth_review(n), due, review.date)
        due, n = next_review_due(review.date), n + 1
    if end_date is None or end_date > due:
        yield Deadline(_nth_review(n), due, None)


def _nth_review(n: int) -> str:
    return "First review conference" if n == 1 else f"Review conference {n}"
