"""Requests per token (HH_API_RATE, e.g. "120/min"), read on each call so that tests and a
restart pick up a change. Counts live in Django's cache: per process with the default
local-memory cache, so with N gunicorn workers a token may make up to N times the rate."""

from __future__ import annotations

from django.conf import settings
from ninja.throttling import AuthRateThrottle


class TokenThrottle(AuthRateThrottle):
    scope = "api-token"

    def __init__(self):
        super().__init__(rate="120/min")

    def allow_request(self, request) -> bool:
        self.rate = settings.HH_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
