"""Safeguarding panels other apps' pages include: on a client's record, and on the home page.

Each reads through accounts/access.py with the signed-in person, so a page that includes a
panel shows only what that person may see."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.accounts.models import Role
from hiddenharm.safeguarding import codes, referrals

register = template.Library()


@register.inclusion_tag("safeguarding/_client_panel.html", takes_context=True)
def safeguarding_client_panel(context, client):
    user = context["request"].user
    shown = list(
        access.referrals_for(user)
        .filter(client=client)
        .select_related("team")
        .order_by("-created_at")
    )
    for r in shown:
        r.state_tag = codes.STATE_TAGS[r.state]
    from hiddenharm.cases.models import Pregnancy

    expecting = Pregnancy.objects.filter(client=client, edd__gte=timezone.localdate()).exists()
    return {
        "client": client,
        "expecting": expecting,
        "referrals": shown,
        "can_write": access.can_write(user),
        "shares": access.sharing_scope(user).filter(client=client)[:5]
        if access.profile_of(user).role in access.RECORD_ROLES
        else [],
    }


@register.inclusion_tag("safeguarding/_home_panel.html", takes_context=True)
def safeguarding_home_panel(context):
    user = context["request"].user
    profile = access.profile_of(user)
    if profile is None or profile.role not in (*access.SAFEGUARDING_ROLES,):
        return {"show": False}
    now = timezone.now()
    mine = access.referrals_for(user)
    panel = {"show": True, "is_csc": profile.role == Role.CSC}
    if profile.role == Role.CSC:
        panel["inbox"] = mine.filter(state=codes.SENT).count()
        panel["open"] = mine.filter(state=codes.ACKNOWLEDGED).count()
        panel["requests"] = 0
    else:
        recent = now - dt.timedelta(days=14)
        scope = mine.filter(created_by=user) if profile.role == Role.KEYWORKER else mine
        outcomes = list(
            scope.filter(decided_at__gte=recent)
            .select_related("client", "team")
            .order_by("-decided_at")[:10]
        )
        panel["outcomes"] = outcomes
        panel["drafts"] = scope.filter(state=codes.DRAFT).count()
        panel["requests"] = access.requests_for(user).filter(answered_at__isnull=True).count()
    panel["overdue"] = referrals.overdue(mine, now).count()
    if profile.role == Role.CSC:
        panel["requests"] = access.requests_for(user).filter(answered_at__isnull=True).count()
    return panel
