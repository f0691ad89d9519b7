"""Safeguarding fixtures: the personas of accounts.testing, plus a second CSC team (in another
area), a joint protocol per area, and referrals driven into any state through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from hiddenharm.accounts.models import Organisation, Role
from hiddenharm.accounts.testing import (  # noqa: F401  (fixtures)
    LA,
    as_persona,
    fast_passwords,
    make_user,
    world,
)
from hiddenharm.safeguarding import referrals
from hiddenharm.safeguarding.models import JointProtocol
from hiddenharm.safeguarding.workdays import LONDON

OTHER_LA = "S12000036"  # Edinburgh: Scottish bank holidays


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


@pytest.fixture
def sg(world):  # noqa: F811  (the fixture)
    csc_team = Organisation.objects.get(kind="csc", name="CSC")
    csc2_team = Organisation.objects.create(name="CSC Two", kind="csc", la_code=OTHER_LA)
    world.users["csc2"] = make_user("csc2", Role.CSC, csc2_team)
    JointProtocol.objects.create(
        la_code=LA,
        name="Protocol A",
        escalation_contact="Head of Front Door, 01603 000000",
        review_date=dt.date(2027, 3, 31),
    )
    JointProtocol.objects.create(
        la_code=OTHER_LA,
        name="Protocol B",
        country="SC",
        ack_days=2,
        decision_days=3,
        escalation_contact="Duty manager",
        review_date=dt.date(2026, 1, 31),
    )
    world.csc_team, world.csc2_team = csc_team, csc2_team
    return world


def draft(w, *, team=None, children=("K1",), consent="GIVEN", **extra):
    data = {
        "children": list(children),
        "concerns": ["NEGLECT", "PARENTAL_SUBSTANCE_USE"],
        "description": "Found the children alone at home",
        "risk": "Young child, parent intoxicated",
        "service_action": "Daily supervised consumption",
        "consent": consent,
        "without_consent_reason": ""
        if consent == "GIVEN"
        else "Asking would put the child at risk",
        "team": team if team is not None else w.csc_team,
        **extra,
    }
    return referrals.create_referral(
        w.users["keyworker"], w.client_obj, data, at=at("2026-11-27", "09:00")
    )


PATH = {
    "draft": [],
    "sent": [("send", "keyworker", {})],
    "acknowledged": [("send", "keyworker", {}), ("acknowledge", "csc", {})],
    "decided": [
        ("send", "keyworker", {}),
        ("acknowledge", "csc", {}),
        ("decide", "csc", {"outcome": "ASSESSMENT"}),
    ],
    "closed": [
        ("send", "keyworker", {}),
        ("decide", "csc", {"outcome": "NFA"}),
        ("close", "keyworker", {}),
    ],
    "withdrawn": [("send", "keyworker", {}), ("withdraw", "keyworker", {"reason": "Sent twice"})],
}


def in_state(w, state: str):
    """A referral driven to `state` through the services (sent on Friday 27 November 2026)."""
    r = draft(w)
    times = iter([at("2026-11-27", "10:00"), at("2026-11-27", "15:00"), at("2026-11-30", "11:00")])
    for action, who, kw in PATH[state]:
        r = referrals.move(w.users[who], r, action, at=next(times), **kw)
    assert r.state == state
    return r
