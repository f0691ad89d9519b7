"""Finding, creating and reading a client's record."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse

from hiddenharm.accounts import access
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import history, services, tags
from hiddenharm.cases.events import ViewList
from hiddenharm.cases.forms import ClientForm, ClientSearchForm, ReferenceSearchForm
from hiddenharm.cases.models import HiddenHarmRecord
from hiddenharm.cases.pages import client_back, correct_page

SEARCH_KEY = "client_search"  # the last search, to pre-fill "add a client"
SEARCH_FIELDS = ("first_initial", "surname_initial", "dob", "sex")


def _found(request, clients) -> list:
    """The clients a search found (at most 50), its audit events: the count (never the
    terms) and the clients shown."""
    results = list(
        tags.annotate(clients).select_related("team", "keyworker").order_by("client_ref")[:50]
    )
    for c in results:
        c.tags = tags.of(c)
    record(events.Search(found=len(results)), request)
    if results:
        record(ViewList(page="search", client_ids=tuple(c.pk for c in results)), request)
    return results


@access.role_required(*access.RECORD_ROLES)
def client_search(request):
    """Find by the attributor before creating: the guard against duplicates.

    Initials, date of birth and sex are personal data: they travel in the body of a POST,
    never in a URL (which access logs, proxies and browser history keep), and reach the
    "add a client" form through the session."""
    by_ref = request.method == "POST" and request.POST.get("by") == "reference"
    posted = request.POST if request.method == "POST" else None
    form = ClientSearchForm(None if by_ref else posted)
    ref_form = ReferenceSearchForm(posted if by_ref else None, prefix="ref")
    results = None
    if ref_form.is_bound and ref_form.is_valid():
        wanted = ref_form.cleaned_data["client_ref"].strip()
        results = _found(
            request, access.clients_for(request.user).filter(client_ref__iexact=wanted)
        )
    if form.is_bound and form.is_valid():
        results = _found(request, access.clients_for(request.user).filter(**form.cleaned_data))
    create_url = None
    if form.is_bound and form.is_valid() and access.can_write(request.user):
        request.session[SEARCH_KEY] = {
            k: str(form.cleaned_data[k]) for k in SEARCH_FIELDS if form.cleaned_data.get(k)
        }
        create_url = reverse("cases:client_create")
    return render(
        request,
        "cases/client_search.html",
        {
            "form": form,
            "results": results,
            "create_url": create_url,
            "ref_form": ref_form,
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
            try:
                client = services.create_client(
                    request,
                    provider,
                    d,
                    team=d["team"] or profile.team,
                    keyworker=d["keyworker"]
                    or (request.user if profile.role == "keyworker" else None),
                )
            except services.Clash as e:
                form.add_error(e.field, e.message)
            else:
                messages.success(request, "Client added. Now open their episode of treatment.")
                return redirect("cases:episode_create", client_id=client.pk)
    else:
        initial = {"la": provider.la_code, "team": profile.team_id}
        found = request.session.pop(SEARCH_KEY, None) or {}
        if found.get("dob"):
            found["dob"] = dt.date.fromisoformat(found["dob"])
        initial.update(found)
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
    # Every record's versions in one query per model (not one per record).
    episode_versions = history.versions_of(episodes)
    record_versions = history.versions_of(r for rs in by_episode.values() for r in rs)
    for e in episodes:
        e.recordings = by_episode.get(e.pk, [])
        e.has_start = any(r.kind == "start" for r in e.recordings)
        e.versions = episode_versions[e.pk]
        for r in e.recordings:
            r.versions = record_versions[r.pk]
    children = list(client.children.prefetch_related("statuses").order_by("child_ref"))
    pregnancies = list(client.pregnancies.select_related("maternity_service", "child"))
    for p in pregnancies:
        p.versions = history.versions(p)
    return render(
        request,
        "cases/client_detail.html",
        {
            "client": client,
            "can_write": can_write,
            "episodes": episodes,
            "children": children,
            "pregnancies": pregnancies,
            "versions": history.versions(client),
            "tags": tags.for_client(client, children, pregnancies),
            "children_with_client": services.children_living_with(client),
            "title": f"Client {client.client_ref}",
        },
    )


@access.role_required(*access.WRITE_ROLES)
def client_edit(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    if request.method == "GET":
        record(events.ViewClient(client_id=client.pk, page="client_edit"), request)
    return correct_page(
        request,
        obj=client,
        make_form=lambda data: ClientForm(data, provider=client.provider, instance=client),
        save=lambda form: services.correct_client(
            request, client, form.cleaned_data, form.cleaned_data["version"]
        ),
        title="Correct the client's details",
        caption=f"Client {client.client_ref}",
        back_url=client_back(client),
        done="Client's details corrected",
    )
