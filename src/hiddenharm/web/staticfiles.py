"""Static file URLs that change when the file does: `?v=` and the first 12 hex digits of
the file's SHA-256. WhiteNoise serves the path (the query is ignored) with a year's
max-age (WHITENOISE_MAX_AGE), and a browser keeps the file under its full URL, so a
release with a changed file is fetched anew. No collectstatic or manifest needed."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage


@lru_cache(maxsize=1024)
def content_hash(name: str) -> str:
    path = finders.find(name)
    if not path:
        return ""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


class VersionedStaticFilesStorage(StaticFilesStorage):
    def url(self, name):
        url = super().url(name)
        version = content_hash(name) if name else ""
        return f"{url}?v={version}" if version else url
