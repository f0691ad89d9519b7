"""The screening panel on a client's record (included by cases/client_detail.html)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from hiddenharm.safeguarding.screening import services

register = template.Library()


@register.inclusion_tag("screening/_panel.html")
def screening_panel(client, can_write):
    from hiddenharm.cases.models import Client

    today = timezone.localdate()
    due = services.due_screening(Client.objects.filter(pk=client.pk), today).first()
    return {
        "client": client,
        "can_write": can_write,
        "screenings": list(services.screenings_of(client)[:5]),
        "due_since": due.due_since if due is not None else None,
    }
