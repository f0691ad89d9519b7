"""Clients: add, correct their details, assign a team and a keyworker."""

from __future__ import annotations

from django.db import transaction

from hiddenharm.cases.models import Client
from hiddenharm.cases.services.common import (
    audit_change,
    clash_as,
    corrected,
    created,
    locked,
)

DETAILS = ("client_ref", "first_initial", "surname_initial", "dob", "sex", "la")
REF_TAKEN = "A client with this reference already exists"


@transaction.atomic
def create_client(request, provider, data: dict, *, team=None, keyworker=None) -> Client:
    client = Client(provider=provider, team=team, keyworker=keyworker)
    for k in DETAILS:
        setattr(client, k, data[k])
    with clash_as("client_ref", REF_TAKEN):
        created(client, request)
    fields = [k for k in DETAILS if data.get(k)] + [
        k for k, v in (("team", team), ("keyworker", keyworker)) if v
    ]
    audit_change(request, client, "create", fields, client.pk)
    return client


@transaction.atomic
def correct_client(request, client: Client, data: dict, version: int) -> list[str]:
    current = locked(client, version)
    with clash_as("client_ref", REF_TAKEN):
        changed = corrected(current, request, {k: data[k] for k in DETAILS})
    if changed:
        audit_change(request, current, "correct", changed, current.pk)
    return changed


@transaction.atomic
def assign(request, clients, *, team=None, keyworker=None, versions=None) -> int:
    """Give each client a team and/or a keyworker (None leaves that one as it is).

    `versions` (client id -> version read) refuses the lot if one changed meanwhile."""
    values = {}
    if team is not None:
        values["team"] = team
    if keyworker is not None:
        values["keyworker"] = keyworker
    n = 0
    for client in clients:
        version = (versions or {}).get(client.pk)
        current = locked(client, version)
        changed = corrected(current, request, values)
        if changed:
            audit_change(request, current, "assign", changed, current.pk)
            n += 1
    return n
