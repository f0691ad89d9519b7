"""Referrals to children's social care: the one place a referral is written.

`create_referral`, `update_draft` and `move` check the rule, write the referral and its audit
event (and, when a referral is sent, the information-sharing record it is) in one transaction.
The web views and the API call these; neither decides a rule itself.

Refusals, in the order they are checked:
- PermissionDenied: the person's side may not make this move (API 403);
- MoveRefused: the referral's state refuses the move; nothing changes (API 409);
- ReferralInvalid: a requirement is missing (API 422), with a message per field.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.accounts.models import Organisation, Role
from hiddenharm.audit.trail import record
from hiddenharm.safeguarding import codes, workdays
from hiddenharm.safeguarding.events import InformationShared, ReferralChange
from hiddenharm.safeguarding.models import InformationShare, JointProtocol, Referral

TEXT_LIMIT = 10_000
DRAFT_FIELDS = (
    "children",
    "unborn_edd",
    "concerns",
    "description",
    "risk",
    "service_action",
    "consent",
    "without_consent_reason",
    "team",
)


class MoveRefused(Exception):
    """The referral's state refuses the move (nothing was changed)."""


class ReferralInvalid(Exception):
    """What is missing or wrong, as {field: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def csc_teams():
    """The children's social care teams a referral can go to."""
    return Organisation.objects.filter(kind=Organisation.Kind.CSC).order_by("name")


def protocol_for(team: Organisation | None) -> JointProtocol | None:
    if team is None or not team.la_code:
        return None
    return JointProtocol.objects.filter(la_code=team.la_code).first()


# --- reading the input ----------------------------------------------------------------------


def _clean(client, data: dict) -> tuple[dict, dict[str, str]]:
    """The draft's fields from `data` (any subset of DRAFT_FIELDS), and errors by field."""
    errors: dict[str, str] = {}
    out: dict = {}
    if "children" in data:
        wanted = list(data["children"] or [])
        refs = [c if isinstance(c, str) else getattr(c, "child_ref", None) for c in wanted]
        found = {c.child_ref: c for c in client.children.filter(child_ref__in=refs)}
        missing = [r for r in refs if r not in found]
        if missing or None in refs:
            errors["children"] = (
                f"Choose children of client {client.client_ref}: "
                f"{', '.join(str(m) for m in missing) or 'unknown child'} is not one of them"
            )
        out["children"] = [found[r] for r in refs if r in found]
    if "unborn_edd" in data:
        edd = data["unborn_edd"]
        if edd is not None and not isinstance(edd, dt.date):
            errors["unborn_edd"] = "Enter the expected date of delivery as a date"
        elif edd is not None and not (
            dt.date(1990, 1, 1) <= edd <= timezone.localdate() + dt.timedelta(days=300)
        ):
            errors["unborn_edd"] = "Enter an expected date of delivery within the next 10 months"
        out["unborn_edd"] = edd
    if "concerns" in data:
        concerns = list(dict.fromkeys(data["concerns"] or []))
        unknown = [c for c in concerns if c not in codes.CONCERNS]
        if unknown:
            errors["concerns"] = (
                f"Unknown concern {', '.join(map(str, unknown))}: use {', '.join(codes.CONCERNS)}"
            )
        out["concerns"] = [c for c in concerns if c in codes.CONCERNS]
    for name in ("description", "risk", "service_action", "without_consent_reason"):
        if name in data:
            text = (data[name] or "").strip()
            if len(text) > TEXT_LIMIT:
                errors[name] = f"Write at most {TEXT_LIMIT:,} characters"
            out[name] = text
    if "consent" in data:
        consent = data["consent"] or ""
        if consent and consent not in codes.CONSENT:
            errors["consent"] = f"Consent is one of {', '.join(codes.CONSENT)}"
        out["consent"] = consent
    if "team" in data:
        team = data["team"]
        if team not in (None, ""):
            team_id = team.pk if isinstance(team, Organisation) else team
            team = csc_teams().filter(pk=team_id).first() if isinstance(team_id, int) else None
            if team is None:
                errors["team"] = "Choose one of the children's social care teams listed"
        out["team"] = team or None
    return out, errors


def _apply(referral: Referral, fields: dict) -> None:
    for name, value in fields.items():
        if name != "children":
            setattr(referral, name, value)


def _treatment_writer(user, client):
    profile = access.profile_of(user)
    if (
        profile is None
        or profile.role not in access.WRITE_ROLES
        or profile.organisation_id != client.provider_id
        or not access.clients_for(user).filter(pk=client.pk).exists()
    ):
        raise PermissionDenied("Only the client's treatment service writes a referral")
    return profile


@transaction.atomic
def create_referral(
    user, client, data: dict, *, at: dt.datetime | None = None, screening=None
) -> Referral:
    """A new referral in `draft` about the client's children (the rest may follow); made
    from `screening` (one of the client's) when the keyworker started from its decision."""
    _treatment_writer(user, client)
    if screening is not None and screening.client_id != client.pk:
        raise PermissionDenied("The screening is not this client's")
    fields, errors = _clean(client, {k: data[k] for k in DRAFT_FIELDS if k in data})
    if errors:
        raise ReferralInvalid(errors)
    referral = Referral(
        provider_id=client.provider_id,
        client=client,
        created_by=user,
        created_at=at or timezone.now(),
        screening=screening,
    )
    _apply(referral, fields)
    referral.save()
    referral.children.set(fields.get("children", []))
    named = {k for k, v in fields.items() if v} | ({"screening"} if screening else set())
    record(
        ReferralChange(
            referral_id=referral.pk,
            client_id=client.pk,
            action="create",
            to_state=codes.DRAFT,
            fields=tuple(sorted(named)),
        ),
        actor=user,
    )
    return referral


@transaction.atomic
def update_draft(user, referral: Referral, data: dict, *, version: int) -> Referral:
    """Change a draft; refused when someone else saved it since `version` was read."""
    _treatment_writer(user, referral.client)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.state != codes.DRAFT:
        raise MoveRefused(f"A {referral.get_state_display().lower()} referral cannot be changed")
    if referral.version != version:
        raise MoveRefused(
            "Someone else saved this referral after you opened it: look at their version "
            "and make your changes again"
        )
    fields, errors = _clean(referral.client, {k: data[k] for k in DRAFT_FIELDS if k in data})
    if errors:
        raise ReferralInvalid(errors)
    _apply(referral, fields)
    referral.version += 1
    referral.save()
    if "children" in fields:
        referral.children.set(fields["children"])
    record(
        ReferralChange(
            referral_id=referral.pk,
            client_id=referral.client_id,
            action="update",
            from_state=codes.DRAFT,
            to_state=codes.DRAFT,
            fields=tuple(sorted(fields)),
        ),
        actor=user,
    )
    return referral


# --- moves ----------------------------------------------------------------------------------


def side_of(user, referral: Referral) -> str | None:
    """'treatment' or 'csc' when the person may make moves on the referral, else None."""
    profile = access.profile_of(user)
    if profile is None:
        return None
    if profile.role in access.WRITE_ROLES and profile.organisation_id == referral.provider_id:
        return codes.TREATMENT
    if profile.role == Role.CSC and profile.organisation_id == referral.team_id:
        return codes.CSC
    return None


def allowed_moves(user, referral: Referral) -> list[str]:
    """The moves this person may make now (for the buttons on the page)."""
    side = side_of(user, referral)
    return [
        action
        for action, (sources, _, who) in codes.MOVES.items()
        if side and who in (side, codes.EITHER) and referral.state in sources
    ]


def _requirements(referral: Referral, action: str, kw: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if action == "send":
        if not referral.children.exists() and not referral.unborn_edd:
            errors["children"] = "Name at least one child, or an unborn child with the due date"
        if not referral.concerns:
            errors["concerns"] = "Choose at least one concern"
        if not referral.description:
            errors["description"] = "Say what the concern is"
        if not referral.team_id:
            errors["team"] = "Choose the children's social care team to send it to"
        if not referral.consent:
            errors["consent"] = "Say whether the parent knows and consents"
        elif referral.consent != codes.CONSENT_GIVEN and not referral.without_consent_reason:
            errors["without_consent_reason"] = (
                "Say why the referral is sent without the parent's consent"
            )
    elif action == "decide":
        outcome = kw.get("outcome") or ""
        if outcome not in codes.OUTCOMES:
            errors["outcome"] = f"Choose an outcome: one of {', '.join(codes.OUTCOMES)}"
        if len(kw.get("note") or "") > TEXT_LIMIT:
            errors["note"] = f"Write at most {TEXT_LIMIT:,} characters"
    elif action == "withdraw":
        reason = (kw.get("reason") or "").strip()
        if not reason:
            errors["reason"] = "Say why the referral is withdrawn"
        elif len(reason) > TEXT_LIMIT:
            errors["reason"] = f"Write at most {TEXT_LIMIT:,} characters"
    return errors


PAST = {
    "send": "sent",
    "acknowledge": "acknowledged",
    "decide": "decided",
    "close": "closed",
    "withdraw": "withdrawn",
}


def refusal(referral: Referral, action: str) -> str:
    state = referral.get_state_display().lower()
    sources = ", ".join(codes.STATES[s].lower() for s in sorted(codes.MOVES[action][0]))
    return f"This referral is {state}: only a referral that is {sources} can be {PAST[action]}"


@transaction.atomic
def move(user, referral: Referral, action: str, *, at: dt.datetime | None = None, **kw) -> Referral:
    """Make one move of the state machine (codes.MOVES)."""
    if action not in codes.MOVES:
        raise MoveRefused(f"Unknown move {action!r}: one of {', '.join(codes.MOVES)}")
    sources, target, who = codes.MOVES[action]
    # Lock the row: two people moving one referral at once are served one after the other.
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("team").get(pk=referral.pk)
    )
    side = side_of(user, referral)
    if side is None or who not in (side, codes.EITHER):
        whose = {codes.TREATMENT: "the treatment service", codes.CSC: "the receiving team"}
        raise PermissionDenied(f"Only {whose.get(who, 'either side')} can make this move")
    if referral.state not in sources:
        raise MoveRefused(refusal(referral, action))
    errors = _requirements(referral, action, kw)
    if errors:
        raise ReferralInvalid(errors)
    now = at or timezone.now()
    before = referral.state
    if action == "send":
        _send(referral, now)
    elif action == "acknowledge":
        referral.acknowledged_at = now
    elif action == "decide":
        referral.decided_at = now
        if referral.acknowledged_at is None:
            referral.acknowledged_at = now  # from `sent`: acknowledged when decided
        referral.outcome = kw["outcome"]
        referral.outcome_note = (kw.get("note") or "").strip()
    elif action == "close":
        referral.closed_at = now
    elif action == "withdraw":
        referral.withdrawn_at = now
        referral.withdrawn_reason = kw["reason"].strip()
    referral.state = target
    referral.version += 1
    referral.save()
    record(
        ReferralChange(
            referral_id=referral.pk,
            client_id=referral.client_id,
            action=action,
            from_state=before,
            to_state=target,
            outcome=referral.outcome if action == "decide" else "",
        ),
        actor=user,
    )
    if action == "send":
        _record_disclosure(user, referral, now)
    return referral


def _send(referral: Referral, now: dt.datetime) -> None:
    protocol = protocol_for(referral.team)
    ack_days = protocol.ack_days if protocol else 1
    decision_days = protocol.decision_days if protocol else 1
    country = protocol.country if protocol else workdays.DEFAULT_COUNTRY
    referral.sent_at = now
    referral.country = country
    referral.ack_deadline = workdays.deadline(now, ack_days, country)
    referral.decision_deadline = workdays.deadline(now, decision_days, country)


def _record_disclosure(user, referral: Referral, now: dt.datetime) -> None:
    """A referral sent is a disclosure: recorded as an information-sharing decision."""
    given = referral.consent == codes.CONSENT_GIVEN
    share = InformationShare.objects.create(
        provider_id=referral.provider_id,
        client_id=referral.client_id,
        shared=True,
        categories=["IDENTITY", "CHILDREN", "RISK", "SUBSTANCE_USE"],
        recipient=referral.team,
        purpose="Referral to children's social care: "
        + ", ".join(codes.CONCERNS[c] for c in referral.concerns),
        lawful_basis="CONSENT" if given else "SAFEGUARDING_CHILD",
        consent=referral.consent,
        without_consent_reason="" if given else referral.without_consent_reason,
        decided_by=user,
        decided_at=now,
        referral=referral,
    )
    record(
        InformationShared(
            share_id=share.pk,
            client_id=referral.client_id,
            shared=True,
            lawful_basis=share.lawful_basis,
            consent=share.consent,
            recipient_id=referral.team_id,
        ),
        actor=user,
    )


# --- reading --------------------------------------------------------------------------------


def _utc(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def referral_json(referral: Referral) -> dict:
    """A referral exactly as spec/api.md shows it (read again from the database: the shape
    has one definition, `referrals_json`)."""
    return referrals_json(Referral.objects.filter(pk=referral.pk))[0]


_LIST_FIELDS = (
    "pk", "state", "provider__agency_code", "client__client_ref", "team_id", "team__name",
    "team__la_code", "unborn_edd", "concerns", "description", "risk", "service_action",
    "consent", "without_consent_reason", "created_at", "sent_at", "acknowledged_at",
    "decided_at", "outcome", "closed_at", "withdrawn_at", "ack_deadline", "decision_deadline",
)  # fmt: skip


def referrals_json(referrals) -> list[dict]:
    """Each referral of a queryset exactly as spec/api.md shows it, in the queryset's order,
    read as rows (two queries, no model instances: an inbox of hundreds is listed often by
    a case system)."""
    rows = list(referrals.values_list(*_LIST_FIELDS))
    kids: dict[int, list[dict]] = {}
    through = Referral.children.through.objects.filter(
        referral_id__in=referrals.order_by().values("pk")
    )
    for referral_id, ref, year, sex in through.values_list(
        "referral_id", "child__child_ref", "child__year_of_birth", "child__sex"
    ):
        kids.setdefault(referral_id, []).append(
            {"ref": ref, "year_of_birth": year, "sex": sex or None}
        )
    out = []
    for (
        pk, state, provider, client, team_id, team_name, team_la, edd, concerns, description,
        risk, action, consent, reason, created, sent, acked, decided, outcome, closed,
        withdrawn, ack_deadline, decision_deadline,
    ) in rows:  # fmt: skip
        out.append(
            {
                "id": pk,
                "state": state,
                "provider": provider,
                "client": client,
                "team": {"id": team_id, "name": team_name, "la": team_la} if team_id else None,
                "children": sorted(kids.get(pk, []), key=lambda c: c["ref"]),
                "unborn": {"edd": edd.isoformat()} if edd else None,
                "concerns": list(concerns),
                "description": description,
                "risk": risk,
                "service_action": action,
                "consent": consent or None,
                "without_consent_reason": reason,
                "created_at": _utc(created),
                "sent_at": _utc(sent),
                "acknowledged_at": _utc(acked),
                "decided_at": _utc(decided),
                "outcome": outcome or None,
                "closed_at": _utc(closed),
                "withdrawn_at": _utc(withdrawn),
                "deadlines": {
                    "acknowledgement": _utc(ack_deadline),
                    "decision": _utc(decision_deadline),
                }
                if sent
                else None,
            }
        )
    return out


def overdue(referrals, now: dt.datetime | None = None):
    """The referrals (a queryset) past a deadline now: not acknowledged or not decided in time,
    and neither withdrawn nor closed."""
    from django.db.models import Q

    now = now or timezone.now()
    return referrals.filter(state__in=(codes.SENT, codes.ACKNOWLEDGED)).filter(
        Q(state=codes.SENT, ack_deadline__lt=now) | Q(decision_deadline__lt=now)
    )
