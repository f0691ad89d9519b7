"""Export case records as an HHX-1 submission, and import one from another system.

Export: the records of one or more providers as the three typed tables of the extract
contract (docs/architecture.md), so that `write_submission` gives files the validator
accepts, and the dashboards feed the same tables to the same measures as any submission.

Import: `validate` the upload, then load the accepted rows in one transaction, in sets
(`bulk_create` per table, never a save per row). Natural keys make it idempotent: a second
upload of the same file creates nothing. The keys are AGNCY + CLIENTID (client),
AGNCY + EPISODID (episode), episode + REVDATE (review), client + CHILDREF (child) and
child + RECDATE (child's status). An episode's start recording is created once; an
existing episode takes a later file's discharge and dates where it had none; a client
already here keeps the details recorded here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection, transaction
from django.db.models import CharField, F, FilteredRelation, Func, Q, TextField
from django.db.models.functions import Cast

from hiddenharm.accounts.models import Organisation
from hiddenharm.cases.models import Child, ChildStatus, Client, Episode, HiddenHarmRecord
from hiddenharm.extract.codes import FILES

BATCH = 2000


def _typed_schema(name: str) -> pa.Schema:
    from hiddenharm.extract.result import typed_schema

    return typed_schema(FILES[name])


def _columns(qs, schema: pa.Schema) -> list[pa.Array]:
    """A `values_list` queryset's rows as Arrow columns of the schema's types, set-based.

    The compiled SQL is run on a plain cursor: the database's own values (dates as text on
    SQLite, `date` objects on PostgreSQL) go into Arrow in one call per column, cast there,
    rather than through Django's per-row converters. An empty string is blank, so null.
    """
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Columns of one 2-D object array: Arrow converts an ndarray column ten times faster
    # than a tuple of the same values.
    grid = np.array(rows, dtype=object).reshape(len(rows), len(schema))
    out = []
    for i, f in enumerate(schema):
        col = pa.array(grid[:, i], from_pandas=False)
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = pc.if_else(pc.equal(col, ""), pa.scalar(None, col.type), col)
        out.append(col.cast(f.type))
    return out


def _date_column(name: str):
    """A date column as the database gives it. On SQLite, as its ISO text: the driver would
    otherwise parse every date into a Python object (a million calls for a large area)
    that Arrow then converts back; Arrow casts the text to dates in one call."""
    if connection.vendor == "sqlite":
        return Cast(name, output_field=CharField())
    return name


SEP = "\x1f"  # the unit separator: between a row's values in `_text_columns`


class _TextRow(Func):
    """A row's values as one text, joined by SEP, a null as blank and a date as YYYY-MM-DD,
    built by the database: one value per row for the driver to hand over, not one per cell.
    SQLite's printf writes it in one pass (NULL as blank, dates are stored as ISO text);
    PostgreSQL's concat_ws, each value made text first (dates by to_char, whatever the
    server's DateStyle)."""

    output_field = TextField()

    def __init__(self, *expressions, dates: tuple[bool, ...]):
        super().__init__(*expressions)
        self.dates = dates

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, p = compiler.compile(expression)
            parts.append(sql)
            params.extend(p)
        if connection.vendor == "sqlite":
            pattern = SEP.join(["%s"] * len(parts))
            return f"printf(%s, {', '.join(parts)})", [pattern, *params]
        texts = [
            f"COALESCE(to_char({sql}, 'YYYY-MM-DD'), '')"
            if is_date
            else f"COALESCE(CAST({sql} AS text), '')"
            for sql, is_date in zip(parts, self.dates, strict=True)
        ]
        return f"concat_ws(%s, {', '.join(texts)})", [SEP, *params]


def _text_columns(qs, fields: list[str], schema: pa.Schema) -> list[pa.Array]:
    """The fields of `qs` as Arrow columns of the schema's types: each row fetched as one
    text (`_TextRow`), the lot parsed by Arrow's CSV reader (C++, no Python value per cell:
    a large area's export several times faster than `_columns`). An empty string is blank,
    so null, as in `_columns`.

    Raises pyarrow.ArrowInvalid when the texts do not split into the rows and columns asked
    for (a value holding the separator or a line break) or a value is not of its column's
    kind (SQLite does not enforce types): the caller then takes `_columns`."""
    import pyarrow.csv as pacsv

    dates = tuple(pa.types.is_date(f.type) for f in schema)
    row = _TextRow(*[F(f) for f in fields], dates=dates)
    sql, params = qs.values_list(row).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return [pa.array([], f.type) for f in schema]
    names = [f"c{i}" for i in range(len(schema))]
    text = "\n".join(r[0] for r in rows).encode()
    table = pacsv.read_csv(
        io.BytesIO(text),
        pacsv.ReadOptions(column_names=names, block_size=max(1 << 20, len(text) // 2 + 1)),
        pacsv.ParseOptions(delimiter=SEP, quote_char=False, ignore_empty_lines=False),
        pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            null_values=[],
            strings_can_be_null=False,
        ),
    )
    if table.num_rows != len(rows):
        raise pa.ArrowInvalid(f"{table.num_rows} rows read of {len(rows)}")
    out = []
    for i, f in enumerate(schema):
        col = table.column(i).combine_chunks()
        col = pc.if_else(pc.equal(col, ""), pa.scalar(None, col.type), col)
        out.append(col.cast(f.type))
    return out


def _table(name: str, qs, fields: list[str]) -> pa.Table:
    """The table `name` of the fields of `qs` (in the schema's order, `line` aside)."""
    schema = _typed_schema(name)
    body = pa.schema([f for f in schema if f.name != "line"])
    try:
        columns = _text_columns(qs, fields, body)
    except pa.ArrowInvalid:  # a value not of its column's kind: the forgiving path
        dated = [
            _date_column(f) if pa.types.is_date(t.type) else f
            for f, t in zip(fields, body, strict=True)
        ]
        columns = _columns(qs.values_list(*dated), body)
    n = len(columns[0]) if columns else 0
    line = pa.array(range(2, n + 2), type=pa.int64())
    return pa.Table.from_arrays([line, *columns], schema=schema)


def export_tables(
    providers: Iterable[Organisation] | Organisation, *, team_id: int | None = None
) -> dict[str, pa.Table]:
    """The typed HHX-1 tables of the providers' records (of one team's clients, if given).

    One query per table (the start recording joined to its episode), straight into Arrow.
    """
    if isinstance(providers, Organisation):
        providers = [providers]
    ids = [p.pk for p in providers]
    team = {} if team_id is None else {"client__team_id": team_id}
    team_ep = {} if team_id is None else {"episode__client__team_id": team_id}
    team_ch = {} if team_id is None else {"child__client__team_id": team_id}

    episodes = (
        Episode.objects.filter(provider_id__in=ids, **team)
        .annotate(start=FilteredRelation("hh_records", condition=Q(hh_records__kind="start")))
        .order_by("provider_id", "episode_ref")
    )
    episode_fields = [
        "provider__agency_code",
        "client__la",
        "client__client_ref",
        "episode_ref",
        "client__first_initial",
        "client__surname_initial",
        "client__dob",
        "client__sex",
        "drug1",
        "drug2",
        "drug3",
        "setting",
        "referred",
        "triaged",
        "care_plan_start",
        "discharged",
        "discharge_reason",
        "start__recorded_on",
        "start__prntstat",
        "start__childwth",
        "start__pregnant",
        "start__earlyhlp",
    ]
    reviews = HiddenHarmRecord.objects.filter(
        kind="review", episode__provider_id__in=ids, **team_ep
    ).order_by("episode__provider_id", "episode__episode_ref", "recorded_on")
    review_fields = [
        "episode__provider__agency_code",
        "episode__episode_ref",
        "recorded_on",
        "prntstat",
        "childwth",
        "pregnant",
        "earlyhlp",
    ]
    children = ChildStatus.objects.filter(child__client__provider_id__in=ids, **team_ch).order_by(
        "child__client__provider_id",
        "child__client__client_ref",
        "child__child_ref",
        "recorded_on",
    )
    child_fields = [
        "child__client__provider__agency_code",
        "child__client__client_ref",
        "child__child_ref",
        "child__year_of_birth",
        "child__sex",
        "whereabouts",
        "csc_status",
        "recorded_on",
    ]
    return {
        "episodes": _table("episodes", episodes, episode_fields),
        "reviews": _table("reviews", reviews, review_fields),
        "children": _table("children", children, child_fields),
    }


def export_submission(
    providers, directory: str | Path, fmt: str = "csv", *, team_id: int | None = None
) -> dict[str, Path]:
    from hiddenharm.extract import write_submission

    return write_submission(export_tables(providers, team_id=team_id), directory, fmt=fmt)


def validated_export(providers, as_of: dt.date | None = None, *, team_id: int | None = None):
    """The providers' records written out and read back through the validator: the same
    path as any provider's file, so the figures and their problems are a submission's.

    Written as Parquet, a format a provider may send too: the validator reads the same text
    as from CSV (problems are reported under the .csv names) without writing and parsing
    CSV, and no cell is changed for spreadsheets (the records hold no formula references:
    the forms and the import refuse them)."""
    from hiddenharm.extract import validate

    with tempfile.TemporaryDirectory(prefix="hh-export-") as tmp:
        export_submission(providers, tmp, "parquet", team_id=team_id)
        return validate(Path(tmp), as_of=as_of)


# --- import -------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    result: object  # the ValidationResult
    sha256: str = ""
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows

    @property
    def loaded(self) -> bool:
        return not getattr(self.result, "fatal", True)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def import_submission(
    path: str | Path,
    providers: Mapping[str, Organisation],
    *,
    as_of: dt.date | None = None,
    user=None,
) -> ImportOutcome:
    """Validate the submission at `path` and load its accepted rows for `providers`
    (agency code -> provider); rows of any other agency are skipped and counted."""
    from hiddenharm.extract import validate

    result = validate(Path(path), as_of=as_of)
    outcome = ImportOutcome(result=result, sha256=file_sha256(path) if Path(path).is_file() else "")
    if result.fatal:
        return outcome
    tables = drop_formula_references(result.tables, outcome)
    load_tables(tables, providers, outcome, user=user)
    return outcome


FORMULA_ROWS = (
    "rows whose client, episode or child reference begins with =, +, -, @, a tab or a line "
    "break (a spreadsheet would run it as a formula: correct the reference in your system)"
)
REFERENCE_COLUMNS = {
    "episodes": ("CLIENTID", "EPISODID"),
    "reviews": ("EPISODID",),
    "children": ("CLIENTID", "CHILDREF"),
}


def drop_formula_references(tables, outcome: ImportOutcome):
    """The tables without rows whose references a spreadsheet would run as a formula; their
    count goes into `outcome.skipped`, which the import page shows with the reason."""
    from hiddenharm.extract.cells import START_PATTERN

    out, dropped = dict(tables), 0
    for name, columns in REFERENCE_COLUMNS.items():
        table = tables.get(name)
        if table is None or table.num_rows == 0:
            continue
        masks = [
            pc.fill_null(pc.match_substring_regex(table.column(c), START_PATTERN), False)
            for c in columns
            if c in table.column_names
        ]
        if not masks:
            continue
        mask = masks[0] if len(masks) == 1 else pc.or_(masks[0], masks[1])
        n = pc.sum(mask).as_py() or 0
        if n:
            dropped += n
            out[name] = table.filter(pc.invert(mask))
    if dropped:
        outcome.skipped[FORMULA_ROWS] = dropped
    return out


def _rows(table: pa.Table) -> list[dict]:
    return table.to_pylist()


@transaction.atomic
def load_tables(
    tables, providers: Mapping[str, Organisation], outcome: ImportOutcome, user=None
) -> None:
    created = outcome.created
    updated = outcome.updated
    skipped = outcome.skipped
    for k in ("clients", "episodes", "start_records", "reviews", "children", "child_statuses"):
        created.setdefault(k, 0)
    updated.setdefault("episodes", 0)

    episodes = [r for r in _rows(tables["episodes"])]
    other = [r for r in episodes if r["AGNCY"] not in providers]
    if other:
        skipped["episodes of another agency"] = len(other)
    by_agency: dict[str, list[dict]] = {}
    for r in episodes:
        if r["AGNCY"] in providers:
            by_agency.setdefault(r["AGNCY"], []).append(r)
    reviews = _rows(tables["reviews"])
    children = _rows(tables["children"])
    skipped_reviews = sum(1 for r in reviews if r["AGNCY"] not in providers)
    skipped_children = sum(1 for r in children if r["AGNCY"] not in providers)
    if skipped_reviews:
        skipped["reviews of another agency"] = skipped_reviews
    if skipped_children:
        skipped["children of another agency"] = skipped_children

    for code, rows in by_agency.items():
        provider = providers[code]
        _load_agency(
            provider,
            rows,
            [r for r in reviews if r["AGNCY"] == code],
            [r for r in children if r["AGNCY"] == code],
            outcome,
            user,
        )
    # Agencies with reviews or children but no episodes in this file: their episodes
    # may already be here.
    for code, provider in providers.items():
        if code in by_agency:
            continue
        rv = [r for r in reviews if r["AGNCY"] == code]
        chl = [r for r in children if r["AGNCY"] == code]
        if rv or chl:
            _load_agency(provider, [], rv, chl, outcome, user)


def _load_agency(provider, episodes, reviews, children, outcome, user) -> None:
    created, updated, skipped = outcome.created, outcome.updated, outcome.skipped

    # Clients: the last row of each CLIENTID gives its details.
    clients = dict(Client.objects.filter(provider=provider).values_list("client_ref", "pk"))
    latest: dict[str, dict] = {}
    for r in episodes:
        latest[r["CLIENTID"]] = r
    new_clients = [
        Client(
            provider=provider,
            client_ref=ref,
            first_initial=r["FINITIAL"],
            surname_initial=r["SINITIAL"],
            dob=r["DOB"],
            sex=r["SEX"],
            la=r["LA"],
        )
        for ref, r in latest.items()
        if ref not in clients
    ]
    Client.objects.bulk_create(new_clients, batch_size=BATCH)
    created["clients"] += len(new_clients)
    if new_clients:
        clients = dict(Client.objects.filter(provider=provider).values_list("client_ref", "pk"))

    # Episodes.
    existing = {
        e.episode_ref: e
        for e in Episode.objects.filter(provider=provider).only(
            "pk",
            "episode_ref",
            "client_id",
            "triaged",
            "care_plan_start",
            "discharged",
            "discharge_reason",
        )
    }
    new_eps, changed = [], []
    for r in episodes:
        e = existing.get(r["EPISODID"])
        if e is None:
            new_eps.append(
                Episode(
                    client_id=clients[r["CLIENTID"]],
                    provider=provider,
                    episode_ref=r["EPISODID"],
                    referred=r["REFLD"],
                    triaged=r["TRIAGED"],
                    care_plan_start=r["CPLANDT"],
                    drug1=r["DRUG1"],
                    drug2=r["DRUG2"] or "",
                    drug3=r["DRUG3"] or "",
                    setting=r["SETTING"] or "COMM",
                    discharged=r["DISD"],
                    discharge_reason=r["DISRSN"] or "",
                )
            )
            continue
        if e.client_id != clients.get(r["CLIENTID"]):
            skipped["episodes under a different client"] = (
                skipped.get("episodes under a different client", 0) + 1
            )
            continue
        dirty = False
        for attr, col in (("triaged", "TRIAGED"), ("care_plan_start", "CPLANDT")):
            if getattr(e, attr) is None and r[col] is not None:
                setattr(e, attr, r[col])
                dirty = True
        if e.discharged is None and r["DISD"] is not None:
            e.discharged, e.discharge_reason = r["DISD"], r["DISRSN"]
            dirty = True
        if dirty:
            changed.append(e)
    Episode.objects.bulk_create(new_eps, batch_size=BATCH)
    Episode.objects.bulk_update(
        changed,
        ["triaged", "care_plan_start", "discharged", "discharge_reason"],
        batch_size=BATCH,
    )
    created["episodes"] += len(new_eps)
    updated["episodes"] += len(changed)
    episode_ids = dict(Episode.objects.filter(provider=provider).values_list("episode_ref", "pk"))

    # The items at start: one start recording per episode, created once.
    has_start = set(
        HiddenHarmRecord.objects.filter(episode__provider=provider, kind="start").values_list(
            "episode_id", flat=True
        )
    )
    starts = []
    for r in episodes:
        eid = episode_ids[r["EPISODID"]]
        items = (r["PRNTSTAT"], r["CHILDWTH"], r["PREGNANT"], r["EARLYHLP"])
        if eid in has_start or (all(v is None for v in items) and r["HHDATE"] is None):
            continue
        has_start.add(eid)
        starts.append(_record(eid, "start", r["HHDATE"], r, user))
    HiddenHarmRecord.objects.bulk_create(starts, batch_size=BATCH)
    created["start_records"] += len(starts)

    # Reviews.
    have = set(
        HiddenHarmRecord.objects.filter(episode__provider=provider, kind="review").values_list(
            "episode_id", "recorded_on"
        )
    )
    new_reviews = []
    for r in reviews:
        eid = episode_ids.get(r["EPISODID"])
        if eid is None:  # the validator checked against the file; guard against the DB
            skipped["reviews of an unknown episode"] = (
                skipped.get("reviews of an unknown episode", 0) + 1
            )
            continue
        if (eid, r["REVDATE"]) in have:
            continue
        have.add((eid, r["REVDATE"]))
        new_reviews.append(_record(eid, "review", r["REVDATE"], r, user))
    HiddenHarmRecord.objects.bulk_create(new_reviews, batch_size=BATCH)
    created["reviews"] += len(new_reviews)

    # Children and their dated statuses.
    kids = {
        (c, ref): pk
        for pk, c, ref in Child.objects.filter(client__provider=provider).values_list(
            "pk", "client_id", "child_ref"
        )
    }
    latest_child: dict[tuple, dict] = {}
    for r in sorted(children, key=lambda r: r["RECDATE"]):
        cid = clients.get(r["CLIENTID"])
        if cid is None:
            skipped["children of an unknown client"] = (
                skipped.get("children of an unknown client", 0) + 1
            )
            continue
        latest_child[(cid, r["CHILDREF"])] = r
    new_kids = [
        Child(client_id=key[0], child_ref=key[1], year_of_birth=r["CHILDYOB"], sex=r["CHSEX"] or "")
        for key, r in latest_child.items()
        if key not in kids
    ]
    Child.objects.bulk_create(new_kids, batch_size=BATCH)
    created["children"] += len(new_kids)
    if new_kids:
        kids = {
            (c, ref): pk
            for pk, c, ref in Child.objects.filter(client__provider=provider).values_list(
                "pk", "client_id", "child_ref"
            )
        }
    have_status = set(
        ChildStatus.objects.filter(child__client__provider=provider).values_list(
            "child_id", "recorded_on"
        )
    )
    statuses = []
    for r in children:
        cid = clients.get(r["CLIENTID"])
        kid = kids.get((cid, r["CHILDREF"]))
        if kid is None or (kid, r["RECDATE"]) in have_status:
            continue
        have_status.add((kid, r["RECDATE"]))
        statuses.append(
            ChildStatus(
                child_id=kid,
                recorded_on=r["RECDATE"],
                whereabouts=r["WHEREABT"] or "",
                csc_status=r["CSCSTAT"] or "",
                recorded_by=user,
            )
        )
    ChildStatus.objects.bulk_create(statuses, batch_size=BATCH)
    created["child_statuses"] += len(statuses)


def _record(episode_id, kind, when, r, user) -> HiddenHarmRecord:
    return HiddenHarmRecord(
        episode_id=episode_id,
        kind=kind,
        recorded_on=when,
        prntstat=r["PRNTSTAT"] or "",
        childwth=r["CHILDWTH"],
        pregnant=r["PREGNANT"] or "",
        earlyhlp=r["EARLYHLP"] or "",
        recorded_by=user,
    )
