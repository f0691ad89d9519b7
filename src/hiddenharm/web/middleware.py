"""Production middleware: a request id on every log line, one access line per request,
body size limit before anything reads the body, and the security and caching headers.

Order (settings.MIDDLEWARE): RequestIdMiddleware first (it times and logs everything),
then SecurityMiddleware, WhiteNoise (static files return before the rest), then
BodyLimitMiddleware and HeadersMiddleware.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from hiddenharm.web.logs import request_id

access_log = logging.getLogger("hiddenharm.access")

# No inline script or style attributes anywhere in the application's pages; data for
# scripts through json_script (a non-executable <script type="application/json">).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """A request id (the proxy's X-Request-ID when it looks like one, else a new one) for the
    log lines of this request, returned in X-Request-ID; then one access line: method, path
    without its query, status, time and CPU time. Refusals (4xx) at WARNING, so that they are seen at
    the default level, as that one line (logs.py drops Django's own line and traceback)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            status = response.status_code
            level = logging.WARNING if 400 <= status < 500 else logging.INFO
            if status >= 500:
                level = logging.ERROR
            user = getattr(request, "user", None)
            access_log.log(
                level,
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    # the worker's CPU for this request (sync workers: one request at a time)
                    "cpu_ms": round((time.process_time() - cpu) * 1000, 1),
                    "user_id": getattr(user, "pk", None),
                },
            )
            return response
        finally:
            request_id.reset(token)


def _too_large(request, limit: int) -> HttpResponse:
    detail = (
        f"The request body is over the limit of {limit:,} bytes (HH_MAX_UPLOAD_BYTES): "
        "send a smaller file, for example one year of records."
    )
    if request.path.startswith("/api/"):
        body = {"type": "about:blank", "title": "Content too large", "status": 413}
        body["detail"] = detail
        return HttpResponse(json.dumps(body), status=413, content_type="application/problem+json")
    return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")


class BodyLimitMiddleware:
    """413 for a body declared over HH_MAX_UPLOAD_BYTES (plus room for multipart framing),
    before any of it is read. A body without Content-Length is read as empty by Django's WSGI
    handler, so the declared length is the bound."""

    SLACK = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.HH_MAX_UPLOAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + self.SLACK:
            return _too_large(request, limit)
        return self.get_response(request)


class HeadersMiddleware:
    """Content-Security-Policy on every page, and `Cache-Control: no-store` on every
    response that does not set its own caching (pages and downloads hold personal data;
    static files are served before this by WhiteNoise, with their own far-future caching).

    The interactive API docs page loads Swagger UI from the project's static files, which
    needs inline styles: its policy allows them and nothing else more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = CONTENT_SECURITY_POLICY
            if request.path.startswith("/api/v1/docs"):
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            response["Content-Security-Policy"] = policy
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        return response


_now = time.time  # the clock of IdleSessionMiddleware (tests move it)


class IdleSessionMiddleware:
    """Idle sessions end SESSION_COOKIE_AGE after the last request, renewed at most once a
    minute (RENEW_SECONDS): Django's SESSION_SAVE_EVERY_REQUEST wrote the session row and
    a new cookie on every request, a database write per page (found by the load test). So a
    session lapses between SESSION_COOKIE_AGE - RENEW_SECONDS and SESSION_COOKIE_AGE after
    the last request. Placed after SessionMiddleware and AuthenticationMiddleware."""

    RENEW_SECONDS = 60
    KEY = "_hh_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and session.session_key and user and user.is_authenticated:
            now = int(_now())
            if now - int(session.get(self.KEY, 0)) >= self.RENEW_SECONDS:
                session[self.KEY] = now  # modified: saved with a new expiry and cookie
        return self.get_response(request)
