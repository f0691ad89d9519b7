"""Audit events of the child protection plans app (ids, codes and field names only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from hiddenharm.audit.events import Event, register


@register
@dataclass(frozen=True)
class PlanStarted(Event):
    kind: ClassVar[str] = "cp_plan_started"
    label: ClassVar[str] = "Recorded a child protection plan"
    object_type: ClassVar[str] = "cp_plan"
    plan_id: int
    client_id: int
    child_id: int

    @property
    def object_id(self) -> str:
        return str(self.plan_id)


@register
@dataclass(frozen=True)
class PlanEnded(Event):
    kind: ClassVar[str] = "cp_plan_ended"
    label: ClassVar[str] = "Recorded the end of a child protection plan"
    object_type: ClassVar[str] = "cp_plan"
    plan_id: int
    client_id: int

    @property
    def object_id(self) -> str:
        return str(self.plan_id)


@register
@dataclass(frozen=True)
class MeetingRecorded(Event):
    kind: ClassVar[str] = "cp_meeting_recorded"
    label: ClassVar[str] = "Recorded a child protection meeting"
    object_type: ClassVar[str] = "cp_meeting"
    meeting_id: int
    plan_id: int
    client_id: int
    meeting_kind: str
    action: str  # "create" or "update"
    fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def object_id(self) -> str:
        return str(self.meeting_id)

    def details(self) -> dict:
        d = super().details()
        d["fields"] = list(self.fields)
        return d


@register
@dataclass(frozen=True)
class ContributionWritten(Event):
    kind: ClassVar[str] = "cp_contribution_written"
    label: ClassVar[str] = "Wrote the service's contribution to a conference"
    object_type: ClassVar[str] = "cp_meeting"
    meeting_id: int
    client_id: int
    submitted: bool
    fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def object_id(self) -> str:
        return str(self.meeting_id)

    def details(self) -> dict:
        d = super().details()
        d["fields"] = list(self.fields)
        return d


@register
@dataclass(frozen=True)
class ReportMade(Event):
    kind: ClassVar[str] = "cp_report_made"
    label: ClassVar[str] = "Made the service's report to a child protection conference"
    object_type: ClassVar[str] = "cp_plan"
    plan_id: int
    client_id: int
    pages: int

    @property
    def object_id(self) -> str:
        return str(self.plan_id)
