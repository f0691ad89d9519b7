from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.audit import events
from hiddenharm.audit.forms import EventFilterForm
from hiddenharm.audit.trail import record

PAGE_SIZE = 50


def describe(details: dict) -> str:
    """An event's details for people: "key: value" pairs, lists joined, nothing nested shown
    as Python."""

    def value(v) -> str:
        if isinstance(v, dict):
            return ", ".join(f"{k} {value(x)}" for k, x in v.items()) or "none"
        if isinstance(v, list | tuple):
            return ", ".join(value(x) for x in v) or "none"
        return str(v)

    return "; ".join(f"{k.replace('_', ' ')}: {value(v)}" for k, v in (details or {}).items())


@access.role_required(*access.AUDIT_ROLES)
def event_list(request):
    qs = access.audit_scope(request.user).select_related("actor")
    form = EventFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
            filters["kind"] = d["kind"]
        if d["person"]:
            qs = qs.filter(actor__username=d["person"])
            filters["person"] = "given"  # a username is an identifier: note only its use
        tz = timezone.get_current_timezone()
        if d["date_from"]:
            qs = qs.filter(at__gte=dt.datetime.combine(d["date_from"], dt.time.min, tz))
            filters["date_from"] = d["date_from"].isoformat()
        if d["date_to"]:
            end = dt.datetime.combine(d["date_to"] + dt.timedelta(days=1), dt.time.min, tz)
            qs = qs.filter(at__lt=end)
            filters["date_to"] = d["date_to"].isoformat()
    elif form.is_bound:
        qs = qs.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for e in page:
        e.details_text = describe(e.details)
    record(events.ViewAudit(filters=filters), request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "title": "Audit trail"},
    )
