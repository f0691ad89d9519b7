"""The records behind a figure's warnings and errors: which client, episode, review or child
of one service each problem of its checked extract comes from, and the form that fixes it.

The figures (figures.py) keep counts by problem code. Here the service's records are
exported and checked again, as the figures were, and each problem's file and line are taken
back to the exported row (the validator numbers records as written, header = line 1), then
to the records by their references, within that one service.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc
from django.urls import reverse

from hiddenharm.cases import exchange
from hiddenharm.cases.models import Child, ChildStatus, Client, Episode, HiddenHarmRecord
from hiddenharm.extract.codes import FILES, PROBLEM_TITLES

# Which form corrects a column of an exported row (others: the record itself).
CLIENT_COLUMNS = {"LA", "CLIENTID", "FINITIAL", "SINITIAL", "DOB", "SEX"}
EPISODE_COLUMNS = {
    "EPISODID",
    "DRUG1",
    "DRUG2",
    "DRUG3",
    "SETTING",
    "REFLD",
    "TRIAGED",
    "CPLANDT",
    "DISD",
    "DISRSN",
}
ITEM_COLUMNS = {"HHDATE", "PRNTSTAT", "CHILDWTH", "PREGNANT", "EARLYHLP"}
CHILD_COLUMNS = {"CHILDREF", "CHILDYOB", "CHSEX"}
CHILD_STATUS_COLUMNS = {"WHEREABT", "CSCSTAT", "RECDATE"}


@dataclass
class ProblemRow:
    """One problem of the checked extract, with the records it comes from."""

    file: str
    line: int | None
    column: str
    value: str | None
    message: str
    client_ref: str = ""
    episode_ref: str = ""
    child_ref: str = ""
    dated: dt.date | None = None  # a review's or a child's row's date
    client_id: int | None = None
    record_url: str = ""  # the client's (or child's) record
    fix_url: str = ""  # the form that corrects it, for those who may change records
    fix_label: str = ""


# A service's checked export, kept in each process while its records are unchanged: a
# manager going from one problem's records to the next, or through the pages of one, is
# not made to wait for the whole service to be exported and checked again at every click.
# Keyed by the provider's data version (bumped by the database's triggers in the writer's
# transaction, figures.data_versions), so any change to its records means a new check.
CHECKED_KEEP = 4
_checked: OrderedDict[tuple, tuple] = OrderedDict()
_checked_lock = threading.Lock()


def check(provider, as_of: dt.date):
    """(exported tables, validation result) of one provider's records, as the figures do;
    from this process's cache while the provider's data version is unchanged."""
    from hiddenharm.cases.figures import data_versions

    # The version is read before the records: a change meanwhile leaves the entry under
    # the older version, never newer rows under it, and the next visit checks again.
    key = (provider.pk, provider.agency_code, data_versions([provider]), as_of)
    with _checked_lock:
        if key in _checked:
            _checked.move_to_end(key)
            return _checked[key]
    checked = _check(provider, as_of)
    with _checked_lock:
        _checked[key] = checked
        while len(_checked) > CHECKED_KEEP:
            _checked.popitem(last=False)
    return checked


def forget_checks() -> None:
    """Empty the cache (tests: each test's database starts again at the same versions)."""
    with _checked_lock:
        _checked.clear()


def _check(provider, as_of: dt.date):
    from hiddenharm.extract import validate, write_submission

    tables = exchange.export_tables(provider)
    with tempfile.TemporaryDirectory(prefix="hh-problems-") as tmp:
        write_submission(tables, tmp)
        return tables, validate(Path(tmp), as_of=as_of)


def counts(result) -> list[dict]:
    """The problems by code, in words."""
    return [
        {"code": code, "count": n, "title": PROBLEM_TITLES.get(code, code)}
        for code, n in result.counts().items()
    ]


def rows_with(provider, tables, result, code: str, *, can_write: bool) -> list[ProblemRow]:
    """Every problem `code` of the result, in file and line order, taken back to the records
    of `provider` (and only of it) and to the form that corrects each."""
    problems = result.problems.filter(pc.equal(result.problems.column("code"), code))
    rows: list[ProblemRow] = []
    for p in problems.to_pylist():
        name = p["file"].removesuffix(".csv").removesuffix(".parquet")
        row = ProblemRow(p["file"], p["line"], p["column"] or "", p["value"], p["message"] or "")
        table = tables.get(name)
        if p["line"] is not None and table is not None and 2 <= p["line"] < table.num_rows + 2:
            exported = table.slice(p["line"] - 2, 1).to_pylist()[0]
            row.client_ref = exported.get("CLIENTID") or ""
            row.episode_ref = exported.get("EPISODID") or ""
            row.child_ref = exported.get("CHILDREF") or ""
            row.dated = exported.get("REVDATE") or exported.get("RECDATE")
        rows.append(row)
    _link(provider, rows, can_write)
    rows.sort(
        key=lambda r: (
            list(FILES).index(_name(r.file)) if _name(r.file) in FILES else 9,
            r.line or 0,
        )
    )
    return rows


def _name(file: str) -> str:
    return file.removesuffix(".csv").removesuffix(".parquet")


def _link(provider, rows: list[ProblemRow], can_write: bool) -> None:
    """Find each row's records (one query per kind) and set its links."""
    episodes = {
        ref: (pk, client_id, client_ref)
        for ref, pk, client_id, client_ref in Episode.objects.filter(
            provider=provider, episode_ref__in={r.episode_ref for r in rows if r.episode_ref}
        ).values_list("episode_ref", "pk", "client_id", "client__client_ref")
    }
    for r in rows:  # a review row names its episode only: its client is the episode's
        if not r.client_ref and r.episode_ref in episodes:
            r.client_ref = episodes[r.episode_ref][2]
    clients = dict(
        Client.objects.filter(
            provider=provider, client_ref__in={r.client_ref for r in rows if r.client_ref}
        ).values_list("client_ref", "pk")
    )
    reviews = {
        (episode_id, day): pk
        for pk, episode_id, day in HiddenHarmRecord.objects.filter(
            kind="review", episode_id__in=[v[0] for v in episodes.values()]
        ).values_list("pk", "episode_id", "recorded_on")
    }
    children = {
        (client_id, ref): pk
        for pk, client_id, ref in Child.objects.filter(client_id__in=clients.values()).values_list(
            "pk", "client_id", "child_ref"
        )
    }
    statuses = {
        (child_id, day): pk
        for pk, child_id, day in ChildStatus.objects.filter(
            child_id__in=children.values()
        ).values_list("pk", "child_id", "recorded_on")
    }
    for r in rows:
        name = _name(r.file)
        r.client_id = clients.get(r.client_ref)
        if r.client_id is None:
            continue  # not a record of this service (or a file-level problem)
        r.record_url = reverse("cases:client_detail", args=[r.client_id])
        episode = episodes.get(r.episode_ref)
        child = children.get((r.client_id, r.child_ref)) if name == "children" else None
        if child is not None:
            r.record_url = reverse("cases:child_detail", args=[child])
        if not can_write:
            continue
        fix = None
        if name == "episodes":
            if r.column in CLIENT_COLUMNS or episode is None:
                fix = ("cases:client_edit", r.client_id, "Correct the client's details")
            elif r.column in ITEM_COLUMNS:
                fix = ("cases:start_items", episode[0], "Correct the items at the start")
            else:
                fix = ("cases:episode_edit", episode[0], "Correct the episode")
        elif name == "reviews" and episode is not None:
            review = reviews.get((episode[0], r.dated))
            if review is not None:
                fix = ("cases:review_edit", review, "Correct the review")
        elif name == "children" and child is not None:
            status = statuses.get((child, r.dated))
            if r.column in CHILD_STATUS_COLUMNS and status is not None:
                fix = ("cases:child_status_edit", status, "Correct the child's record")
            else:
                fix = ("cases:child_edit", child, "Correct the child's details")
        if fix is not None:
            r.fix_url = reverse(fix[0], args=[fix[1]])
            r.fix_label = fix[2]
