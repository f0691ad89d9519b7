"""`hiddenharm backup FILE` and `hiddenharm restore FILE`: a portable, checked archive.

The archive is a zip: `manifest.json` (format version, the migrations applied, and for
every table its row count and a checksum of its rows: the sum of their SHA-256s) and one `data/<table>.jsonl` per
table, a row a line in primary-key order, values encoded the same way on SQLite and
PostgreSQL. So a backup restores on either database, and a test runs on both.

Rows are read and written table by table through Django's fields, never through models'
`save()`: no signals, no history rows, no audit events added, and the append-only audit
table is copied as it is. A restore checks the whole file before touching the database,
then, in one transaction, empties every table (PostgreSQL: one TRUNCATE, which the audit
table's row trigger does not see), inserts the rows, sets the data-version counters the
case triggers bumped back to the backup's values, checks foreign keys, and compares every
table's count and checksum with the manifest; any failure rolls the whole of it back.

Django is imported inside the functions: the light commands must not load it.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

FORMAT = "hiddenharm-backup"
FORMAT_VERSION = 1
BATCH = 2000
# Tables that database triggers write (cases/migrations/0003): restored last, after the
# rows whose inserts bumped them are in, so that they end as in the backup.
TRIGGER_TARGETS = ("cases_dataversion",)
# A database "holds data" when one of these has a row. Migrations fill other tables by
# themselves (content types, permissions, the screening question set), never these.
DATA_TABLES = ("auth_user", "accounts_organisation", "audit_auditevent", "cases_client")


class BackupError(Exception):
    """The file cannot be restored here; the message says why (never a row's content)."""


# --- encoding: one canonical text per row, the same on every database -------------------


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return {"__td__": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _line(values: tuple) -> bytes:
    text = json.dumps(
        list(values), default=_encode, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return text.encode("utf-8") + b"\n"


def _decode(field: Any, value: Any) -> Any:
    from django.db import models

    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DurationField) and isinstance(value, dict):
        return dt.timedelta(*value["__td__"])
    return field.to_python(value)


class _Digest:
    """A checksum of a table's lines that does not depend on their order: the sum of their
    SHA-256s (mod 2**256). Rows come in primary-key order, but text keys (sessions) sort
    differently on SQLite and PostgreSQL, and a restored table must check the same."""

    def __init__(self) -> None:
        self.total = 0

    def update(self, line: bytes) -> None:
        self.total = (self.total + int.from_bytes(hashlib.sha256(line).digest())) % 2**256

    def hexdigest(self) -> str:
        return f"{self.total:064x}"


# --- what is copied -------------------------------------------------------------------


def _models() -> list:
    """Every concrete, managed model whose table exists, one per table, in table order."""
    from django.apps import apps
    from django.db import connection

    existing = set(connection.introspection.table_names())
    found: dict[str, Any] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in existing:
            continue
        found.setdefault(meta.db_table, model)
    order = sorted(found, key=lambda t: (t in TRIGGER_TARGETS, t))
    return [found[t] for t in order]


def _fields(model: Any) -> list:
    return list(model._meta.local_concrete_fields)


def _rows(model: Any) -> Iterator[bytes]:
    names = [f.attname for f in _fields(model)]
    query = model._base_manager.order_by("pk").values_list(*names)
    for values in query.iterator(chunk_size=BATCH):
        yield _line(values)


def _applied_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def table_digests() -> dict[str, dict]:
    """{table: {"rows": n, "sha256": hex}} of the database as it is now (read in order)."""
    out = {}
    for model in _models():
        digest, count = _Digest(), 0
        for line in _rows(model):
            digest.update(line)
            count += 1
        out[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return out


# --- backup -----------------------------------------------------------------------------


def write_backup(path: Path) -> dict:
    """Write the database to `path` (written aside, then renamed); return the manifest."""
    from django.db import connection

    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    # PostgreSQL: one snapshot for every table (repeatable read), a consistent copy while
    # the service runs. Set for the session before the transaction begins (a health check
    # may run a query first); not when called inside a transaction already (tests).
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    if snapshot:
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_isolation = 'repeatable read'")
    try:
        manifest = _write(path, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("RESET default_transaction_isolation")
    partial.replace(path)
    return manifest


def _write(path: Path, partial: Path) -> dict:
    from django.db import connection, transaction

    with transaction.atomic():
        tables = {}
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for model in _models():
                table = model._meta.db_table
                digest, count = _Digest(), 0
                with archive.open(f"data/{table}.jsonl", "w", force_zip64=True) as member:
                    for line in _rows(model):
                        member.write(line)
                        digest.update(line)
                        count += 1
                tables[table] = {"rows": count, "sha256": digest.hexdigest()}
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created": dt.datetime.now(dt.UTC).isoformat(),
                "database": connection.vendor,
                "migrations": _applied_migrations(),
                "tables": tables,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


# --- restore ----------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    """The manifest, after checking every data member's count and checksum against it."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
                raise BackupError(
                    f"not a Hidden Harm backup of format version {FORMAT_VERSION}"
                    f" (found {manifest.get('format')!r} version {manifest.get('version')!r})"
                )
            for table, expected in manifest["tables"].items():
                digest, count = _Digest(), 0
                with archive.open(f"data/{table}.jsonl") as member:
                    for line in member:
                        digest.update(line)
                        count += 1
                if count != expected["rows"] or digest.hexdigest() != expected["sha256"]:
                    raise BackupError(f"table {table}: its data does not match the manifest")
    except BackupError:
        raise
    except FileNotFoundError as exc:
        raise BackupError(f"no such file: {path}") from exc
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise BackupError(f"the file is damaged or not a backup ({type(exc).__name__})") from exc
    return manifest


def _holds_data(models: list) -> list[str]:
    return [
        m._meta.db_table
        for m in models
        if m._meta.db_table in DATA_TABLES and m._base_manager.exists()
    ]


def _insert(model: Any, archive: zipfile.ZipFile) -> None:
    fields = _fields(model)
    batch = []
    with archive.open(f"data/{model._meta.db_table}.jsonl") as member:
        for line in member:
            values = json.loads(line)
            obj = model(**{f.attname: _decode(f, v) for f, v in zip(fields, values, strict=True)})
            batch.append(obj)
            if len(batch) >= BATCH:
                model._base_manager._insert(batch, fields=fields, raw=True)
                batch = []
    if batch:
        model._base_manager._insert(batch, fields=fields, raw=True)


def _empty(tables: list[str]) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    # PostgreSQL: one TRUNCATE of every table (the audit table's trigger refuses DELETE);
    # SQLite: DELETE per table (foreign keys are checked at commit).
    if connection.vendor == "postgresql":
        # TRUNCATE refuses a table with deferred foreign-key checks pending: run them now.
        connection.check_constraints()
    sql = connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=False)
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def restore_backup(path: Path, *, replace: bool = False) -> dict:
    """Restore `path` into the database in one transaction; return the manifest.

    Refused (the database untouched) when the file is damaged, was made at another
    migration state, or the database holds data and `replace` is not given.
    """
    from django.core.management.color import no_style
    from django.db import connection, transaction

    manifest = read_manifest(Path(path))
    here = _applied_migrations()
    if manifest["migrations"] != here:
        missing = len(set(manifest["migrations"]) - set(here))
        extra = len(set(here) - set(manifest["migrations"]))
        raise BackupError(
            "the backup was made at another version of the database"
            f" ({missing} of its migrations not applied here, {extra} applied here only):"
            " restore it with the release that made it, then upgrade"
        )
    models = _models()
    tables = [m._meta.db_table for m in models]
    if sorted(tables) != sorted(manifest["tables"]):
        raise BackupError("the backup's tables are not this database's tables")
    with transaction.atomic():
        busy = _holds_data(models)
        if busy and not replace:
            raise BackupError(
                f"the database holds data ({len(busy)} tables, e.g. {busy[0]}):"
                " give --replace to replace it"
            )
        _empty(tables)
        with zipfile.ZipFile(path) as archive:
            for model in models:
                if model._meta.db_table in TRIGGER_TARGETS:
                    _empty([model._meta.db_table])  # what the triggers wrote just now
                _insert(model, archive)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        connection.check_constraints()
        now = table_digests()
        wrong = [t for t, d in manifest["tables"].items() if now.get(t) != d]
        if wrong:
            raise BackupError(
                f"after restoring, {len(wrong)} tables differ from the backup"
                f" (e.g. {wrong[0]}): nothing was changed"
            )
    return manifest


# --- the commands -----------------------------------------------------------------------


def _setup() -> None:
    from hiddenharm.web.command import _setup_django

    _setup_django()


def _summary(manifest: dict) -> str:
    tables = manifest["tables"]
    rows = sum(t["rows"] for t in tables.values())
    return f"{len(tables)} tables, {rows:,} rows, {len(manifest['migrations'])} migrations"


def backup(
    file: Annotated[
        Path, typer.Argument(help="The archive to write (a zip; replaced if it exists).")
    ],
) -> None:
    """Back up the database (DATABASE_URL, else the SQLite in HH_DATA_DIR) to FILE, with a
    manifest of the migrations, and every table's row count and checksum."""
    _setup()
    manifest = write_backup(file)
    typer.echo(f"Backed up {_summary(manifest)} to {file}")


def restore(
    file: Annotated[Path, typer.Argument(help="An archive written by `hiddenharm backup`.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a database that already holds data.")
    ] = False,
) -> None:
    """Restore FILE into the database in one transaction, then check every table's rows
    against the manifest; on any failure the database is left as it was."""
    _setup()
    from django.db import connection

    if not connection.introspection.table_names():
        from hiddenharm.web.command import _migrate

        _migrate()  # a new, empty database: bring it to the code's migrations first
    try:
        manifest = restore_backup(file, replace=replace)
    except BackupError as exc:
        typer.echo(f"Not restored: {exc}. The database is unchanged.", err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"Restored {_summary(manifest)} from {file}; checked: every table's rows"
        " and checksum match the backup"
    )
