"""Audit events of the screening app (ids and codes only, never the answers' words)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hiddenharm.audit.events import Event, register


@register
@dataclass(frozen=True)
class ScreeningRecorded(Event):
    kind: ClassVar[str] = "screening_recorded"
    label: ClassVar[str] = "Recorded a safeguarding screening"
    object_type: ClassVar[str] = "screening"
    screening_id: int
    client_id: int
    question_set_version: int
    suggested: str
    decided: str

    @property
    def object_id(self) -> str:
        return str(self.screening_id)


@register
@dataclass(frozen=True)
class QuestionSetPublished(Event):
    kind: ClassVar[str] = "screening_questions_published"
    label: ClassVar[str] = "Published a version of the screening questions"
    object_type: ClassVar[str] = "question_set"
    question_set_id: int
    key: str
    version: int

    @property
    def object_id(self) -> str:
        return str(self.question_set_id)
