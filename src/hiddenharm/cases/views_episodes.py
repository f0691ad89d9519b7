"""Episodes: open one with the items, record the items at start, review, discharge."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from hiddenharm.accounts import access
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import services
from hiddenharm.cases.forms import DischargeForm, EpisodeForm, ReviewForm, StartItemsForm
from hiddenharm.cases.models import HiddenHarmRecord
from hiddenharm.cases.pages import client_back, form_page


@access.role_required(*access.WRITE_ROLES)
def episode_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    n_with = services.children_living_with(client)
    form = EpisodeForm(request.POST or None, client=client, children_with_client=n_with)
    if request.method == "POST" and form.is_valid():
        services.open_episode(request, client, form.cleaned_data, form.item_values())
        messages.success(request, "Episode opened")
        return redirect("cases:client_detail", client_id=client.pk)
    return form_page(
        request,
        form,
        "Open an episode of treatment",
        f"Client {client.client_ref}",
        client_back(client),
    )


@access.role_required(*access.WRITE_ROLES)
def start_items(request, episode_id):
    episode, _ = access.get_episode_for_user(request, episode_id, write=True)
    client = episode.client
    start = episode.hh_records.filter(kind="start").first()
    if request.method == "GET":  # the form shows what was recorded: a view of the record
        record(events.ViewClient(client_id=client.pk, page="start_items"), request)
    initial = {}
    if start is not None:
        # Completing the start row: what was recorded then is the start answer, so show it.
        initial = {
            "hh_date": start.recorded_on,
            "prntstat": start.prntstat,
            "childwth": start.childwth,
            "pregnant": start.pregnant,
            "earlyhlp": start.earlyhlp_codes,
        }
    form = StartItemsForm(
        request.POST or None,
        initial=initial,
        episode=episode,
        children_with_client=services.children_living_with(client),
    )
    if request.method == "POST" and form.is_valid():
        values = form.item_values()
        if start is None:
            start = HiddenHarmRecord.objects.create(
                episode=episode,
                kind="start",
                recorded_on=form.cleaned_data["hh_date"],
                recorded_by=request.user,
                **values,
            )
            services.audit_change(request, start, "create", values.keys(), client.pk)
        else:
            changed = [k for k, v in values.items() if getattr(start, k) != v]
            if start.recorded_on != form.cleaned_data["hh_date"]:
                changed.append("recorded_on")
            for k, v in values.items():
                setattr(start, k, v)
            start.recorded_on = form.cleaned_data["hh_date"]
            start.recorded_by = request.user
            start.save()
            services.audit_change(request, start, "update", changed, client.pk)
        messages.success(request, "Hidden Harm items at start saved")
        return redirect("cases:client_detail", client_id=client.pk)
    return form_page(
        request,
        form,
        "Hidden Harm items at the start of treatment",
        f"Client {client.client_ref}, episode {episode.episode_ref}",
        client_back(client),
    )


@access.role_required(*access.WRITE_ROLES)
def review_create(request, episode_id):
    episode, _ = access.get_episode_for_user(request, episode_id, write=True)
    client = episode.client
    last = services.last_items(episode)
    if request.method == "GET":  # the form shows the last values: a view of the record
        record(events.ViewClient(client_id=client.pk, page="review"), request)
    form = ReviewForm(
        request.POST or None,
        episode=episode,
        last=last,
        children_with_client=services.children_living_with(client),
    )
    if request.method == "POST" and form.is_valid():
        values = form.item_values()
        review = HiddenHarmRecord.objects.create(
            episode=episode,
            kind="review",
            recorded_on=form.cleaned_data["revdate"],
            recorded_by=request.user,
            **values,
        )
        changed = [k for k, v in values.items() if last is None or getattr(last, k) != v]
        services.audit_change(request, review, "create", changed, client.pk)
        messages.success(request, "Review saved")
        return redirect("cases:client_detail", client_id=client.pk)
    return form_page(
        request,
        form,
        "Care-plan review: Hidden Harm items",
        f"Client {client.client_ref}, episode {episode.episode_ref}",
        client_back(client),
        last=last,
    )


@access.role_required(*access.WRITE_ROLES)
def discharge(request, episode_id):
    episode, _ = access.get_episode_for_user(request, episode_id, write=True)
    client = episode.client
    if not episode.is_open:
        messages.info(request, "This episode is already discharged")
        return redirect("cases:client_detail", client_id=client.pk)
    form = DischargeForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        episode.discharged = form.cleaned_data["discharged"]
        episode.discharge_reason = form.cleaned_data["discharge_reason"]
        episode.save(update_fields=["discharged", "discharge_reason"])
        services.audit_change(
            request, episode, "update", ["discharged", "discharge_reason"], client.pk
        )
        messages.success(request, "Episode discharged")
        return redirect("cases:client_detail", client_id=client.pk)
    return form_page(
        request,
        form,
        "Discharge from treatment",
        f"Client {client.client_ref}, episode {episode.episode_ref}",
        client_back(client),
    )
