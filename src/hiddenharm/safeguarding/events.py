"""The safeguarding app's kinds of audit event (ids and codes only, never personal data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from hiddenharm.audit.events import Event, register


@register
@dataclass(frozen=True)
class ReferralChange(Event):
    """A referral created, its draft changed, or moved from one state to another."""

    kind: ClassVar[str] = "referral"
    label: ClassVar[str] = "Referral to children's social care"
    object_type: ClassVar[str] = "referral"
    referral_id: int
    client_id: int
    action: str  # create, update, send, acknowledge, decide, close, withdraw
    from_state: str = ""
    to_state: str = ""
    fields: tuple[str, ...] = field(default_factory=tuple)
    outcome: str = ""

    @property
    def object_id(self) -> str:
        return str(self.referral_id)

    def details(self) -> dict:
        d = super().details()
        d["fields"] = list(self.fields)
        return d


@register
@dataclass(frozen=True)
class ViewReferral(Event):
    kind: ClassVar[str] = "view_referral"
    label: ClassVar[str] = "Viewed a referral"
    object_type: ClassVar[str] = "referral"
    referral_id: int
    client_id: int
    via: str = "web"

    @property
    def object_id(self) -> str:
        return str(self.referral_id)


@register
@dataclass(frozen=True)
class InformationShared(Event):
    """A decision to share information (or not), recorded."""

    kind: ClassVar[str] = "information_share"
    label: ClassVar[str] = "Information sharing decision"
    object_type: ClassVar[str] = "share"
    share_id: int
    client_id: int | None
    shared: bool
    lawful_basis: str
    consent: str
    recipient_id: int | None = None

    @property
    def object_id(self) -> str:
        return str(self.share_id)


@register
@dataclass(frozen=True)
class InformationRequestChange(Event):
    kind: ClassVar[str] = "information_request"
    label: ClassVar[str] = "Request for information"
    object_type: ClassVar[str] = "information_request"
    request_id: int
    action: str  # create, answer, view
    client_id: int | None = None

    @property
    def object_id(self) -> str:
        return str(self.request_id)


@register
@dataclass(frozen=True)
class BreakGlass(Event):
    kind: ClassVar[str] = "break_glass"
    label: ClassVar[str] = "Opened a record outside the caseload (break the glass)"
    object_type: ClassVar[str] = "client"
    client_id: int
    glass_id: int
    hours: float

    @property
    def object_id(self) -> str:
        return str(self.client_id)


@register
@dataclass(frozen=True)
class ProtocolChange(Event):
    kind: ClassVar[str] = "protocol"
    label: ClassVar[str] = "Joint protocol changed"
    object_type: ClassVar[str] = "protocol"
    protocol_id: int
    action: str
    fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def object_id(self) -> str:
        return str(self.protocol_id)

    def details(self) -> dict:
        d = super().details()
        d["fields"] = list(self.fields)
        return d
