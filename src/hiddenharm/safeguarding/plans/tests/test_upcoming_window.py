"""The meetings in the next 10 working days, counted for each client with the bank holidays
of their area's joint protocol: Scotland's and Northern Ireland's, not only England's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hiddenharm.accounts.testing import LA
from hiddenharm.cases.models import Child, Client
from hiddenharm.cases.tests.builders import new_client
from hiddenharm.safeguarding.models import JointProtocol
from hiddenharm.safeguarding.plans import services

D = dt.date
pytestmark = pytest.mark.django_db

SCOTLAND = "S12000036"  # Edinburgh
NORTHERN_IRELAND = "N09000003"  # Belfast


def _protocol(la: str, country: str) -> None:
    JointProtocol.objects.create(
        la_code=la,
        name=f"Protocol {la}",
        country=country,
        escalation_contact="Front door",
        review_date=D(2027, 3, 31),
    )


def _client_in(world, la: str, ref: str) -> Client:
    client = new_client(
        world.provider,
        ref,
        team=world.team,
        keyworker=world.users["keyworker"],
        first_initial="S",
        surname_initial="T",
        dob=D(1988, 5, 5),
        sex="F",
        la=la,
    )
    Child.objects.create(client=client, child_ref="K1", year_of_birth=2019, sex="F")
    return client


def _meeting_on(world, client: Client, day: dt.date, today: dt.date):
    plan = services.start_plan(
        client,
        child=client.children.get(),
        start_date=today - dt.timedelta(days=30),
        user=world.users["keyworker"],
        today=today,
    )
    data = {"kind": "CORE", "date": day, "invited": True, "attendance": "", "notes": ""}
    return services.add_meeting(plan, data, user=world.users["keyworker"], today=today)


@pytest.mark.parametrize(
    "la, country, today, day",
    [
        # Fri 1 Aug 2025: England's 10 working days end Fri 15 Aug; Scotland's summer bank
        # holiday (Mon 4 Aug) pushes its window to Mon 18 Aug.
        (SCOTLAND, "SC", D(2025, 8, 1), D(2025, 8, 18)),
        # Fri 4 Jul 2025: England's window ends Fri 18 Jul; the Battle of the Boyne holiday
        # (Mon 14 Jul) pushes Northern Ireland's to Mon 21 Jul.
        (NORTHERN_IRELAND, "NI", D(2025, 7, 4), D(2025, 7, 21)),
    ],
)
def test_it_counts_the_window_with_the_bank_holidays_of_the_clients_area(
    world, la, country, today, day
):
    _protocol(LA, "EW")
    _protocol(la, country)
    there = _client_in(world, la, "C0200")
    theirs = _meeting_on(world, there, day, today)
    english = _meeting_on(world, world.client_obj, day, today)  # world's client: England
    shown = [m.pk for m in services.upcoming(Client.objects.all(), today)]
    assert theirs.pk in shown
    assert english.pk not in shown
    # a day later is outside both windows
    later = _meeting_on(world, _client_in(world, la, "C0201"), day + dt.timedelta(days=1), today)
    assert later.pk not in [m.pk for m in services.upcoming(Client.objects.all(), today)]


def test_a_client_of_an_area_without_a_protocol_counts_england_and_wales(world):
    _protocol(SCOTLAND, "SC")
    today = D(2025, 8, 1)
    nowhere = _client_in(world, "W06000015", "C0300")  # Cardiff: no protocol here
    m = _meeting_on(world, nowhere, D(2025, 8, 18), today)
    assert m.pk not in [x.pk for x in services.upcoming(Client.objects.all(), today)]
    m15 = _meeting_on(world, _client_in(world, "W06000015", "C0301"), D(2025, 8, 15), today)
    assert m15.pk in [x.pk for x in services.upcoming(Client.objects.all(), today)]


def test_the_page_lists_the_scottish_clients_meeting(world, as_persona, monkeypatch):
    _protocol(LA, "EW")
    _protocol(SCOTLAND, "SC")
    today = D(2025, 8, 1)
    there = _client_in(world, SCOTLAND, "C0200")
    _meeting_on(world, there, D(2025, 8, 18), today)
    _meeting_on(world, world.client_obj, D(2025, 8, 18), today)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    page = as_persona("keyworker").get(reverse("plans:upcoming")).content.decode()
    assert "C0200, child K1" in page and "C0001, child K1" not in page
    assert "Friday 15 August 2025, with England and Wales bank holidays" in page
