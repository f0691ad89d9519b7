"""Bearer tokens for the API: the person's own role and organisation, limited by scopes."""

from __future__ import annotations

from ninja.security import HttpBearer

from hiddenharm.accounts import access
from hiddenharm.api import tokens
from hiddenharm.api.problems import Problem


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        try:
            found = tokens.authenticate(token)
        except tokens.TokenRefused as e:
            raise Problem(401, str(e)) from None
        request.user = found.user  # acts as the person, never more
        request.api_token = found
        return found


def need(request, scope: str, *roles):
    """The person's profile if the token has `scope` and their role is one of `roles`;
    403 otherwise, saying which."""
    token = request.api_token
    if scope not in token.scopes:
        raise Problem(403, f"The token lacks the scope {scope!r}: make one that has it.")
    profile = access.profile_of(request.user)
    if roles and (profile is None or profile.role not in roles):
        raise Problem(403, "Your role may not do this.")
    return profile
