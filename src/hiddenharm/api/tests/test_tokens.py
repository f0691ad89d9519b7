import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner

from hiddenharm.api import tokens
from hiddenharm.api.models import ApiToken
from hiddenharm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_stores_only_the_hash_of_a_token(world):
    token, raw = tokens.create_token(world.users["data_lead"], ["submissions"], days=7)
    assert raw.startswith("hh_") and len(raw) > 40
    row = ApiToken.objects.get(pk=token.pk)
    assert raw not in (row.digest, row.prefix) and row.digest == tokens.digest(raw)
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert tokens.authenticate(raw).pk == token.pk
    assert AuditEvent.objects.filter(kind="api_token_created", object_id=str(token.pk)).exists()


def test_it_refuses_unknown_expired_and_revoked_tokens(world):
    user = world.users["data_lead"]
    with pytest.raises(tokens.TokenRefused, match="not known"):
        tokens.authenticate("hh_nonsense")
    token, raw = tokens.create_token(user, ["submissions"])
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(tokens.TokenRefused, match="expired"):
        tokens.authenticate(raw)
    token, raw = tokens.create_token(user, ["submissions"])
    tokens.revoke_token(user, token.pk)
    with pytest.raises(tokens.TokenRefused, match="revoked"):
        tokens.authenticate(raw)


def test_it_refuses_the_token_of_a_person_no_longer_active(world):
    user = world.users["data_lead"]
    _token, raw = tokens.create_token(user, ["submissions"])
    user.is_active = False
    user.save()
    with pytest.raises(tokens.TokenRefused, match="no longer"):
        tokens.authenticate(raw)


def test_it_refuses_bad_scopes_and_lengths(world):
    user = world.users["keyworker"]
    with pytest.raises(ValueError, match="Choose scopes"):
        tokens.create_token(user, ["admin"])
    with pytest.raises(ValueError, match="Choose scopes"):
        tokens.create_token(user, [])
    with pytest.raises(ValueError, match="days"):
        tokens.create_token(user, ["referrals:read"], days=0)


def test_it_lets_nobody_revoke_another_persons_token(world):
    token, _ = tokens.create_token(world.users["data_lead"], ["submissions"])
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(world.users["keyworker"], token.pk)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_it_shows_a_new_token_once_on_the_page_and_revokes_it(world, as_persona):
    http = as_persona("keyworker")
    url = reverse("api:tokens")
    assert http.get(url).status_code == 200
    response = http.post(url, {"name": "case system", "scopes": ["referrals:read"], "days": "10"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw in response.content.decode()
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    page = http.get(url).content.decode()
    assert raw not in page and raw[:10] in page  # never shown again, only its prefix
    token = ApiToken.objects.get(user=world.users["keyworker"])
    assert token.scopes == ["referrals:read"]
    assert http.post(url, {"revoke": str(token.pk)}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_says_what_is_wrong_in_the_token_form(as_persona):
    response = as_persona("manager").post(reverse("api:tokens"), {"days": "999"})
    html = response.content.decode()
    assert "Choose at least one thing the token may do" in html
    assert "A token lasts at most 366 days" in html
    assert not ApiToken.objects.exists()


def test_it_refuses_to_revoke_another_persons_token_on_the_page(world, as_persona):
    token, _ = tokens.create_token(world.users["data_lead"], ["submissions"])
    response = as_persona("keyworker").post(reverse("api:tokens"), {"revoke": str(token.pk)})
    assert response.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_it_makes_a_token_from_the_command_line_printing_only_it(world):
    from hiddenharm.cli import app

    result = CliRunner().invoke(
        app, ["token", "create", "dl", "--scope", "submissions", "--scope", "referrals:read"]
    )
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip()
    assert result.stdout == raw + "\n" and raw.startswith("hh_")
    token = tokens.authenticate(raw)
    assert token.user == world.users["data_lead"]
    assert token.scopes == ["submissions", "referrals:read"]
    assert (token.expires_at - timezone.now()).days in (29, 30)


def test_it_refuses_a_bad_command_line_token(world):
    from hiddenharm.cli import app

    runner = CliRunner()
    assert (
        runner.invoke(app, ["token", "create", "nobody", "--scope", "submissions"]).exit_code == 2
    )
    bad = runner.invoke(app, ["token", "create", "dl", "--scope", "everything"])
    assert bad.exit_code == 2 and "Choose scopes" in bad.stderr
    assert not ApiToken.objects.exists()
