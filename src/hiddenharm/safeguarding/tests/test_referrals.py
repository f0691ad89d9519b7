"""The referral state machine of spec/safeguarding.md: every move from every state, by every
role; refused moves change nothing and say why."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from hiddenharm.audit.models import AuditEvent
from hiddenharm.safeguarding import codes, referrals
from hiddenharm.safeguarding.models import InformationShare, Referral
from hiddenharm.safeguarding.tests.conftest import at, draft, in_state

ARGS = {
    "decide": {"outcome": "S47", "note": "Strategy discussion today"},
    "withdraw": {"reason": "Duplicate"},
}
# Who may make each move (the spec's "who"): the treatment service's writers, the receiving team.
SIDE = {"keyworker": "treatment", "manager": "treatment", "csc": "csc"}
ALLOWED = {  # (state, action) -> the state entered
    ("draft", "send"): "sent",
    ("sent", "acknowledge"): "acknowledged",
    ("sent", "decide"): "decided",
    ("acknowledged", "decide"): "decided",
    ("decided", "close"): "closed",
    ("draft", "withdraw"): "withdrawn",
    ("sent", "withdraw"): "withdrawn",
    ("acknowledged", "withdraw"): "withdrawn",
}
PEOPLE = ("keyworker", "manager", "data_lead", "csc", "csc2", "other_keyworker", "commissioner")


def snapshot(r: Referral) -> dict:
    r.refresh_from_db()
    return {f.name: getattr(r, f.name) for f in Referral._meta.concrete_fields}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(codes.STATES))
def test_it_makes_exactly_the_moves_the_spec_allows_from_every_state(sg, state):
    for action, (_, _entered, who) in codes.MOVES.items():
        for person in PEOPLE:
            r = in_state(sg, state)
            before = snapshot(r)
            events = AuditEvent.objects.count()
            side = SIDE.get(person)
            may = side is not None and who in (side, "either")
            expected = ALLOWED.get((state, action))
            label = f"{state} --{action}--> by {person}"
            if not may:
                with pytest.raises(PermissionDenied):
                    referrals.move(sg.users[person], r, action, **ARGS.get(action, {}))
            elif expected is None:
                with pytest.raises(referrals.MoveRefused) as refused:
                    referrals.move(sg.users[person], r, action, **ARGS.get(action, {}))
                assert codes.STATES[state].lower() in str(refused.value), label
            else:
                moved = referrals.move(sg.users[person], r, action, **ARGS.get(action, {}))
                assert moved.state == expected, label
                assert AuditEvent.objects.filter(kind="referral").count() > 0
                continue
            assert snapshot(r) == before, f"{label} changed the referral"
            assert AuditEvent.objects.count() == events, f"{label} wrote an audit event"


@pytest.mark.django_db
def test_it_sets_the_times_of_each_state(sg):
    r = in_state(sg, "decided")
    assert r.sent_at == at("2026-11-27", "10:00")
    assert r.acknowledged_at == at("2026-11-27", "15:00")
    assert r.decided_at == at("2026-11-30", "11:00") and r.outcome == "ASSESSMENT"


@pytest.mark.django_db
def test_it_sets_acknowledged_at_to_decided_at_when_deciding_from_sent(sg):
    r = in_state(sg, "sent")
    r = referrals.move(sg.users["csc"], r, "decide", outcome="EARLY_HELP", at=at("2026-11-30"))
    assert r.acknowledged_at == r.decided_at == at("2026-11-30")


@pytest.mark.django_db
def test_it_refuses_to_send_without_what_the_spec_needs(sg):
    r = referrals.create_referral(sg.users["keyworker"], sg.client_obj, {})
    with pytest.raises(referrals.ReferralInvalid) as e:
        referrals.move(sg.users["keyworker"], r, "send")
    assert set(e.value.errors) == {"children", "concerns", "description", "team", "consent"}
    r.refresh_from_db()
    assert r.state == "draft" and r.sent_at is None


@pytest.mark.django_db
def test_it_refuses_sending_without_consent_without_a_reason(sg):
    r = draft(sg, consent="REFUSED", without_consent_reason="")
    with pytest.raises(referrals.ReferralInvalid) as e:
        referrals.move(sg.users["keyworker"], r, "send")
    assert "without_consent_reason" in e.value.errors


@pytest.mark.django_db
def test_it_needs_an_outcome_code_to_decide_and_a_reason_to_withdraw(sg):
    r = in_state(sg, "sent")
    with pytest.raises(referrals.ReferralInvalid) as e:
        referrals.move(sg.users["csc"], r, "decide", outcome="MAYBE")
    assert "outcome" in e.value.errors
    with pytest.raises(referrals.ReferralInvalid) as e:
        referrals.move(sg.users["keyworker"], r, "withdraw", reason="  ")
    assert "reason" in e.value.errors
    r.refresh_from_db()
    assert r.state == "sent"


@pytest.mark.django_db
def test_it_refuses_children_who_are_not_the_clients(sg):
    with pytest.raises(referrals.ReferralInvalid) as e:
        draft(sg, children=("K1", "NOT-MINE"))
    assert "NOT-MINE" in e.value.errors["children"]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_referral_about_another_services_client(sg):
    with pytest.raises(PermissionDenied):
        referrals.create_referral(sg.users["other_keyworker"], sg.client_obj, {})
    with pytest.raises(PermissionDenied):
        referrals.create_referral(sg.users["csc"], sg.client_obj, {})


@pytest.mark.django_db
def test_it_records_a_sent_referral_as_an_information_share(sg):
    r = draft(sg, consent="NOT_SOUGHT")
    referrals.move(sg.users["keyworker"], r, "send", at=at("2026-11-27"))
    share = InformationShare.objects.get(referral=r)
    assert share.shared and share.recipient == sg.csc_team
    assert share.lawful_basis == "SAFEGUARDING_CHILD" and share.without_consent
    assert share.without_consent_reason == "Asking would put the child at risk"
    assert AuditEvent.objects.filter(kind="information_share", object_id=str(share.pk)).exists()


@pytest.mark.django_db
def test_it_leaves_exactly_one_audit_event_per_move(sg):
    r = draft(sg)
    start = AuditEvent.objects.filter(kind="referral").count()
    referrals.move(sg.users["keyworker"], r, "send")
    referrals.move(sg.users["csc"], r, "acknowledge")
    referrals.move(sg.users["csc"], r, "decide", outcome="NFA")
    referrals.move(sg.users["csc"], r, "close")
    moves = AuditEvent.objects.filter(kind="referral").order_by("id")[start:]
    assert [e.details["action"] for e in moves] == ["send", "acknowledge", "decide", "close"]
    assert all(e.object_id == str(r.pk) for e in moves)


@pytest.mark.django_db
def test_it_rolls_back_the_move_when_its_audit_event_fails(sg, monkeypatch):
    r = draft(sg)

    def broken(*a, **k):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(referrals, "record", broken)
    with pytest.raises(RuntimeError):
        referrals.move(sg.users["keyworker"], r, "send")
    r.refresh_from_db()
    assert r.state == "draft" and r.sent_at is None
    assert not InformationShare.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_stale_edit_of_a_draft(sg):
    r = draft(sg)
    referrals.update_draft(sg.users["manager"], r, {"risk": "Updated"}, version=r.version)
    with pytest.raises(referrals.MoveRefused):
        referrals.update_draft(sg.users["keyworker"], r, {"risk": "Mine"}, version=r.version)
    r.refresh_from_db()
    assert r.risk == "Updated" and r.version == 2


@pytest.mark.django_db
def test_it_shows_the_referral_in_the_api_shape(sg):
    r = in_state(sg, "sent")
    shown = referrals.referral_json(r)
    assert shown["state"] == "sent" and shown["provider"] == "AGA1" and shown["client"] == "C0001"
    assert shown["team"] == {"id": sg.csc_team.pk, "name": "CSC", "la": "E10000020"}
    assert shown["children"] == [{"ref": "K1", "year_of_birth": 2016, "sex": "M"}]
    assert shown["sent_at"] == "2026-11-27T10:00:00Z"
    # Sent on a Friday with 1 working day: the end of Monday.
    assert shown["deadlines"] == {
        "acknowledgement": "2026-11-30T23:59:59Z",
        "decision": "2026-11-30T23:59:59Z",
    }
    assert referrals.referral_json(draft(sg))["deadlines"] is None
