"""Episodes: open one with the items, correct it, the items at start, reviews, discharge."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from hiddenharm.accounts import access
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import services
from hiddenharm.cases.forms import DischargeForm, EpisodeForm, ReviewForm, StartItemsForm
from hiddenharm.cases.pages import client_back, correct_page, form_page


def _viewed(request, client, page: str) -> None:
    """A form that shows what is recorded is a view of the record: audited on GET."""
    if request.method == "GET":
        record(events.ViewClient(client_id=client.pk, page=page), request)


@access.role_required(*access.WRITE_ROLES)
def episode_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    _viewed(request, client, "episode_create")
    n_with = services.children_living_with(client)
    form = EpisodeForm(request.POST or None, client=client, children_with_client=n_with)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_episode(request, client, form.cleaned_data, form.item_values())
        except services.Clash as e:
            form.add_error(e.field, e.message)
        else:
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
def episode_edit(request, episode_id):
    episode, _ = access.get_episode_for_user(request, episode_id, write=True)
    client = episode.client
    _viewed(request, client, "episode_edit")
    return correct_page(
        request,
        obj=episode,
        make_form=lambda data: EpisodeForm(data, client=client, instance=episode),
        save=lambda form: services.correct_episode(
            request, episode, form.cleaned_data, form.cleaned_data["version"]
        ),
        title="Correct the episode",
        caption=f"Client {client.client_ref}, episode {episode.episode_ref}",
        back_url=client_back(client),
        done="Episode corrected",
    )


@access.role_required(*access.WRITE_ROLES)
def start_items(request, episode_id):
    """Record the items at start, or complete and correct them (a new version each time)."""
    episode, _ = access.get_episode_for_user(request, episode_id, write=True)
    client = episode.client
    _viewed(request, client, "start_items")
    start = episode.hh_records.filter(kind="start").first()
    n_with = services.children_living_with(client)

    def make_form(data):
        return StartItemsForm(data, episode=episode, children_with_client=n_with, instance=start)

    def save(form):
        version = form.cleaned_data.get("version")
        services.save_start_items(
            request, episode, form.cleaned_data["hh_date"], form.item_values(), version
        )

    title = "Hidden Harm items at the start of treatment"
    caption = f"Client {client.client_ref}, episode {episode.episode_ref}"
    if start is not None:
        return correct_page(
            request,
            obj=start,
            make_form=make_form,
            save=save,
            title=title,
            caption=caption,
            back_url=client_back(client),
            done="Hidden Harm items at start saved",
        )
    form = make_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except services.Clash as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "Hidden Harm items at start saved")
            return redirect("cases:client_detail", client_id=client.pk)
    return form_page(request, form, title, caption, client_back(client))


@access.role_required(*access.WRITE_ROLES)
def review_create(request, episode_id):
    episode, _ = access.get_episode_for_user(request, episode_id, write=True)
    client = episode.client
    last = services.last_items(episode)
    _viewed(request, client, "review")
    form = ReviewForm(
        request.POST or None,
        episode=episode,
        last=last,
        children_with_client=services.children_living_with(client),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(
                request, episode, form.cleaned_data["revdate"], form.item_values(), last
            )
        except services.Clash as e:
            form.add_error(e.field, e.message)
        else:
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
def review_edit(request, record_id):
    review, _ = access.get_review_for_user(request, record_id, write=True)
    episode = review.episode
    client = episode.client
    _viewed(request, client, "review_edit")
    return correct_page(
        request,
        obj=review,
        make_form=lambda data: ReviewForm(data, episode=episode, instance=review),
        save=lambda form: services.correct_review(
            request,
            review,
            form.cleaned_data["revdate"],
            form.item_values(),
            form.cleaned_data["version"],
        ),
        title="Correct the care-plan review",
        caption=f"Client {client.client_ref}, episode {episode.episode_ref}",
        back_url=client_back(client),
        done="Review corrected",
    )


@access.role_required(*access.WRITE_ROLES)
def discharge(request, episode_id):
    episode, _ = access.get_episode_for_user(request, episode_id, write=True)
    client = episode.client
    _viewed(request, client, "discharge")
    if not episode.is_open:
        messages.info(request, "This episode is already discharged")
        return redirect("cases:client_detail", client_id=client.pk)
    return correct_page(
        request,
        obj=episode,
        make_form=lambda data: DischargeForm(data, episode=episode, instance=episode),
        save=lambda form: services.discharge(
            request, episode, form.cleaned_data, form.cleaned_data["version"]
        ),
        title="Discharge from treatment",
        caption=f"Client {client.client_ref}, episode {episode.episode_ref}",
        back_url=client_back(client),
        done="Episode discharged",
    )
