"""Template context: the service name and the signed-in person's navigation."""

from __future__ import annotations

from hiddenharm.accounts import access


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": "Hidden Harm case records",
        "nav": access.navigation(user) if user is not None else [],
    }
