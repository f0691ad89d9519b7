"""The API tokens page: a person makes (shown once) and revokes their own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from hiddenharm.accounts import access
from hiddenharm.api import tokens as svc
from hiddenharm.api.forms import TokenForm


@access.role_required(*access.API_ROLES)
def token_list(request):
    new_token = None
    form = TokenForm()
    if request.method == "POST" and "revoke" in request.POST:
        svc.revoke_token(request.user, _as_int(request.POST.get("revoke")))
        messages.success(request, "The token is revoked: it no longer works.")
        return redirect("api:tokens")
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            _token, new_token = svc.create_token(request.user, d["scopes"], d["days"], d["name"])
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "title": "API tokens",
            "form": form,
            "new_token": new_token,
            "tokens": svc.tokens_of(request.user),
        },
    )


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
