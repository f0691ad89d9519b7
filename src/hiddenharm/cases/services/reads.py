"""Writes to the case records, each with its audit event, shared by the views and imports."""

from __future__ import annotations

import datetime as dt

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


def record_child_status(child, data: dict, user) -> ChildStatus:
    """A dated row of where the child lives and their social care status (history is kept)."""
    return ChildStatus.objects.create(
        child=child,
        recorded_on=data["recorded_on"],
        whereabouts=data["whereabouts"] or "",
        csc_status=data["csc_status"] or "",
        recorded_by=user,
    )


def children_living_with(client: Client) -> int:
    """Children whose latest recorded whereabouts is with the client (child rows)."""
    latest = ChildStatus.objects.filter(child=OuterRef("pk")).order_by("-recorded_on", "-id")
    return (
        client.children.annotate(where=Subquery(latest.values("whereabouts")[:1]))
        .filter(where="CLIENT")
        .aggregate(n=Count("pk"))["n"]
    )


ITEM_FIELDS = ("prntstat", "childwth", "pregnant", "earlyhlp")


def last_items(episode: Episode) -> HiddenHarmRecord | None:
    """Each Hidden Harm item's last recorded value in the episode, as an unsaved record.

    Per item, the latest non-blank value (a review that left an item blank does not hide
    the value before it), as the measures take a current value: the start row dated by its
    own date or else the care-plan start, a review beating the start row on the same day.
    `item_dates` gives each value's date; `recorded_on` is the latest of them. None when
    nothing was ever recorded.
    """
    records = list(episode.hh_records.all())
    if not records:
        return None

    def order(r: HiddenHarmRecord):
        day = r.recorded_on or (episode.care_plan_start if r.kind == "start" else None)
        return (day or dt.date.min, r.kind == "review", r.pk)

    values: dict = {}
    dates: dict = {}
    for r in sorted(records, key=order, reverse=True):
        for name in ITEM_FIELDS:
            v = getattr(r, name)
            if name not in values and v not in ("", None):
                values[name] = v
                dates[name] = r.recorded_on or (
                    episode.care_plan_start if r.kind == "start" else None
                )
    last = HiddenHarmRecord(
        episode=episode,
        kind="review",
        prntstat=values.get("prntstat", ""),
        childwth=values.get("childwth"),
        pregnant=values.get("pregnant", ""),
        earlyhlp=values.get("earlyhlp", ""),
        recorded_on=max((d for d in dates.values() if d), default=None),
    )
    last.item_dates = dates
    return last


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
