"""Fixtures for the API's tests: a token per persona, a JSON client, a data folder."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from hiddenharm.api import tokens


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    cache.clear()  # throttle counts
    return settings.DATA_DIR


@pytest.fixture
def token_for(world):
    def make(persona: str, *scopes: str, days: int = 30) -> str:
        scopes = scopes or ("submissions", "referrals:read", "referrals:write")
        user = world.users[persona] if isinstance(persona, str) else persona
        return tokens.create_token(user, scopes, days=days)[1]

    return make


class ApiClient:
    def __init__(self, client):
        self.client = client

    def _headers(self, token):
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, token=None, **params):
        return self.client.get(path, params, **self._headers(token))

    def post(self, path, token=None, body=None, **extra):
        return self.client.post(
            path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self._headers(token),
            **extra,
        )

    def upload(self, path, token, name, content: bytes, **params):
        from django.core.files.uploadedfile import SimpleUploadedFile

        query = "&".join(f"{k}={v}" for k, v in params.items())
        return self.client.post(
            path + (f"?{query}" if query else ""),
            {"file": SimpleUploadedFile(name, content)},
            **self._headers(token),
        )


@pytest.fixture
def api_client(client):
    return ApiClient(client)


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["status"] == status and body["detail"] and body["title"]
    if field is not None:
        assert field in body["detail"], body
        assert any(e["field"] == field for e in body["errors"]), body
    return body
