"""Warm the served application once, in gunicorn's master before it forks its workers.

A worker's first requests otherwise pay for what every worker loads only once: the URL
conf and its views, every template compiled, and the bank holidays (the `holidays` package
imports every country it knows, about a second). Under load that fell on the first users
of each worker, and again on each worker gunicorn recycles (found by the load test: a home
page took 1 s of CPU on a fresh worker and 50 ms after). Done before the fork, the workers
share it; nothing here opens a database connection or starts a thread.
"""

from __future__ import annotations

import datetime as dt
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
