"""Caseloads: mine, my team's, the service's and the unassigned; filters; assignment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hiddenharm.accounts import access
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import services, tags
from hiddenharm.cases.events import ViewList
from hiddenharm.cases.forms import AssignForm, CaseloadFilterForm
from hiddenharm.cases.models import Child, Episode, Pregnancy
from hiddenharm.cases.pages import client_back, correct_page

PAGE_SIZE = 50


def filtered(clients, show: list[str]):
    if "open" in show:
        clients = clients.filter(
            Exists(Episode.objects.filter(client=OuterRef("pk"), discharged__isnull=True))
        )
    if "children" in show:
        clients = clients.filter(Exists(Child.objects.filter(client=OuterRef("pk"))))
    if "plan" in show:
        clients = clients.filter(tag_cpp=True)
    if "pregnant" in show:
        clients = clients.filter(
            Exists(Pregnancy.objects.filter(client=OuterRef("pk"), outcome=""))
        )
    return clients


@access.role_required(*access.RECORD_ROLES)
def caseload(request):
    scopes = access.caseload_scopes(request.user)
    scope = request.GET.get("scope") or next(iter(scopes))
    clients = access.caseload_clients(request.user, scope)  # 403 for a scope not theirs
    form = CaseloadFilterForm(request.GET if "show" in request.GET else None)
    show = form.cleaned_data["show"] if form.is_bound and form.is_valid() else []
    qs = filtered(tags.annotate(clients), show)
    qs = qs.select_related("team", "keyworker").order_by("client_ref", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for c in rows:
        c.tags = tags.of(c)
    # Each row shows a client: the list is a view of their records.
    record(ViewList(page="caseload", scope=scope, client_ids=tuple(c.pk for c in rows)), request)
    assign_form = None
    if access.can_assign(request.user):
        teams, keyworkers = access.assignable(request.user)
        assign_form = AssignForm(teams=teams, keyworkers=keyworkers)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/caseload.html",
        {
            "title": scopes[scope],
            "scopes": scopes,
            "scope": scope,
            "filter_form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "assign_form": assign_form,
            "next": request.get_full_path(),
        },
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or ""
    return target if target.startswith(reverse("cases:caseload")) else reverse("cases:caseload")


@require_POST
@access.role_required(access.Role.MANAGER)
def assign_many(request):
    """Assign the clients ticked on a caseload page (a manager, their own service only)."""
    teams, keyworkers = access.assignable(request.user)
    form = AssignForm(request.POST, teams=teams, keyworkers=keyworkers)
    ids = [i for i in request.POST.getlist("clients") if i.isdigit()]
    clients = list(access.clients_for(request.user).filter(pk__in=ids).order_by("pk"))
    if len(clients) != len(set(ids)):
        raise PermissionDenied
    if not clients:
        messages.warning(request, "Tick the clients to assign first")
    elif not form.is_valid():
        messages.warning(request, "Choose a team, a keyworker, or both")
    else:
        d = form.cleaned_data
        n = services.assign(request, clients, team=d["team"], keyworker=d["keyworker"])
        messages.success(request, f"{n} client{'s' if n != 1 else ''} assigned")
    return redirect(_safe_next(request))


@access.role_required(access.Role.MANAGER)
def client_assign(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    teams, keyworkers = access.assignable(request.user)
    if request.method == "GET":
        record(events.ViewClient(client_id=client.pk, page="assign"), request)

    def make_form(data):
        form = AssignForm(data, teams=teams, keyworkers=keyworkers, instance=client)
        return form

    return correct_page(
        request,
        obj=client,
        make_form=make_form,
        save=lambda form: services.assign(
            request,
            [client],
            team=form.cleaned_data["team"],
            keyworker=form.cleaned_data["keyworker"],
            versions={client.pk: form.cleaned_data["version"]},
        ),
        title="Assign a team and keyworker",
        caption=f"Client {client.client_ref}",
        back_url=client_back(client),
        done="Client assigned",
    )
