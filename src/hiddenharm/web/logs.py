"""Logging that never writes personal data, as one JSON object a line.

Log lines name objects by id and events by kind. These filters are the belt to that
braces: no request object (with its POST body and cookies) reaches a handler, query
strings are cut from messages, and error reports cleanse every POST field. A refused
request (4xx) is one line, the access line of `middleware.RequestIdMiddleware`: Django's
own "Forbidden" / "Not Found" line, with its traceback, is dropped.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re

from django.views.debug import SafeExceptionReporterFilter

_QUERY = re.compile(r"\?\S*")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Extra fields a log call may carry into the JSON line (ids, codes and numbers only).
EXTRA_FIELDS = ("method", "path", "status", "ms", "cpu_ms", "user_id")


class StripRequestFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", 500) < 500:
            return False  # the access line says it, once, without a traceback
        if record.name.startswith("django.security"):
            record.exc_info = record.exc_text = None  # e.g. DisallowedHost: a line, no traceback
        if hasattr(record, "request"):
            record.request = None
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = _QUERY.sub("?[query removed]", record.msg)
        if record.args:
            record.args = tuple(
                _QUERY.sub("?[query removed]", a) if isinstance(a, str) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, the
    whitelisted extras, and for errors the exception's type and traceback text."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            line["request_id"] = rid
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.levelno >= logging.ERROR:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class NoPersonalDataFilter(SafeExceptionReporterFilter):
    """Cleanse every POST parameter, not only ones marked sensitive."""

    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {k: self.cleansed_substitute for k in request.POST}
