"""A screening decided "refer" carried across to the referral form: the children, the
concerns its answers point to and its reasons, to check and change before saving."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hiddenharm.cases.models import Child, ChildStatus
from hiddenharm.cases.tests.builders import new_client
from hiddenharm.safeguarding.models import Referral
from hiddenharm.safeguarding.screening import referral, services
from hiddenharm.safeguarding.screening.demo import CALM

pytestmark = pytest.mark.django_db

WORRYING = {
    "under_five": "YES",
    "use_while_caring": "OFTEN",
    "domestic_abuse": "YES",
    "school_attendance": "NOT_SCHOOL_AGE",
}


def _screen(world, client=None, **changes):
    return services.record_screening(
        client or world.client_obj,
        screened_on=dt.date(2025, 1, 22),
        answers={**CALM, **changes},
        decided_action="REFER",
        decision_reason="" if changes else "Told of a recent overdose",
        user=world.users["keyworker"],
        today=dt.date(2025, 3, 3),
    )


def _form_url(world, screening, client=None) -> str:
    url = reverse("safeguarding:referral_create", args=[(client or world.client_obj).pk])
    return f"{url}?screening={screening.pk}"


def test_it_fills_the_referral_form_from_the_screening(as_persona, world):
    # a second child, living with the other parent: not named (K1 lives with the client)
    other = Child.objects.create(client=world.client_obj, child_ref="K2", year_of_birth=2012)
    ChildStatus.objects.create(child=other, recorded_on=dt.date(2025, 1, 20), whereabouts="OPARENT")
    screening = _screen(world, **WORRYING)
    assert screening.suggested_action == "REFER"
    response = as_persona("keyworker").get(_form_url(world, screening))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["children"] == ["K1"]
    assert initial["concerns"] == ["DOMESTIC_ABUSE", "PARENTAL_SUBSTANCE_USE"]
    description = initial["description"]
    assert description.startswith("From the safeguarding screening of 22 January 2025")
    for reason in screening.suggestion_reasons:  # the rules' words, as they matched
        assert f"- {reason}" in description
    assert "Decided: Refer" in description
    # the answers behind the concerns, in words (not the calm ones)
    assert initial["risk"].splitlines() == [
        "Does the client use drugs or alcohol while caring for the children? Often or usually",
        "Is there domestic abuse in the household, now or in the last year? Yes",
    ]
    page = response.content.decode()
    assert 'id="from-screening"' in page
    assert "A child under five with a carer who often uses while caring" in page


def test_it_carries_the_keyworkers_reason_when_the_decision_differs(as_persona, world):
    screening = _screen(world)  # calm answers, but the keyworker decided to refer
    initial = referral.referral_initial(screening)
    assert initial["concerns"] == []
    assert "Suggested: No concern noted." in initial["description"]
    assert "Why: Told of a recent overdose" in initial["description"]
    assert initial["children"] == ["K1"]


def test_it_maps_a_pregnancy_to_an_unborn_child_and_other_answers_to_their_concerns():
    answers = {
        **CALM,
        "pregnancy": "YES",
        "mental_health": "YES",
        "parenting": "SOME_GAPS",
        "other_services": ["NONE"],
    }
    assert referral.concerns_from(answers) == ["NEGLECT", "PARENTAL_MENTAL_HEALTH", "UNBORN"]
    assert referral.concerns_from(CALM) == []


def test_it_saves_what_the_keyworker_changed_not_what_was_filled_in(as_persona, world):
    screening = _screen(world, **WORRYING)
    response = as_persona("keyworker").post(
        _form_url(world, screening),
        {
            "children": ["K1"],
            "concerns": ["NEGLECT"],
            "description": "Changed after talking to the school",
            "consent": "GIVEN",
        },
    )
    assert response.status_code == 302
    saved = Referral.objects.get()
    assert saved.concerns == ["NEGLECT"]
    assert saved.description == "Changed after talking to the school"


def test_it_links_the_referral_and_the_screening_it_was_made_from(as_persona, world):
    from hiddenharm.audit.models import AuditEvent

    screening = _screen(world, **WORRYING)
    http = as_persona("keyworker")
    data = {"children": ["K1"], "concerns": ["NEGLECT"], "consent": "GIVEN"}
    assert http.post(_form_url(world, screening), data).status_code == 302
    made = Referral.objects.get()
    assert made.screening == screening
    event = AuditEvent.objects.get(kind="referral", object_id=str(made.pk))
    assert "screening" in event.details["fields"]
    page = http.get(reverse("safeguarding:referral_detail", args=[made.pk])).content.decode()
    assert 'id="made-from"' in page and reverse("screening:detail", args=[screening.pk]) in page
    page = http.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert 'id="referrals-made"' in page
    assert reverse("safeguarding:referral_detail", args=[made.pk]) in page
    # a referral written without a screening names none
    plain = reverse("safeguarding:referral_create", args=[world.client_obj.pk])
    assert http.post(plain, data).status_code == 302
    assert Referral.objects.exclude(pk=made.pk).get().screening is None


def test_it_refuses_to_link_a_screening_of_another_client(world):
    from django.core.exceptions import PermissionDenied

    from hiddenharm.safeguarding import referrals

    screening = _screen(world, **WORRYING)
    someone_else = new_client(
        world.provider, "C0003", team=world.team, keyworker=world.users["keyworker"]
    )
    with pytest.raises(PermissionDenied):
        referrals.create_referral(
            world.users["keyworker"], someone_else, {"concerns": ["NEGLECT"]}, screening=screening
        )
    assert not Referral.objects.exists()


def test_it_refuses_a_screening_of_another_client_or_service(as_persona, world):
    screening = _screen(world, **WORRYING)
    someone_else = new_client(
        world.provider, "C0002", team=world.team, keyworker=world.users["keyworker"]
    )
    http = as_persona("keyworker")
    assert http.get(_form_url(world, screening, someone_else)).status_code == 403
    bad = reverse("safeguarding:referral_create", args=[world.client_obj.pk]) + "?screening=x"
    assert http.get(bad).status_code == 403
    assert as_persona("other_keyworker").get(_form_url(world, screening)).status_code == 403


def test_it_offers_the_filled_in_form_from_the_screening(as_persona, world):
    screening = _screen(world, **WORRYING)
    page = as_persona("keyworker").get(reverse("screening:detail", args=[screening.pk]))
    assert f'href="{_form_url(world, screening)}"' in page.content.decode()
