"""Template context: the service name and the signed-in person's navigation."""

from __future__ import annotations

from hiddenharm.accounts import access


def service(request):
    user = getattr(request, "user", None)
    nav = access.navigation(user) if user is not None else []
    # aria-current on the item whose address is the longest start of this page's
    # ("/clients/caseload/" is the caseload, not "Find a client" at "/clients/")
    path = getattr(request, "path", "")
    matches = [item for item in nav if path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return {"service_name": "Hidden Harm case records", "nav": nav}
