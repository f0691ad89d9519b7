"""A record's versions for people: who, when, and what changed (field labels, old -> new).

Read from the history tables of django-simple-history, which the services fill on every
save (in the same transaction as the record and its audit event).
"""

from __future__ import annotations

import datetime as dt

from django.db import models

HIDDEN = {"version", "recorded_by", "id", "created_at"}


def shown(field: models.Field, value) -> str:
    """A stored value as the forms show it: choices in words, dates as dates, blanks."""
    if value in (None, ""):
        return "not recorded"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if field.name == "earlyhlp":
        from hiddenharm.extract import codes

        return ", ".join(codes.EARLYHLP.get(c, c) for c in str(value).split(";") if c)
    return str(value)


def _fk_shown(field, historical, pk) -> str:
    if pk is None:
        return "not recorded"
    obj = field.related_model.objects.filter(pk=pk).first()
    if obj is None:
        return "removed"
    return obj.get_username() if hasattr(obj, "get_username") else str(obj)


def versions(obj) -> list[dict]:
    """Newest first: {"number", "who", "when", "what", "changes": [(label, old, new)]}."""
    rows = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    return _versions(type(obj), rows)


def versions_of(objs) -> dict[int, list[dict]]:
    """`versions` of several records of one model, read in one query: pk -> versions."""
    objs = list(objs)
    if not objs:
        return {}
    model = type(objs[0])
    history = model.history.model.objects.filter(id__in=[o.pk for o in objs])
    rows: dict[int, list] = {o.pk: [] for o in objs}
    for row in history.select_related("history_user").order_by("history_date", "history_id"):
        rows[row.id].append(row)
    return {pk: _versions(model, r) for pk, r in rows.items()}


def _versions(model, rows: list) -> list[dict]:
    out = []
    previous = None
    for n, row in enumerate(rows, start=1):
        changes = []
        if previous is not None:
            for f in model._meta.concrete_fields:
                if f.name in HIDDEN:
                    continue
                if f.is_relation:
                    old, new = getattr(previous, f.attname), getattr(row, f.attname)
                    if old != new:
                        changes.append(
                            (
                                f.verbose_name.capitalize(),
                                _fk_shown(f, previous, old),
                                _fk_shown(f, row, new),
                            )
                        )
                    continue
                old, new = getattr(previous, f.name), getattr(row, f.name)
                if old != new:
                    changes.append(
                        (
                            f.verbose_name[:1].upper() + f.verbose_name[1:],
                            shown(f, old),
                            shown(f, new),
                        )
                    )
        user = row.history_user
        out.append(
            {
                "number": n,
                "who": (user.get_full_name() or user.username)
                if user
                else "an import or the system",
                "when": row.history_date,
                "what": "Recorded" if previous is None else "Corrected",
                "changes": changes,
            }
        )
        previous = row
    out.reverse()
    return out


def current_values(form, obj) -> list[tuple[str, str, str]]:
    """(label, yours, current) for the fields where a refused form differs from the record."""
    theirs = form.initial_for(obj)
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in theirs:
            continue
        mine, now = form.cleaned_data.get(name), theirs[name]
        if _norm(mine) == _norm(now):
            continue
        rows.append((str(field.label), _form_shown(field, mine), _form_shown(field, now)))
    return rows


def _norm(v):
    if v in (None, "", []):
        return None
    if isinstance(v, list | tuple):
        return tuple(sorted(str(x) for x in v))
    if isinstance(v, models.Model):
        return v.pk
    return v


def _form_shown(field, value) -> str:
    if value in (None, "", []):
        return "not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    choices = dict(getattr(field, "choices", None) or [])
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if choices and not isinstance(value, models.Model):
        return str(choices.get(value, value))
    return str(value)
