"""Writes to the case records, each with its audit event, shared by the views and imports."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery

from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases.models import ChildStatus, Client, Episode, HiddenHarmRecord


def audit_change(request, obj, action: str, fields, client_id=None):
    record(
        events.Change(
            record_type=type(obj).__name__.lower(),
            record_id=obj.pk,
            action=action,
            client_id=client_id,
            fields=tuple(sorted(fields)),
        ),
        request,
    )


def children_living_with(client: Client) -> int:
    """Children whose latest recorded whereabouts is with the client (child rows)."""
    latest = ChildStatus.objects.filter(child=OuterRef("pk")).order_by("-recorded_on", "-id")
    return (
        client.children.annotate(where=Subquery(latest.values("whereabouts")[:1]))
        .filter(where="CLIENT")
        .aggregate(n=Count("pk"))["n"]
    )


def last_items(episode: Episode) -> HiddenHarmRecord | None:
    """The latest recording for an episode: the latest review, else the start row."""
    review = episode.hh_records.filter(kind="review").order_by("-recorded_on", "-id").first()
    return review or episode.hh_records.filter(kind="start").first()


@transaction.atomic
def open_episode(request, client: Client, data: dict, items: dict) -> Episode:
    episode = Episode.objects.create(
        client=client,
        provider_id=client.provider_id,
        episode_ref=data["episode_ref"],
        referred=data["referred"],
        triaged=data.get("triaged"),
        care_plan_start=data.get("care_plan_start"),
        drug1=data["drug1"],
        drug2=data.get("drug2") or "",
        drug3=data.get("drug3") or "",
        setting=data["setting"],
    )
    audit_change(request, episode, "create", [k for k, v in data.items() if v], client.pk)
    if any(v not in ("", None) for v in items.values()) or data.get("hh_date"):
        start = HiddenHarmRecord.objects.create(
            episode=episode,
            kind="start",
            recorded_on=data.get("hh_date"),
            recorded_by=request.user,
            **items,
        )
        audit_change(
            request,
            start,
            "create",
            [k for k, v in items.items() if v not in ("", None)],
            client.pk,
        )
    return episode
