"""The worklists: which clients' Hidden Harm items are missing or overdue, oldest first.

Set-based: one query per list (EXISTS sub-queries on the indexed recordings), so a service
of 100,000 clients pages as fast as one of 100. The definitions are those of the measures
(spec/measures.md), with TO = today:

- missing at start: an open episode whose treatment has started and whose start recording
  lacks PRNTSTAT or CHILDWTH, PREGNANT for a woman, or EARLYHLP where there are children;
- overdue at review: an open episode in treatment for 182 days or more with no review in
  the last 182 days on which PRNTSTAT and CHILDWTH (and PREGNANT for a woman) were recorded.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from hiddenharm.cases.models import Episode, HiddenHarmRecord
from hiddenharm.extract import codes

REVIEW_DAYS = 182

_HAS_BOTH = Q(prntstat__gt="") & Q(childwth__isnull=False)
_NO_CHILDREN = Q(prntstat__in=["14", "15"]) & Q(childwth=0)
_START_DONE = _HAS_BOTH & (Q(earlyhlp__gt="") | _NO_CHILDREN)


def _done(kind: str, condition: Q, female: bool, **extra) -> Exists:
    cond = condition & Q(pregnant__gt="") if female else condition
    rows = HiddenHarmRecord.objects.filter(cond, episode=OuterRef("pk"), kind=kind, **extra)
    return Exists(rows)


def _either_sex(kind: str, condition: Q, **extra) -> Q:
    """Not done, judged with PREGNANT for female clients and without it for the rest."""
    return (Q(client__sex="F") & ~_done(kind, condition, True, **extra)) | (
        ~Q(client__sex="F") & ~_done(kind, condition, False, **extra)
    )


def open_episodes(clients: QuerySet) -> QuerySet:
    return Episode.objects.filter(client__in=clients, discharged__isnull=True)


def missing_at_start(clients: QuerySet, today: dt.date) -> QuerySet:
    return (
        open_episodes(clients)
        .filter(care_plan_start__isnull=False, care_plan_start__lte=today)
        .filter(_either_sex("start", _START_DONE))
        .order_by("care_plan_start", "id")
    )


def overdue_at_review(clients: QuerySet, today: dt.date) -> QuerySet:
    since = today - dt.timedelta(days=REVIEW_DAYS)
    return (
        open_episodes(clients)
        .filter(care_plan_start__lte=since)
        .filter(_either_sex("review", _HAS_BOTH, recorded_on__gt=since, recorded_on__lte=today))
        .order_by("care_plan_start", "id")
    )


def describe_missing(episode: Episode, start: HiddenHarmRecord | None) -> list[str]:
    """The items missing on a start recording, for one worklist row."""
    if start is None:
        return ["all items"]
    missing = []
    if not start.prntstat:
        missing.append("parental status")
    if start.childwth is None:
        missing.append("children in household")
    if episode.client.sex == "F" and not start.pregnant:
        missing.append("pregnant")
    has_children = start.prntstat in codes.PRNTSTAT_PARENT or (start.childwth or 0) > 0
    if not start.earlyhlp and (has_children or not start.prntstat or start.childwth is None):
        missing.append("help the children receive")
    return missing
