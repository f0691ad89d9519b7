"""The kinds of audit event, one dataclass each.

Fields hold ids, codes, counts and field names, never personal data (no names, initials,
dates of birth, values typed into a record, or file names, which people fill with names).
`details()` is what is stored as JSON; `object_type`/`object_id` index the record touched.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""  # the kind in words, for people ("Viewed a client's record")
    object_type: ClassVar[str] = ""

    @property
    def object_id(self) -> str:
        return ""

    def details(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class SignIn(Event):
    kind: ClassVar[str] = "sign_in"
    label: ClassVar[str] = "Signed in"


@dataclass(frozen=True)
class SignOut(Event):
    kind: ClassVar[str] = "sign_out"
    label: ClassVar[str] = "Signed out"


@dataclass(frozen=True)
class SignInFailed(Event):
    """The username tried (people's own account names, not clients' data), so that a data
    lead sees attempts on their people's accounts; object_id is that person's id if known."""

    kind: ClassVar[str] = "sign_in_failed"
    object_type: ClassVar[str] = "user"
    username: str = ""
    user_id: int | None = None
    locked_out: bool = False

    @property
    def object_id(self) -> str:
        return "" if self.user_id is None else str(self.user_id)


@dataclass(frozen=True)
class ViewClient(Event):
    kind: ClassVar[str] = "view_client"
    label: ClassVar[str] = "Viewed a client's record"
    object_type: ClassVar[str] = "client"
    client_id: int
    page: str = "record"

    @property
    def object_id(self) -> str:
        return str(self.client_id)


@dataclass(frozen=True)
class ViewChild(Event):
    kind: ClassVar[str] = "view_child"
    label: ClassVar[str] = "Viewed a child's record"
    object_type: ClassVar[str] = "child"
    child_id: int
    client_id: int

    @property
    def object_id(self) -> str:
        return str(self.child_id)


@dataclass(frozen=True)
class Search(Event):
    """A search for a client: the count found, never the terms (they are identifiers)."""

    kind: ClassVar[str] = "search"
    label: ClassVar[str] = "Searched for a client"
    found: int


@dataclass(frozen=True)
class Change(Event):
    """A record created or changed: which record and which fields, not their values."""

    kind: ClassVar[str] = "change"
    label: ClassVar[str] = "Recorded or corrected a record"
    record_type: str
    record_id: int
    action: str  # "create" or "update"
    client_id: int | None = None
    fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def object_id(self) -> str:
        return f"{self.record_type}:{self.record_id}"

    def details(self) -> dict:
        d = super().details()
        d["fields"] = list(self.fields)
        return d


@dataclass(frozen=True)
class Export(Event):
    kind: ClassVar[str] = "export"
    label: ClassVar[str] = "Exported the records"
    object_type: ClassVar[str] = "organisation"
    organisation_id: int
    rows: dict = field(default_factory=dict)  # table -> rows
    purpose: str = "download"

    @property
    def object_id(self) -> str:
        return str(self.organisation_id)


@dataclass(frozen=True)
class Import(Event):
    kind: ClassVar[str] = "import"
    label: ClassVar[str] = "Imported an extract"
    object_type: ClassVar[str] = "organisation"
    organisation_id: int
    sha256: str
    created: dict = field(default_factory=dict)  # table -> rows created
    problems: dict = field(default_factory=dict)  # code -> count

    @property
    def object_id(self) -> str:
        return str(self.organisation_id)


@dataclass(frozen=True)
class ViewFigures(Event):
    kind: ClassVar[str] = "view_figures"
    label: ClassVar[str] = "Viewed the figures"
    providers: tuple[int, ...] = ()
    output: str = "dashboard"

    def details(self) -> dict:
        return {"providers": list(self.providers), "output": self.output}


@dataclass(frozen=True)
class ViewAudit(Event):
    kind: ClassVar[str] = "view_audit"
    label: ClassVar[str] = "Read the audit trail"
    filters: dict = field(default_factory=dict)


KINDS: dict[str, type[Event]] = {}


def register(cls: type[Event]) -> type[Event]:
    """Class decorator: make a kind of event known (the audit trail's filter and words).

    Apps declare their own kinds beside their services and register them here, so that this
    module does not have to know every app."""
    if not cls.kind:
        raise TypeError(f"{cls.__name__} has no kind")
    if cls.kind in KINDS and KINDS[cls.kind] is not cls:
        raise ValueError(f"audit event kind {cls.kind!r} registered twice")
    KINDS[cls.kind] = cls
    return cls


def label_of(kind: str) -> str:
    cls = KINDS.get(kind)
    return (cls.label if cls is not None and cls.label else kind.replace("_", " ")).capitalize()


for _cls in (
    SignIn,
    SignOut,
    SignInFailed,
    ViewClient,
    ViewChild,
    Search,
    Change,
    Export,
    Import,
    ViewFigures,
    ViewAudit,
):
    register(_cls)
