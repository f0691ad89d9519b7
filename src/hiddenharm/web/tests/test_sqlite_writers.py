"""Several processes writing one SQLite file, as `hiddenharm serve` has them (gunicorn's
workers and the figures worker): a transaction that reads, then writes, must wait for
another process's transaction, not fail with "database is locked" (found by the API's fuzz
test in CI, while the figures worker stored its figures)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from hiddenharm.web.tests.test_production import production_env
from hiddenharm.web.tests.test_warm import run_probe

pytestmark = pytest.mark.slow

WRITER = textwrap.dedent(
    """
    import os, sys, time, django
    django.setup()
    from django.db import transaction
    from hiddenharm.api.models import ApiRate
    me, failed = os.getpid(), []
    for i in range(40):
        try:
            with transaction.atomic():
                seen = ApiRate.objects.count()  # read first: the transaction holds a read
                time.sleep(0.002)  # while the other processes write
                ApiRate.objects.create(key=f"{me}-{i}", window=i, count=seen)
        except Exception as e:
            failed.append(f"{type(e).__name__}: {e}")
    print(len(failed), failed[:1])
    """
)


def test_it_makes_transactions_that_read_then_write_wait_for_each_other(tmp_path):
    migrate = "import django; django.setup(); from django.core.management import call_command; "
    migrate += "call_command('migrate', 'api', verbosity=0); print('true')"
    assert run_probe(migrate, tmp_path)  # the served default: the SQLite file in HH_DATA_DIR
    env = production_env(tmp_path)
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=180)[0].strip() for p in procs]
    assert all(out.startswith("0 ") for out in outs), outs  # no transaction failed
    count = "import django; django.setup(); from hiddenharm.api.models import ApiRate; "
    count += "print(ApiRate.objects.count())"
    assert run_probe(count, tmp_path) == 120  # every write is there


def test_it_keeps_the_served_sqlite_file_in_write_ahead_log_mode(tmp_path):
    """Readers go on while one process writes (the dashboards' exports while records are
    saved)."""
    code = (
        "import django, json; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(json.dumps(c.fetchone()[0]))"
    )
    assert run_probe(code, tmp_path) == "wal"
