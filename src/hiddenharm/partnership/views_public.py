"""The public pages for families and professionals: no sign-in, no cookies, not indexed,
and an "Exit this page" button on each (the exit ends any session and sends the visitor on
to a neutral site)."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hiddenharm.partnership import directory

# Where the exit sends a visitor: a neutral, busy site that says nothing about them.
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"

KEY_MESSAGES = (  # the local safeguarding partnership's summary of key messages (seed 003)
    "Be child focused not substance use focused",
    "Early identification and intervention is key – be alert to the signs and symptoms of "
    "substance misuse",
    "Remember not to ignore substance misuse we all have a duty to protect the safety and "
    "welfare of children",
    "Child protection supersedes priority over client confidentiality and information sharing",
    "Challenge perceptions",
    "Have a non-judgemental approach and be open and honest with families",
    "Be flexible – each family is different",
    "Work in partnership with families and other agencies",
)


def _public(request, template: str, context: dict):
    response = render(request, template, {"neutral_site": NEUTRAL_SITE, **context})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def public_help(request):
    return _public(
        request,
        "partnership/public_help.html",
        {"key_messages": KEY_MESSAGES, "contacts": directory.listing(public_only=True)},
    )


@require_GET
def public_online(request):
    return _public(request, "partnership/public_online.html", {})


@never_cache
def exit_page(request):
    """End any session (a shared computer) and go to the neutral site."""
    if request.session.session_key or request.user.is_authenticated:
        logout(request)
    response = HttpResponseRedirect(NEUTRAL_SITE)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
