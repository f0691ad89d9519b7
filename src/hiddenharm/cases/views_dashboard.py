"""Figures for managers, data leads and commissioners; the full area report."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.accounts.models import Role
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import figures
from hiddenharm.cases.forms import PeriodForm
from hiddenharm.extract.codes import PROBLEM_TITLES


def _period(request):
    """(form, start, end, today): the period asked for in the query string, or the default
    one with the form's errors when the dates given are not a real period."""
    today = timezone.localdate()
    start, end = figures.default_period(today)
    form = PeriodForm(request.GET if request.GET else None, initial={"from": start, "to": end})
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["from"] or start
        end = form.cleaned_data["to"] or end
    return form, start, end, today


@access.role_required(*access.FIGURE_ROLES)
def dashboard(request):
    profile = access.profile_of(request.user)
    providers = list(access.figure_providers(request.user))
    period_form, start, end, today = _period(request)
    # Figures that leave a service (a commissioner's view) have small numbers suppressed,
    # and have no team breakdown; both are part of the cache key (figures.scope_key).
    publish = profile.role == Role.COMMISSIONER
    teams = [] if publish else list(profile.organisation.teams.order_by("name", "pk"))
    tables, trends, problems, computed_at, cached, stale = [], [], {}, None, False, False
    if providers:
        shown = figures.dashboard(providers, teams, start, end, publish=publish, as_of=today)
        tables, problems = shown["tables"], shown["problems"]
        trends = shown.get("trends", [])
        computed_at, cached = shown["computed_at"], shown["cached"]
        stale = shown.get("stale", False)
    for t in trends:
        t["chart"] = figures.trend_chart(t)
    problem_words = [
        {"code": code, "count": n, "title": PROBLEM_TITLES.get(code, code)}
        for code, n in (problems or {}).items()
    ]
    record(events.ViewFigures(providers=tuple(p.pk for p in providers)), request)
    return render(
        request,
        "cases/dashboard.html",
        {
            "title": "Figures",
            "providers": providers,
            "tables": tables,
            "trends": trends,
            "problems": problems,
            "period_from": start,
            "period_to": end,
            "published": publish,
            "computed_at": computed_at,
            "cached": cached,
            "stale": stale,
            "form": period_form,
            "problem_words": problem_words,
        },
    )


@access.role_required(*access.FIGURE_ROLES)
def area_report(request):
    from hiddenharm.reports import render_html, render_pdf

    profile = access.profile_of(request.user)
    providers = list(access.figure_providers(request.user))
    if not providers:
        raise Http404("No providers")
    period_form, start, end, today = _period(request)
    if period_form.errors:
        return render(
            request,
            "cases/period_error.html",
            {"title": "Check the period", "form": period_form},
            status=400,
        )
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "pdf"):
        raise Http404
    report = figures.build(
        providers,
        start,
        end,
        publish=profile.role == Role.COMMISSIONER,
        detail=True,
        as_of=today,
        title="Hidden Harm: what the data tells us",
    )
    # The safeguarding section, from the case records (an extract holds no referrals).
    from hiddenharm.safeguarding import activity

    report["safeguarding"] = activity.for_providers(
        providers, start, end, publish=profile.role == Role.COMMISSIONER
    )
    record(events.ViewFigures(providers=tuple(p.pk for p in providers), output=fmt), request)
    if fmt == "pdf":
        response = HttpResponse(render_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="hidden-harm-{end}.pdf"'
        return response
    # A file of its own (its charts are inline scripts, which the pages' content security
    # policy forbids): downloaded, then opened from disk.
    response = HttpResponse(render_html(report), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hidden-harm-{end}.html"'
    return response
