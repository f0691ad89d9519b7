"""/api/v1/teams and /api/v1/referrals: thin over the safeguarding app's service functions
(create_referral, move, referral_json) and accounts.access.referrals_for. The state machine
and who may see what are decided there, never here."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from ninja import Router
from ninja.responses import Status

from hiddenharm.accounts import access
from hiddenharm.api import events
from hiddenharm.api.auth import need
from hiddenharm.api.problems import Problem, invalid
from hiddenharm.api.schemas import (
    PROBLEMS,
    DecideIn,
    EmptyIn,
    ReferralIn,
    ReferralOut,
    ReferralsOut,
    TeamsOut,
    WithdrawIn,
)
from hiddenharm.audit.trail import record

router = Router(tags=["referrals"])
READ, WRITE = "referrals:read", "referrals:write"


def _reader(request):
    """Reading needs either referral scope (a writer reads what it writes)."""
    token = request.api_token
    if READ not in token.scopes and WRITE not in token.scopes:
        raise Problem(403, "The token lacks the scope 'referrals:read': make one that has it.")


def _svc():
    from hiddenharm.safeguarding import referrals

    return referrals


def _visible(request, referral_id: int):
    found = (
        access.referrals_for(request.user)
        .select_related("client", "provider", "team")
        .prefetch_related("children")
        .filter(pk=referral_id)
        .first()
    )
    if found is None:
        raise Problem(404)
    return found


def _invalid(errors: dict[str, str]) -> Problem:
    rename = {"unborn_edd": "unborn.edd"}
    items = [{"field": rename.get(k, k), "message": v} for k, v in errors.items()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in items)
    return Problem(422, detail, items)


@router.get("/teams", response={200: TeamsOut, **PROBLEMS}, summary="CSC teams")
def teams(request):
    _reader(request)
    return {"teams": [{"id": t.pk, "name": t.name, "la": t.la_code} for t in _svc().csc_teams()]}


@router.get("/referrals", response={200: ReferralsOut, **PROBLEMS}, summary="Referrals")
def referral_list(request, state: str | None = None):
    """Those the person may see, oldest `sent_at` first (drafts, never sent, last)."""
    _reader(request)
    from hiddenharm.safeguarding import codes

    qs = access.referrals_for(request.user)
    if state:
        if state not in codes.STATES:
            raise invalid(
                "state", f"Unknown state {state[:20]!r}: one of {', '.join(codes.STATES)}"
            )
        qs = qs.filter(state=state)
    qs = qs.order_by(F("sent_at").asc(nulls_last=True), "created_at", "pk")
    out = _svc().referrals_json(qs)
    with transaction.atomic():
        record(events.ReferralsListed(state=state or "", count=len(out)), request)
    # referral_json gives the schema's shape already (the single-referral endpoint, validated
    # by ninja, is tested to give the same items): a whole inbox validated again field by
    # field was 40% of this call's CPU under load.
    return HttpResponse(json.dumps({"referrals": out}), content_type="application/json")


@router.get("/referrals/{int:referral_id}", response={200: ReferralOut, **PROBLEMS})
def referral_detail(request, referral_id: int):
    _reader(request)
    from hiddenharm.safeguarding.events import ViewReferral

    referral = _visible(request, referral_id)
    with transaction.atomic():
        record(
            ViewReferral(referral_id=referral.pk, client_id=referral.client_id, via="api"), request
        )
    return _svc().referral_json(referral)


@router.post("/referrals", response={201: ReferralOut, **PROBLEMS}, summary="Make a referral")
def referral_create(request, payload: ReferralIn):
    """A draft from a keyworker or team manager about their service's own client and its
    children (else 422, naming the field)."""
    need(request, WRITE, *access.WRITE_ROLES)
    svc = _svc()
    client = access.clients_for(request.user).filter(client_ref=payload.client).first()
    if client is None:
        raise invalid("client", "No client of your service has this reference")
    data = {
        "children": payload.children,
        "unborn_edd": payload.unborn.edd if payload.unborn else None,
        "concerns": payload.concerns,
        "description": payload.description,
        "risk": payload.risk,
        "service_action": payload.service_action,
        "consent": payload.consent,
        "without_consent_reason": payload.without_consent_reason,
        "team": payload.team,
    }
    try:
        referral = svc.create_referral(request.user, client, data)
    except svc.ReferralInvalid as e:
        raise _invalid(e.errors) from None
    except PermissionDenied as e:
        raise Problem(403, str(e)) from None
    return Status(201, svc.referral_json(_visible(request, referral.pk)))


def _move(request, referral_id: int, action: str, **kw):
    need(request, WRITE)
    svc = _svc()
    referral = _visible(request, referral_id)
    try:
        referral = svc.move(request.user, referral, action, **kw)
    except PermissionDenied as e:
        raise Problem(403, str(e) or "Your side may not make this move.") from None
    except svc.MoveRefused as e:
        raise Problem(409, str(e)) from None
    except svc.ReferralInvalid as e:
        raise _invalid(e.errors) from None
    return svc.referral_json(_visible(request, referral.pk))


MOVE_RESPONSES = {200: ReferralOut, **PROBLEMS}


@router.post("/referrals/{int:referral_id}/send", response=MOVE_RESPONSES)
def send(request, referral_id: int, payload: EmptyIn):
    return _move(request, referral_id, "send")


@router.post("/referrals/{int:referral_id}/acknowledge", response=MOVE_RESPONSES)
def acknowledge(request, referral_id: int, payload: EmptyIn):
    return _move(request, referral_id, "acknowledge")


@router.post("/referrals/{int:referral_id}/decide", response=MOVE_RESPONSES)
def decide(request, referral_id: int, payload: DecideIn):
    return _move(request, referral_id, "decide", outcome=payload.outcome, note=payload.note)


@router.post("/referrals/{int:referral_id}/close", response=MOVE_RESPONSES)
def close(request, referral_id: int, payload: EmptyIn):
    return _move(request, referral_id, "close")


@router.post("/referrals/{int:referral_id}/withdraw", response=MOVE_RESPONSES)
def withdraw(request, referral_id: int, payload: WithdrawIn):
    return _move(request, referral_id, "withdraw", reason=payload.reason)
