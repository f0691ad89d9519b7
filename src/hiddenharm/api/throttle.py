"""Requests per token (HH_API_RATE, e.g. "120/min"), read on each call so that tests and a
restart pick up a change.

The counts are rows of the database (models.ApiRate), so that every gunicorn worker (and
every server behind one database) counts the same requests: with N workers a token still
makes at most the rate, not N times it. Each request is one atomic conditional increment
(UPDATE ... SET count = count + 1 WHERE count < allowed), so two workers can never both take
the last request of a window, on SQLite as on PostgreSQL. The window slides approximately:
the previous window's count weighs by the share of it still inside the last `duration`
seconds, so a burst across a window's edge gets no double rate.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.db.models import F
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from hiddenharm.api.models import ApiRate


def parse_rate(rate: str) -> tuple[int, int]:
    """(requests, seconds) of a rate such as "120/min" (ninja's notation)."""
    n, seconds = SimpleRateThrottle.parse_rate(SimpleRateThrottle, rate)
    return int(n), int(seconds)


def take(key: str, limit: int, duration: int, now: float | None = None) -> float | None:
    """Count one request of `key` if it is within `limit` per `duration` seconds: None when
    taken, else the seconds to wait before the next one may be."""
    now = time.time() if now is None else now
    window = int(now // duration)
    into = (now - window * duration) / duration  # share of the current window gone by
    counts = dict(
        ApiRate.objects.filter(key=key, window__in=(window - 1, window)).values_list(
            "window", "count"
        )
    )
    previous = counts.get(window - 1, 0)
    allowed = limit - math.floor(previous * (1 - into))
    if window not in counts:
        ApiRate.objects.bulk_create(
            [ApiRate(key=key, window=window, count=0)], ignore_conflicts=True
        )
        ApiRate.objects.filter(window__lt=window - 1).delete()  # nobody reads them again
    taken = ApiRate.objects.filter(key=key, window=window, count__lt=allowed).update(
        count=F("count") + 1
    )
    if taken:
        return None
    if previous and counts.get(window, 0) < limit:  # the previous window's weight wanes
        per_request = duration / previous
        return max(1.0, min(duration * (1 - into), per_request))
    return max(1.0, duration * (1 - into))  # the current window is full: wait for its end


class TokenThrottle(BaseThrottle):
    """ninja's throttle interface over `take`, keyed by the token (str(ApiToken))."""

    def allow_request(self, request) -> bool:
        auth = getattr(request, "auth", None)
        if auth is None:
            return True  # no token: refused by the authentication, not counted
        limit, duration = parse_rate(settings.HH_API_RATE)
        self._wait = take(str(auth), limit, duration)
        return self._wait is None

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)
