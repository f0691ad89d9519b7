"""Child protection plans on a client's record and reminders on the home page."""

from __future__ import annotations

from django import template
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.safeguarding.plans import services

register = template.Library()


@register.inclusion_tag("plans/_panel.html")
def plans_panel(client, can_write):
    return {
        "client": client,
        "can_write": can_write and client.children.exists(),
        "plans": list(client.cp_plans.select_related("child").order_by("end_date", "-start_date")),
    }


@register.inclusion_tag("plans/_reminders.html")
def plans_reminders(user):
    """For a keyworker or manager: meetings in the next 10 working days and what is overdue,
    in their first worklist scope (their own clients, else their team's)."""
    profile = access.profile_of(user)
    if profile is None or profile.role not in access.PLAN_WRITE_ROLES:
        return {"show": False}
    scopes = access.worklist_scopes(user)
    scope = next(iter(scopes))
    clients = access.worklist_clients(user, scope)
    today = timezone.localdate()
    return {
        "show": True,
        "scope": scope,
        "meetings": services.upcoming(clients, today)[:5],
        "overdue": len(services.overdue(clients, today)),
    }
