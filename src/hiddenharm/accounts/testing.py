"""Personas for tests: pytest fixtures every app's tests use (imported by their conftest).

keyworker            at provider A (team A1), with a client, an episode and a child
manager, data_lead   at provider A
other_keyworker      at provider B: must never see A's records
commissioner         of the partnership of A's area: figures only
csc                  children's social care practitioner: no treatment records
partnership          partnership administrator of A's area: recommendations, directory
visitor              signed out
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from hiddenharm.accounts.models import Organisation, Profile, Role, Team

PASSWORD = "correct-horse-battery-staple"
LA = "E10000020"

PERSONAS = (
    "keyworker",
    "other_keyworker",
    "manager",
    "data_lead",
    "commissioner",
    "csc",
    "partnership",
    "visitor",
)


@dataclass
class World:
    provider: Organisation
    other_provider: Organisation
    team: Team
    users: dict
    client_obj: object = None
    episode: object = None
    child: object = None


def make_user(username: str, role: str, organisation: Organisation, team: Team | None = None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Profile.objects.create(user=user, role=role, organisation=organisation, team=team)
    return user


def make_world(with_records: bool = True) -> World:
    provider = Organisation.objects.create(
        name="Provider A", kind=Organisation.Kind.PROVIDER, agency_code="AGA1", la_code=LA
    )
    other = Organisation.objects.create(
        name="Provider B", kind=Organisation.Kind.PROVIDER, agency_code="AGB2", la_code=LA
    )
    partnership = Organisation.objects.create(
        name="Partnership", kind=Organisation.Kind.PARTNERSHIP, la_code=LA
    )
    csc_team = Organisation.objects.create(name="CSC", kind=Organisation.Kind.CSC, la_code=LA)
    Organisation.objects.create(name="Maternity", kind=Organisation.Kind.MATERNITY)
    team = Team.objects.create(organisation=provider, name="A1")
    Team.objects.create(organisation=other, name="B1")
    users = {
        "keyworker": make_user("kw", Role.KEYWORKER, provider, team),
        "other_keyworker": make_user("kw_b", Role.KEYWORKER, other),
        "manager": make_user("mgr", Role.MANAGER, provider, team),
        "data_lead": make_user("dl", Role.DATA_LEAD, provider),
        "commissioner": make_user("comm", Role.COMMISSIONER, partnership),
        "csc": make_user("csc", Role.CSC, csc_team),
        "partnership": make_user("padmin", Role.PARTNERSHIP_ADMIN, partnership),
        "visitor": None,
    }
    world = World(provider=provider, other_provider=other, team=team, users=users)
    if with_records:
        from hiddenharm.cases.models import Child, ChildStatus, Client, Episode, HiddenHarmRecord

        client = Client.objects.create(
            provider=provider,
            team=team,
            keyworker=users["keyworker"],
            client_ref="C0001",
            first_initial="A",
            surname_initial="B",
            dob=dt.date(1985, 3, 27),
            sex="F",
            la=LA,
        )
        episode = Episode.objects.create(
            client=client,
            provider=provider,
            episode_ref="E0001",
            referred=dt.date(2025, 1, 6),
            care_plan_start=dt.date(2025, 1, 20),
            drug1="HEROIN",
        )
        HiddenHarmRecord.objects.create(
            episode=episode,
            kind="start",
            recorded_on=dt.date(2025, 1, 20),
            prntstat="11",
            childwth=1,
            pregnant="N",
            earlyhlp="NONE",
        )
        child = Child.objects.create(client=client, child_ref="K1", year_of_birth=2016, sex="M")
        ChildStatus.objects.create(
            child=child, recorded_on=dt.date(2025, 1, 20), whereabouts="CLIENT", csc_status="NONE"
        )
        world.client_obj, world.episode, world.child = client, episode, child
    return world


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def as_persona(client, world):
    """as_persona(name) -> a Django test client signed in as that persona (or signed out)."""

    def sign_in(name: str):
        client.logout()
        user = world.users[name]
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Tests need no slow password hashing (PBKDF2 takes a large part of a second per user)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
