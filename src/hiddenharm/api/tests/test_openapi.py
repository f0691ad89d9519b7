"""The OpenAPI document: served without a token, generated from the code, every path of
spec/api.md in it with its status codes; the docs page beside it."""

import pytest

pytestmark = pytest.mark.django_db

SPEC_PATHS = {
    "/api/v1/submissions": {"post"},
    "/api/v1/submissions/{submission_id}": {"get"},
    "/api/v1/submissions/{submission_id}/report": {"get"},
    "/api/v1/teams": {"get"},
    "/api/v1/referrals": {"get", "post"},
    "/api/v1/referrals/{referral_id}": {"get"},
    **{
        f"/api/v1/referrals/{{referral_id}}/{move}": {"post"}
        for move in ("send", "acknowledge", "decide", "close", "withdraw")
    },
}


def test_it_serves_the_openapi_document_of_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert {p: set(ops) for p, ops in doc["paths"].items()} == SPEC_PATHS
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op.get("security"), f"{method} {path} needs a token"
            codes = set(op["responses"])
            assert {"401", "403", "404", "422", "429"} <= codes, (path, method)
    move = doc["paths"]["/api/v1/referrals/{referral_id}/send"]["post"]
    assert "409" in move["responses"]
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_it_serves_the_docs_page_without_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "openapi.json" in html and "<script>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
