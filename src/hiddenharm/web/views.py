from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hiddenharm.accounts import access


@require_GET
@never_cache
def healthz(request):
    """200 while the process answers (a liveness probe): touches nothing else."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@never_cache
def readyz(request):
    """200 when the database answers and every migration is applied (a readiness probe),
    503 otherwise. Says nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    if pending:
        return HttpResponse("migrations pending\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def home(request):
    """For a visitor who is not signed in, the public page for families and professionals;
    for a signed-in person, who they are and what is waiting for them."""
    if not request.user.is_authenticated:
        from hiddenharm.partnership.views_public import public_help

        return public_help(request)
    profile = access.profile_of(request.user)
    waiting = None
    if profile is not None and profile.role in access.WORKLIST_ROLES:
        from django.urls import reverse
        from django.utils import timezone

        from hiddenharm.cases import worklists

        scopes = access.worklist_scopes(request.user)
        scope = next(iter(scopes))
        clients = access.worklist_clients(request.user, scope)
        today = timezone.localdate()
        url = reverse("cases:worklist")
        waiting = {
            "scope": scopes[scope],
            "start": worklists.missing_at_start(clients, today).count(),
            "review": worklists.overdue_at_review(clients, today).count(),
            "start_url": f"{url}?scope={scope}&list=start",
            "review_url": f"{url}?scope={scope}&list=review",
        }
    return render(request, "web/home.html", {"profile": profile, "waiting": waiting})
