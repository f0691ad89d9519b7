"""The referral endpoints of spec/api.md over the safeguarding services: every status code,
both sides, and the 404 for another team or provider."""

import pytest

from hiddenharm.accounts.models import Organisation, Role
from hiddenharm.accounts.testing import LA, make_user
from hiddenharm.api.schemas import ReferralsOut
from hiddenharm.api.tests.helpers import assert_problem
from hiddenharm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals"


@pytest.fixture
def csc_team(world):
    return Organisation.objects.get(kind="csc", name="CSC")


@pytest.fixture
def body(csc_team):
    return {
        "client": "C0001",
        "children": ["K1"],
        "unborn": None,
        "concerns": ["NEGLECT", "PARENTAL_SUBSTANCE_USE"],
        "description": "Children left alone in the evenings",
        "risk": "Young children unsupervised",
        "service_action": "Weekly keywork",
        "consent": "NOT_SOUGHT",
        "without_consent_reason": "Asking would put the children at risk",
        "team": csc_team.pk,
    }


def make(api_client, token, body) -> dict:
    response = api_client.post(URL, token, body)
    assert response.status_code == 201, response.content
    return response.json()


def test_it_lists_the_teams_for_any_referral_scope(api_client, token_for, csc_team):
    for scope in ("referrals:read", "referrals:write"):
        response = api_client.get("/api/v1/teams", token_for("keyworker", scope))
        assert response.status_code == 200
        assert {"id": csc_team.pk, "name": "CSC", "la": LA} in response.json()["teams"]
    assert_problem(api_client.get("/api/v1/teams", token_for("keyworker", "submissions")), 403)
    assert_problem(api_client.get("/api/v1/teams"), 401)


def test_it_makes_a_draft_in_the_spec_shape(api_client, token_for, body, csc_team):
    r = make(api_client, token_for("keyworker", "referrals:write"), body)
    assert r["state"] == "draft" and r["provider"] == "AGA1" and r["client"] == "C0001"
    assert r["team"] == {"id": csc_team.pk, "name": "CSC", "la": LA}
    assert r["children"] == [{"ref": "K1", "year_of_birth": 2016, "sex": "M"}]
    assert r["sent_at"] is None and r["deadlines"] is None and r["unborn"] is None
    assert set(r) == {
        "id", "state", "provider", "client", "team", "children", "unborn", "concerns",
        "description", "risk", "service_action", "consent", "without_consent_reason",
        "created_at", "sent_at", "acknowledged_at", "decided_at", "outcome", "closed_at",
        "withdrawn_at", "deadlines",
    }  # fmt: skip
    assert r["created_at"].endswith("Z")


def test_it_walks_a_referral_through_every_move(api_client, token_for, body):
    kw, csc = token_for("keyworker"), token_for("csc")
    r = make(api_client, kw, body)
    # CSC never sees a draft
    assert_problem(api_client.get(f"{URL}/{r['id']}", csc), 404)
    assert api_client.get(URL, csc).json() == {"referrals": []}
    sent = api_client.post(f"{URL}/{r['id']}/send", kw).json()
    assert sent["state"] == "sent" and sent["deadlines"]["acknowledgement"].endswith("Z")
    assert api_client.get(f"{URL}/{r['id']}", csc).json()["state"] == "sent"
    assert api_client.post(f"{URL}/{r['id']}/acknowledge", csc).json()["state"] == "acknowledged"
    decided = api_client.post(
        f"{URL}/{r['id']}/decide", csc, {"outcome": "ASSESSMENT", "note": "x"}
    )
    assert decided.status_code == 200 and decided.json()["outcome"] == "ASSESSMENT"
    closed = api_client.post(f"{URL}/{r['id']}/close", kw)
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert_problem(api_client.post(f"{URL}/{r['id']}/withdraw", kw, {"reason": "late"}), 409)
    assert AuditEvent.objects.filter(kind="view_referral", details__via="api").exists()
    assert AuditEvent.objects.filter(kind="referral", object_id=str(r["id"])).count() >= 5


def test_it_answers_409_for_a_move_the_state_refuses(api_client, token_for, body):
    kw, csc = token_for("keyworker"), token_for("csc")
    r = make(api_client, kw, body)
    assert_problem(api_client.post(f"{URL}/{r['id']}/close", kw), 409)
    api_client.post(f"{URL}/{r['id']}/send", kw)
    assert_problem(api_client.post(f"{URL}/{r['id']}/send", kw), 409)
    withdrawn = api_client.post(f"{URL}/{r['id']}/withdraw", kw, {"reason": "sent in error"})
    assert withdrawn.json()["state"] == "withdrawn"
    assert_problem(api_client.post(f"{URL}/{r['id']}/acknowledge", csc), 409)


def test_it_answers_403_when_the_persons_side_may_not_move(api_client, token_for, body):
    kw, csc = token_for("keyworker"), token_for("csc")
    r = make(api_client, kw, body)
    api_client.post(f"{URL}/{r['id']}/send", kw)
    assert_problem(api_client.post(f"{URL}/{r['id']}/acknowledge", kw), 403)
    assert_problem(api_client.post(f"{URL}/{r['id']}/withdraw", csc, {"reason": "x"}), 403)
    read_only = token_for("csc", "referrals:read")
    assert (
        "referrals:write"
        in assert_problem(api_client.post(f"{URL}/{r['id']}/acknowledge", read_only), 403)["detail"]
    )


def test_it_answers_422_naming_the_field(api_client, token_for, body):
    kw, csc = token_for("keyworker"), token_for("csc")
    assert_problem(api_client.post(URL, kw, {**body, "client": "NOPE"}), 422, "client")
    assert_problem(api_client.post(URL, kw, {**body, "children": ["K9"]}), 422, "children")
    assert_problem(api_client.post(URL, kw, {**body, "concerns": ["BAD"]}), 422, "concerns")
    assert_problem(api_client.post(URL, kw, {**body, "team": 999999}), 422, "team")
    missing = {k: v for k, v in body.items() if k != "consent"}
    assert_problem(api_client.post(URL, kw, missing), 422, "consent")
    bad_json = api_client.client.post(
        URL, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {kw}"
    )
    assert_problem(bad_json, 422)
    r = make(api_client, kw, body)
    assert_problem(api_client.post(f"{URL}/{r['id']}/withdraw", kw, {"reason": " "}), 422, "reason")
    api_client.post(f"{URL}/{r['id']}/send", kw)
    bad = api_client.post(f"{URL}/{r['id']}/decide", csc, {"outcome": "MAYBE"})
    assert_problem(bad, 422, "outcome")
    assert_problem(api_client.get(URL, kw, state="lost"), 422, "state")


def test_it_refuses_a_referral_to_roles_and_people_who_may_not(api_client, token_for, body, world):
    kw = token_for("keyworker")
    r = make(api_client, kw, body)
    api_client.post(f"{URL}/{r['id']}/send", kw)
    # another provider and another CSC team: not found, the same answer as no such referral
    other_team = Organisation.objects.create(name="CSC 2", kind="csc", la_code="E10000029")
    csc2 = make_user("csc2", Role.CSC, other_team)
    for token in (token_for("other_keyworker"), token_for(csc2), token_for("commissioner")):
        assert_problem(api_client.get(f"{URL}/{r['id']}", token), 404)
        assert_problem(api_client.post(f"{URL}/{r['id']}/acknowledge", token), 404)
        assert api_client.get(URL, token).json() == {"referrals": []}
    assert_problem(api_client.get(f"{URL}/999999", kw), 404)
    # making one: keyworkers and managers only, with the write scope
    assert_problem(api_client.post(URL, token_for("data_lead"), body), 403)
    assert_problem(api_client.post(URL, token_for("csc"), body), 403)
    assert_problem(api_client.post(URL, token_for("keyworker", "referrals:read"), body), 403)
    assert_problem(api_client.post(URL, None, body), 401)
    assert_problem(api_client.post(URL, token_for("other_keyworker"), body), 422, "client")


def test_it_lists_by_state_oldest_sent_first(api_client, token_for, body):
    kw, csc = token_for("keyworker"), token_for("csc")
    ids = [make(api_client, kw, body)["id"] for _ in range(3)]
    for i in (ids[2], ids[0]):
        api_client.post(f"{URL}/{i}/send", kw)
    listed = api_client.get(URL, kw).json()["referrals"]
    assert [r["id"] for r in listed] == [ids[2], ids[0], ids[1]]
    assert [r["id"] for r in api_client.get(URL, kw, state="draft").json()["referrals"]] == [ids[1]]
    assert [r["id"] for r in api_client.get(URL, csc).json()["referrals"]] == [ids[2], ids[0]]
    assert AuditEvent.objects.filter(kind="api_referrals_listed").exists()


def test_it_lists_each_referral_exactly_as_the_schema_and_the_single_read_give_it(
    api_client, token_for, body
):
    kw = token_for("keyworker")
    ids = [make(api_client, kw, body)["id"] for _ in range(2)]
    api_client.post(f"{URL}/{ids[0]}/send", kw)
    response = api_client.get(URL, kw)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    listed = ReferralsOut.model_validate(response.json()).model_dump()["referrals"]
    assert listed == response.json()["referrals"]  # nothing missing, added or retyped
    assert listed == [api_client.get(f"{URL}/{i}", kw).json() for i in ids]


def test_it_refuses_a_json_body_over_the_limit_with_413(api_client, token_for, body, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = {**body, "description": "x" * 5000}
    problem = assert_problem(api_client.post(URL, token_for("keyworker"), big), 413)
    assert "1,000 bytes" in problem["detail"]
