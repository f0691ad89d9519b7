import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiddenharm.cases import worklists
from hiddenharm.cases.models import Episode, HiddenHarmRecord
from hiddenharm.cases.tests.builders import new_client

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _client(world, ref, sex="F", keyworker=None):
    return new_client(
        world.provider,
        ref,
        team=world.team,
        keyworker=keyworker or world.users["keyworker"],
        first_initial="Q",
        surname_initial="R",
        dob=dt.date(1980, 1, 1),
        sex=sex,
    )


def _episode(client, ref, days_ago, discharged=False):
    start = TODAY - dt.timedelta(days=days_ago)
    return Episode.objects.create(
        client=client,
        provider=client.provider,
        episode_ref=ref,
        referred=start,
        care_plan_start=start,
        drug1="CRACK",
        discharged=TODAY if discharged else None,
        discharge_reason="TC" if discharged else "",
    )


def _items(episode, kind, days_ago=None, **values):
    defaults = dict(prntstat="14", childwth=0, pregnant="N", earlyhlp="")
    defaults.update(values)
    when = None if days_ago is None else TODAY - dt.timedelta(days=days_ago)
    return HiddenHarmRecord.objects.create(episode=episode, kind=kind, recorded_on=when, **defaults)


@pytest.fixture
def cases(world):
    w = world
    w.episode.discharged, w.episode.discharge_reason = TODAY, "TC"  # out of the lists
    w.episode.save()
    done = _episode(_client(w, "DONE"), "E-done", 300)
    _items(done, "start")
    _items(done, "review", 30)
    no_start = _episode(_client(w, "NOSTART"), "E-nostart", 10)
    part = _episode(_client(w, "PART"), "E-part", 20)
    _items(part, "start", pregnant="")  # a woman not asked if pregnant
    overdue = _episode(_client(w, "OLD", sex="M"), "E-old", 400)
    _items(overdue, "start", pregnant="")
    _items(overdue, "review", 200)  # too long ago
    half = _episode(_client(w, "HALF"), "E-half", 250)
    _items(half, "start")
    _items(half, "review", 10, pregnant="")  # PREGNANT missing for a woman
    gone = _episode(_client(w, "GONE"), "E-gone", 500, discharged=True)
    return {
        "done": done,
        "no_start": no_start,
        "part": part,
        "overdue": overdue,
        "half": half,
        "gone": gone,
    }


def test_it_lists_episodes_missing_an_item_at_start_oldest_first(world, cases):
    refs = [e.episode_ref for e in worklists.missing_at_start(world.provider.clients.all(), TODAY)]
    assert refs == ["E-part", "E-nostart"]


def test_it_lists_episodes_overdue_for_review_oldest_first(world, cases):
    refs = [e.episode_ref for e in worklists.overdue_at_review(world.provider.clients.all(), TODAY)]
    assert refs == ["E-old", "E-half"]


def test_it_asks_for_early_help_only_where_there_are_children(world, cases):
    e = _episode(_client(world, "PARENT"), "E-parent", 5)
    _items(e, "start", prntstat="13", childwth=0, earlyhlp="")
    refs = {x.episode_ref for x in worklists.missing_at_start(world.provider.clients.all(), TODAY)}
    assert "E-parent" in refs and "E-done" not in refs


def test_it_shows_each_row_with_a_link_to_the_form_that_fixes_it(as_persona, world, cases):
    http = as_persona("keyworker")
    response = http.get(reverse("cases:worklist"), {"scope": "mine", "list": "review"})
    html = response.content.decode()
    assert reverse("cases:review_create", args=[cases["overdue"].pk]) in html
    assert response.context["counts"] == {"start": 2, "review": 2}
    response = http.get(reverse("cases:worklist"), {"scope": "mine", "list": "start"})
    assert reverse("cases:start_items", args=[cases["no_start"].pk]) in response.content.decode()


def test_it_keeps_a_keyworkers_list_to_their_own_clients(as_persona, world, cases):
    other = _client(world, "NOTMINE", keyworker=world.users["manager"])
    _episode(other, "E-notmine", 30)
    http = as_persona("keyworker")
    mine = http.get(reverse("cases:worklist"), {"scope": "mine"}).context["rows"]
    assert "E-notmine" not in {e.episode_ref for e in mine}
    team = http.get(reverse("cases:worklist"), {"scope": "team"}).context["rows"]
    assert "E-notmine" in {e.episode_ref for e in team}
    assert http.get(reverse("cases:worklist"), {"scope": "service"}).status_code == 403


def test_it_refuses_a_list_that_does_not_exist(as_persona, world):
    assert as_persona("manager").get(reverse("cases:worklist"), {"list": "x"}).status_code == 404


def test_it_uses_a_fixed_number_of_queries_however_long_the_list(as_persona, world, cases):
    http = as_persona("manager")
    url = reverse("cases:worklist")
    http.get(url)  # the first request renews the session (a write, once a minute)
    with CaptureQueriesContext(connection) as few:
        http.get(url, {"scope": "service", "list": "start"})
    for i in range(30):
        _episode(_client(world, f"MORE{i}"), f"E-more{i}", 40 + i)
    with CaptureQueriesContext(connection) as many:
        http.get(url, {"scope": "service", "list": "start"})
    assert len(many) == len(few)
