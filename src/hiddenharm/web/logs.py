"""Logging that never writes personal data.

Log lines name objects by id and events by kind. These filters are the belt to that
braces: no request object (with its POST body and cookies) reaches a handler, query
strings are cut from messages, and error reports cleanse every POST field.
"""

from __future__ import annotations

import logging
import re

from django.views.debug import SafeExceptionReporterFilter

_QUERY = re.compile(r"\?\S*")


class StripRequestFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
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


class NoPersonalDataFilter(SafeExceptionReporterFilter):
    """Cleanse every POST parameter, not only ones marked sensitive."""

    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {k: self.cleansed_substitute for k in request.POST}
