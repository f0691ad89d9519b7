"""Database triggers that bump a provider's data version whenever its case records change.

The dashboard caches its figures per scope and data version (`cases.FigureCache`); these
triggers are what make a cached figure stale. In the database rather than in Django signals
because signals miss `bulk_create`, `bulk_update` and queryset `update()`/`delete()`,
which the import and the tools use; a trigger sees every write, in the writer's transaction.

- PostgreSQL: statement-level triggers with transition tables, so a bulk import of 100,000
  rows bumps each provider once per statement, not once per row; providers are locked in
  id order, so two writers cannot deadlock on the counters.
- SQLite: row-level triggers (SQLite has no statement triggers); an upsert of one small
  row each, in the same write transaction.

`provider_id` is not a foreign key: a trigger may run while a flush deletes the providers.
Pregnancies are not in the extract, so they do not bump the version.
"""

from django.db import migrations

# table -> SQL giving the provider of a row `r` of that table
PROVIDER_OF = {
    "cases_client": "{r}.provider_id",
    "cases_episode": "{r}.provider_id",
    "cases_hiddenharmrecord": "(SELECT e.provider_id FROM cases_episode e WHERE e.id = {r}.episode_id)",
    "cases_child": "(SELECT c.provider_id FROM cases_client c WHERE c.id = {r}.client_id)",
    "cases_childstatus": (
        "(SELECT c.provider_id FROM cases_child h JOIN cases_client c ON c.id = h.client_id"
        " WHERE h.id = {r}.child_id)"
    ),
}
OPS = ("insert", "update", "delete")


def _sqlite(table: str, op: str) -> str:
    expr = PROVIDER_OF[table]
    rows = {
        "insert": f"SELECT {expr.format(r='NEW')} AS p",
        "delete": f"SELECT {expr.format(r='OLD')} AS p",
        "update": f"SELECT {expr.format(r='NEW')} AS p UNION SELECT {expr.format(r='OLD')}",
    }[op]
    return f"""
CREATE TRIGGER hh_dv_{table}_{op} AFTER {op.upper()} ON {table}
BEGIN
    INSERT INTO cases_dataversion (provider_id, version)
    SELECT p, 1 FROM ({rows}) WHERE p IS NOT NULL
    ON CONFLICT (provider_id) DO UPDATE SET version = version + 1;
END;
"""


def _postgres(table: str, op: str) -> str:
    expr = PROVIDER_OF[table]
    if op == "update":
        rows = (
            f"SELECT {expr.format(r='n')} AS p FROM hh_new n"
            f" UNION SELECT {expr.format(r='o')} FROM hh_old o"
        )
        referencing = "REFERENCING OLD TABLE AS hh_old NEW TABLE AS hh_new"
    else:
        alias = "hh_new" if op == "insert" else "hh_old"
        rows = f"SELECT {expr.format(r='t')} AS p FROM {alias} t"
        referencing = f"REFERENCING {'NEW' if op == 'insert' else 'OLD'} TABLE AS {alias}"
    name = f"hh_dv_{table}_{op}"
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    INSERT INTO cases_dataversion (provider_id, version)
    SELECT DISTINCT p, 1 FROM ({rows}) s WHERE p IS NOT NULL ORDER BY p
    ON CONFLICT (provider_id) DO UPDATE SET version = cases_dataversion.version + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} AFTER {op.upper()} ON {table} {referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    make = {"sqlite": _sqlite, "postgresql": _postgres}.get(vendor)
    if make is None:  # another database: the figures are recomputed on every view
        return
    for table in PROVIDER_OF:
        for op in OPS:
            schema_editor.execute(make(table, op))


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in PROVIDER_OF:
        for op in OPS:
            name = f"hh_dv_{table}_{op}"
            if vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            elif vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_figure_cache")]
    operations = [migrations.RunPython(forwards, backwards)]
