"""Schemas of the API's bodies, for the OpenAPI document (responses are built to match)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None


class SubmissionOut(Schema):
    id: int
    validation: dict[str, Any]


class TeamOut(Schema):
    id: int
    name: str
    la: str


class TeamsOut(Schema):
    teams: list[TeamOut]


class ChildOut(Schema):
    ref: str
    year_of_birth: int | None
    sex: str | None


class ReferralOut(Schema):
    id: int
    state: str
    provider: str
    client: str
    team: TeamOut | None
    children: list[ChildOut]
    unborn: dict[str, Any] | None
    concerns: list[str]
    description: str
    risk: str
    service_action: str
    consent: str | None
    without_consent_reason: str
    created_at: str
    sent_at: str | None
    acknowledged_at: str | None
    decided_at: str | None
    outcome: str | None
    closed_at: str | None
    withdrawn_at: str | None
    deadlines: dict[str, str | None] | None


class ReferralsOut(Schema):
    referrals: list[ReferralOut]


class UnbornIn(Schema):
    edd: dt.date


class ReferralIn(Schema):
    client: str
    children: list[str] = []
    unborn: UnbornIn | None = None
    concerns: list[str]
    description: str = ""
    risk: str = ""
    service_action: str = ""
    consent: str | None
    without_consent_reason: str = ""
    team: int


class EmptyIn(Schema):
    pass


class DecideIn(Schema):
    outcome: str
    note: str = ""


class WithdrawIn(Schema):
    reason: str


PROBLEMS = {s: ProblemOut for s in (401, 403, 404, 409, 413, 422, 429)}
