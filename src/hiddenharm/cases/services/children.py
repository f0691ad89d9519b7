"""A client's children (Recommendation 9), their situation over time, and pregnancies."""

from __future__ import annotations

from django.db import transaction

from hiddenharm.cases.models import Child, ChildStatus, Client, Pregnancy
from hiddenharm.cases.services.common import (
    Clash,
    audit_change,
    clash_as,
    corrected,
    created,
    locked,
)

CHILD_FIELDS = ("child_ref", "year_of_birth", "sex")
STATUS_FIELDS = ("recorded_on", "whereabouts", "csc_status")
PREGNANCY_FIELDS = (
    "recorded_on",
    "edd",
    "maternity_linked",
    "maternity_service",
    "prebirth_referral_considered",
    "outcome",
    "outcome_on",
)
CHILD_TAKEN = "This client already has a child with this reference"
STATUS_TAKEN = "This child already has a record on this date"


def _child_values(data: dict) -> dict:
    return {
        "child_ref": data["child_ref"],
        "year_of_birth": data.get("year_of_birth"),
        "sex": data.get("sex") or "",
    }


def _status_values(data: dict) -> dict:
    return {
        "recorded_on": data["recorded_on"],
        "whereabouts": data.get("whereabouts") or "",
        "csc_status": data.get("csc_status") or "",
    }


def _status(request, child: Child, data: dict) -> ChildStatus:
    status = ChildStatus(child=child, recorded_by=request.user, **_status_values(data))
    with clash_as("recorded_on", STATUS_TAKEN):
        created(status, request)
    audit_change(
        request, status, "create", [k for k in STATUS_FIELDS if data.get(k)], child.client_id
    )
    return status


@transaction.atomic
def add_child(request, client: Client, data: dict) -> Child:
    """A child with their first record of where they live and their social care status."""
    child = Child(client=client, **_child_values(data))
    with clash_as("child_ref", CHILD_TAKEN):
        created(child, request)
    audit_change(request, child, "create", [k for k in CHILD_FIELDS if data.get(k)], client.pk)
    _status(request, child, data)
    return child


@transaction.atomic
def correct_child(request, child: Child, data: dict, version: int) -> list[str]:
    current = locked(child, version)
    with clash_as("child_ref", CHILD_TAKEN):
        changed = corrected(current, request, _child_values(data))
    if changed:
        audit_change(request, current, "correct", changed, current.client_id)
    return changed


@transaction.atomic
def record_child_status(request, child: Child, data: dict) -> ChildStatus:
    """A dated row of where the child lives and their social care status (history is kept)."""
    return _status(request, child, data)


@transaction.atomic
def correct_child_status(request, status: ChildStatus, data: dict, version: int) -> list[str]:
    current = locked(status, version)
    with clash_as("recorded_on", STATUS_TAKEN):
        changed = corrected(current, request, _status_values(data))
    if changed:
        audit_change(request, current, "correct", changed, status.child.client_id)
    return changed


@transaction.atomic
def record_pregnancy(request, client: Client, data: dict) -> Pregnancy:
    pregnancy = Pregnancy(client=client, recorded_by=request.user)
    for k in PREGNANCY_FIELDS:
        if k in data:
            setattr(pregnancy, k, data[k])
    pregnancy.outcome = pregnancy.outcome or ""
    created(pregnancy, request)
    audit_change(
        request, pregnancy, "create", [k for k in PREGNANCY_FIELDS if data.get(k)], client.pk
    )
    return pregnancy


@transaction.atomic
def correct_pregnancy(request, pregnancy: Pregnancy, data: dict, version: int) -> list[str]:
    """Update or correct a pregnancy; a birth adds the child to the client's children."""
    current = locked(pregnancy, version)
    values = {k: data.get(k) for k in PREGNANCY_FIELDS}
    values["outcome"] = values["outcome"] or ""
    if not values["maternity_linked"]:
        values["maternity_service"] = None
    changed = corrected(current, request, values)
    if current.outcome == "born" and current.child_id is None:
        if not data.get("child_ref"):
            raise Clash("child_ref", "Enter a reference for the child born")
        child = Child(
            client_id=current.client_id,
            child_ref=data["child_ref"],
            year_of_birth=current.outcome_on.year if current.outcome_on else None,
            sex=data.get("child_sex") or "",
        )
        with clash_as("child_ref", CHILD_TAKEN):
            created(child, request)
        audit_change(
            request,
            child,
            "create",
            [k for k in CHILD_FIELDS if getattr(child, k)],
            current.client_id,
        )
        current.child = child
        current._history_user = child._history_user
        current.save(update_fields=["child"])
        changed.append("child")
    if changed:
        audit_change(request, current, "correct", changed, current.client_id)
    return changed
