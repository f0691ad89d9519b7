"""The data-version triggers of 0003, made again after 0005.

SQLite cannot add a NOT NULL column with a default in place: Django copies the table into
a new one (`_remake_table`), and a table's triggers go with the old copy. 0005 added
`version` to the case tables that way, so the triggers are dropped (if any are left) and
created again here. On PostgreSQL the columns were added in place; creating the functions
and triggers again is harmless. The history tables of 0005 carry no trigger: a correction
bumps the version through its row in the case table, in the same transaction.
"""

import importlib

from django.db import migrations

_0003 = importlib.import_module("hiddenharm.cases.migrations.0003_data_version_triggers")


def forwards(apps, schema_editor):
    _0003.backwards(apps, schema_editor)
    _0003.forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_history_and_versions")]
    operations = [migrations.RunPython(forwards, _0003.backwards)]
