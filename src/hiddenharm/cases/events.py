"""Audit event kinds of the case records (beside the shared ones in audit.events)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hiddenharm.audit.events import Event, register


@register
@dataclass(frozen=True)
class ViewList(Event):
    """A page that listed clients (a caseload, the worklist, search results): which ones,
    by id, since each row shows that a person is in treatment here."""

    kind: ClassVar[str] = "view_list"
    label: ClassVar[str] = "Viewed a list of clients"
    object_type: ClassVar[str] = "list"
    page: str
    client_ids: tuple[int, ...] = ()
    scope: str = ""

    @property
    def object_id(self) -> str:
        return self.page

    def details(self) -> dict:
        return {"page": self.page, "scope": self.scope, "client_ids": list(self.client_ids)}
