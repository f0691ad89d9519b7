"""The worklists page: what to ask whom, oldest first, each row a link to the form."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.audit.trail import record
from hiddenharm.cases import tags, worklists
from hiddenharm.cases.events import ViewList
from hiddenharm.cases.models import HiddenHarmRecord

PAGE_SIZE = 50
LISTS = {"start": "Missing at start of treatment", "review": "Overdue for update at review"}


@access.role_required(*access.WORKLIST_ROLES)
def worklist(request):
    scopes = access.worklist_scopes(request.user)
    scope = request.GET.get("scope") or next(iter(scopes))
    which = request.GET.get("list") or "start"
    if which not in LISTS:
        raise Http404
    clients = access.worklist_clients(request.user, scope)  # 403 for a scope not theirs
    today = timezone.localdate()
    queries = {
        "start": worklists.missing_at_start(clients, today),
        "review": worklists.overdue_at_review(clients, today),
    }
    counts = {k: q.count() for k, q in queries.items()}
    qs = queries[which].select_related("client", "client__keyworker", "client__team")
    flags = tags.annotate(access.clients_for(request.user))
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = counts[which]  # already counted above: do not count twice
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    starts = {
        r.episode_id: r
        for r in HiddenHarmRecord.objects.filter(episode__in=[e.pk for e in rows], kind="start")
    }
    can_write = access.can_write(request.user)
    for e in rows:
        e.days = (today - e.care_plan_start).days
        if which == "start":
            e.todo = ", ".join(worklists.describe_missing(e, starts.get(e.pk)))
            e.fix_url = reverse("cases:start_items", args=[e.pk]) if can_write else None
        else:
            e.todo = "care-plan review of the Hidden Harm items"
            e.fix_url = reverse("cases:review_create", args=[e.pk]) if can_write else None
        e.client_url = reverse("cases:client_detail", args=[e.client_id])
    flagged = {c.pk: tags.of(c) for c in flags.filter(pk__in=[e.client_id for e in rows])}
    for e in rows:
        e.tags = flagged.get(e.client_id, [])
    record(
        ViewList(page="worklist", scope=scope, client_ids=tuple(e.client_id for e in rows)),
        request,
    )
    return render(
        request,
        "cases/worklist.html",
        {
            "title": "Worklist",
            "scopes": scopes,
            "scope": scope,
            "lists": LISTS,
            "which": which,
            "counts": counts,
            "page": page,
            "rows": rows,
            "query": f"scope={scope}&list={which}",
        },
    )
