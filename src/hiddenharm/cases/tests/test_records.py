"""The record forms, through the views: happy paths and refusals."""

import datetime as dt

import pytest
from django.urls import reverse

from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases.models import Child, ChildStatus, Client, Episode, HiddenHarmRecord, Pregnancy
from hiddenharm.cases.tests.builders import new_client

pytestmark = pytest.mark.django_db


def test_it_finds_a_client_by_the_attributor(as_persona, world):
    http = as_persona("keyworker")
    response = http.post(
        reverse("cases:client_search"),
        {"first_initial": "a", "surname_initial": "b", "dob": "1985-03-27", "sex": "F"},
    )
    assert [c.client_ref for c in response.context["results"]] == ["C0001"]
    assert response.context["create_url"]


def test_it_keeps_the_searched_initials_and_birth_date_out_of_every_url(as_persona, world):
    http = as_persona("keyworker")
    search = {"first_initial": "Q", "surname_initial": "Z", "dob": "1990-05-01", "sex": "M"}
    assert http.get(reverse("cases:client_search"), search).context["results"] is None
    response = http.post(reverse("cases:client_search"), search)
    assert response.context["results"] == []
    create_url = response.context["create_url"]
    assert "?" not in create_url and "1990" not in response.content.decode().split("<form")[0]
    form = http.get(create_url).context["form"]  # pre-filled through the session
    assert form.initial["first_initial"] == "Q" and form.initial["dob"] == dt.date(1990, 5, 1)
    assert "first_initial" not in http.get(create_url).context["form"].initial  # used once


def test_it_hides_other_services_clients_from_the_search(as_persona, world):
    http = as_persona("other_keyworker")
    response = http.post(
        reverse("cases:client_search"),
        {"first_initial": "A", "surname_initial": "B", "dob": "27/03/1985", "sex": "F"},
    )
    assert response.context["results"] == []


def test_it_warns_of_a_likely_duplicate_and_keeps_what_was_typed(as_persona, world):
    http = as_persona("keyworker")
    data = {
        "client_ref": "C0002",
        "first_initial": "A",
        "surname_initial": "B",
        "dob": "27/03/1985",
        "sex": "F",
        "la": "E10000020",
    }
    response = http.post(reverse("cases:client_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="duplicate-warning"' in html and "C0001" in html
    assert 'value="C0002"' in html
    response = http.post(reverse("cases:client_create"), {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    client = Client.objects.get(client_ref="C0002")
    assert client.keyworker == world.users["keyworker"] and client.team == world.team
    assert AuditEvent.objects.filter(kind="change", object_id=f"client:{client.pk}").exists()


def test_it_refuses_a_client_under_18(as_persona, world):
    http = as_persona("keyworker")
    response = http.post(
        reverse("cases:client_create"),
        {
            "client_ref": "C9",
            "first_initial": "Z",
            "surname_initial": "Z",
            "dob": "01/01/2015",
            "sex": "M",
            "la": "E10000020",
        },
    )
    assert "18 or over" in response.content.decode()
    assert not Client.objects.filter(client_ref="C9").exists()


def _episode_data(**over):
    data = {
        "episode_ref": "E0002",
        "referred": "01/02/2025",
        "care_plan_start": "10/02/2025",
        "drug1": "ALCOHOL",
        "setting": "COMM",
        "prntstat": "11",
        "childwth": "2",
        "pregnant": "N",
        "earlyhlp": ["EH"],
    }
    data.update(over)
    return data


def test_it_opens_an_episode_with_the_items(as_persona, world):
    http = as_persona("keyworker")
    response = http.post(
        reverse("cases:episode_create", args=[world.client_obj.pk]), _episode_data()
    )
    assert response.status_code == 302
    e = Episode.objects.get(episode_ref="E0002")
    start = e.hh_records.get(kind="start")
    assert (start.prntstat, start.childwth, start.pregnant, start.earlyhlp) == ("11", 2, "N", "EH")


def test_it_refuses_children_living_with_but_none_counted(as_persona, world):
    http = as_persona("keyworker")
    response = http.post(
        reverse("cases:episode_create", args=[world.client_obj.pk]),
        _episode_data(childwth="0", earlyhlp=["NONE", "EH"]),
    )
    form = response.context["form"]
    assert "childwth" in form.errors and "earlyhlp" in form.errors
    assert 'value="E0002"' in response.content.decode()  # nothing typed is lost
    assert not Episode.objects.filter(episode_ref="E0002").exists()


def test_it_refuses_dates_out_of_order(as_persona, world):
    http = as_persona("keyworker")
    response = http.post(
        reverse("cases:episode_create", args=[world.client_obj.pk]),
        _episode_data(care_plan_start="01/01/2025", referred="31/02/2025"),
    )
    errors = response.context["form"].errors
    assert "referred" in errors  # 31 February is not a date


def test_it_does_not_ask_a_man_if_he_is_pregnant(as_persona, world):
    man = new_client(
        world.provider,
        "M1",
        team=world.team,
        first_initial="M",
        surname_initial="N",
        dob=dt.date(1970, 1, 1),
        la="E1",
    )
    http = as_persona("keyworker")
    response = http.get(reverse("cases:episode_create", args=[man.pk]))
    assert "pregnant" not in response.context["form"].fields
    response = http.post(
        reverse("cases:episode_create", args=[man.pk]), _episode_data(pregnant="Y")
    )
    assert response.status_code == 302
    assert Episode.objects.get(episode_ref="E0002").hh_records.get().pregnant == ""
    assert http.get(reverse("cases:pregnancy_create", args=[man.pk])).status_code == 302
    assert not Pregnancy.objects.exists()


def test_it_asks_every_item_again_at_review(as_persona, world):
    http = as_persona("keyworker")
    url = reverse("cases:review_create", args=[world.episode.pk])
    page = http.get(url)
    html = page.content.decode()
    assert 'id="last-recorded"' in html and "All the children live with the client" in html
    assert page.context["form"].initial == {}  # nothing copied: each answer is a decision
    response = http.post(url, {"revdate": "2025-06-01"})
    assert set(response.context["form"].errors) >= {"prntstat", "childwth", "pregnant"}
    html = response.content.decode()
    assert 'href="#id_prntstat_1"' in html and 'id="id_prntstat_1"' in html  # summary links
    assert 'name="revdate_2" value="2025"' in html and 'name="revdate_1" value="06"' in html
    response = http.post(
        url,
        {
            "revdate": "2025-06-01",
            "prntstat": "13",
            "childwth": "0",
            "pregnant": "N",
            "earlyhlp": ["UNK"],
        },
    )
    assert response.status_code == 302
    review = world.episode.hh_records.get(kind="review")
    assert review.prntstat == "13" and review.recorded_on == dt.date(2025, 6, 1)
    change = AuditEvent.objects.filter(kind="change").latest("id")
    assert change.details["fields"] == ["childwth", "earlyhlp", "prntstat"]
    # the same date twice is refused
    response = http.post(
        url, {"revdate": "2025-06-01", "prntstat": "13", "childwth": "0", "pregnant": "N"}
    )
    assert "already recorded" in response.content.decode()


def test_it_refuses_a_review_before_the_care_plan_started(as_persona, world):
    response = as_persona("keyworker").post(
        reverse("cases:review_create", args=[world.episode.pk]),
        {"revdate": "2025-01-01", "prntstat": "14", "childwth": "0", "pregnant": "N"},
    )
    assert "revdate" in response.context["form"].errors


def test_it_completes_the_items_at_start(as_persona, world):
    start = world.episode.hh_records.get(kind="start")
    start.earlyhlp = ""
    start.save()
    http = as_persona("keyworker")
    url = reverse("cases:start_items", args=[world.episode.pk])
    assert http.get(url).context["form"].initial["prntstat"] == "11"
    response = http.post(
        url,
        {
            "hh_date": "20/01/2025",
            "prntstat": "11",
            "childwth": "1",
            "pregnant": "N",
            "earlyhlp": ["CIN"],
            "version": "1",
        },
    )
    assert response.status_code == 302
    start = HiddenHarmRecord.objects.get(pk=start.pk)
    assert start.earlyhlp == "CIN" and start.version == 2


def test_it_discharges_only_with_a_reason_and_a_date_in_order(as_persona, world):
    http = as_persona("keyworker")
    url = reverse("cases:discharge", args=[world.episode.pk])
    response = http.post(url, {"discharged": "01/01/2025"})
    errors = response.context["form"].errors
    assert "discharge_reason" in errors and "discharged" in errors
    response = http.post(
        url, {"discharged": "01/03/2025", "discharge_reason": "TC", "version": "1"}
    )
    assert response.status_code == 302
    world.episode.refresh_from_db()
    assert (world.episode.discharged, world.episode.discharge_reason) == (dt.date(2025, 3, 1), "TC")


def test_it_adds_a_child_and_keeps_their_history(as_persona, world):
    http = as_persona("keyworker")
    response = http.post(
        reverse("cases:child_create", args=[world.client_obj.pk]),
        {
            "child_ref": "K2",
            "year_of_birth": "2019",
            "sex": "F",
            "recorded_on": "01/02/2025",
            "whereabouts": "CLIENT",
            "csc_status": "CIN",
        },
    )
    assert response.status_code == 302
    child = Child.objects.get(child_ref="K2")
    http.post(
        reverse("cases:child_status_create", args=[child.pk]),
        {"recorded_on": "01/05/2025", "whereabouts": "FAMILY", "csc_status": "LAC"},
    )
    assert list(ChildStatus.objects.filter(child=child).values_list("whereabouts", flat=True)) == [
        "FAMILY",
        "CLIENT",
    ]
    page = http.get(reverse("cases:child_detail", args=[child.pk]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(kind="view_child", object_id=str(child.pk)).exists()
    # the count of children living with the client follows from the child rows
    assert (
        "living with the client: 1"
        in http.get(reverse("cases:client_detail", args=[world.client_obj.pk])).content.decode()
    )


def test_it_refuses_a_child_born_in_the_future(as_persona, world):
    response = as_persona("keyworker").post(
        reverse("cases:child_create", args=[world.client_obj.pk]),
        {"child_ref": "K3", "year_of_birth": "2999", "recorded_on": "01/02/2025"},
    )
    assert "year_of_birth" in response.context["form"].errors


def test_it_records_a_pregnancy_and_prompts_the_next_steps(as_persona, world):
    http = as_persona("keyworker")
    response = http.post(
        reverse("cases:pregnancy_create", args=[world.client_obj.pk]),
        {"recorded_on": "01/02/2025", "edd": "01/08/2025"},
        follow=True,
    )
    html = response.content.decode()
    assert "link with the maternity service" in html and "pre-birth" in html
    assert Pregnancy.objects.get().edd == dt.date(2025, 8, 1)


def test_it_audits_every_view_of_a_clients_record(as_persona, world):
    as_persona("manager").get(reverse("cases:client_detail", args=[world.client_obj.pk]))
    event = AuditEvent.objects.get(kind="view_client")
    assert event.actor == world.users["manager"] and event.object_id == str(world.client_obj.pk)


def test_it_refuses_changes_by_a_data_lead(as_persona, world):
    http = as_persona("data_lead")
    assert http.get(reverse("cases:client_detail", args=[world.client_obj.pk])).status_code == 200
    assert (
        http.post(
            reverse("cases:discharge", args=[world.episode.pk]),
            {"discharged": "01/03/2025", "discharge_reason": "TC"},
        ).status_code
        == 403
    )


def test_it_shows_each_items_last_recorded_value_past_a_review_that_left_it_blank(
    as_persona, world
):
    from hiddenharm.cases import services

    HiddenHarmRecord.objects.create(  # a review that asked only about the children
        episode=world.episode, kind="review", recorded_on=dt.date(2025, 4, 1), childwth=2
    )
    last = services.last_items(world.episode)
    assert (last.prntstat, last.childwth, last.pregnant, last.earlyhlp) == ("11", 2, "N", "NONE")
    assert last.item_dates["prntstat"] == dt.date(2025, 1, 20)
    assert last.item_dates["childwth"] == dt.date(2025, 4, 1)
    assert last.recorded_on == dt.date(2025, 4, 1)
    page = as_persona("keyworker").get(reverse("cases:review_create", args=[world.episode.pk]))
    hint = page.context["form"].fields["prntstat"].help_text
    assert hint.startswith("Last recorded (20/01/2025): All the children live with the client")
    assert (
        page.context["form"]
        .fields["childwth"]
        .help_text.startswith("Last recorded (01/04/2025): 2")
    )


def test_it_has_no_last_values_for_an_episode_never_recorded(world):
    from hiddenharm.cases import services

    world.episode.hh_records.all().delete()
    assert services.last_items(world.episode) is None
