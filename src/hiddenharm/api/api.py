"""The HTTP API (spec/api.md) at /api/v1/: OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs. Every endpoint needs a token; refusals are problem+json (problems.py)."""

from __future__ import annotations

from ninja import NinjaAPI

from hiddenharm.api import problems, referrals, submissions
from hiddenharm.api.auth import TokenAuth
from hiddenharm.api.throttle import TokenThrottle

api = NinjaAPI(
    title="Hidden Harm API",
    version="1",
    description=(
        "Submissions (HHX-1) validated and reported exactly as the `hiddenharm` command does, "
        "and referrals between treatment services and children's social care. Authenticate "
        "with `Authorization: Bearer TOKEN` (tokens are made on the API tokens page or by "
        "`hiddenharm token create`). Errors are application/problem+json (RFC 9457)."
    ),
    urls_namespace="apiv1",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("/submissions", submissions.router)
api.add_router("", referrals.router)
