"""The partnership's kinds of audit event (ids, numbers and field names; never the text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from hiddenharm.audit.events import Event, register


@register
@dataclass(frozen=True)
class RecommendationChanged(Event):
    kind: ClassVar[str] = "recommendation_changed"
    label: ClassVar[str] = "Changed an area's progress on a recommendation"
    object_type: ClassVar[str] = "recommendation_status"
    area_id: int
    number: int
    version: int
    fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def object_id(self) -> str:
        return f"{self.area_id}:{self.number}"

    def details(self) -> dict:
        return {**super().details(), "fields": list(self.fields)}


@register
@dataclass(frozen=True)
class MarkerChanged(Event):
    kind: ClassVar[str] = "marker_changed"
    label: ClassVar[str] = "Changed an area's evidence on a marker of progress"
    object_type: ClassVar[str] = "marker_evidence"
    area_id: int
    marker: str
    version: int
    fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def object_id(self) -> str:
        return f"{self.area_id}:{self.marker}"

    def details(self) -> dict:
        return {**super().details(), "fields": list(self.fields)}


@register
@dataclass(frozen=True)
class DirectoryChanged(Event):
    kind: ClassVar[str] = "directory_changed"
    label: ClassVar[str] = "Changed the agency directory"
    object_type: ClassVar[str] = "directory_entry"
    entry_id: int
    action: str  # "create" or "update"
    version: int
    fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def object_id(self) -> str:
        return str(self.entry_id)

    def details(self) -> dict:
        return {**super().details(), "fields": list(self.fields)}


@register
@dataclass(frozen=True)
class PartnershipExport(Event):
    kind: ClassVar[str] = "partnership_export"
    label: ClassVar[str] = "Exported the recommendations for the partnership board"
    object_type: ClassVar[str] = "organisation"
    area_id: int
    format: str

    @property
    def object_id(self) -> str:
        return str(self.area_id)
