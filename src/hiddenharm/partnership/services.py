"""Every change to the partnership's records: the rule checked, the record written, its
history row and its audit event, in one transaction. Views and the demo call these only.

A change names the version it was made against; if the record has moved on since (someone
else saved first), it is refused with `StaleEdit`, whose message says who and when.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.accounts.models import Organisation
from hiddenharm.audit.trail import record
from hiddenharm.partnership import catalogue, events
from hiddenharm.partnership.models import (
    Change,
    DirectoryEntry,
    MarkerEvidence,
    RecommendationStatus,
    Status,
)


class StaleEdit(Exception):
    """The record changed since the person opened it: nothing was saved."""


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _check_version(row, version: int, what: str) -> None:
    if row.version == version:
        return
    who = getattr(row, "updated_by", None)
    by = f" by {who.get_username()}" if who is not None else ""
    when = (
        timezone.localtime(row.updated_at).strftime("%d %B %Y at %H:%M") if row.updated_at else ""
    )
    raise StaleEdit(
        f"{what} was changed{by}{' on ' + when if when else ''} after you opened it, so your "
        "changes were not saved. Here is the record as it is now: make your changes again."
    )


def _apply(row, values: dict) -> dict:
    """Set `values` on `row`; {field: [old, new]} of those that differ (as people see them)."""
    changes = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            changes[name] = [_shown(old), _shown(new)]
            setattr(row, name, new)
    return changes


def set_recommendation(
    user,
    area: Organisation,
    number: int,
    *,
    version: int,
    status: str,
    evidence: str = "",
    owner: str = "",
    review_date: dt.date | None = None,
) -> RecommendationStatus:
    """Record an area's progress on recommendation `number` (1 to 48)."""
    access.partnership_area_to_change(user, area)
    if catalogue.recommendation(number) is None:
        raise ValueError(f"There is no recommendation {number}")
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}")
    with transaction.atomic():
        row, _ = RecommendationStatus.objects.select_for_update().get_or_create(
            area=area, number=number
        )
        _check_version(row, version, f"Recommendation {number}")
        values = {"status": status, "evidence": evidence, "owner": owner}
        values["review_date"] = review_date
        changes = _apply(row, values)
        if not changes:
            return row
        if "status" in changes:  # as people read it: "Not started" -> "In place"
            changes["status"] = [Status(v).label for v in changes["status"]]
        row.version += 1
        row.updated_at, row.updated_by = timezone.now(), user
        row.save()
        Change.objects.create(
            area=area,
            subject=f"recommendation:{number}",
            at=row.updated_at,
            by=user,
            version=row.version,
            changes=changes,
        )
        record(
            events.RecommendationChanged(
                area_id=area.pk, number=number, version=row.version, fields=tuple(changes)
            ),
            actor=user,
        )
    return row


def set_marker(
    user, area: Organisation, marker: str, *, version: int, achieved: bool, description: str = ""
) -> MarkerEvidence:
    """Tick (or untick) a marker of progress for an area and describe the evidence."""
    access.partnership_area_to_change(user, area)
    if catalogue.marker(marker) is None:
        raise ValueError(f"There is no marker of progress {marker}")
    with transaction.atomic():
        row, _ = MarkerEvidence.objects.select_for_update().get_or_create(area=area, marker=marker)
        _check_version(row, version, f"Marker {marker}")
        changes = _apply(row, {"achieved": achieved, "description": description})
        if not changes:
            return row
        row.version += 1
        row.updated_at, row.updated_by = timezone.now(), user
        row.save()
        Change.objects.create(
            area=area,
            subject=f"marker:{marker}",
            at=row.updated_at,
            by=user,
            version=row.version,
            changes=changes,
        )
        record(
            events.MarkerChanged(
                area_id=area.pk, marker=marker, version=row.version, fields=tuple(changes)
            ),
            actor=user,
        )
    return row


DIRECTORY_FIELDS = (
    "kind",
    "organisation",
    "name",
    "description",
    "phone",
    "email",
    "website",
    "address",
    "hours",
    "areas",
    "areas_description",
    "public",
    "active",
)


def _directory_values(values: dict) -> dict:
    unknown = set(values) - set(DIRECTORY_FIELDS)
    if unknown:
        raise ValueError(f"Not directory fields: {sorted(unknown)}")
    out = dict(values)
    if "areas" in out:
        out["areas"] = " ".join(dict.fromkeys(out["areas"].upper().split()))
    return out


def _check_entry(entry: DirectoryEntry) -> None:
    if not entry.organisation_id and not entry.name.strip():
        raise ValueError("A directory entry needs a name, or an organisation to take it from")
    if entry.organisation_id:
        entry.name = ""  # the organisation's own name is shown: never a second copy


def create_entry(user, **values) -> DirectoryEntry:
    access.require_directory_editor(user)
    entry = DirectoryEntry(**_directory_values(values))
    _check_entry(entry)
    with transaction.atomic():
        entry.version, entry.updated_at = 1, timezone.now()
        entry.save()
        Change.objects.create(
            subject=f"directory:{entry.pk}",
            at=entry.updated_at,
            by=user,
            version=1,
            changes={f: ["", _shown(getattr(entry, f))] for f in values},
        )
        record(
            events.DirectoryChanged(
                entry_id=entry.pk, action="create", version=1, fields=tuple(values)
            ),
            actor=user,
        )
    return entry


def update_entry(user, entry_id: int, *, version: int, **values) -> DirectoryEntry:
    access.require_directory_editor(user)
    values = _directory_values(values)
    with transaction.atomic():
        entry = DirectoryEntry.objects.select_for_update().get(pk=entry_id)
        if entry.version != version:
            raise StaleEdit(
                f"{entry.display_name} was changed by someone else after you opened it, so "
                "your changes were not saved. Here is the entry as it is now: make your "
                "changes again."
            )
        changes = _apply(entry, values)
        _check_entry(entry)
        if not changes:
            return entry
        entry.version += 1
        entry.updated_at = timezone.now()
        entry.save()
        Change.objects.create(
            subject=f"directory:{entry.pk}",
            at=entry.updated_at,
            by=user,
            version=entry.version,
            changes=changes,
        )
        record(
            events.DirectoryChanged(
                entry_id=entry.pk, action="update", version=entry.version, fields=tuple(changes)
            ),
            actor=user,
        )
    return entry


def record_export(user, area: Organisation, fmt: str) -> None:
    access.partnership_area(user)
    record(events.PartnershipExport(area_id=area.pk, format=fmt), actor=user)
