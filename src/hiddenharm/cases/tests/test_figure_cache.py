"""The dashboard's cache: a repeat view is a read, any change to the records recomputes,
and the scope (providers, teams, suppression) is part of the key."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hiddenharm.accounts.models import Role
from hiddenharm.accounts.testing import make_user
from hiddenharm.cases import exchange, figures
from hiddenharm.cases.models import (
    Child,
    ChildStatus,
    Client,
    DataVersion,
    Episode,
    FigureCache,
    HiddenHarmRecord,
)
from hiddenharm.cases.tests.builders import new_client

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2024-04-01", "to": "2025-03-31"}


def _view(http):
    response = http.get(reverse("cases:dashboard"), PERIOD)
    assert response.status_code == 200
    return response


def _prntstat(response, row=0):
    item = response.context["tables"][0]["rows"][row]["items"][0]
    return item["recorded"], item["eligible"]


def _version(provider) -> int:
    row = DataVersion.objects.filter(provider_id=provider.pk).first()
    return row.version if row else 0


def _new_client(provider, ref, team=None):
    return new_client(provider, ref, team=team)


def _new_episode(client, ref):
    return Episode.objects.create(
        client=client,
        provider=client.provider,
        episode_ref=ref,
        referred=dt.date(2024, 9, 1),
        care_plan_start=dt.date(2024, 9, 10),
        drug1="ALCOHOL",
    )


def test_it_serves_a_repeat_view_from_the_cache(as_persona, world):
    http = as_persona("manager")
    first = _view(http)
    again = _view(http)
    assert not first.context["cached"] and again.context["cached"]
    assert again.context["tables"] == first.context["tables"]
    assert again.context["problems"] == first.context["problems"]
    assert again.context["computed_at"] == first.context["computed_at"]
    assert FigureCache.objects.count() == 1
    assert b'id="figures-as-of"' in again.content


def test_it_recomputes_when_a_record_is_added(as_persona, world):
    http = as_persona("manager")
    assert _prntstat(_view(http)) == (1, 1)
    _new_episode(_new_client(world.provider, "C0002", world.team), "E0002")  # no items yet
    after = _view(http)
    assert not after.context["cached"]
    assert _prntstat(after) == (1, 2)
    team = after.context["tables"][1]["rows"][0]
    assert team["label"] == "Team A1" and team["items"][0]["eligible"] == 2
    assert _view(http).context["cached"]


def test_it_recomputes_after_a_bulk_update_that_sends_no_signals(as_persona, world):
    http = as_persona("manager")
    assert _prntstat(_view(http)) == (1, 1)
    HiddenHarmRecord.objects.filter(episode=world.episode).update(prntstat="")
    after = _view(http)
    assert not after.context["cached"] and _prntstat(after) == (0, 1)


def test_it_bumps_the_version_on_every_kind_of_write(world):
    a, b = world.provider, world.other_provider
    steps = [
        lambda: _new_client(a, "C9"),
        lambda: Client.objects.filter(client_ref="C9").update(team=world.team),
        lambda: _new_episode(Client.objects.get(client_ref="C9"), "E9"),
        lambda: HiddenHarmRecord.objects.create(
            episode=Episode.objects.get(episode_ref="E9"), kind="start", prntstat="15"
        ),
        lambda: Child.objects.create(client=world.client_obj, child_ref="K2"),
        lambda: ChildStatus.objects.create(
            child=Child.objects.get(child_ref="K2"), recorded_on=dt.date(2025, 2, 1)
        ),
        lambda: ChildStatus.objects.filter(child__child_ref="K2").delete(),
        lambda: Episode.objects.bulk_create(
            [
                Episode(
                    client=world.client_obj,
                    provider=a,
                    episode_ref="E10",
                    referred=dt.date(2025, 2, 1),
                    drug1="CRACK",
                )
            ]
        ),
    ]
    other_before = _version(b)
    for step in steps:
        before = _version(a)
        step()
        assert _version(a) > before
    assert _version(b) == other_before  # another service's figures stay cached


def test_it_recomputes_after_an_import(as_persona, world, tmp_path):
    http = as_persona("manager")
    assert _prntstat(_view(http)) == (1, 1)
    exported = exchange.export_tables([world.provider])
    # The same episode again under a new reference: a new client's record.
    renamed = {
        "episodes": exported["episodes"]
        .set_column(3, "CLIENTID", [["C0003"]])
        .set_column(4, "EPISODID", [["E0003"]]),
        "reviews": exported["reviews"],
        "children": exported["children"].slice(0, 0),
    }
    outcome = exchange.ImportOutcome(result=None)
    exchange.load_tables(renamed, {"AGA1": world.provider}, outcome)
    assert outcome.created["episodes"] == 1
    after = _view(http)
    assert not after.context["cached"] and _prntstat(after) == (2, 2)


def test_it_keeps_each_services_figures_apart(client, world):
    other_manager = make_user("mgr_b", Role.MANAGER, world.other_provider)
    _new_episode(_new_client(world.other_provider, "B0001"), "EB0001")
    client.force_login(world.users["manager"])
    mine = _view(client)
    client.force_login(other_manager)
    theirs = _view(client)
    assert not theirs.context["cached"]  # not the first service's cached figures
    labels = [r["label"] for r in theirs.context["tables"][0]["rows"]]
    assert "Provider B (AGB2)" in labels and "Provider A (AGA1)" not in labels
    assert _prntstat(theirs) == (0, 1) and _prntstat(mine) == (1, 1)
    assert FigureCache.objects.count() == 2


def test_it_gives_a_commissioner_the_suppressed_figures_after_a_manager_viewed(as_persona, world):
    manager = _view(as_persona("manager"))
    drug = manager.context["tables"][0]["rows"][1]
    assert drug["label"] == "Drug treatment" and drug["items"][0]["recorded"] == 1
    commissioner = _view(as_persona("commissioner"))
    assert commissioner.context["published"] and not commissioner.context["cached"]
    drug = commissioner.context["tables"][0]["rows"][1]
    assert drug["items"][0]["recorded"] is None  # suppressed: 1 is under 5
    assert len(commissioner.context["tables"]) == 1  # no teams outside the service
    again = _view(as_persona("commissioner"))
    assert (
        again.context["cached"]
        and again.context["tables"][0]["rows"][1]["items"][0]["recorded"] is None
    )


def test_it_keys_the_scope_on_providers_teams_period_and_suppression(world):
    a, b = world.provider, world.other_provider
    day = dt.date(2025, 3, 31)

    def key(providers=(a,), teams=(), publish=False, start=dt.date(2024, 4, 1)):
        return figures.scope_key(providers, teams, start, day, publish=publish, as_of=day)

    keys = {
        key(),
        key(providers=(b,)),
        key(providers=(a, b)),
        key(teams=(world.team,)),
        key(publish=True),
        key(start=dt.date(2024, 5, 1)),
    }
    assert len(keys) == 6
    assert key(providers=(a, b)) == key(providers=(b, a))


def test_it_shows_the_same_rows_as_the_full_report(world):
    start, end = dt.date(2024, 4, 1), dt.date(2025, 3, 31)
    for publish in (False, True):
        shown = figures.compute_dashboard(
            [world.provider], [], start, end, publish=publish, as_of=end
        )
        report = figures.build([world.provider], start, end, publish=publish, as_of=end)
        names = {"AGA1": "Provider A"}
        assert shown["tables"][0]["rows"] == figures.rows(report, names, published=publish)
        assert shown["problems"] == report["problems"]


def test_it_gives_each_team_the_figures_of_its_records_measured_alone(world):
    from hiddenharm.accounts.models import Team

    a = world.provider
    b_team = Team.objects.create(organisation=a, name="A2")
    empty = Team.objects.create(organisation=a, name="A3")
    for i, (team, sex, items) in enumerate(
        [
            (world.team, "M", {"prntstat": "15", "childwth": 0}),
            (b_team, "F", {"prntstat": "11", "childwth": 2, "pregnant": "N"}),
            (b_team, "M", {}),
            (b_team, "F", {"prntstat": "14", "childwth": 0}),
        ]
    ):
        c = _new_client(a, f"T{i}", team)
        c.sex = sex
        c.save()
        e = _new_episode(c, f"ET{i}")
        e.referred, e.care_plan_start = dt.date(2024, 4, 20), dt.date(2024, 5, 1 + i)
        e.save()
        if items:
            HiddenHarmRecord.objects.create(episode=e, kind="start", **items)
            HiddenHarmRecord.objects.create(
                episode=e, kind="review", recorded_on=dt.date(2025, 2, 1), **items
            )
    start, end = dt.date(2024, 4, 1), dt.date(2025, 3, 31)
    teams = [world.team, b_team, empty]
    shown = figures.compute_dashboard([a], teams, start, end, publish=False, as_of=end)
    validated = exchange.validated_export([a], as_of=end)
    for team, row in zip(teams, shown["tables"][1]["rows"], strict=True):
        refs = set(team.clients.values_list("client_ref", flat=True))
        alone = figures.rows(figures.build_team(validated, "AGA1", refs, start, end, as_of=end))
        assert row == {**alone[0], "label": f"Team {team.name}"}
    a2 = shown["tables"][1]["rows"][1]
    assert (
        a2["currency"]["eligible"] == 3 and a2["currency"]["up_to_date"] == 1
    )  # a woman not asked PREGNANT
    assert a2["items"][0]["eligible"] == 3 and a2["items"][0]["recorded"] == 2
    assert shown["tables"][1]["rows"][2]["items"][0] == {
        "item": "PRNTSTAT",
        "recorded": 0,
        "eligible": 0,
        "rate": None,
    }
    # A service of one agency: its agency row is its All row.
    everyone, agency = shown["tables"][0]["rows"][0], shown["tables"][0]["rows"][-1]
    assert agency["label"] == "Provider A (AGA1)"
    assert agency["items"] == everyone["items"] and agency["currency"] == everyone["currency"]


def test_it_shows_the_last_figures_dated_while_new_ones_are_worked_out(
    as_persona, world, settings, monkeypatch
):
    """HH_FIGURES_REFRESH=BACKGROUND (a served application): after a change, the view shows
    the stale figures at once, marked as such, and a refresh stores the new ones."""
    settings.HH_FIGURES_REFRESH = "BACKGROUND"
    queued = []
    monkeypatch.setattr(figures, "start_refresh", queued.append)  # run it by hand, below
    http = as_persona("manager")
    assert _prntstat(_view(http)) == (1, 1)
    _new_episode(_new_client(world.provider, "C0002", world.team), "E0002")

    stale = _view(http)
    assert stale.context["stale"] and _prntstat(stale) == (1, 1)
    assert b'id="figures-stale"' in stale.content
    assert len(queued) == 1
    _view(http)  # a second view while the refresh is under way starts no other
    assert len(queued) == 1

    queued[0]()  # the background work
    fresh = _view(http)
    assert fresh.context["cached"] and not fresh.context["stale"]
    assert _prntstat(fresh) == (1, 2)
    assert b'id="figures-as-of"' in fresh.content


def test_it_works_a_stale_scope_out_in_one_process_however_many_show_it(
    as_persona, world, settings, monkeypatch
):
    """Each gunicorn worker has its own memory: the claim on the stored row makes one of
    them work the scope out; a claim left by a process that died is taken over later."""
    settings.HH_FIGURES_REFRESH = "BACKGROUND"
    queued = []
    monkeypatch.setattr(figures, "start_refresh", queued.append)
    monkeypatch.setattr(figures, "_refreshing", set())  # this process's, for this test only
    http = as_persona("manager")
    _view(http)
    _new_episode(_new_client(world.provider, "C0002", world.team), "E0002")
    assert _view(http).context["stale"] and len(queued) == 1
    figures._refreshing.clear()  # another worker: none of this process's memory
    assert _view(http).context["stale"] and len(queued) == 1  # the claim holds
    queued[0]()  # the first worker's refresh stores the figures and lets go of the claim
    assert FigureCache.objects.get().refreshing_since is None
    _new_episode(_new_client(world.provider, "C0003", world.team), "E0003")
    _view(http)
    assert len(queued) == 2
    # that worker dies with the claim on: after REFRESH_CLAIM_SECONDS another takes it over
    figures._refreshing.clear()
    FigureCache.objects.update(
        refreshing_since=timezone.now() - dt.timedelta(seconds=figures.REFRESH_CLAIM_SECONDS + 1)
    )
    _view(http)
    assert len(queued) == 3


def test_it_waits_for_new_figures_by_default(as_persona, world, monkeypatch):
    monkeypatch.setattr(figures, "start_refresh", lambda work: pytest.fail("no thread inline"))
    http = as_persona("manager")
    _view(http)
    _new_episode(_new_client(world.provider, "C0002", world.team), "E0002")
    after = _view(http)
    assert not after.context["stale"] and _prntstat(after) == (1, 2)


@pytest.mark.django_db(transaction=True)
def test_it_refreshes_on_a_real_thread_with_its_own_connection(world, settings):
    import threading

    settings.HH_FIGURES_REFRESH = "BACKGROUND"
    providers, teams = [world.provider], list(world.provider.teams.order_by("name", "pk"))
    start, end, today = dt.date(2024, 4, 1), dt.date(2025, 3, 31), dt.date(2026, 1, 1)
    figures.dashboard(providers, teams, start, end, publish=False, as_of=today)
    _new_episode(_new_client(world.provider, "C0002", world.team), "E0002")
    shown = figures.dashboard(providers, teams, start, end, publish=False, as_of=today)
    assert shown["stale"]
    for t in threading.enumerate():
        if t.name == "hh-figures":
            t.join(timeout=60)
    shown = figures.dashboard(providers, teams, start, end, publish=False, as_of=today)
    assert shown["cached"] and not shown["stale"]
    assert shown["tables"][0]["rows"][0]["items"][0]["eligible"] == 2
