"""Warm the served application once, in gunicorn's master before it forks its workers.

A worker's first requests otherwise pay for what every worker loads only once: the URL
conf and its views, every template compiled, and the bank holidays (the `holidays` package
imports every country it knows, about a second). Under load that fell on the first users
of each worker, and again on each worker gunicorn recycles (found by the load test: a home
page took 1 s of CPU on a fresh worker and 50 ms after). Done before the fork, the workers
share it; nothing here opens a database connection or starts a thread.

What cannot cross a fork is started in each worker after it (`after_fork`, gunicorn's
post_fork hook): vl-convert, which draws the dashboards' over-time charts, runs a JavaScript
engine on threads of its own, and starting it took about a second of a worker's first
dashboard whose figures were not cached yet.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path


def template_names() -> list[str]:
    """Every template the Django engine's loaders can find, by name."""
    from django.template import engines

    names: set[str] = set()
    for loader in engines["django"].engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            for folder in map(Path, inner.get_dirs()):
                if folder.is_dir():
                    names |= {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}
    return sorted(names)


def warm_up(today: dt.date | None = None) -> dict[str, int]:
    """Load the URL conf (and so every view module), compile every template into the
    cached loader, and work out the bank holidays of every protocol country for last year,
    this year and next. Returns what was loaded, by kind."""
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import timezone

    import hiddenharm.measures  # noqa: F401  (the figures' measures: imported, nothing started)
    from hiddenharm.safeguarding import workdays

    views = len(get_resolver().reverse_dict)  # imports every urls module and its views
    names = template_names()
    for name in names:
        get_template(name)
    year = (today or timezone.localdate()).year
    days = 0
    for country in workdays.COUNTRIES:
        for y in (year - 1, year, year + 1):
            days += len(workdays.bank_holidays(country, y))
    return {"views": views, "templates": len(names), "bank_holidays": days}


# A table of one quarter with one value: the smallest chart the dashboards draw.
_SAMPLE_TREND = {
    "columns": ["All"],
    "rows": [{"label": "Warm-up", "cells": [{"rate": 0.5, "num": 1, "den": 2}]}],
}


def warm_charts() -> float:
    """Start vl-convert by drawing one over-time chart as the dashboards draw theirs (the
    engine starts on its first drawing). Returns the seconds it took."""
    from hiddenharm.cases import figures

    t0 = time.perf_counter()
    figures.trend_chart(_SAMPLE_TREND)
    return time.perf_counter() - t0


def warm_figures(today: dt.date | None = None) -> float:
    """Work out the figures of a small synthetic submission (200 episodes) as the dashboards
    work out theirs: written as Parquet, validated, measured over a period and eight
    quarters. The first figures of a process pay first-use costs of DuckDB, the validator
    and the measures (about half a second of a fresh worker's first dashboard, measured on
    the 100,000-client area); paid here, they are not. No database is touched. Returns the
    seconds it took."""
    import tempfile

    from django.utils import timezone

    from hiddenharm.cases.figures import DASHBOARD_SECTIONS, default_period
    from hiddenharm.extract import validate, write_submission
    from hiddenharm.measures import Submission, whole_quarters
    from hiddenharm.synth.generator import generate_tables

    t0 = time.perf_counter()
    today = today or timezone.localdate()
    start, end = default_period(today)
    tables = generate_tables(episodes=200, seed=1, as_of=today)
    with tempfile.TemporaryDirectory(prefix="hh-warm-") as tmp:
        write_submission(tables, tmp, "parquet")
        result = validate(Path(tmp), as_of=today)
    with Submission(dict(result.tables)) as sub:
        sub.compute(start, end, sections=DASHBOARD_SECTIONS)
        sub.trend(whole_quarters(end), sections=("completeness", "currency"))
    return time.perf_counter() - t0


def _warm_worker() -> None:
    """Both warm-ups; a failure is logged, never raised: the worker serves without them."""
    import logging

    try:
        warm_charts()
        warm_figures()
    except Exception:
        logging.getLogger("hiddenharm.warm").exception("warming the worker failed")


def after_fork(server=None, worker=None) -> threading.Thread:
    """gunicorn's post_fork hook: start vl-convert in this worker, then work out a small
    submission's figures (`warm_figures`), on a daemon thread, so that the first dashboard
    it computes pays neither. (vl-convert holds the GIL while it starts: a request arriving
    in that second waits for it, as it would have in its own drawing.)"""
    thread = threading.Thread(target=_warm_worker, name="hh-warm-charts", daemon=True)
    thread.start()
    return thread
