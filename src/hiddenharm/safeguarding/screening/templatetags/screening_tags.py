"""The screening panel on a client's record (included by cases/client_detail.html)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from hiddenharm.safeguarding.screening import services

register = template.Library()


@register.inclusion_tag("screening/_panel.html")
def screening_panel(client, can_write):
    return {
        "client": client,
        "can_write": can_write,
        "screenings": list(services.screenings_of(client)[:5]),
        "due_since": services.due_since(client, timezone.localdate()),
    }


@register.inclusion_tag("screening/_home.html")
def screening_due_home(user):
    """For a keyworker or manager: how many clients of their first worklist scope are due a
    screening, linked to the list."""
    from hiddenharm.accounts import access

    profile = access.profile_of(user)
    if profile is None or profile.role not in access.SCREENING_WRITE_ROLES:
        return {"show": False}
    scope = next(iter(access.worklist_scopes(user)))
    clients = access.worklist_clients(user, scope)
    due = services.due_count(clients, timezone.localdate())
    return {"show": True, "scope": scope, "due": due}
