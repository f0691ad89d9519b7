"""What every write shares: the audit event, the version check, unique clashes as errors.

A service function checks the rule, writes the record and its audit event inside one
`transaction.atomic()`: either both are saved or neither. A correction locks the row,
refuses a form read at an older version (`Conflict`), bumps `version` and saves, which
writes a new row in the record's history table (django-simple-history) by the same user,
in the same transaction.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import IntegrityError, transaction

from hiddenharm.audit import events
from hiddenharm.audit.trail import record


class Conflict(Exception):
    """The record changed since the form was read: `current` is the record as it is now."""

    def __init__(self, current):
        super().__init__(f"{type(current).__name__} {current.pk} is at version {current.version}")
        self.current = current


class Clash(Exception):
    """A unique key already taken (another person saved the same reference first)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@contextmanager
def clash_as(field: str, message: str):
    """Turn a unique-constraint failure of the statements inside into `Clash(field, ...)`.

    A savepoint of its own, so the outer transaction stays usable (PostgreSQL aborts a
    transaction on an error otherwise)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as e:
        raise Clash(field, message) from e


def audit_change(request, obj, action: str, fields, client_id=None, actor=None) -> None:
    record(
        events.Change(
            record_type=type(obj).__name__.lower(),
            record_id=obj.pk,
            action=action,
            client_id=client_id,
            fields=tuple(sorted(fields)),
        ),
        request,
        actor=actor,
    )


def user_of(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def created(obj, request):
    """Save a new record with its first history row by the request's user."""
    obj._history_user = user_of(request)
    obj.save()
    return obj


def locked(obj, version: int | None):
    """The row as it is now, locked until the end of the transaction; Conflict when a
    form read at `version` would overwrite a newer one."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if version is not None and current.version != version:
        raise Conflict(current)
    return current


def corrected(current, request, values: dict) -> list[str]:
    """Apply `values` to the locked row; save a new version if anything changed.

    Returns the names of the fields that changed (none: nothing saved)."""
    changed = [k for k, v in values.items() if getattr(current, k) != v]
    if not changed:
        return []
    manager = type(current).history
    if not manager.filter(**{type(current)._meta.pk.attname: current.pk}).exists():
        # Loaded by an import (bulk_create writes no history) or before history was kept:
        # keep the row as it was as the first version, dated when it was made.
        manager.bulk_history_create([current], default_date=getattr(current, "created_at", None))
    for k in changed:
        setattr(current, k, values[k])
    current.version += 1
    current._history_user = user_of(request)
    current.save()
    return changed
