"""The partnership dashboard: progress on the recommendations, recording completeness by
provider (the dashboards' own figures, small numbers suppressed), and the safeguarding
side (protocols due for review, activity) where that app provides it."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.shortcuts import render
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.audit import events as audit_events
from hiddenharm.audit.trail import record
from hiddenharm.cases import figures
from hiddenharm.partnership import progress
from hiddenharm.partnership.models import Status

PROTOCOL_WARNING_DAYS = 90  # a protocol is "due for review" this long before its date


def protocols_due(area, today: dt.date):
    """The area's joint protocols whose review date is past or within 90 days, or None when
    the safeguarding app (which keeps the protocols) is not part of this installation."""
    if not apps.is_installed("hiddenharm.safeguarding"):
        return None
    try:
        JointProtocol = apps.get_model("safeguarding", "JointProtocol")
    except LookupError:
        return None
    if not area.la_code:
        return []
    soon = today + dt.timedelta(days=PROTOCOL_WARNING_DAYS)
    due = JointProtocol.objects.filter(la_code=area.la_code, review_date__lte=soon)
    return [{"protocol": p, "overdue": p.review_date < today} for p in due.order_by("review_date")]


def completeness(providers, today: dt.date):
    """The dashboard's 'by treatment type and agency' table for the area, suppressed as any
    figure leaving a service (counts 1 to 4 shown as *)."""
    if not providers:
        return None
    start, end = figures.default_period(today)
    shown = figures.dashboard(providers, [], start, end, publish=True, as_of=today)
    names = {f"Agency {p.agency_code}": f"{p.name} ({p.agency_code})" for p in providers}
    rows = [{**r, "label": names.get(r["label"], r["label"])} for r in shown["tables"][0]["rows"]]
    return {"rows": rows, "from": start, "to": end, "at": shown["computed_at"]}


def safeguarding_activity(providers, today: dt.date):
    """The area's safeguarding activity figures over the dashboard's twelve months,
    suppressed; None when the safeguarding app (which computes them) is not installed."""
    if not apps.is_installed("hiddenharm.safeguarding"):
        return None
    try:
        from hiddenharm.safeguarding import activity
    except ImportError:
        return None
    start, end = figures.default_period(today)
    result = activity.for_providers(providers, start, end, publish=True)
    return {"f": result, "from": start, "to": end}


@access.role_required(*access.PARTNERSHIP_ROLES)
def dashboard(request):
    area = access.partnership_area(request.user)
    providers = list(access.partnership_providers(request.user))
    today = timezone.localdate()
    counts = progress.status_counts(area)
    record(audit_events.ViewFigures(providers=tuple(p.pk for p in providers)), request)
    return render(
        request,
        "partnership/dashboard.html",
        {
            "title": "Partnership dashboard",
            "area": area,
            "counts": counts,
            "statuses": Status,
            "due_reviews": [
                r
                for r in progress.area_recommendations(area)
                if r["row"].review_date and r["row"].review_date <= today
            ],
            "completeness": completeness(providers, today),
            "providers": providers,
            "protocols": protocols_due(area, today),
            "activity": safeguarding_activity(providers, today) if providers else None,
            "safeguarding": apps.is_installed("hiddenharm.safeguarding"),
            "today": today,
        },
    )
