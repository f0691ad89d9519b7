"""Screenings: the service (rules, decision, audit), versioning, who is due, and the pages."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases.models import Client, Episode, HiddenHarmRecord, Pregnancy
from hiddenharm.safeguarding.screening import services
from hiddenharm.safeguarding.screening.demo import CALM
from hiddenharm.safeguarding.screening.models import QuestionSet, Screening

TODAY = dt.date(2025, 3, 3)
pytestmark = pytest.mark.django_db


def screen(world, day=dt.date(2025, 1, 22), decided="NO_CONCERN", reason="", **changes):
    return services.record_screening(
        world.client_obj,
        screened_on=day,
        answers={**CALM, **changes},
        decided_action=decided,
        decision_reason=reason,
        user=world.users["keyworker"],
        today=TODAY,
    )


def test_it_seeds_the_first_question_set_from_the_committed_file():
    qset = services.current_question_set()
    assert (qset.key, qset.version) == ("default", 1)
    assert len(qset.document["questions"]) == 14


def test_it_records_the_suggestion_the_decision_and_one_audit_event(world):
    before = AuditEvent.objects.count()
    s = screen(world, storage="ACCESSIBLE", decided="CONSULT_CSC")
    assert (s.suggested_action, s.decided_action, s.occasion) == ("CONSULT_CSC",) * 2 + ("start",)
    assert s.suggestion_reasons == ["Substances or equipment within the children's reach"]
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.kind for e in events] == ["screening_recorded"]
    assert events[0].details == {
        "screening_id": s.pk,
        "client_id": world.client_obj.pk,
        "question_set_version": 1,
        "suggested": "CONSULT_CSC",
        "decided": "CONSULT_CSC",
    }
    assert "LOCKED" not in str(events[0].details)  # codes of the decision only, no answers


def test_it_requires_a_reason_when_the_decision_differs_and_writes_nothing(world):
    before = (Screening.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as e:
        screen(world, storage="ACCESSIBLE", decided="NO_CONCERN")
    assert "decision_reason" in e.value.message_dict
    assert (Screening.objects.count(), AuditEvent.objects.count()) == before
    s = screen(world, storage="ACCESSIBLE", decided="REFER", reason="Told of a recent overdose")
    assert s.differs and s.decision_reason == "Told of a recent overdose"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"storage": ""}, "storage"),
        ({"storage": "MAYBE"}, "storage"),
        ({"other_services": ["NONE", "GP"]}, "other_services"),
        ({"children_ages": " "}, "children_ages"),
    ],
)
def test_it_refuses_answers_that_are_missing_or_unknown(world, changes, field):
    with pytest.raises(ValidationError) as e:
        screen(world, **changes)
    assert field in e.value.message_dict


def test_it_refuses_a_date_in_the_future(world):
    with pytest.raises(ValidationError) as e:
        screen(world, day=TODAY + dt.timedelta(days=1))
    assert "screened_on" in e.value.message_dict


def test_an_old_screening_keeps_its_meaning_after_a_new_version(world, django_user_model):
    old = screen(world, storage="ACCESSIBLE", decided="CONSULT_CSC")
    doc = copy.deepcopy(services.current_question_set().document)
    storage = next(q for q in doc["questions"] if q["id"] == "storage")
    storage["text"] = "Where are substances kept?"
    storage["choices"] = [["SAFE", "Safely"], ["UNSAFE", "Not safely"]]
    doc["rules"] = [r for r in doc["rules"] if "storage" not in str(r["when"])]
    doc["rules"].append(
        {"action": "REFER", "because": "Unsafe", "when": {"q": "storage", "in": ["UNSAFE"]}}
    )
    v2 = services.publish_question_set(doc, user=world.users["manager"])
    assert v2.version == 2 and services.current_question_set() == v2
    assert AuditEvent.objects.filter(kind="screening_questions_published").count() == 1
    old.refresh_from_db()
    assert old.question_set.version == 1
    words = dict(old.answers_in_words())
    assert (
        words[
            "Where are drugs, alcohol, prescribed medication (such as methadone) and injecting "
            "equipment kept at home?"
        ]
        == "Where the children could reach them"
    )
    assert "Where are substances kept?" not in words
    # A new screening is asked and judged with version 2.
    new = screen(world, storage="UNSAFE", decided="REFER")
    assert (new.question_set.version, new.suggested_action) == (2, "REFER")
    # Publishing again never overwrites a version.
    assert services.publish_question_set(doc).version == 3
    assert (
        QuestionSet.objects.get(version=1)
        .document["questions"][2]["text"]
        .startswith("Where are drugs")
    )


# --- who is due -----------------------------------------------------------------------


def due_refs(today=TODAY):
    """The clients due, by due_screening; every test of who is due also checks that the
    home page's count and the record's panel (due_count, due_since) say the same."""
    due = list(services.due_screening(Client.objects.all(), today))
    assert services.due_count(Client.objects.all(), today) == len(due)
    since = {c.pk: c.due_since for c in due}
    for c in Client.objects.all():
        assert services.due_since(c, today) == since.get(c.pk)
    return [c.client_ref for c in due]


def test_a_parent_in_treatment_is_due_until_screened_after_the_start(world):
    c = services.due_screening(Client.objects.all(), TODAY).get()
    assert (c.client_ref, c.due_since, c.due_episode_id) == (
        "C0001",
        dt.date(2025, 1, 20),
        world.episode.pk,
    )
    screen(world, day=dt.date(2025, 1, 19))  # before the start: does not count
    assert due_refs() == ["C0001"]
    screen(world, day=dt.date(2025, 1, 20))
    assert due_refs() == []


def test_a_review_makes_a_screening_due_again(world):
    screen(world, day=dt.date(2025, 1, 22))
    HiddenHarmRecord.objects.create(
        episode=world.episode,
        kind="review",
        recorded_on=dt.date(2025, 2, 20),
        prntstat="11",
        childwth=1,
    )
    assert due_refs(dt.date(2025, 2, 19)) == []  # the review is after that day
    assert due_refs() == ["C0001"]
    s = screen(world, day=dt.date(2025, 2, 21))
    assert s.occasion == "review" and due_refs() == []


def test_only_parents_carers_and_pregnant_clients_with_an_open_episode_are_due(world):
    start = world.episode.hh_records.get(kind="start")
    # The current value is the latest: a review saying "not a parent", no children.
    HiddenHarmRecord.objects.create(
        episode=world.episode,
        kind="review",
        recorded_on=dt.date(2025, 2, 1),
        prntstat="14",
        childwth=0,
    )
    assert due_refs() == []
    HiddenHarmRecord.objects.create(
        episode=world.episode, kind="review", recorded_on=dt.date(2025, 2, 10), pregnant="Y"
    )
    assert due_refs() == ["C0001"]  # pregnant, by the latest non-blank value
    HiddenHarmRecord.objects.filter(kind="review").delete()
    start.prntstat, start.childwth = "14", 0
    start.save()
    assert due_refs() == []
    Pregnancy.objects.create(
        client=world.client_obj, recorded_on=dt.date(2025, 2, 1), edd=dt.date(2025, 6, 1)
    )
    assert due_refs() == ["C0001"]  # a pregnancy recorded with no outcome yet
    Episode.objects.filter(pk=world.episode.pk).update(
        discharged=dt.date(2025, 2, 28), discharge_reason="80"
    )
    assert due_refs() == []


# --- pages ----------------------------------------------------------------------------


def post_answers(**over):
    data = {"screened_on_0": "22", "screened_on_1": "1", "screened_on_2": "2025"}
    for k, v in CALM.items():
        if v:
            data[f"q_{k}"] = v
    data.update(over)
    return data


def test_the_form_suggests_then_saves_the_keyworkers_decision(world, as_persona):
    http = as_persona("keyworker")
    url = reverse("screening:create", args=[world.client_obj.pk])
    page = http.get(url)
    assert page.status_code == 200 and b"govuk-date-input" in page.content
    step = http.post(url, post_answers(q_storage="ACCESSIBLE", suggest="1"))
    assert step.status_code == 200
    assert b"Suggested action" in step.content
    assert b"Consult children&#x27;s social care</p>" in step.content
    assert Screening.objects.count() == 0
    refused = http.post(
        url,
        post_answers(q_storage="ACCESSIBLE", save="1", **{"decision-decided_action": "NO_CONCERN"}),
    )
    assert refused.status_code == 200 and b"Say why you decided otherwise" in refused.content
    done = http.post(
        url,
        post_answers(
            q_storage="ACCESSIBLE", save="1", **{"decision-decided_action": "CONSULT_CSC"}
        ),
    )
    s = Screening.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("screening:detail", args=[s.pk])
    detail = http.get(done["Location"])
    assert b"Where the children could reach them" in detail.content
    assert AuditEvent.objects.filter(kind="view_client", details__page="screening").count() == 1
    assert (
        AuditEvent.objects.filter(kind="view_client", details__page="screening_form").count() == 3
    )


@pytest.mark.parametrize(
    "day, month, year",
    [
        ("1", "1", "0001"),
        ("1", "1", "9999"),
        ("31", "2", "2025"),
        ("x", "1", "2025"),
        ("1", "1", "99999999999999999999"),
    ],
)
def test_bad_dates_give_a_message_not_a_500(world, as_persona, day, month, year):
    http = as_persona("keyworker")
    url = reverse("screening:create", args=[world.client_obj.pk])
    r = http.post(
        url, post_answers(screened_on_0=day, screened_on_1=month, screened_on_2=year, suggest="1")
    )
    assert r.status_code == 200 and b"govuk-error-summary" in r.content
    assert b"date of the screening" in r.content


def test_the_client_record_shows_the_panel_and_the_due_list_the_client(world, as_persona):
    http = as_persona("keyworker")
    record = http.get(reverse("cases:client_detail", args=[world.client_obj.pk]))
    assert b'id="screening-due"' in record.content and b'id="screen"' in record.content
    due = http.get(reverse("screening:due"))
    assert due.status_code == 200 and b"C0001" in due.content
    lead = as_persona("data_lead").get(reverse("cases:client_detail", args=[world.client_obj.pk]))
    assert b'id="screen"' not in lead.content  # data leads read, never write


def test_a_referral_decision_links_to_the_referral_form_when_it_exists(world, as_persona):
    s = screen(world, under_five="YES", storage="ACCESSIBLE", decided="REFER")
    page = as_persona("keyworker").get(reverse("screening:detail", args=[s.pk]))
    from hiddenharm.safeguarding.screening.views import referral_url

    url = referral_url(world.client_obj)
    if url:
        assert url.encode() in page.content
    else:
        assert (
            b"Refer to children&#x27;s social care under the local joint protocol" in page.content
        )


def test_an_area_publishes_its_own_questions_from_a_file(world, tmp_path):
    from django.core.management import CommandError, call_command

    doc = copy.deepcopy(services.current_question_set().document)
    doc["key"], doc["title"] = world.client_obj.la, "Norfolk screening"
    doc["questions"][0]["text"] = "Ages of the children in the home?"
    path = tmp_path / "norfolk.json"
    path.write_text(json.dumps(doc))
    call_command("publish_screening_questions", str(path))
    s = screen(world)
    assert (s.question_set.key, s.question_set.version) == (world.client_obj.la, 1)
    assert s.answers_in_words()[0][0] == "Ages of the children in the home?"
    doc["rules"][0]["action"] = "PANIC"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError, match="action must be one of"):
        call_command("publish_screening_questions", str(path))
    assert QuestionSet.objects.filter(key=world.client_obj.la).count() == 1


@pytest.mark.django_db
def test_it_brings_back_the_default_questions_in_a_database_emptied_since_migrating():
    from hiddenharm.safeguarding.screening import services
    from hiddenharm.safeguarding.screening.models import QuestionSet

    QuestionSet.objects.all().delete()  # as a test's flush or an older backup leaves it
    qset = services.current_question_set()
    assert (qset.key, qset.version) == ("default", 1)
    assert QuestionSet.objects.count() == 1
