"""The figures' warnings and errors, followed to the records that cause them."""

import datetime as dt

import pytest
from django.urls import reverse

from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases.models import Client, Episode, HiddenHarmRecord
from hiddenharm.cases.tests.builders import new_client

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2024-04-01", "to": "2025-03-31"}


def _client_with_hw102(provider, client_ref, episode_ref, *, review=False):
    """A client not living with their own children (PRNTSTAT 13) yet with 2 children in the
    household at the start of treatment: warning HW102 on the episode (and on a review)."""
    client = new_client(provider, client_ref, dob=dt.date(1980, 1, 1))
    episode = Episode.objects.create(
        client=client,
        provider=provider,
        episode_ref=episode_ref,
        referred=dt.date(2025, 1, 6),
        care_plan_start=dt.date(2025, 1, 10),
        drug1="HEROIN",
    )
    items = {"prntstat": "13", "childwth": 2, "pregnant": "", "earlyhlp": "NONE"}
    HiddenHarmRecord.objects.create(
        episode=episode, kind="start", recorded_on=dt.date(2025, 1, 10), **items
    )
    made = None
    if review:
        made = HiddenHarmRecord.objects.create(
            episode=episode, kind="review", recorded_on=dt.date(2025, 7, 10), **items
        )
    return client, episode, made


@pytest.fixture
def problems(world):
    mine, episode, review = _client_with_hw102(world.provider, "C0100", "E0100", review=True)
    theirs, _, _ = _client_with_hw102(world.other_provider, "C0900", "E0900")
    return {"mine": mine, "episode": episode, "review": review, "theirs": theirs}


def test_it_links_each_problem_count_for_a_data_lead(as_persona, problems):
    page = as_persona("data_lead").get(reverse("cases:dashboard"), PERIOD).content.decode()
    assert f'href="{reverse("cases:figure_problems")}?code=HW102"' in page
    assert 'id="problem-HW102"' in page


def test_it_shows_a_commissioner_the_counts_without_links(as_persona, problems):
    response = as_persona("commissioner").get(reverse("cases:dashboard"), PERIOD)
    page = response.content.decode()
    assert "Not living with own children, yet children in the household" in page
    assert 'id="problem-HW102"' not in page
    assert reverse("cases:figure_problems") not in page
    assert as_persona("commissioner").get(reverse("cases:figure_problems")).status_code == 403


def test_it_lists_exactly_the_records_with_the_problem(as_persona, world, problems):
    response = as_persona("data_lead").get(reverse("cases:figure_problems"), {"code": "HW102"})
    assert response.status_code == 200
    rows = response.context["rows"]
    # The episode's start (episodes.csv) and its review (reviews.csv); not C0001, whose
    # items agree, and not the other service's client with the same problem.
    assert [(r.file, r.client_ref, r.episode_ref) for r in rows] == [
        ("episodes.csv", "C0100", "E0100"),
        ("reviews.csv", "C0100", "E0100"),
    ]
    assert all(
        r.record_url == reverse("cases:client_detail", args=[problems["mine"].pk]) for r in rows
    )
    assert all(not r.fix_url for r in rows)  # a data lead reads records; keyworkers correct
    page = response.content.decode()
    assert "C0100" in page and "C0001" not in page and "C0900" not in page


def test_it_gives_a_manager_the_form_that_fixes_each_record(as_persona, problems):
    response = as_persona("manager").get(reverse("cases:figure_problems"), {"code": "HW102"})
    fixes = [r.fix_url for r in response.context["rows"]]
    assert fixes == [
        reverse("cases:start_items", args=[problems["episode"].pk]),
        reverse("cases:review_edit", args=[problems["review"].pk]),
    ]
    page = response.content.decode()
    assert fixes[0] in page and fixes[1] in page
    # each form is the right one: it opens for the manager, on the record with the problem
    http = as_persona("manager")
    start = http.get(fixes[0])
    assert start.status_code == 200 and start.context["form"].initial["prntstat"] == "13"
    review = http.get(fixes[1])
    assert review.status_code == 200 and review.context["form"].initial["childwth"] == 2


def test_it_never_shows_another_services_records(as_persona, world, problems):
    response = as_persona("data_lead").get(reverse("cases:figure_problems"))
    assert [p["code"] for p in response.context["counted"]] == ["HW102"]
    assert response.context["counted"][0]["count"] == 2  # provider B's third is not counted
    as_b = as_persona("other_keyworker")
    assert as_b.get(reverse("cases:figure_problems"), {"code": "HW102"}).status_code == 403


def test_it_audits_the_list_as_a_view_of_those_clients(as_persona, problems):
    as_persona("data_lead").get(reverse("cases:figure_problems"), {"code": "HW102"})
    event = AuditEvent.objects.filter(kind="view_list").latest("pk")
    assert event.details["page"] == "figure_problems" and event.details["scope"] == "HW102"
    assert event.details["client_ids"] == [problems["mine"].pk]


def test_it_answers_an_unknown_problem_code_with_not_found(as_persona, problems):
    response = as_persona("data_lead").get(reverse("cases:figure_problems"), {"code": "XX999"})
    assert response.status_code == 404


def test_it_links_a_childs_row_and_a_clients_details_to_their_own_forms(as_persona, world):
    from hiddenharm.cases.models import ChildStatus

    status = ChildStatus.objects.create(  # recorded after the extract date: HH006
        child=world.child, recorded_on=dt.date(2099, 1, 1), whereabouts="CLIENT"
    )
    Client.objects.filter(pk=world.client_obj.pk).update(dob=dt.date(1890, 1, 1))  # HH014
    http = as_persona("manager")
    future = http.get(reverse("cases:figure_problems"), {"code": "HH006"}).context["rows"]
    assert [(r.file, r.column, r.child_ref) for r in future] == [("children.csv", "RECDATE", "K1")]
    assert future[0].record_url == reverse("cases:child_detail", args=[world.child.pk])
    assert future[0].fix_url == reverse("cases:child_status_edit", args=[status.pk])
    old = http.get(reverse("cases:figure_problems"), {"code": "HH014"}).context["rows"]
    assert [(r.file, r.column, r.client_ref) for r in old] == [("episodes.csv", "DOB", "C0001")]
    assert old[0].fix_url == reverse("cases:client_edit", args=[world.client_obj.pk])


def test_it_checks_a_service_once_while_its_records_are_unchanged(
    as_persona, problems, monkeypatch
):
    from hiddenharm.cases import problems as checked

    calls = []
    real = checked._check
    monkeypatch.setattr(checked, "_check", lambda *a: calls.append(a) or real(*a))
    http = as_persona("data_lead")
    url = reverse("cases:figure_problems")
    assert http.get(url).context["counted"][0]["count"] == 2
    assert [r.episode_ref for r in http.get(url, {"code": "HW102"}).context["rows"]] == [
        "E0100",
        "E0100",
    ]
    assert len(calls) == 1  # the counts and the list: one export and check
    # Any change to the service's records (here by a queryset, as the triggers see every
    # writer) means a new check, which no longer finds the corrected records.
    HiddenHarmRecord.objects.filter(episode=problems["episode"]).update(prntstat="11")
    assert http.get(url, {"code": "HW102"}).context["rows"] == []
    assert len(calls) == 2
    # Another service's change does not make this one's be checked again.
    HiddenHarmRecord.objects.filter(episode__client=problems["theirs"]).update(prntstat="11")
    http.get(url)
    assert len(calls) == 2
