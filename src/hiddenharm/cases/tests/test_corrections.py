"""Corrections: every write with its audit event in one transaction, a new version kept for
each correction, and a stale edit refused with both versions shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as Browser
from django.test import RequestFactory
from django.urls import reverse

from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases import forms, services
from hiddenharm.cases.models import Child, ChildStatus, Client, Episode, HiddenHarmRecord, Pregnancy

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _client_data(**over):
    data = {
        "client_ref": "C0200",
        "first_initial": "D",
        "surname_initial": "E",
        "dob": dt.date(1990, 7, 14),
        "sex": "F",
        "la": "E10000020",
    }
    return {**data, **over}


def _writes(world):
    """(name, write) pairs: each write calls one service function."""
    kw = world.users["keyworker"]
    c, e, k = world.client_obj, world.episode, world.child
    status = k.statuses.get()
    start = e.hh_records.get(kind="start")
    items = {"prntstat": "12", "childwth": 0, "pregnant": "N", "earlyhlp": "NONE"}
    return (
        [
            ("create_client", lambda r: services.create_client(r, world.provider, _client_data())),
            ("correct_client", lambda r: services.correct_client(r, c, _client_data(), 1)),
            ("assign", lambda r: services.assign(r, [c], keyworker=world.users["manager"])),
            (
                "open_episode",
                lambda r: services.open_episode(
                    r,
                    c,
                    {
                        "episode_ref": "E9",
                        "referred": dt.date(2025, 2, 1),
                        "drug1": "CRACK",
                        "setting": "COMMUNITY",
                    },
                    items,
                ),
            ),
            (
                "correct_episode",
                lambda r: services.correct_episode(
                    r,
                    e,
                    {
                        "episode_ref": "E0001",
                        "referred": dt.date(2025, 1, 7),
                        "care_plan_start": e.care_plan_start,
                        "drug1": "HEROIN",
                        "setting": "COMMUNITY",
                    },
                    1,
                ),
            ),
            ("start_items", lambda r: services.save_start_items(r, e, None, items, 1)),
            ("review", lambda r: services.record_review(r, e, dt.date(2025, 6, 1), items)),
            (
                "discharge",
                lambda r: services.discharge(
                    r, e, {"discharged": dt.date(2025, 6, 2), "discharge_reason": "TC"}, 1
                ),
            ),
            (
                "add_child",
                lambda r: services.add_child(
                    r,
                    c,
                    {
                        "child_ref": "K9",
                        "year_of_birth": 2020,
                        "sex": "F",
                        "recorded_on": dt.date(2025, 2, 1),
                        "whereabouts": "CLIENT",
                        "csc_status": "CIN",
                    },
                ),
            ),
            (
                "correct_child",
                lambda r: services.correct_child(
                    r, k, {"child_ref": "K1", "year_of_birth": 2015, "sex": "M"}, 1
                ),
            ),
            (
                "correct_child_status",
                lambda r: services.correct_child_status(
                    r,
                    status,
                    {
                        "recorded_on": status.recorded_on,
                        "whereabouts": "OTHERPAR",
                        "csc_status": "CPP",
                    },
                    1,
                ),
            ),
            (
                "record_pregnancy",
                lambda r: services.record_pregnancy(
                    r,
                    c,
                    {
                        "recorded_on": dt.date(2025, 3, 1),
                        "edd": dt.date(2025, 9, 1),
                        "maternity_linked": False,
                        "maternity_service": None,
                        "prebirth_referral_considered": False,
                    },
                ),
            ),
        ],
        kw,
        start,
    )


def _counts():
    models = (Client, Episode, HiddenHarmRecord, Child, ChildStatus, Pregnancy)
    rows = tuple(m.objects.count() for m in models)
    versions = tuple(m.history.count() for m in models)
    state = tuple(tuple(m.objects.order_by("pk").values_list("version", flat=True)) for m in models)
    return rows, versions, state, AuditEvent.objects.count()


@pytest.mark.parametrize("index", range(12))
def test_it_leaves_neither_record_nor_event_when_the_event_fails(world, monkeypatch, index):
    writes, kw, _ = _writes(world)
    name, write = writes[index]
    before = _counts()

    def fail(*args, **kwargs):
        raise RuntimeError("the audit table is unavailable")

    monkeypatch.setattr("hiddenharm.cases.services.common.record", fail)
    with pytest.raises(RuntimeError):
        write(_request(kw))
    assert _counts() == before, name
    monkeypatch.undo()
    write(_request(kw))  # and without the failure, the same write goes through with its event
    after = _counts()
    assert after != before and after[3] > before[3], name


def test_it_turns_a_reference_taken_meanwhile_into_a_form_error(world, as_persona, monkeypatch):
    # The form's own check passed (the other person had not saved yet when it ran).
    monkeypatch.setattr(
        forms.ClientForm, "clean_client_ref", lambda self: self.cleaned_data["client_ref"]
    )
    http = as_persona("keyworker")
    data = {
        "client_ref": "C0001",
        "first_initial": "Q",
        "surname_initial": "R",
        "dob_0": "1",
        "dob_1": "2",
        "dob_2": "1980",
        "sex": "M",
        "la": "E10000020",
    }
    events = AuditEvent.objects.count()
    response = http.post(reverse("cases:client_create"), data)
    assert response.status_code == 200
    assert "A client with this reference already exists" in response.content.decode()
    assert Client.objects.count() == 1 and AuditEvent.objects.count() == events


def test_it_keeps_every_version_of_a_corrected_client(world, as_persona):
    http = as_persona("keyworker")
    url = reverse("cases:client_edit", args=[world.client_obj.pk])
    page = http.get(url)
    assert page.context["form"].initial["dob"] == dt.date(1985, 3, 27)
    data = {
        "client_ref": "C0001",
        "first_initial": "A",
        "surname_initial": "B",
        "dob_0": "27",
        "dob_1": "3",
        "dob_2": "1986",
        "sex": "F",
        "la": "E10000020",
        "version": "1",
    }
    assert http.post(url, data).status_code == 302
    client = Client.objects.get(pk=world.client_obj.pk)
    assert client.dob == dt.date(1986, 3, 27) and client.version == 2
    assert (
        list(client.history.values_list("dob", flat=True).order_by("history_date"))
        == [
            dt.date(1985, 3, 27),  # the world's row was made outside a service: its first
            dt.date(1986, 3, 27),  # version is written by the correction's save
        ][-client.history.count() :]
    )
    event = AuditEvent.objects.filter(kind="change").latest("pk")
    assert event.details["action"] == "correct" and event.details["fields"] == ["dob"]
    # The record page shows the change in words: the field's label, old -> new.
    html = as_persona("manager").get(reverse("cases:client_detail", args=[client.pk])).content
    html = html.decode()
    assert "Date of birth" in html and "27 March 1986" in html


def test_it_shows_a_corrected_review_as_two_versions(world, as_persona):
    kw = world.users["keyworker"]
    items = {"prntstat": "11", "childwth": 1, "pregnant": "N", "earlyhlp": "NONE"}
    review = services.record_review(_request(kw), world.episode, dt.date(2025, 6, 1), items)
    http = as_persona("keyworker")
    url = reverse("cases:review_edit", args=[review.pk])
    data = {
        "revdate_0": "1",
        "revdate_1": "6",
        "revdate_2": "2025",
        "prntstat": "11",
        "childwth": "2",
        "pregnant": "N",
        "earlyhlp": ["NONE"],
        "version": "1",
    }
    assert http.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.childwth == 2 and review.version == 2 and review.history.count() == 2
    html = as_persona("manager").get(
        reverse("cases:client_detail", args=[review.episode.client_id])
    )
    text = html.content.decode()
    assert "Version 2: corrected" in text and "Version 1: recorded" in text
    # A data lead reads the record and its history, and may not correct it.
    assert as_persona("data_lead").get(url).status_code == 403
    # A start row is not a review: its own form corrects it.
    start = world.episode.hh_records.get(kind="start")
    assert http.get(reverse("cases:review_edit", args=[start.pk])).status_code == 403


def _signed_in(user) -> Browser:
    browser = Browser()
    browser.force_login(user)  # a session of its own: a second person at another desk
    return browser


def test_it_refuses_a_stale_edit_and_shows_both_versions(world):
    kw, mgr = world.users["keyworker"], world.users["manager"]
    first, second = _signed_in(kw), _signed_in(mgr)
    url = reverse("cases:start_items", args=[world.episode.pk])
    # Both open the form at version 1.
    assert first.get(url).context["form"].initial["version"] == 1
    assert second.get(url).context["form"].initial["version"] == 1
    mine = {
        "hh_date_0": "20",
        "hh_date_1": "1",
        "hh_date_2": "2025",
        "pregnant": "Y",
        "prntstat": "11",
        "childwth": "3",
        "earlyhlp": ["CPP"],
        "version": "1",
    }
    theirs = {**mine, "pregnant": "N", "prntstat": "14", "childwth": "0", "earlyhlp": ["NONE"]}
    assert first.post(url, mine).status_code == 302
    response = second.post(url, theirs)
    assert response.status_code == 200  # refused: nothing overwritten
    start = HiddenHarmRecord.objects.get(episode=world.episode, kind="start")
    assert (start.childwth, start.pregnant, start.version) == (3, "Y", 2)
    html = response.content.decode()
    assert "Someone else changed this record" in html
    rows = response.context["conflict"]["rows"]
    assert ("Number of children under 18 living in the client's household", "0", "3") in rows
    # The form keeps what was typed, now at the current version: saving again is a choice.
    form = response.context["form"]
    assert form.data["childwth"] == "0" and form.data["version"] == "2"
    assert second.post(url, form.data).status_code == 302
    start.refresh_from_db()
    assert (start.childwth, start.version) == (0, 3)


def test_it_adds_the_child_when_a_pregnancy_ends_in_a_birth(world, as_persona):
    kw = world.users["keyworker"]
    pregnancy = services.record_pregnancy(
        _request(kw),
        world.client_obj,
        {
            "recorded_on": dt.date(2025, 3, 1),
            "edd": dt.date(2025, 9, 1),
            "maternity_linked": False,
            "maternity_service": None,
            "prebirth_referral_considered": False,
        },
    )
    http = as_persona("keyworker")
    url = reverse("cases:pregnancy_edit", args=[pregnancy.pk])
    data = {
        "recorded_on_0": "1",
        "recorded_on_1": "3",
        "recorded_on_2": "2025",
        "edd_0": "1",
        "edd_1": "9",
        "edd_2": "2025",
        "prebirth_referral_considered": "on",
        "outcome": "born",
        "outcome_on_0": "28",
        "outcome_on_1": "8",
        "outcome_on_2": "2025",
        "version": "1",
    }
    response = http.post(url, data)
    assert "Enter a reference for the child born" in response.content.decode()
    response = http.post(url, {**data, "child_ref": "K2", "child_sex": "F"})
    assert response.status_code == 302
    pregnancy.refresh_from_db()
    child = Child.objects.get(client=world.client_obj, child_ref="K2")
    assert pregnancy.child == child and child.year_of_birth == 2025 and child.sex == "F"
    assert pregnancy.prebirth_referral_considered and pregnancy.version == 2


@pytest.mark.parametrize(
    "dob",
    [
        ("1", "1", "0001"),
        ("1", "1", "9999"),
        ("31", "2", "1990"),
        ("x", "1", "1990"),
        ("1", "", "1990"),
    ],
)
def test_it_answers_a_bad_date_with_a_message(world, as_persona, dob):
    http = as_persona("keyworker")
    url = reverse("cases:client_edit", args=[world.client_obj.pk])
    response = http.post(url, {"dob_0": dob[0], "dob_1": dob[1], "dob_2": dob[2], "version": 1})
    assert response.status_code == 200
    assert "dob" in response.context["form"].errors


def test_it_refuses_items_asked_long_before_the_referral(world, as_persona):
    http = as_persona("keyworker")
    url = reverse("cases:start_items", args=[world.episode.pk])
    response = http.post(
        url,
        {
            "hh_date_0": "6",
            "hh_date_1": "1",
            "hh_date_2": "2000",
            "prntstat": "11",
            "childwth": "1",
            "pregnant": "N",
            "earlyhlp": ["NONE"],
            "version": "1",
        },
    )
    assert "on or after the referral date" in str(response.context["form"].errors["hh_date"])


def test_it_audits_the_forms_that_show_a_client(world, as_persona):
    http = as_persona("keyworker")
    before = AuditEvent.objects.filter(kind="view_client").count()
    for name, arg in (
        ("cases:episode_create", world.client_obj.pk),
        ("cases:child_create", world.client_obj.pk),
        ("cases:discharge", world.episode.pk),
        ("cases:child_status_create", world.child.pk),
        ("cases:client_edit", world.client_obj.pk),
    ):
        assert http.get(reverse(name, args=[arg])).status_code == 200
    assert AuditEvent.objects.filter(kind="view_client").count() == before + 5


def test_it_keeps_the_manager_to_their_own_service_when_correcting(world, as_persona):
    other = get_user_model().objects.get(username="kw_b")
    assert other is not None
    http = as_persona("other_keyworker")
    for name, arg in (
        ("cases:client_edit", world.client_obj.pk),
        ("cases:child_status_edit", world.child.statuses.get().pk),
    ):
        assert http.get(reverse(name, args=[arg])).status_code == 403
        assert http.post(reverse(name, args=[arg]), {}).status_code == 403


def test_it_sets_the_answers_that_stand_alone_apart(world, as_persona):
    html = as_persona("keyworker").get(reverse("cases:review_create", args=[world.episode.pk]))
    html = html.content.decode()
    before, after = html.split('<div class="govuk-checkboxes__divider">or</div>')
    assert "Looked after" in before and "Not known" in after and "Looked after" not in after


def test_it_keeps_an_imported_rows_first_version_when_it_is_corrected(world):
    # bulk_create, as the import loads rows: no history row is written.
    (imported,) = Client.objects.bulk_create([Client(provider=world.provider, **_client_data())])
    imported = Client.objects.get(client_ref="C0200")
    assert imported.history.count() == 0
    kw = world.users["keyworker"]
    services.correct_client(_request(kw), imported, _client_data(dob=dt.date(1991, 7, 14)), 1)
    dobs = list(
        imported.history.order_by("history_date", "history_id").values_list("dob", flat=True)
    )
    assert dobs == [dt.date(1990, 7, 14), dt.date(1991, 7, 14)]
