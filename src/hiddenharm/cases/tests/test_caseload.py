"""Caseloads, finding by reference, assignment: who may list and assign what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases.models import ChildStatus
from hiddenharm.cases.tests.builders import new_client

pytestmark = pytest.mark.django_db


def _unassigned(world, ref="C0900", provider=None):
    return new_client(provider or world.provider, ref, dob=dt.date(1980, 1, 1))


def test_it_lists_a_keyworkers_own_caseload_with_its_tags(world, as_persona):
    ChildStatus.objects.filter(child=world.child).update(csc_status="LAC")
    http = as_persona("keyworker")
    response = http.get(reverse("cases:caseload"))
    assert response.context["scope"] == "mine"
    rows = response.context["rows"]
    assert [c.client_ref for c in rows] == ["C0001"]
    assert ("Looked after", "govuk-tag--purple") in rows[0].tags
    event = AuditEvent.objects.filter(kind="view_list").latest("pk")
    assert event.details["client_ids"] == [world.client_obj.pk]
    # Keyworkers do not see the unassigned list, nor assign.
    assert http.get(reverse("cases:caseload"), {"scope": "unassigned"}).status_code == 403
    assert http.post(reverse("cases:assign_many"), {}).status_code == 403


def test_it_filters_the_caseload(world, as_persona):
    _unassigned(world, "C0901").episodes.exists()
    http = as_persona("manager")
    url = reverse("cases:caseload")
    everyone = http.get(url, {"scope": "service"}).context["rows"]
    assert {c.client_ref for c in everyone} == {"C0001", "C0901"}
    for show, expected in (("open", ["C0001"]), ("children", ["C0001"]), ("plan", [])):
        rows = http.get(url, {"scope": "service", "show": show}).context["rows"]
        assert [c.client_ref for c in rows] == expected, show
    ChildStatus.objects.filter(child=world.child).update(csc_status="CPP")
    rows = http.get(url, {"scope": "service", "show": "plan"}).context["rows"]
    assert [c.client_ref for c in rows] == ["C0001"]


def test_it_lets_a_manager_assign_the_unassigned_in_bulk(world, as_persona):
    a, b = _unassigned(world, "C0901"), _unassigned(world, "C0902")
    http = as_persona("manager")
    unassigned = http.get(reverse("cases:caseload"), {"scope": "unassigned"}).context["rows"]
    assert {c.client_ref for c in unassigned} == {"C0901", "C0902"}
    response = http.post(
        reverse("cases:assign_many"),
        {
            "clients": [a.pk, b.pk],
            "team": world.team.pk,
            "keyworker": world.users["keyworker"].pk,
            "next": "/clients/caseload/?scope=unassigned",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("scope=unassigned")
    for c in (a, b):
        c.refresh_from_db()
        assert (c.team, c.keyworker, c.version) == (world.team, world.users["keyworker"], 2)
        assert c.history.count() == 2
    assert not http.get(reverse("cases:caseload"), {"scope": "unassigned"}).context["rows"]
    # Somewhere else after assigning: only back to a caseload of this service.
    response = http.post(
        reverse("cases:assign_many"),
        {"clients": [a.pk], "team": world.team.pk, "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("cases:caseload")


def test_it_refuses_to_assign_another_services_client(world, as_persona):
    theirs = _unassigned(world, "B1", provider=world.other_provider)
    http = as_persona("manager")
    response = http.post(
        reverse("cases:assign_many"), {"clients": [theirs.pk], "team": world.team.pk}
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.team is None and theirs.version == 1


def test_it_assigns_one_client_from_their_record(world, as_persona):
    c = _unassigned(world)
    http = as_persona("manager")
    url = reverse("cases:client_assign", args=[c.pk])
    assert http.get(url).context["form"].initial["version"] == 1
    response = http.post(url, {"keyworker": world.users["keyworker"].pk, "version": "1"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.keyworker == world.users["keyworker"] and c.team is None
    # A stale assignment is refused with both shown.
    response = http.post(url, {"team": world.team.pk, "version": "1"})
    assert response.status_code == 200 and response.context["conflict"]


def test_it_finds_a_client_by_reference_in_a_post(world, as_persona):
    http = as_persona("data_lead")
    response = http.post(
        reverse("cases:client_search"), {"by": "reference", "ref-client_ref": "c0001"}
    )
    assert [c.client_ref for c in response.context["results"]] == ["C0001"]
    _unassigned(world, "ZZ", provider=world.other_provider)
    response = http.post(
        reverse("cases:client_search"), {"by": "reference", "ref-client_ref": "ZZ"}
    )
    assert response.context["results"] == []
