"""Errors as RFC 9457 problem details: {"type", "title", "status", "detail"} served as
application/problem+json, with `errors` (field and message) on a 422."""

from __future__ import annotations

import json
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpResponse
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "The referral's state refuses this",
    413: "Content too large",
    422: "Unprocessable content",
    429: "Too many requests",
}
DETAILS = {
    401: "Send a valid token: Authorization: Bearer TOKEN (make one on the API tokens page).",
    403: "Your token or your role does not allow this.",
    404: "There is no such thing here, or it is not yours to see.",
    429: "Too many requests with this token: wait, then try again.",
}


SOURCES = ("body", "query", "path", "form", "file", "header", "cookie")


class Problem(Exception):
    def __init__(self, status: int, detail: str = "", errors: list[dict] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail or DETAILS.get(status, TITLES.get(status, ""))
        self.errors = errors or []


def invalid(field: str, message: str) -> Problem:
    return Problem(422, f"{field}: {message}", [{"field": field, "message": message}])


def response(problem: Problem, headers: dict | None = None) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(problem.status, "Error"),
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors:
        body["errors"] = problem.errors
    r = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=problem.status,
        content_type="application/problem+json",
    )
    for k, v in (headers or {}).items():
        r[k] = v
    return r


def _field_of(loc) -> str:
    # ninja locations look like ("body", "payload", "team"), ("query", "as_of"), ("file", "file")
    parts = [str(p) for p in loc]
    source = parts.pop(0) if parts and parts[0] in SOURCES else "body"
    if parts and parts[0] == "payload":
        parts.pop(0)
    return ".".join(parts) or source


def from_validation(exc: ValidationError) -> Problem:
    errors = [
        {"field": _field_of(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors
    ]
    detail = (
        "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "The body does not parse."
    )
    return Problem(422, detail, errors)


def install(api) -> None:
    """The API's exception handlers: every refusal as problem+json."""

    @api.exception_handler(Problem)
    def _problem(request, exc):
        return response(exc)

    @api.exception_handler(ValidationError)
    def _validation(request, exc):
        return response(from_validation(exc))

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return response(Problem(401))

    @api.exception_handler(Throttled)
    def _throttled(request, exc):
        wait = max(1, math.ceil(exc.wait or 1))
        detail = f"Too many requests with this token: try again in {wait} seconds."
        return response(Problem(429, detail), {"Retry-After": str(wait)})

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request, exc):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return response(Problem(413, f"The JSON body is over the limit of {limit:,} bytes."))

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return response(Problem(403, str(exc) or ""))

    @api.exception_handler(Http404)
    def _missing(request, exc):
        return response(Problem(404))

    @api.exception_handler(HttpError)
    def _http(request, exc):
        if exc.status_code == 400:  # ninja's "Cannot parse request body": the spec's 422
            return response(invalid("body", "The body does not parse: send JSON (UTF-8)."))
        return response(Problem(exc.status_code, str(exc)))
