"""Safeguarding activity: the figures of spec/safeguarding.md, for a period [FROM, TO].

`compute(rows, date_from, date_to)` is plain Python over one row per referral (no Django), so
that its rules can be tested on hand-computed referrals; `rows_for(providers)` reads them
from the database. Dates are London dates; a deadline is met by an event on its day or
before it.

A row: {"agency", "sent_at", "acknowledged_at", "decided_at", "withdrawn_at" (aware datetimes
or None), "ack_deadline", "decision_deadline" (aware datetimes or None), "outcome",
"concerns" (codes), "children" (the number named, an unborn child counting as one),
"country"}.
"""

from __future__ import annotations

import copy
import datetime as dt
from statistics import median
from typing import Any

from hiddenharm.measures.suppression import is_small, suppression_mask
from hiddenharm.safeguarding import codes
from hiddenharm.safeguarding.workdays import london_date, working_days_between


def _day(moment: dt.datetime | None) -> dt.date | None:
    return london_date(moment) if moment is not None else None


def _by(moment: dt.datetime | None, day: dt.date) -> bool:
    """Whether the event happened by the end of `day` (London)."""
    return moment is not None and london_date(moment) <= day


def _in_time(rows: list[dict], event: str, deadline: str, to: dt.date) -> dict:
    due = met = 0
    for r in rows:
        limit = _day(r[deadline])
        if limit is None or limit > to:
            continue
        if r["withdrawn_at"] is not None and london_date(r["withdrawn_at"]) <= limit:
            continue  # withdrawn before the deadline: nothing was due
        due += 1
        met += _by(r[event], limit)
    return {"met": met, "due": due, "rate": met / due if due else None}


def _median_days(rows: list[dict], event: str, to: dt.date) -> float | int | None:
    days = [
        working_days_between(london_date(r["sent_at"]), london_date(r[event]), r["country"])
        for r in rows
        if _by(r[event], to)
    ]
    return median(days) if days else None


def _overdue(r: dict, to: dt.date) -> bool:
    if r["sent_at"] is None or london_date(r["sent_at"]) > to or _by(r["withdrawn_at"], to):
        return False
    ack, decision = _day(r["ack_deadline"]), _day(r["decision_deadline"])
    late_ack = ack is not None and ack < to and not _by(r["acknowledged_at"], to)
    late_decision = decision is not None and decision < to and not _by(r["decided_at"], to)
    return late_ack or late_decision


def _figures(all_rows: list[dict], date_from: dt.date, to: dt.date) -> dict[str, Any]:
    rows = [
        r
        for r in all_rows
        if r["sent_at"] is not None and date_from <= london_date(r["sent_at"]) <= to
    ]
    by_outcome: dict[str, int] = {code: 0 for code in codes.OUTCOMES}
    pending = withdrawn = 0
    for r in rows:
        if r["outcome"] and _by(r["decided_at"], to):
            by_outcome[r["outcome"]] += 1
        elif _by(r["withdrawn_at"], to):
            withdrawn += 1
        else:
            pending += 1
    return {
        "sent": len(rows),
        "children": sum(r["children"] for r in rows),
        "by_concern": {code: sum(code in r["concerns"] for r in rows) for code in codes.CONCERNS},
        "by_outcome": {**by_outcome, "pending": pending, "withdrawn": withdrawn},
        "acknowledged_in_time": _in_time(rows, "acknowledged_at", "ack_deadline", to),
        "decided_in_time": _in_time(rows, "decided_at", "decision_deadline", to),
        "median_working_days": {
            "to_acknowledgement": _median_days(rows, "acknowledged_at", to),
            "to_decision": _median_days(rows, "decided_at", to),
        },
        "overdue_at_to": sum(_overdue(r, to) for r in all_rows),
    }


def compute(
    rows: list[dict],
    date_from: dt.date,
    date_to: dt.date,
    agencies: list[str] | None = None,
    publish: bool = False,
) -> dict[str, Any]:
    """The activity figures for the area and `by_agency` (every agency in `agencies`, or
    those with a referral), suppressed when `publish`."""
    if date_from > date_to:
        raise ValueError("the period's start is after its end")
    keys = sorted(set(agencies if agencies is not None else (r["agency"] for r in rows)))
    result = _figures(rows, date_from, date_to)
    result["by_agency"] = {
        a: _figures([r for r in rows if r["agency"] == a], date_from, date_to) for a in keys
    }
    result["period"] = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    return suppress(result) if publish else result


# --- publishing -----------------------------------------------------------------------------


def _suppress_block(block: dict[str, Any]) -> None:
    """In place: the measures' rule. `sent` and `due` are totals; the concern counts and the
    outcome counts (with pending and withdrawn) are one-way tables; other counts from 1 to 4
    are suppressed, with the rates built on them."""
    for table in ("by_concern", "by_outcome"):
        cells = block[table]
        keys = list(cells)
        mask = suppression_mask([[cells[k] for k in keys]])[0]
        for k, hidden in zip(keys, mask, strict=True):
            if hidden:
                cells[k] = None
    if is_small(block["children"]):
        block["children"] = None
    if is_small(block["overdue_at_to"]):
        block["overdue_at_to"] = None
    for name in ("acknowledged_in_time", "decided_in_time"):
        part = block[name]
        if is_small(part["met"]):
            part["met"] = None
            part["rate"] = None


def suppress(result: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(result)
    _suppress_block(out)
    for block in out["by_agency"].values():
        _suppress_block(block)
    return out


# --- from the database ------------------------------------------------------------------------


def rows_for(providers) -> list[dict]:
    """One row per referral ever sent by the providers (a queryset of Organisations)."""
    from django.db.models import Count

    from hiddenharm.safeguarding.models import Referral

    qs = (
        Referral.objects.filter(provider__in=providers, sent_at__isnull=False)
        .annotate(n_children=Count("children"))
        .values(
            "provider__agency_code",
            "sent_at",
            "acknowledged_at",
            "decided_at",
            "withdrawn_at",
            "ack_deadline",
            "decision_deadline",
            "outcome",
            "concerns",
            "n_children",
            "unborn_edd",
            "country",
        )
    )
    return [
        {
            "agency": r["provider__agency_code"],
            "sent_at": r["sent_at"],
            "acknowledged_at": r["acknowledged_at"],
            "decided_at": r["decided_at"],
            "withdrawn_at": r["withdrawn_at"],
            "ack_deadline": r["ack_deadline"],
            "decision_deadline": r["decision_deadline"],
            "outcome": r["outcome"],
            "concerns": r["concerns"] or [],
            "children": r["n_children"] + (1 if r["unborn_edd"] else 0),
            "country": r["country"],
        }
        for r in qs
    ]


def for_providers(providers, date_from, date_to, publish=False) -> dict[str, Any]:
    agencies = [p.agency_code for p in providers]
    return compute(rows_for(providers), date_from, date_to, agencies, publish)
