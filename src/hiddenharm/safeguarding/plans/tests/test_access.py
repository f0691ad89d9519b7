"""Every screening and plans URL as every persona: who is let in, who is refused, and that
lists never show another service's clients. Records are reached through their client, so
the caseload rule (break-the-glass) holds here too."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from hiddenharm.accounts.models import Role
from hiddenharm.accounts.testing import PERSONAS, make_user
from hiddenharm.safeguarding.plans.models import ChildProtectionPlan, PlanMeeting
from hiddenharm.safeguarding.plans.testing import records_for
from hiddenharm.safeguarding.screening.models import Screening

pytestmark = pytest.mark.django_db
READ_ONLY = {
    "screening:due",
    "screening:detail",
    "plans:list",
    "plans:upcoming",
    "plans:overdue",
    "plans:detail",
    "plans:report",
}
LISTS = {"screening:due", "plans:list", "plans:upcoming", "plans:overdue"}


def our_urls(world):
    ids = {"client_id": world.client_obj.pk, **records_for(world)}
    out = {}
    for ns in ("screening", "plans"):
        resolver = get_resolver().namespace_dict[ns][1]
        for p in resolver.url_patterns:
            name = f"{ns}:{p.name}"
            out[name] = reverse(name, kwargs={k: ids[k] for k in p.pattern.converters})
    return out


def test_every_view_declares_its_roles(world):
    from django.urls import resolve

    for name, url in our_urls(world).items():
        roles = set(resolve(url).func.hh_roles)
        expected = (
            {Role.KEYWORKER, Role.MANAGER, Role.DATA_LEAD}
            if name in READ_ONLY
            else {Role.KEYWORKER, Role.MANAGER}
        )
        assert roles == expected, name


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_is_let_in_or_refused(persona, world, as_persona):
    urls = our_urls(world)
    http = as_persona(persona)
    counts = (
        Screening.objects.count(),
        ChildProtectionPlan.objects.count(),
        PlanMeeting.objects.count(),
    )
    for name, url in urls.items():
        r = http.get(url)
        if persona == "visitor":
            assert r.status_code == 302 and r["Location"].startswith(reverse("login")), name
            continue
        if persona in ("keyworker", "manager"):
            allowed = True
        elif persona == "data_lead":
            allowed = name in READ_ONLY
        elif persona == "other_keyworker":
            allowed = name in LISTS  # their own (empty) lists; never provider A's records
        else:
            allowed = False
        assert r.status_code == (200 if allowed else 403), f"{name} as {persona}: {r.status_code}"
        if allowed and name in LISTS and persona == "other_keyworker":
            assert b"C0001" not in r.content, name
        if not allowed:
            assert http.post(url, {}).status_code in (403, 405), f"POST {name} as {persona}"
    assert counts == (
        Screening.objects.count(),
        ChildProtectionPlan.objects.count(),
        PlanMeeting.objects.count(),
    )


def test_the_report_is_a_pdf_for_those_who_read(world, as_persona):
    url = our_urls(world)["plans:report"]
    for persona in ("keyworker", "manager", "data_lead"):
        r = as_persona(persona).get(url)
        assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_a_keyworker_outside_the_clients_caseload_is_refused(world, client):
    outsider = make_user("kw_other_team", Role.KEYWORKER, world.provider)  # same service, no team
    client.force_login(outsider)
    for name, url in our_urls(world).items():
        if name not in LISTS:
            assert client.get(url).status_code == 403, name
        else:
            assert b"C0001" not in client.get(url).content, name
