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

from django.db.models import CharField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from hiddenharm.cases.models import Episode, HiddenHarmRecord
from hiddenharm.extract import codes

REVIEW_DAYS = 182

_HAS_BOTH = Q(prntstat__gt="") & Q(childwth__isnull=False)
_NO_CHILDREN = Q(prntstat__in=["14", "15"]) & Q(childwth=0)
_START_DONE = _HAS_BOTH & (Q(earlyhlp__gt="") | _NO_CHILDREN)


def _either_sex(kind: str, condition: Q, **extra) -> Q:
    """Not done, judged with PREGNANT for female clients and without it for the rest.

    One NOT EXISTS whose rows need PREGNANT only when the episode's client is female (the
    client's sex read from the outer row): a database turns a lone NOT EXISTS into an
    anti-join on the (episode, kind, date) index, whereas two of them under an OR are
    evaluated against every recording of every service (PostgreSQL's hashed sub-plans).
    """
    rows = (
        HiddenHarmRecord.objects.annotate(
            client_sex=ExpressionWrapper(OuterRef("client__sex"), output_field=CharField())
        )
        .filter(condition, episode=OuterRef("pk"), kind=kind, **extra)
        .filter(Q(pregnant__gt="") | ~Q(client_sex="F"))
    )
    return ~Exists(rows)


def open_episodes(clients: QuerySet) -> QuerySet:
    # Driven from the open-episode index (provider, discharged, care_plan_start): the
    # provider condition is implied by the clients' (a worklist is within one service) but
    # stated, and the clients are an EXISTS per open episode (a primary-key lookup), not an
    # IN list that the database would build from every client of the service each time.
    providers = clients.order_by().values("provider_id").distinct()
    in_scope = clients.order_by().filter(pk=OuterRef("client_id"))
    return Episode.objects.filter(
        Exists(in_scope), provider_id__in=providers, discharged__isnull=True
    )


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
