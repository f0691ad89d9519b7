"""API tokens: made, revoked and checked here only (the page, the command and the API's
authentication all call these functions)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.api import events
from hiddenharm.api.models import SCOPES, ApiToken
from hiddenharm.audit.trail import record

PREFIX = "hh_"
MAX_DAYS = 366


class TokenRefused(Exception):
    """No usable token: the message says why (unknown, expired, revoked, person inactive)."""


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def check_scopes(scopes) -> tuple[str, ...]:
    scopes = tuple(dict.fromkeys(scopes))
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(
            f"Choose scopes from {', '.join(SCOPES)}"
            + (f" (not {', '.join(unknown)})" if unknown else "")
        )
    return scopes


def create_token(user, scopes, days: int = 30, name: str = "") -> tuple[ApiToken, str]:
    """(token, the token's text). The text is shown once and never stored."""
    scopes = check_scopes(scopes)
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A token lasts 1 to {MAX_DAYS} days")
    if access.profile_of(user) is None:
        raise PermissionDenied  # a token acts with a role: no role, no token
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:100],
            prefix=raw[:10],
            digest=digest(raw),
            scopes=list(scopes),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        record(events.TokenCreated(token_id=token.pk, scopes=scopes, days=days), actor=user)
    return token, raw


def tokens_of(user):
    return ApiToken.objects.filter(user=user)


def revoke_token(user, token_id) -> ApiToken:
    """Revoke one of `user`'s own tokens; another person's (or none) is PermissionDenied."""
    with transaction.atomic():
        token = tokens_of(user).select_for_update().filter(pk=token_id).first()
        if token is None:
            raise PermissionDenied
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(events.TokenRevoked(token_id=token.pk), actor=user)
    return token


def authenticate(raw: str) -> ApiToken:
    """The active token for `raw`; TokenRefused saying why otherwise."""
    token = (
        ApiToken.objects.select_related("user").filter(digest=digest(raw.strip())).first()
        if raw
        else None
    )
    if token is None:
        raise TokenRefused("The token is not known: make one on the API tokens page.")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("The token has been revoked: make a new one.")
    if token.expires_at <= now:
        raise TokenRefused("The token has expired: make a new one.")
    if not token.user.is_active or access.profile_of(token.user) is None:
        raise TokenRefused("The token's owner may no longer use the service.")
    # At most one write a minute per token: the last use, without a write per call.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
