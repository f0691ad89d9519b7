"""The API's throttle counts in the database, so that every gunicorn worker counts the
same requests (a worker's local memory would let N workers give N times the rate)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from django.core.cache import cache

from hiddenharm.api.models import ApiRate
from hiddenharm.api.tests.helpers import assert_problem
from hiddenharm.api.throttle import parse_rate, take

URL = "/api/v1/submissions/999"


@pytest.mark.django_db
def test_it_keeps_the_counts_where_every_worker_reads_them(api_client, token_for, settings):
    settings.HH_API_RATE = "3/min"
    token = token_for("data_lead")
    for _ in range(3):
        assert api_client.get(URL, token).status_code == 404
    cache.clear()  # what another worker, with its own memory, would start from
    response = assert_problem(api_client.get(URL, token), 429)
    assert "try again in" in response["detail"]
    assert list(ApiRate.objects.values_list("count", flat=True)) == [3]  # refusals not counted


@pytest.mark.django_db
def test_it_lets_the_window_slide_not_reset(settings):
    t = 600 * 1000.0  # the start of a window of 60 s
    assert [take("k", 4, 60, now=t + 50) for _ in range(4)] == [None] * 4
    assert take("k", 4, 60, now=t + 55) is not None  # full
    # Just after the edge, the last window's 4 still weigh almost fully: no fresh 4 at once
    assert take("k", 4, 60, now=t + 61) is None  # 4 * (1 - 1/60) = 3.9 -> 3 counted
    wait = take("k", 4, 60, now=t + 61)
    assert wait is not None and 1 <= wait <= 60
    # Half a window on, half of the last one weighs: 2 more in all
    assert take("k", 4, 60, now=t + 90) is None
    assert take("k", 4, 60, now=t + 90) is not None
    assert take("other", 4, 60, now=t + 90) is None  # per key


@pytest.mark.django_db
def test_it_forgets_the_windows_nobody_reads_again():
    take("k", 5, 60, now=0.0)
    take("k", 5, 60, now=60.0)
    take("k", 5, 60, now=180.0)  # a new window: the ones before the last are deleted
    assert sorted(ApiRate.objects.values_list("window", flat=True)) == [3]


def test_it_reads_the_rate_in_ninjas_notation():
    assert parse_rate("120/min") == (120, 60) and parse_rate("5/s") == (5, 1)


WORKER = textwrap.dedent(
    """
    import sys, django
    django.setup()
    from hiddenharm.api.throttle import take
    taken = sum(take("token", 30, 3600, now=7200.0) is None for _ in range(20))
    print(taken)
    """
)


@pytest.mark.slow
def test_it_counts_across_processes_without_losing_or_doubling(tmp_path):
    """Three processes (as three gunicorn workers) take 20 each of a limit of 30 on one
    database at once: exactly 30 are taken, and the row says 30."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HH_")}
    env.update(
        DJANGO_SETTINGS_MODULE="hiddenharm.web.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'rate.sqlite3'}",
        HH_DEBUG="1",
        HH_DATA_DIR=str(tmp_path),
    )
    make = "import django; django.setup(); from django.core.management import call_command; "
    make += "call_command('migrate', 'api', verbosity=0)"
    subprocess.run([sys.executable, "-c", make], env=env, check=True, timeout=180)
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    taken = [int(p.communicate(timeout=180)[0].strip()) for p in procs]
    assert sum(taken) == 30, taken
    check = "import django; django.setup(); from hiddenharm.api.models import ApiRate; "
    check += "print(list(ApiRate.objects.values_list('count', flat=True)))"
    out = subprocess.run(
        [sys.executable, "-c", check], env=env, check=True, capture_output=True, text=True
    )
    assert out.stdout.strip() == "[30]"
