"""`serve` warms the application before gunicorn forks: a fresh interpreter after warm_up()
has every template compiled and the URL conf's views and the bank holidays loaded."""

from __future__ import annotations

import json
import subprocess
import sys

from hiddenharm.web.tests.test_production import production_env

_PROBE = """
import datetime as dt, json, os, sys
import django
django.setup()
from django.template import engines
from hiddenharm.safeguarding import workdays
from hiddenharm.web.warm import template_names, warm_up
before = "holidays" in sys.modules
loaded = warm_up(dt.date(2026, 6, 1))
cached = set()
for loader in engines["django"].engine.template_loaders:
    cached |= set(getattr(loader, "get_template_cache", {}))
print(json.dumps({
    "before": before,
    "after": "holidays" in sys.modules,
    "loaded": loaded,
    "names": template_names(),
    "cached": sorted(cached),
    "holiday_years": workdays.bank_holidays.cache_info().currsize,
    "views": "hiddenharm.safeguarding.views_referrals" in sys.modules,
}))
"""


def run_probe(code: str, tmp_path, timeout: int = 120) -> dict:
    """Run `code` in a fresh interpreter with production settings; its last line of output,
    read as JSON."""
    run = subprocess.run(
        [sys.executable, "-c", code],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_it_compiles_every_template_and_loads_views_and_bank_holidays(tmp_path):
    got = run_probe(_PROBE, tmp_path)
    assert got["before"] is False and got["after"] is True  # not loaded until warmed
    assert len(got["names"]) > 100 and "base.html" in got["names"]
    assert set(got["names"]) <= set(got["cached"])
    assert got["loaded"]["templates"] == len(got["names"])
    assert got["holiday_years"] == 9  # three countries, three years each
    assert got["loaded"]["bank_holidays"] > 9 * 8 and got["views"]
