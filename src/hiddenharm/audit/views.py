from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Q
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


def _client_ids(e) -> list[int]:
    d = e.details or {}
    ids = list(d.get("client_ids") or [])
    if d.get("client_id"):
        ids.append(d["client_id"])
    if e.object_type == "client" and str(e.object_id).isdigit():
        ids.append(int(e.object_id))
    return [i for i in ids if isinstance(i, int)]


def client_refs(user, page) -> dict[int, str]:
    """Client id -> reference for the events of a page, for clients the reader may see."""
    ids = {i for e in page for i in _client_ids(e)}
    rows = access.clients_for(user).filter(pk__in=ids).values_list("pk", "client_ref")
    return dict(rows)


ACTION_WORDS = {
    "create": "Recorded",
    "update": "Updated",
    "correct": "Corrected",
    "assign": "Assigned",
    "discharge": "Discharged",
}


def change_text(details: dict) -> str:
    """A change in words: what was done and to which fields (never their values)."""
    action = ACTION_WORDS.get(details.get("action", ""), details.get("action", "Changed"))
    fields = ", ".join(f.replace("_", " ") for f in details.get("fields") or [])
    return f"{action}: {fields}" if fields else action


RECORD_WORDS = {
    "hiddenharmrecord": "Hidden Harm items",
    "childstatus": "child's situation",
    "client": "details",
}


def record_text(e, refs: dict[int, str]) -> str:
    """What the event is about, in words: client references rather than database ids."""
    d = e.details or {}

    def ref(pk):
        return f"client {refs.get(pk, 'of another service')}"

    if d.get("client_ids"):
        shown = [refs.get(i) for i in d["client_ids"] if i in refs]
        more = len(d["client_ids"]) - len(shown)
        text = ", ".join(shown[:10]) + (f" and {len(shown) - 10} more" if len(shown) > 10 else "")
        word = "Client" if len(shown) == 1 else "Clients"
        return f"{word} {text}" + (f" ({more} not shown)" if more else "") if shown else ""
    if e.kind == "change" and d.get("client_id"):
        what = RECORD_WORDS.get(d.get("record_type", ""), d.get("record_type", "record"))
        return f"{what[:1].upper()}{what[1:]} of {ref(d['client_id'])}"
    if d.get("client_id"):
        return "C" + ref(d["client_id"])[1:]
    if e.object_type == "client" and str(e.object_id).isdigit():
        return "C" + ref(int(e.object_id))[1:]
    return ""


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
        if d["client_ref"]:
            client = (
                access.clients_for(request.user)
                .filter(client_ref__iexact=d["client_ref"].strip())
                .first()
            )
            pk = client.pk if client is not None else -1
            qs = qs.filter(Q(object_type="client", object_id=str(pk)) | Q(details__client_id=pk))
            filters["client"] = "given"
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
    refs = client_refs(request.user, page)
    for e in page:
        e.label = events.label_of(e.kind)
        e.record_text = record_text(e, refs)
        e.details_text = (
            change_text(e.details)
            if e.kind == "change"
            else describe(
                {k: v for k, v in (e.details or {}).items() if k not in ("client_id", "client_ids")}
            )
        )
    record(events.ViewAudit(filters=filters), request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "title": "Audit trail"},
    )
