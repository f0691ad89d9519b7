"""Writes of the screening app, each with its audit event in one transaction; the worklist.

`due_screening(clients, today)`: the clients due a screening, set-based (one query).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from hiddenharm.audit.trail import record
from hiddenharm.cases.models import Episode, HiddenHarmRecord, Pregnancy
from hiddenharm.extract import codes
from hiddenharm.safeguarding.screening import events, rules
from hiddenharm.safeguarding.screening.models import QuestionSet, Screening

DEFAULT_KEY = "default"


# --- question sets ------------------------------------------------------------------


def current_question_set(key: str = DEFAULT_KEY) -> QuestionSet:
    """The latest published version of a series (what a new screening is asked with)."""
    qs = QuestionSet.objects.filter(key=key).order_by("-version").first()
    if qs is None and key == DEFAULT_KEY:
        # The default series ships with the code (migration 0002 loads it); a database
        # emptied since (a test's flush, a restored older copy) gets it back, unchanged.
        qs = _default_series()
    if qs is None:
        raise QuestionSet.DoesNotExist(f"no screening questions published under {key!r}")
    return qs


def _default_series() -> QuestionSet:
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent / "questions" / "default-v1.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    qs, _ = QuestionSet.objects.get_or_create(
        key=document["key"],
        version=document["version"],
        defaults={"title": document["title"], "document": document},
    )
    return qs


def question_set_for(client) -> QuestionSet:
    """The questions a new screening of `client` is asked: those their local authority area
    published (key = its code, e.g. E10000020) if any, else the default series."""
    own = QuestionSet.objects.filter(key=client.la).order_by("-version").first()
    return own or current_question_set()


@transaction.atomic
def publish_question_set(document: dict, user=None, request=None) -> QuestionSet:
    """A new version of a series of questions: the next number, whatever the document says.

    Earlier versions stay as they were: screenings answered on them keep their meaning.
    """
    rules.validate_document(document)
    key = document["key"]
    latest = (
        QuestionSet.objects.select_for_update()
        .filter(key=key)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    version = (latest or 0) + 1
    stored = {**document, "version": version}
    qset = QuestionSet.objects.create(
        key=key, version=version, title=document["title"], document=stored, published_by=user
    )
    record(
        events.QuestionSetPublished(question_set_id=qset.pk, key=key, version=version),
        request,
        actor=user,
    )
    return qset


# --- screenings ---------------------------------------------------------------------


def check_answers(document: dict, answers: dict) -> dict:
    """The answers cleaned against the question set: {question id: message} when wrong."""
    errors = {}
    for q in rules.questions(document):
        value = answers.get(q["id"])
        if q["type"] == "text":
            if not (value or "").strip() and not q.get("optional"):
                errors[q["id"]] = "Answer this question"
            continue
        known = {c for c, _ in q["choices"]}
        chosen = value if isinstance(value, list) else ([value] if value else [])
        if not chosen:
            errors[q["id"]] = "Choose an answer" if q["type"] == "choice" else "Choose at least one"
        elif any(c not in known for c in chosen):
            errors[q["id"]] = "Choose one of the answers given"
        elif q["type"] == "choice" and len(chosen) != 1:
            errors[q["id"]] = "Choose one answer"
        elif set(chosen) & set(q.get("exclusive", [])) and len(chosen) > 1:
            errors[q["id"]] = "That answer stands alone: choose it or the others"
    return errors


def open_episode_of(client) -> Episode | None:
    return client.episodes.filter(discharged__isnull=True).order_by("-referred", "-id").first()


def occasion_for(episode: Episode | None, day: dt.date) -> str:
    """A review screening when a care-plan review was recorded on or before the day."""
    if episode is not None and episode.hh_records.filter(kind="review", recorded_on__lte=day):
        return Screening.Occasion.REVIEW
    return Screening.Occasion.START


@transaction.atomic
def record_screening(
    client,
    *,
    screened_on: dt.date,
    answers: dict,
    decided_action: str,
    decision_reason: str = "",
    user,
    today: dt.date,
    question_set: QuestionSet | None = None,
    request=None,
) -> Screening:
    """Check the answers, suggest an action by the set's rules, store the keyworker's
    decision (and why, required when it differs from the suggestion), audit it."""
    qset = question_set or question_set_for(client)
    errors = check_answers(qset.document, answers)
    if screened_on > today:
        errors["screened_on"] = "The date of the screening must be today or in the past"
    suggestion = rules.suggest(qset.document, answers)
    if decided_action not in rules.ACTIONS:
        errors["decided_action"] = "Choose what you decide to do"
    elif decided_action != suggestion.action and not decision_reason.strip():
        errors["decision_reason"] = (
            f"Say why you decided otherwise than the suggestion ({suggestion.label.lower()})"
        )
    if errors:
        raise ValidationError(errors)
    episode = open_episode_of(client)
    screening = Screening.objects.create(
        client=client,
        episode=episode,
        question_set=qset,
        occasion=occasion_for(episode, screened_on),
        screened_on=screened_on,
        answers=answers,
        suggested_action=suggestion.action,
        suggestion_reasons=list(suggestion.reasons),
        decided_action=decided_action,
        decision_reason=decision_reason.strip(),
        screened_by=user,
    )
    record(
        events.ScreeningRecorded(
            screening_id=screening.pk,
            client_id=client.pk,
            question_set_version=qset.version,
            suggested=suggestion.action,
            decided=decided_action,
        ),
        request,
        actor=user,
    )
    return screening


# --- who is due ---------------------------------------------------------------------


def _current_item(field: str, present: Q) -> Subquery:
    """An item's current value in the outer episode, as `cases.services.last_items` takes
    it: the latest non-blank one, a start row dated by the care-plan start, a review beating
    the start row on the same day."""
    rows = (
        HiddenHarmRecord.objects.filter(present, episode=OuterRef("pk"))
        .annotate(
            day=Coalesce("recorded_on", "episode__care_plan_start"),
            is_review=Case(When(kind="review", then=1), default=0, output_field=IntegerField()),
        )
        .order_by(F("day").desc(nulls_last=True), "-is_review", "-pk")
    )
    return Subquery(rows.values(field)[:1])


def due_episodes(clients: QuerySet, today: dt.date) -> QuerySet:
    """Open episodes of `clients` whose client is due a screening, with `due_since`.

    Due: the client is a parent (PRNTSTAT 11-13), lives with children (CHILDWTH > 0) or is
    pregnant (PREGNANT Y, or a pregnancy recorded with no outcome yet), by the current
    values of the episode's items; and no screening of the client is dated on or after the
    start of treatment (the start recording's date, else the care-plan start) or, once
    there is one, the latest care-plan review up to today.
    """
    latest_review = (
        HiddenHarmRecord.objects.filter(
            episode=OuterRef("pk"), kind="review", recorded_on__lte=today
        )
        .order_by("-recorded_on")
        .values("recorded_on")[:1]
    )
    start = HiddenHarmRecord.objects.filter(episode=OuterRef("pk"), kind="start").values(
        "recorded_on"
    )[:1]
    pregnancy = Pregnancy.objects.filter(client=OuterRef("client_id"), outcome="", edd__gte=today)
    screened = Screening.objects.filter(
        client=OuterRef("client_id"), screened_on__gte=OuterRef("due_since")
    )
    return (
        Episode.objects.filter(client__in=clients, discharged__isnull=True)
        .annotate(
            due_since=Coalesce(Subquery(latest_review), Subquery(start), "care_plan_start"),
            cur_prntstat=_current_item("prntstat", ~Q(prntstat="")),
            cur_childwth=_current_item("childwth", Q(childwth__isnull=False)),
            cur_pregnant=_current_item("pregnant", ~Q(pregnant="")),
        )
        .filter(due_since__isnull=False, due_since__lte=today)
        .filter(
            Q(cur_prntstat__in=codes.PRNTSTAT_PARENT)
            | Q(cur_childwth__gt=0)
            | Q(cur_pregnant="Y")
            | Exists(pregnancy)
        )
        .filter(~Exists(screened))
    )


def due_screening(clients: QuerySet, today: dt.date) -> QuerySet:
    """The clients (of `clients`) due a screening, longest waiting first, each annotated
    with `due_since` (the date from which a screening is due) and `due_episode_id`."""
    episodes = due_episodes(clients, today).filter(client_id=OuterRef("pk")).order_by("due_since")
    # A due episode always has a due_since, so "has one" is "due_since is not null": no third
    # copy of the episodes' query in an EXISTS (building it is most of this query's cost).
    return (
        clients.annotate(
            due_since=Subquery(episodes.values("due_since")[:1]),
            due_episode_id=Subquery(episodes.values("pk")[:1]),
        )
        .filter(due_since__isnull=False)
        .order_by("due_since", "pk")
    )


def due_count(clients: QuerySet, today: dt.date) -> int:
    """How many of `clients` are due a screening (`due_screening(...).count()`, from one copy
    of the episodes' query: the home page asks it on every visit)."""
    return due_episodes(clients, today).values("client_id").distinct().count()


def due_since(client, today: dt.date) -> dt.date | None:
    """The date from which `client` is due a screening, or None when not due (as
    `due_screening` gives it, for the panel on one client's record)."""
    from hiddenharm.cases.models import Client

    episodes = due_episodes(Client.objects.filter(pk=client.pk), today)
    return episodes.order_by("due_since").values_list("due_since", flat=True).first()


def screenings_of(client) -> QuerySet:
    return client.screenings.select_related("question_set", "screened_by")
