"""What the services and the pages read: children living with a client, each item's last value."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Subquery

from hiddenharm.cases.models import ChildStatus, Client, Episode, HiddenHarmRecord


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
