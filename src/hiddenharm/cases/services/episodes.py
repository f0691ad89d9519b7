"""Episodes and the Hidden Harm items: open, correct, items at start, reviews, discharge."""

from __future__ import annotations

from django.db import transaction

from hiddenharm.cases.models import Client, Episode, HiddenHarmRecord
from hiddenharm.cases.services.common import (
    audit_change,
    clash_as,
    corrected,
    created,
    locked,
)

EPISODE_FIELDS = (
    "episode_ref",
    "referred",
    "triaged",
    "care_plan_start",
    "drug1",
    "drug2",
    "drug3",
    "setting",
)
REF_TAKEN = "An episode with this reference already exists"
REVIEW_TAKEN = "A review on this date is already recorded"


def _episode_values(data: dict) -> dict:
    values = {k: data.get(k) for k in EPISODE_FIELDS}
    for k in ("drug2", "drug3"):
        values[k] = values[k] or ""
    return values


def _filled(items: dict) -> list[str]:
    return [k for k, v in items.items() if v not in ("", None)]


@transaction.atomic
def open_episode(request, client: Client, data: dict, items: dict) -> Episode:
    episode = Episode(client=client, provider_id=client.provider_id, **_episode_values(data))
    with clash_as("episode_ref", REF_TAKEN):
        created(episode, request)
    audit_change(request, episode, "create", [k for k, v in data.items() if v], client.pk)
    if _filled(items) or data.get("hh_date"):
        start = HiddenHarmRecord(
            episode=episode,
            kind="start",
            recorded_on=data.get("hh_date"),
            recorded_by=request.user,
            **items,
        )
        created(start, request)
        audit_change(request, start, "create", _filled(items), client.pk)
    return episode


@transaction.atomic
def correct_episode(request, episode: Episode, data: dict, version: int) -> list[str]:
    current = locked(episode, version)
    with clash_as("episode_ref", REF_TAKEN):
        changed = corrected(current, request, _episode_values(data))
    if changed:
        audit_change(request, current, "correct", changed, current.client_id)
    return changed


@transaction.atomic
def save_start_items(
    request, episode: Episode, hh_date, items: dict, version: int | None
) -> HiddenHarmRecord:
    """Record the items at start, or correct them (a new version of the start row)."""
    start = episode.hh_records.filter(kind="start").first()
    if start is None:
        start = HiddenHarmRecord(
            episode=episode, kind="start", recorded_on=hh_date, recorded_by=request.user, **items
        )
        with clash_as("hh_date", "The items at start were recorded meanwhile: reload the page"):
            created(start, request)
        audit_change(request, start, "create", _filled(items), episode.client_id)
        return start
    current = locked(start, version)
    changed = corrected(current, request, {"recorded_on": hh_date, **items})
    if changed:
        audit_change(request, current, "correct", changed, episode.client_id)
    return current


@transaction.atomic
def record_review(request, episode: Episode, revdate, items: dict, last=None) -> HiddenHarmRecord:
    review = HiddenHarmRecord(
        episode=episode, kind="review", recorded_on=revdate, recorded_by=request.user, **items
    )
    with clash_as("revdate", REVIEW_TAKEN):
        created(review, request)
    changed = [k for k, v in items.items() if last is None or getattr(last, k) != v]
    audit_change(request, review, "create", changed, episode.client_id)
    return review


@transaction.atomic
def correct_review(request, review: HiddenHarmRecord, revdate, items: dict, version: int):
    current = locked(review, version)
    with clash_as("revdate", REVIEW_TAKEN):
        changed = corrected(current, request, {"recorded_on": revdate, **items})
    if changed:
        audit_change(request, current, "correct", changed, review.episode.client_id)
    return changed


@transaction.atomic
def discharge(request, episode: Episode, data: dict, version: int | None) -> list[str]:
    current = locked(episode, version)
    values = {"discharged": data["discharged"], "discharge_reason": data["discharge_reason"]}
    changed = corrected(current, request, values)
    if changed:
        audit_change(request, current, "discharge", changed, current.client_id)
    return changed
