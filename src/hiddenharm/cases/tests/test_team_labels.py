"""A service's teams on the figures page: named once, in the order a reader counts them, and
their wide tables readable."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from hiddenharm.accounts.models import Team
from hiddenharm.cases import figures


def test_it_names_a_team_once():
    assert figures.team_label("North") == "Team North"
    assert figures.team_label("Team 2") == "Team 2"
    assert figures.team_label("team leeds") == "team leeds"
    assert figures.team_label("Teams united") == "Team Teams united"  # not the word "team"


def test_it_orders_teams_with_numbers_as_a_reader_counts():
    names = ["Team 10", "Team 2", "team 1", "North", "Team 2"]
    teams = [SimpleNamespace(name=n, pk=i) for i, n in enumerate(names)]
    ordered = sorted(teams, key=figures.team_order)
    assert [(t.name, t.pk) for t in ordered] == [
        ("North", 3),
        ("team 1", 2),
        ("Team 2", 1),
        ("Team 2", 4),
        ("Team 10", 0),
    ]


@pytest.mark.django_db
def test_it_shows_a_services_teams_in_order_with_wide_tables_scrolling(world, as_persona):
    for name in ("Team 10", "Team 2"):
        Team.objects.create(organisation=world.provider, name=name)
    today = dt.date.today()
    page = as_persona("manager").get(
        reverse("cases:dashboard"),
        {"from": str(today - dt.timedelta(days=364)), "to": str(today)},
    )
    assert page.status_code == 200
    teams = page.context["tables"][1]
    assert [r["label"] for r in teams["rows"]] == ["Team A1", "Team 2", "Team 10"]
    html = page.content.decode()
    assert html.count('class="hh-table-scroll" role="region" tabindex="0"') == len(
        page.context["trends"]
    )
    assert "Team Team" not in html
    assert "{#" not in html and "#}" not in html  # no template comment shown as text
