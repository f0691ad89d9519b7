"""Information sharing, requests for information from children's social care, and
break-the-glass access: the one place each is written, with its audit event."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.accounts.models import Organisation, Role
from hiddenharm.audit.trail import record
from hiddenharm.safeguarding import codes
from hiddenharm.safeguarding.events import BreakGlass, InformationRequestChange, InformationShared
from hiddenharm.safeguarding.models import GlassBreak, InformationRequest, InformationShare


class ShareInvalid(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _check_share(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.get("recipient") and not (data.get("recipient_name") or "").strip():
        errors["recipient"] = "Choose the organisation, or type its name if it is not listed"
    if not (data.get("purpose") or "").strip():
        errors["purpose"] = "Say why the information was (or was not) shared"
    consent = data.get("consent")
    if consent not in codes.CONSENT:
        errors["consent"] = "Say whether the client consented"
    if data.get("shared"):
        if not data.get("categories"):
            errors["categories"] = "Choose what information was shared"
        if data.get("lawful_basis") not in codes.LAWFUL_BASES:
            errors["lawful_basis"] = "Choose the lawful basis for sharing"
        elif data["lawful_basis"] == "CONSENT" and consent != codes.CONSENT_GIVEN:
            errors["lawful_basis"] = "Consent is the lawful basis only when the client consented"
        if consent in codes.CONSENT and consent != codes.CONSENT_GIVEN:
            if not (data.get("without_consent_reason") or "").strip():
                errors["without_consent_reason"] = (
                    "Say why the information is shared without the client's consent"
                )
    return errors


@transaction.atomic
def record_share(user, client, data: dict, *, request_obj=None) -> InformationShare:
    """A decision to share (or not to share) information about a client, recorded."""
    profile = access.profile_of(user)
    if (
        profile is None
        or profile.role not in access.WRITE_ROLES
        or client.provider_id != profile.organisation_id
    ):
        raise PermissionDenied("Only the client's treatment service records its sharing")
    errors = _check_share(data)
    if errors:
        raise ShareInvalid(errors)
    recipient = data.get("recipient")
    if recipient and not isinstance(recipient, Organisation):
        recipient = Organisation.objects.filter(pk=recipient).first()
    share = InformationShare.objects.create(
        provider_id=client.provider_id,
        client=client,
        shared=bool(data["shared"]),
        categories=list(data.get("categories") or []) if data["shared"] else [],
        recipient=recipient or None,
        recipient_name=(data.get("recipient_name") or "").strip(),
        recipient_person=(data.get("recipient_person") or "").strip(),
        purpose=data["purpose"].strip(),
        lawful_basis=data.get("lawful_basis") or "" if data["shared"] else "",
        consent=data["consent"],
        without_consent_reason=(data.get("without_consent_reason") or "").strip(),
        decided_by=user,
        decided_at=timezone.now(),
        request=request_obj,
    )
    record(
        InformationShared(
            share_id=share.pk,
            client_id=client.pk,
            shared=share.shared,
            lawful_basis=share.lawful_basis,
            consent=share.consent,
            recipient_id=share.recipient_id,
        ),
        actor=user,
    )
    return share


@transaction.atomic
def make_request(user, data: dict) -> InformationRequest:
    profile = access.profile_of(user)
    if profile is None or profile.role != Role.CSC:
        raise PermissionDenied("Requests for information come from children's social care")
    provider = Organisation.objects.filter(pk=data["provider"], kind="provider").first()
    if provider is None:
        raise ShareInvalid({"provider": "Choose one of the treatment services listed"})
    req = InformationRequest.objects.create(
        team_id=profile.organisation_id,
        provider=provider,
        requested_by=user,
        requested_at=timezone.now(),
        their_reference=data["their_reference"].strip(),
        about=data["about"].strip(),
        question=data["question"].strip(),
        purpose=data["purpose"].strip(),
    )
    record(InformationRequestChange(request_id=req.pk, action="create"), actor=user)
    return req


@transaction.atomic
def answer_request(user, req: InformationRequest, client, share_data: dict, answer: str):
    """The service's answer: the decision recorded as an information share (shared or not),
    and the words children's social care reads."""
    req = InformationRequest.objects.select_for_update().get(pk=req.pk)
    if req.answered_at is not None:
        raise ShareInvalid({"__all__": "This request has already been answered"})
    if client is not None and client.provider_id != req.provider_id:
        raise PermissionDenied
    if not answer.strip():
        raise ShareInvalid({"answer": "Write the answer children's social care will read"})
    share_data = {**share_data, "recipient": req.team}
    if client is not None:
        record_share(user, client, share_data, request_obj=req)
    req.client = client
    req.answer = answer.strip()
    req.answered_at = timezone.now()
    req.answered_by = user
    req.save()
    record(
        InformationRequestChange(
            request_id=req.pk, action="answer", client_id=client.pk if client else None
        ),
        actor=user,
    )
    return req


@transaction.atomic
def break_glass(user, client, reason: str, hours: float | None = None) -> GlassBreak:
    """Open a client of one's own service outside one's caseload, for a time, with a reason."""
    if not access.outside_caseload(user, client.pk):
        raise PermissionDenied("This record is not one you need to break the glass for")
    if not reason.strip():
        raise ShareInvalid({"reason": "Say why you need to open this record"})
    hours = hours or settings.HH_BREAK_GLASS_HOURS
    now = timezone.now()
    glass = GlassBreak.objects.create(
        user=user,
        client=client,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    record(BreakGlass(client_id=client.pk, glass_id=glass.pk, hours=float(hours)), actor=user)
    return glass


@transaction.atomic
def review_glass(user, glass: GlassBreak) -> GlassBreak:
    glass = GlassBreak.objects.select_for_update().get(pk=glass.pk)
    if glass.reviewed_at is None:
        glass.reviewed_by = user
        glass.reviewed_at = timezone.now()
        glass.save()
    return glass


PROTOCOL_FIELDS = (
    "name",
    "ack_days",
    "decision_days",
    "contribution_days",
    "country",
    "escalation_contact",
    "review_date",
)


@transaction.atomic
def save_protocol(user, protocol, data: dict, *, version: int | None = None):
    """Create (protocol None) or change a joint protocol; partnership administrators of the
    area only. A change against a newer version is refused. Referrals already sent keep the
    deadlines they were given."""
    from hiddenharm.safeguarding.events import ProtocolChange
    from hiddenharm.safeguarding.models import JointProtocol

    profile = access.profile_of(user)
    if profile is None or profile.role != Role.PARTNERSHIP_ADMIN:
        raise PermissionDenied("Partnership administrators keep the joint protocols")
    la = profile.organisation.la_code
    if protocol is None:
        protocol = JointProtocol(la_code=la)
        action = "create"
    else:
        protocol = JointProtocol.objects.select_for_update().get(pk=protocol.pk)
        if la and protocol.la_code != la:
            raise PermissionDenied("Another area's protocol")
        if version is not None and protocol.version != version:
            raise ShareInvalid(
                {
                    "__all__": "Someone else changed this protocol after you opened it: "
                    "check their changes and make yours again"
                }
            )
        protocol.version += 1
        action = "update"
    changed = [f for f in PROTOCOL_FIELDS if getattr(protocol, f) != data[f]]
    for f in PROTOCOL_FIELDS:
        setattr(protocol, f, data[f])
    protocol.save()
    record(
        ProtocolChange(protocol_id=protocol.pk, action=action, fields=tuple(changed)), actor=user
    )
    return protocol
