"""Working days, as the safeguarding spec counts them (no Django).

A working day is Monday to Friday and not a bank holiday of the protocol's country, from the
`holidays` package (offline). Dates are dates in Europe/London.

- `add_working_days(day, n, country)`: the n-th working day strictly after `day`.
- `working_days_between(a, b, country)`: the working days in (a, b]; 0 on the same day.
- `deadline(sent_at, n, country)`: the end (23:59:59 London) of the n-th working day after
  the London date of `sent_at`, as an aware datetime.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# The protocol's country: whose bank holidays count.
COUNTRIES = {
    "EW": "England and Wales",
    "SC": "Scotland",
    "NI": "Northern Ireland",
}
DEFAULT_COUNTRY = "EW"
_SUBDIVISION = {"EW": "ENG", "SC": "SCT", "NI": "NIR"}


@lru_cache(maxsize=256)
def bank_holidays(country: str, year: int) -> frozenset[dt.date]:
    import holidays

    if country not in _SUBDIVISION:
        raise ValueError(f"unknown country {country!r}: one of {', '.join(COUNTRIES)}")
    return frozenset(holidays.country_holidays("GB", subdiv=_SUBDIVISION[country], years=year))


def is_working_day(day: dt.date, country: str = DEFAULT_COUNTRY) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(country, day.year)


def add_working_days(day: dt.date, n: int, country: str = DEFAULT_COUNTRY) -> dt.date:
    """The n-th working day strictly after `day` (n >= 0; n = 0 gives `day` itself)."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    d = day
    while n > 0:
        d += dt.timedelta(days=1)
        if is_working_day(d, country):
            n -= 1
    return d


def subtract_working_days(day: dt.date, n: int, country: str = DEFAULT_COUNTRY) -> dt.date:
    """The n-th working day strictly before `day` (for "3 working days before a conference")."""
    d = day
    while n > 0:
        d -= dt.timedelta(days=1)
        if is_working_day(d, country):
            n -= 1
    return d


def working_days_between(a: dt.date, b: dt.date, country: str = DEFAULT_COUNTRY) -> int:
    """The working days in (a, b]; 0 when a == b. a must not be after b."""
    if b < a:
        raise ValueError("a must not be after b")
    return sum(
        is_working_day(a + dt.timedelta(days=i), country) for i in range(1, (b - a).days + 1)
    )


def london_date(moment: dt.datetime) -> dt.date:
    """The Europe/London date of an aware datetime."""
    return moment.astimezone(LONDON).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 in London on `day`, aware."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), LONDON)


def deadline(sent_at: dt.datetime, n: int, country: str = DEFAULT_COUNTRY) -> dt.datetime:
    return end_of_day(add_working_days(london_date(sent_at), n, country))


def met(event_at: dt.datetime | None, due: dt.datetime) -> bool:
    """Whether an event happened on or before its deadline (the deadline's whole last day)."""
    return event_at is not None and london_date(event_at) <= london_date(due)
