"""Writes of the child protection plans app (each checks its rule and writes the record and
its audit event in one transaction), and the reminders and overdue lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from hiddenharm.audit.trail import record
from hiddenharm.safeguarding.plans import events, limits
from hiddenharm.safeguarding.plans.models import (
    HEADINGS,
    ChildProtectionPlan,
    Contribution,
    PlanMeeting,
)
from hiddenharm.safeguarding.workdays import COUNTRIES, DEFAULT_COUNTRY

STALE = "Someone else changed this record since you opened it: check it and try again"


# --- the protocol's terms -----------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    country: str = DEFAULT_COUNTRY
    contribution_days: int = limits.CONTRIBUTION_DAYS


def area_terms(la_code: str | None) -> Terms:
    """The terms of the joint protocol of a local authority area (defaults without one)."""
    try:
        Protocol = apps.get_model("safeguarding", "JointProtocol")
    except LookupError:
        return Terms()
    p = Protocol.objects.filter(la_code=la_code or "").only("country", "contribution_days")
    p = p.first()
    if p is None:
        return Terms()
    return Terms(p.country, getattr(p, "contribution_days", limits.CONTRIBUTION_DAYS))


def terms_for(client) -> Terms:
    """The joint protocol of the client's local authority area: whose bank holidays count and
    how many working days before a conference the contribution is due (defaults without)."""
    return area_terms(client.la)


# --- plans --------------------------------------------------------------------------


@transaction.atomic
def start_plan(client, *, child, start_date, strategy_on=None, user, today, request=None):
    errors = {}
    if child.client_id != client.pk:
        errors["child"] = "Choose one of the client's children"
    if start_date > today:
        errors["start_date"] = "The plan's start date must be today or in the past"
    if strategy_on is not None and strategy_on > start_date:
        errors["strategy_on"] = "The strategy discussion comes before the plan starts"
    if child.cp_plans.filter(end_date__isnull=True).exists():
        errors["child"] = "This child already has an open child protection plan"
    if errors:
        raise ValidationError(errors)
    plan = ChildProtectionPlan.objects.create(
        client=client,
        child=child,
        start_date=start_date,
        strategy_discussion_on=strategy_on,
        created_by=user,
    )
    record(
        events.PlanStarted(plan_id=plan.pk, client_id=client.pk, child_id=child.pk),
        request,
        actor=user,
    )
    return plan


@transaction.atomic
def end_plan(plan, *, end_date, version, user, today, request=None):
    plan = ChildProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.version != version:
        raise ValidationError({"end_date": STALE})
    if plan.end_date is not None:
        raise ValidationError({"end_date": "This plan has already ended"})
    if end_date < plan.start_date:
        raise ValidationError({"end_date": "The plan cannot end before it started"})
    if end_date > today:
        raise ValidationError({"end_date": "The end date must be today or in the past"})
    plan.end_date = end_date
    plan.version += 1
    plan.save(update_fields=["end_date", "version"])
    record(events.PlanEnded(plan_id=plan.pk, client_id=plan.client_id), request, actor=user)
    return plan


# --- meetings -----------------------------------------------------------------------

MEETING_FIELDS = ("kind", "date", "invited", "attendance", "notes")


def _check_meeting(plan, data: dict, today: dt.date, meeting=None) -> None:
    errors = {}
    if data["date"] < plan.start_date and data["kind"] != PlanMeeting.Kind.INITIAL:
        errors["date"] = "A review or core group comes after the plan started"
    if plan.end_date and data["date"] > plan.end_date:
        errors["date"] = "The plan had ended by then"
    if data.get("attendance") and data["date"] > today:
        errors["attendance"] = "Attendance is recorded once the meeting has taken place"
    if data.get("attendance") and not data.get("invited"):
        errors["invited"] = "The service attended or sent apologies: it was invited"
    others = plan.meetings.filter(kind=PlanMeeting.Kind.INITIAL)
    if meeting is not None:
        others = others.exclude(pk=meeting.pk)
    if data["kind"] == PlanMeeting.Kind.INITIAL and others.exists():
        errors["kind"] = "The plan already has its initial conference"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_meeting(plan, data: dict, *, user, today, request=None) -> PlanMeeting:
    _check_meeting(plan, data, today)
    meeting = PlanMeeting.objects.create(
        plan=plan, recorded_by=user, **{k: data.get(k) or _blank(k) for k in MEETING_FIELDS}
    )
    record(
        events.MeetingRecorded(
            meeting_id=meeting.pk,
            plan_id=plan.pk,
            client_id=plan.client_id,
            meeting_kind=meeting.kind,
            action="create",
            fields=tuple(sorted(k for k in MEETING_FIELDS if data.get(k))),
        ),
        request,
        actor=user,
    )
    return meeting


def _blank(name: str):
    return False if name == "invited" else ""


@transaction.atomic
def change_meeting(meeting, data: dict, *, version, user, today, request=None) -> PlanMeeting:
    meeting = PlanMeeting.objects.select_for_update().select_related("plan").get(pk=meeting.pk)
    if meeting.version != version:
        raise ValidationError({"__all__": STALE})
    _check_meeting(meeting.plan, data, today, meeting)
    changed = [k for k in MEETING_FIELDS if getattr(meeting, k) != (data.get(k) or _blank(k))]
    for k in changed:
        setattr(meeting, k, data.get(k) or _blank(k))
    meeting.version += 1
    meeting.save()
    record(
        events.MeetingRecorded(
            meeting_id=meeting.pk,
            plan_id=meeting.plan_id,
            client_id=meeting.plan.client_id,
            meeting_kind=meeting.kind,
            action="update",
            fields=tuple(sorted(changed)),
        ),
        request,
        actor=user,
    )
    return meeting


# --- contributions ------------------------------------------------------------------


@transaction.atomic
def write_contribution(meeting, data: dict, *, version, user, today, request=None):
    """Save the three headings; `submitted_on` marks it sent to the chair (all three then)."""
    if not meeting.is_conference:
        raise ValidationError({"__all__": "A written contribution is for a conference"})
    contribution, created = Contribution.objects.select_for_update().get_or_create(
        meeting=meeting, defaults={"written_by": user, "version": 0}
    )
    if contribution.version != version:
        raise ValidationError({"__all__": STALE})
    errors = {}
    sent = data.get("submitted_on")
    if sent is not None:
        if sent > today:
            errors["submitted_on"] = "The date it was sent must be today or in the past"
        for name in HEADINGS:
            if not (data.get(name) or "").strip():
                errors[name] = "Write this part before you send the contribution"
    if errors:
        raise ValidationError(errors)
    names = (*HEADINGS, "submitted_on")
    changed = [n for n in names if getattr(contribution, n) != _value(data, n)]
    for n in changed:
        setattr(contribution, n, _value(data, n))
    contribution.written_by = user
    contribution.version += 1
    contribution.save()
    record(
        events.ContributionWritten(
            meeting_id=meeting.pk,
            client_id=meeting.plan.client_id,
            submitted=contribution.submitted_on is not None,
            fields=tuple(sorted(changed)),
        ),
        request,
        actor=user,
    )
    return contribution


def _value(data: dict, name: str):
    if name == "submitted_on":
        return data.get(name)
    return (data.get(name) or "").strip()


# --- what is coming and what is late -------------------------------------------------


def facts(plan) -> list[limits.MeetingFacts]:
    out = []
    for m in plan.meetings.all():
        c = getattr(m, "contribution", None) if hasattr(m, "contribution") else None
        out.append(limits.MeetingFacts(m.pk, m.kind, m.date, c.submitted_on if c else None))
    return out


def plan_deadlines(plan) -> list[limits.Deadline]:
    terms = terms_for(plan.client)
    return limits.deadlines(
        plan.strategy_discussion_on,
        plan.end_date,
        facts(plan),
        terms.country,
        terms.contribution_days,
    )


def plans_of(clients: QuerySet) -> QuerySet:
    return (
        ChildProtectionPlan.objects.filter(client__in=clients)
        .select_related("client", "child", "client__keyworker")
        .prefetch_related("meetings__contribution")
    )


def upcoming(clients: QuerySet, today: dt.date) -> list[PlanMeeting]:
    """Meetings of open plans from today to the end of the next 10 working days, counted
    for each client with the bank holidays of their area's joint protocol's country (a
    Scottish area's window runs past its own bank holidays, not England's)."""
    horizons = {country: limits.reminder_horizon(today, country) for country in COUNTRIES}
    meetings = (
        PlanMeeting.objects.filter(
            plan__client__in=clients,
            plan__end_date__isnull=True,
            date__gte=today,
            date__lte=max(horizons.values()),
        )
        .select_related("plan", "plan__client", "plan__child")
        .order_by("date", "id")
    )
    out = []
    terms_of: dict[str, Terms] = {}  # local authority -> its protocol's terms
    for m in meetings:
        la = m.plan.client.la
        if la not in terms_of:
            terms_of[la] = terms_for(m.plan.client)
        terms = terms_of[la]
        horizon = horizons.get(terms.country) or limits.reminder_horizon(today, terms.country)
        if m.date > horizon:
            continue
        m.horizon, m.country_name = horizon, COUNTRIES.get(terms.country, terms.country)
        if m.is_conference:
            m.contribution_due = limits.contribution_due(
                m.date, terms.country, terms.contribution_days
            )
            c = Contribution.objects.filter(meeting=m).first()
            m.contribution_sent = c.submitted_on if c else None
        out.append(m)
    return out


def overdue(clients: QuerySet, today: dt.date) -> list[tuple[ChildProtectionPlan, object]]:
    """(plan, deadline) for every time limit passed and not met, of the open plans (and the
    contributions of ended plans' past conferences), oldest first."""
    out = []
    for plan in plans_of(clients):
        for d in plan_deadlines(plan):
            if d.status(today) == "overdue" and (plan.is_open or d.meeting_id):
                out.append((plan, d))
    return sorted(out, key=lambda pd: (pd[1].due, pd[0].pk))
