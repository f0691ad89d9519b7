"""The service's report to a child protection conference, as a PDF (WeasyPrint).

What it holds, all from the records: the service's contribution under the three headings
(for the conference the report is for), the Hidden Harm items as recorded over time, the
children and their history, the referrals to children's social care and the screenings,
the plan's meetings, and a dated chronology of the family.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from hiddenharm.audit import events as audit_events
from hiddenharm.audit.trail import record
from hiddenharm.cases.models import ChildStatus, HiddenHarmRecord
from hiddenharm.safeguarding.plans import events
from hiddenharm.safeguarding.plans.models import HEADINGS, Contribution, PlanMeeting


@dataclass(frozen=True)
class Entry:
    day: dt.date
    what: str
    source: str


def conference_for(plan, today: dt.date) -> PlanMeeting | None:
    """The conference the report is for: the next one from today, else the latest."""
    conferences = plan.meetings.filter(kind__in=[PlanMeeting.Kind.INITIAL, PlanMeeting.Kind.REVIEW])
    return (
        conferences.filter(date__gte=today).order_by("date", "id").first()
        or conferences.order_by("-date", "-id").first()
    )


def referrals_of(client) -> list:
    """The lead's referrals of the client, when the safeguarding app has them."""
    try:
        Referral = apps.get_model("safeguarding", "Referral")
    except LookupError:
        return []
    return list(Referral.objects.filter(client=client).prefetch_related("children"))


def _referral_entries(r) -> list[Entry]:
    out = []
    for field, words in (
        ("sent_at", "Referral sent to children's social care"),
        ("acknowledged_at", "Referral acknowledged by children's social care"),
        ("decided_at", "Children's social care decided on the referral"),
        ("closed_at", "Referral closed"),
        ("withdrawn_at", "Referral withdrawn"),
    ):
        moment = getattr(r, field, None)
        if moment is not None:
            extra = ""
            if field == "decided_at" and getattr(r, "outcome", ""):
                extra = f": {r.get_outcome_display()}"
            out.append(Entry(timezone.localtime(moment).date(), words + extra, "Referral"))
    return out


def chronology(client, plans, referrals, screenings) -> list[Entry]:
    out: list[Entry] = []
    for e in client.episodes.all():
        out.append(
            Entry(e.referred, f"Referred to treatment (episode {e.episode_ref})", "Treatment")
        )
        if e.care_plan_start:
            out.append(Entry(e.care_plan_start, "Care plan started", "Treatment"))
        if e.discharged:
            out.append(
                Entry(e.discharged, f"Discharged: {e.get_discharge_reason_display()}", "Treatment")
            )
    for r in HiddenHarmRecord.objects.filter(episode__client=client).select_related("episode"):
        day = r.recorded_on or r.episode.care_plan_start
        if day:
            out.append(
                Entry(
                    day, f"Hidden Harm items recorded ({r.get_kind_display().lower()})", "Treatment"
                )
            )
    for s in ChildStatus.objects.filter(child__client=client).select_related("child"):
        parts = []
        if s.whereabouts:
            parts.append(f"lives: {s.get_whereabouts_display().lower()}")
        if s.csc_status:
            parts.append(f"children's social care: {s.get_csc_status_display().lower()}")
        what = f"Child {s.child.child_ref} recorded" + (f" ({'; '.join(parts)})" if parts else "")
        out.append(Entry(s.recorded_on, what, "Children"))
    for p in client.pregnancies.all():
        out.append(
            Entry(p.recorded_on, f"Pregnancy recorded, expected {p.edd:%-d %B %Y}", "Pregnancy")
        )
        if p.outcome and p.outcome_on:
            out.append(Entry(p.outcome_on, p.get_outcome_display(), "Pregnancy"))
    for s in screenings:
        out.append(
            Entry(s.screened_on, f"Screening: {s.get_decided_action_display()}", "Screening")
        )
    for r in referrals:
        out.extend(_referral_entries(r))
    for plan in plans:
        child = f"child {plan.child.child_ref}"
        if plan.strategy_discussion_on:
            out.append(Entry(plan.strategy_discussion_on, f"Strategy discussion ({child})", "Plan"))
        out.append(Entry(plan.start_date, f"Child protection plan started ({child})", "Plan"))
        if plan.end_date:
            out.append(Entry(plan.end_date, f"Child protection plan ended ({child})", "Plan"))
        for m in plan.meetings.all():
            seen = f"; the service {m.get_attendance_display().lower()}" if m.attendance else ""
            out.append(Entry(m.date, f"{m.get_kind_display()} ({child}){seen}", "Plan"))
    return sorted(out, key=lambda e: (e.day, e.source, e.what))


def _recording_order(r):
    """Episode by episode, each in date order: the start row (dated by the care-plan start
    when it has no date of its own) before a review of the same day."""
    day = r.recorded_on or r.episode.care_plan_start or dt.date.min
    return (r.episode.referred, r.episode_id, day, r.kind == "review", r.pk)


def context(plan, today: dt.date) -> dict:
    client = plan.client
    conference = conference_for(plan, today)
    contribution = Contribution.objects.filter(meeting=conference).first() if conference else None
    children = list(client.children.prefetch_related("statuses").order_by("child_ref"))
    for c in children:
        c.history = sorted(c.statuses.all(), key=lambda s: (s.recorded_on, s.pk))
    screenings = list(client.screenings.select_related("question_set", "screened_by"))
    referrals = referrals_of(client)
    plans = list(client.cp_plans.select_related("child").prefetch_related("meetings"))
    recordings = sorted(
        HiddenHarmRecord.objects.filter(episode__client=client).select_related("episode"),
        key=_recording_order,
    )
    headings = [
        (words, getattr(contribution, name, "") if contribution else "")
        for name, words in HEADINGS.items()
    ]
    return {
        "plan": plan,
        "client": client,
        "conference": conference,
        "contribution": contribution,
        "headings": headings,
        "children": children,
        "recordings": recordings,
        "screenings": screenings,
        "referrals": referrals,
        "meetings": plan.meetings.order_by("date", "id"),
        "chronology": chronology(client, plans, referrals, screenings),
        "today": today,
    }


def render_html(plan, today: dt.date) -> str:
    return render_to_string("plans/report.html", context(plan, today))


def render_pdf(plan, today: dt.date) -> tuple[bytes, int]:
    """(the PDF, its number of pages)."""
    import weasyprint

    document = weasyprint.HTML(string=render_html(plan, today)).render()
    return bytes(document.write_pdf()), len(document.pages)


@transaction.atomic
def audit_report(request, plan, pages: int) -> None:
    record(audit_events.ViewClient(client_id=plan.client_id, page="cp_report"), request)
    record(events.ReportMade(plan_id=plan.pk, client_id=plan.client_id, pages=pages), request)
