"""Finding, creating and reading a client's record."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse

from hiddenharm.accounts import access
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import services
from hiddenharm.cases.forms import ClientForm, ClientSearchForm
from hiddenharm.cases.models import Client, HiddenHarmRecord

SEARCH_KEY = "client_search"  # the last search, to pre-fill "add a client"
SEARCH_FIELDS = ("first_initial", "surname_initial", "dob", "sex")


@access.role_required(*access.RECORD_ROLES)
def client_search(request):
    """Find by the attributor before creating: the guard against duplicates.

    Initials, date of birth and sex are personal data: they travel in the body of a POST,
    never in a URL (which access logs, proxies and browser history keep), and reach the
    "add a client" form through the session."""
    form = ClientSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if form.is_bound and form.is_valid():
        results = list(
            access.clients_for(request.user)
            .filter(**form.cleaned_data)
            .select_related("team", "keyworker")
            .order_by("client_ref")[:50]
        )
        record(events.Search(found=len(results)), request)
    create_url = None
    if form.is_bound and form.is_valid() and access.can_write(request.user):
        request.session[SEARCH_KEY] = {
            k: request.POST[k] for k in SEARCH_FIELDS if request.POST.get(k)
        }
        create_url = reverse("cases:client_create")
    return render(
        request,
        "cases/client_search.html",
        {
            "form": form,
            "results": results,
            "create_url": create_url,
            "title": "Find a client",
        },
    )


@access.role_required(*access.WRITE_ROLES)
def client_create(request):
    profile = access.profile_of(request.user)
    provider = profile.organisation
    if request.method == "POST":
        form = ClientForm(request.POST, provider=provider)
        if form.is_valid():
            d = form.cleaned_data
            client = Client.objects.create(
                provider=provider,
                client_ref=d["client_ref"],
                first_initial=d["first_initial"],
                surname_initial=d["surname_initial"],
                dob=d["dob"],
                sex=d["sex"],
                la=d["la"],
                team=d["team"] or profile.team,
                keyworker=d["keyworker"] or (request.user if profile.role == "keyworker" else None),
            )
            services.audit_change(
                request, client, "create", [k for k, v in d.items() if v], client.pk
            )
            messages.success(request, "Client added. Now open their episode of treatment.")
            return redirect("cases:episode_create", client_id=client.pk)
    else:
        initial = {"la": provider.la_code, "team": profile.team_id}
        initial.update(request.session.pop(SEARCH_KEY, None) or {})
        form = ClientForm(initial=initial, provider=provider)
    return render(
        request,
        "cases/client_form.html",
        {"form": form, "title": "Add a client", "back_url": reverse("cases:client_search")},
    )


@access.role_required(*access.RECORD_ROLES)
def client_detail(request, client_id):
    client, can_write = access.get_client_for_user(request, client_id)
    record(events.ViewClient(client_id=client.pk), request)
    episodes = list(client.episodes.order_by("-referred", "-id"))
    records = (
        HiddenHarmRecord.objects.filter(episode__client=client)
        .select_related("episode")
        # Newest first; a start row asked "on the day the care plan started" has no date of
        # its own and goes last (PostgreSQL would put NULL first, SQLite last).
        .order_by(F("recorded_on").desc(nulls_last=True), "-id")
    )
    by_episode: dict[int, list] = {}
    for r in records:
        by_episode.setdefault(r.episode_id, []).append(r)
    for e in episodes:
        e.recordings = by_episode.get(e.pk, [])
        e.has_start = any(r.kind == "start" for r in e.recordings)
    children = client.children.prefetch_related("statuses").order_by("child_ref")
    return render(
        request,
        "cases/client_detail.html",
        {
            "client": client,
            "can_write": can_write,
            "episodes": episodes,
            "children": children,
            "pregnancies": client.pregnancies.select_related("maternity_service"),
            "children_with_client": services.children_living_with(client),
            "title": f"Client {client.client_ref}",
        },
    )
