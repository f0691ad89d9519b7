"""`record(event, request=None)`: the one way an audit event is written."""

from __future__ import annotations

import logging

from hiddenharm.audit.events import Event
from hiddenharm.audit.models import AuditEvent

log = logging.getLogger("hiddenharm.audit")


def record(event: Event, request=None, *, actor=None) -> AuditEvent:
    """Append `event`, by the request's user (or `actor`, for commands and signals)."""
    if not isinstance(event, Event) or not event.kind:
        raise TypeError("record() takes an audit event, such as events.ViewClient(...)")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    row = AuditEvent.objects.create(
        actor=actor,
        kind=event.kind,
        object_type=event.object_type,
        object_id=event.object_id,
        details=event.details(),
    )
    # Kind and ids only: the log carries no personal data.
    log.info(
        "audit %s %s:%s actor=%s",
        event.kind,
        event.object_type,
        event.object_id,
        getattr(actor, "pk", None),
    )
    return row
