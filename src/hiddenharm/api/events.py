"""The API's audit event kinds (ids, counts and codes only, as every event)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from hiddenharm.audit.events import Event, register


@register
@dataclass(frozen=True)
class TokenCreated(Event):
    kind: ClassVar[str] = "api_token_created"
    label: ClassVar[str] = "Made an API token"
    object_type: ClassVar[str] = "api_token"
    token_id: int
    scopes: tuple[str, ...] = ()
    days: int = 0

    @property
    def object_id(self) -> str:
        return str(self.token_id)

    def details(self) -> dict:
        return {"token_id": self.token_id, "scopes": list(self.scopes), "days": self.days}


@register
@dataclass(frozen=True)
class TokenRevoked(Event):
    kind: ClassVar[str] = "api_token_revoked"
    label: ClassVar[str] = "Revoked an API token"
    object_type: ClassVar[str] = "api_token"
    token_id: int

    @property
    def object_id(self) -> str:
        return str(self.token_id)


@register
@dataclass(frozen=True)
class SubmissionReceived(Event):
    """A submission sent through the API: its SHA-256 and problem counts, never its name."""

    kind: ClassVar[str] = "api_submission_received"
    label: ClassVar[str] = "Sent a submission through the API"
    object_type: ClassVar[str] = "submission"
    submission_id: int
    organisation_id: int
    sha256: str
    problems: dict = field(default_factory=dict)

    @property
    def object_id(self) -> str:
        return str(self.submission_id)


@register
@dataclass(frozen=True)
class SubmissionRead(Event):
    kind: ClassVar[str] = "api_submission_read"
    label: ClassVar[str] = "Read a submission through the API"
    object_type: ClassVar[str] = "submission"
    submission_id: int
    output: str = "validation"  # or "report"

    @property
    def object_id(self) -> str:
        return str(self.submission_id)


@register
@dataclass(frozen=True)
class ReferralsListed(Event):
    kind: ClassVar[str] = "api_referrals_listed"
    label: ClassVar[str] = "Listed referrals through the API"
    state: str = ""
    count: int = 0
