"""The safeguarding pages: who sees what, what each action writes, and that nothing leaks to
children's social care beyond what a referral sent to their team holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases.models import Child
from hiddenharm.cases.tests.builders import new_client
from hiddenharm.safeguarding import referrals
from hiddenharm.safeguarding.models import (
    GlassBreak,
    InformationRequest,
    InformationShare,
    Referral,
)
from hiddenharm.safeguarding.tests.conftest import draft, in_state


def sign_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_it_walks_a_referral_from_keyworker_to_csc_and_back(sg, client):
    kw, csc = sg.users["keyworker"], sg.users["csc"]
    sign_in(client, kw)
    page = client.get(reverse("safeguarding:referral_create", args=[sg.client_obj.pk]))
    assert page.status_code == 200 and b"K1" in page.content
    response = client.post(
        reverse("safeguarding:referral_create", args=[sg.client_obj.pk]),
        {
            "children": ["K1"],
            "concerns": ["NEGLECT", "PARENTAL_SUBSTANCE_USE"],
            "description": "Children alone overnight",
            "risk": "Child under five",
            "service_action": "Daily contact",
            "consent": "NOT_SOUGHT",
            "without_consent_reason": "Seeking consent would put the child at risk",
            "team": str(sg.csc_team.pk),
        },
    )
    r = Referral.objects.get()
    assert response.status_code == 302 and r.state == "draft"
    client.post(reverse("safeguarding:referral_move", args=[r.pk, "send"]))
    r.refresh_from_db()
    assert r.state == "sent"
    sign_in(client, csc)
    inbox = client.get(reverse("safeguarding:referrals"))
    assert f"Referral {r.pk}".encode() in inbox.content
    client.post(reverse("safeguarding:referral_move", args=[r.pk, "acknowledge"]))
    refused = client.post(
        reverse("safeguarding:referral_move", args=[r.pk, "decide"]), {"outcome": ""}
    )
    assert refused.status_code == 422 and b"Choose an outcome" in refused.content
    client.post(
        reverse("safeguarding:referral_move", args=[r.pk, "decide"]),
        {"outcome": "ASSESSMENT", "note": "Allocated to a social worker"},
    )
    r.refresh_from_db()
    assert r.state == "decided" and r.outcome == "ASSESSMENT"
    sign_in(client, kw)
    home = client.get("/")
    assert b"Outcome of a referral" in home.content and b"section 17" in home.content


@pytest.mark.django_db
def test_it_keeps_the_form_and_says_what_to_fix_when_a_child_is_not_the_clients(sg, client):
    sign_in(client, sg.users["keyworker"])
    response = client.post(
        reverse("safeguarding:referral_create", args=[sg.client_obj.pk]),
        {"children": ["NOPE"], "description": "Typed text stays"},
    )
    assert response.status_code == 200 and b"Typed text stays" in response.content
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_it_says_why_a_refused_move_changed_nothing(sg, client):
    r = in_state(sg, "closed")
    sign_in(client, sg.users["keyworker"])
    response = client.post(
        reverse("safeguarding:referral_move", args=[r.pk, "withdraw"]), {"reason": "x"}, follow=True
    )
    assert b"This referral is closed" in response.content
    r.refresh_from_db()
    assert r.state == "closed"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["csc2", "other_keyworker", "commissioner", "visitor"])
def test_it_shows_a_referral_to_no_one_outside_its_two_sides(sg, client, who):
    r = in_state(sg, "sent")
    sign_in(client, sg.users.get(who))
    for name, args in (
        ("safeguarding:referral_detail", [r.pk]),
        ("safeguarding:referral_edit", [r.pk]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code in (302, 403), (name, who)
        assert b"Children left" not in response.content
    response = client.post(reverse("safeguarding:referral_move", args=[r.pk, "acknowledge"]))
    assert response.status_code in (302, 403)
    r.refresh_from_db()
    assert r.state == "sent"


@pytest.mark.django_db
def test_it_never_shows_csc_a_draft_or_any_treatment_record(sg, client):
    d = draft(sg)
    sent = in_state(sg, "sent")
    sign_in(client, sg.users["csc"])
    assert client.get(reverse("safeguarding:referral_detail", args=[d.pk])).status_code == 403
    assert client.get(reverse("safeguarding:referral_detail", args=[sent.pk])).status_code == 200
    for url in (
        reverse("cases:client_detail", args=[sg.client_obj.pk]),
        reverse("cases:child_detail", args=[sg.child.pk]),
        reverse("cases:client_search"),
        reverse("cases:worklist"),
        reverse("safeguarding:share_list"),
        reverse("safeguarding:share_create", args=[sg.client_obj.pk]),
        reverse("safeguarding:referral_create", args=[sg.client_obj.pk]),
        reverse("safeguarding:activity"),
    ):
        assert client.get(url).status_code == 403, url
    # The referral page holds only what the referral holds: no link to the treatment record.
    page = client.get(reverse("safeguarding:referral_detail", args=[sent.pk])).content.decode()
    assert "/clients/" not in page and "1985" not in page  # no date of birth, no record link


@pytest.mark.django_db
def test_it_shows_each_csc_team_only_its_own_referrals(sg, client):
    mine = in_state(sg, "sent")
    theirs = draft(sg, team=sg.csc2_team)
    referrals.move(sg.users["keyworker"], theirs, "send")
    sign_in(client, sg.users["csc2"])
    listed = client.get(reverse("safeguarding:referrals")).content.decode()
    assert f"Referral {theirs.pk}" in listed and f"Referral {mine.pk}<" not in listed
    assert client.get(reverse("safeguarding:referral_detail", args=[mine.pk])).status_code == 403


@pytest.mark.django_db
def test_it_records_sharing_without_consent_only_with_a_reason(sg, client):
    sign_in(client, sg.users["keyworker"])
    url = reverse("safeguarding:share_create", args=[sg.client_obj.pk])
    data = {
        "shared": "yes",
        "categories": ["RISK"],
        "recipient": str(sg.csc_team.pk),
        "purpose": "Concern about the children",
        "lawful_basis": "SAFEGUARDING_CHILD",
        "consent": "REFUSED",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not InformationShare.objects.exists()
    assert b"without the client" in response.content
    client.post(url, {**data, "without_consent_reason": "Risk of significant harm"})
    share = InformationShare.objects.get()
    assert share.without_consent
    assert AuditEvent.objects.filter(kind="information_share").count() == 1
    sign_in(client, sg.users["data_lead"])
    listed = client.get(reverse("safeguarding:share_list") + "?show=without_consent")
    assert b"Risk of significant harm" in listed.content


@pytest.mark.django_db
def test_it_lets_csc_ask_and_the_service_answer_with_a_recorded_decision(sg, client):
    sign_in(client, sg.users["csc"])
    client.post(
        reverse("safeguarding:request_create"),
        {
            "provider": str(sg.provider.pk),
            "their_reference": "CSC-42",
            "about": "Mother A.B., born 27/03/1985",
            "question": "Is she in treatment and engaging?",
            "purpose": "Child and family assessment",
        },
    )
    req = InformationRequest.objects.get()
    sign_in(client, sg.users["other_keyworker"])
    assert client.get(reverse("safeguarding:request_detail", args=[req.pk])).status_code == 403
    sign_in(client, sg.users["manager"])
    client.post(
        reverse("safeguarding:request_detail", args=[req.pk]),
        {
            "client_ref": "C0001",
            "shared": "yes",
            "categories": ["ATTENDANCE"],
            "purpose": "Assessment under section 17",
            "lawful_basis": "PUBLIC_TASK",
            "consent": "GIVEN",
            "answer": "In treatment since January 2025, attending well",
        },
    )
    req.refresh_from_db()
    assert req.answered_at is not None and req.client == sg.client_obj
    assert InformationShare.objects.get().request == req
    sign_in(client, sg.users["csc"])
    page = client.get(reverse("safeguarding:request_detail", args=[req.pk]))
    assert b"attending well" in page.content


@pytest.mark.django_db
def test_it_opens_another_teams_client_only_by_breaking_the_glass(sg, client, settings):
    from hiddenharm.accounts.models import Team

    other_team = Team.objects.create(organisation=sg.provider, name="A2")
    other = new_client(
        sg.provider,
        "C0002",
        team=other_team,
        first_initial="C",
        surname_initial="D",
        dob="1990-01-01",
    )
    Child.objects.create(client=other, child_ref="K9")
    sign_in(client, sg.users["keyworker"])
    url = reverse("cases:client_detail", args=[other.pk])
    refused = client.get(url)
    assert refused.status_code == 403 and b"Break the glass" in refused.content
    glass_url = reverse("safeguarding:glass_break", args=[other.pk])
    assert client.post(glass_url, {"reason": ""}).status_code == 200
    assert not GlassBreak.objects.exists()
    client.post(glass_url, {"reason": "Keyworker off sick; school raised a concern"})
    glass = GlassBreak.objects.get()
    assert (glass.expires_at - glass.started_at).total_seconds() == 8 * 3600
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(kind="break_glass", object_id=str(other.pk)).exists()
    # The data lead reviews it; an id of another service is refused like an unknown one.
    sign_in(client, sg.users["data_lead"])
    assert b"school raised a concern" in client.get(reverse("safeguarding:glass_list")).content
    sign_in(client, sg.users["other_keyworker"])
    assert client.get(glass_url).status_code == 403


@pytest.mark.django_db
def test_it_shows_activity_to_managers_in_full_and_to_commissioners_suppressed(sg, client):
    in_state(sg, "decided")
    sign_in(client, sg.users["manager"])
    full = client.get(reverse("safeguarding:activity"))
    assert full.status_code == 200 and full.context["f"]["by_agency"]["AGA1"]["children"] == 1
    sign_in(client, sg.users["commissioner"])
    published = client.get(reverse("safeguarding:activity"))
    assert published.context["f"]["children"] is None and published.context["f"]["sent"] == 1
    # the words say what was done: small counts hidden, `sent` and `due` shown as totals
    assert b'id="activity-published-note"' not in full.content
    note = published.content.decode()
    assert 'id="activity-published-note"' in note and "are totals and shown as they are" in note
    assert 'id="children">*</span>' in note and 'id="sent">1</span>' in note


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0001", "9999", "abcd", "31"])
def test_it_answers_a_bad_period_with_a_message_not_an_error(sg, client, value):
    sign_in(client, sg.users["data_lead"])
    response = client.get(
        reverse("safeguarding:activity"), {"from_0": "31", "from_1": "2", "from_2": value}
    )
    assert response.status_code == 200 and b"govuk-error-message" in response.content


@pytest.mark.django_db
def test_it_flags_a_protocol_past_its_review_date(sg, client):
    sign_in(client, sg.users["commissioner"])
    page = client.get(reverse("safeguarding:protocols")).content.decode()
    assert page.count("Review overdue") == 1 and "Protocol B" in page


@pytest.mark.django_db
def test_it_starts_a_pre_birth_referral_from_the_pregnancy(sg, client):
    import datetime as dt

    from django.utils import timezone

    from hiddenharm.cases.models import Pregnancy

    edd = timezone.localdate() + dt.timedelta(days=90)
    Pregnancy.objects.create(client=sg.client_obj, recorded_on=timezone.localdate(), edd=edd)
    sign_in(client, sg.users["keyworker"])
    record = client.get(reverse("cases:client_detail", args=[sg.client_obj.pk]))
    assert b"Make a pre-birth referral" in record.content
    form = client.get(
        reverse("safeguarding:referral_create", args=[sg.client_obj.pk]) + "?prebirth=1"
    )
    assert form.context["form"].initial == {"unborn_edd": edd, "concerns": ["UNBORN"]}
    r = referrals.create_referral(
        sg.users["keyworker"],
        sg.client_obj,
        {
            "unborn_edd": edd,
            "concerns": ["UNBORN", "PARENTAL_SUBSTANCE_USE"],
            "description": "Using heroin in pregnancy; not booked with a midwife",
            "consent": "GIVEN",
            "team": sg.csc_team,
        },
    )
    r = referrals.move(sg.users["keyworker"], r, "send")
    assert referrals.referral_json(r)["unborn"] == {"edd": edd.isoformat()}
    assert r.number_of_children == 1


@pytest.mark.django_db
def test_it_lets_the_partnership_keep_its_protocol_and_refuses_a_stale_change(sg, client):
    from hiddenharm.safeguarding.models import JointProtocol

    sign_in(client, sg.users["partnership"])
    url = reverse("safeguarding:protocol_edit")
    form = client.get(url)
    version = form.context["form"].initial["version"]
    data = {
        "name": "Protocol A (2027)",
        "ack_days": "2",
        "decision_days": "1",
        "contribution_days": "3",
        "country": "EW",
        "escalation_contact": "Head of service",
        "review_date_0": "31",
        "review_date_1": "3",
        "review_date_2": "2028",
        "version": str(version),
    }
    assert client.post(url, data).status_code == 302
    p = JointProtocol.objects.get(la_code="E10000020")
    assert p.ack_days == 2 and p.version == version + 1
    stale = client.post(url, {**data, "ack_days": "5"})
    assert stale.status_code == 200 and b"Someone else changed" in stale.content
    p.refresh_from_db()
    assert p.ack_days == 2
    assert AuditEvent.objects.filter(kind="protocol").count() == 1
    bad = client.post(url, {**data, "review_date_2": "9999", "version": str(p.version)})
    assert bad.status_code == 200 and b"govuk-error-message" in bad.content
    sign_in(client, sg.users["manager"])
    assert client.get(url).status_code == 403
