"""Figures for managers, data leads and commissioners; the full area report."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from hiddenharm.accounts import access
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
    # Figures that leave a service (a commissioner's view) have small numbers suppressed,
    # and have no team breakdown; both are part of the cache key (figures.scope_key).
    providers, teams, publish = figures.scope_of(request.user)
    period_form, start, end, today = _period(request)
    tables, trends, problems, computed_at, cached, stale = [], [], {}, None, False, False
    refresh_after, stale_reason, shown_from, shown_to = None, "", start, end
    if providers:
        shown = figures.dashboard(providers, teams, start, end, publish=publish, as_of=today)
        tables, problems = shown["tables"], shown["problems"]
        trends = shown.get("trends", [])
        computed_at, cached = shown["computed_at"], shown["cached"]
        stale = shown.get("stale", False)
        stale_reason = shown.get("stale_reason", "")
        refresh_after = shown.get("refresh_after")
        # the period of the figures shown: an earlier day's, while today's are worked out
        shown_from = shown.get("period_from", start)
        shown_to = shown.get("period_to", end)
    for t in trends:
        if "chart" not in t:  # figures stored before their charts were
            t["chart"] = figures.trend_chart(t)
    # Managers and data leads follow each count to their own service's records behind it.
    linked = access.can_see_problem_records(request.user)
    problem_words = [
        {
            "code": code,
            "count": n,
            "title": PROBLEM_TITLES.get(code, code),
            "url": f"{reverse('cases:figure_problems')}?code={code}" if linked else "",
        }
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
            "period_from": shown_from,
            "period_to": shown_to,
            "published": publish,
            "computed_at": computed_at,
            "cached": cached,
            "stale": stale,
            "stale_reason": stale_reason,
            "refresh_after": refresh_after,
            "form": period_form,
            "problem_words": problem_words,
        },
    )


@access.role_required(*access.FIGURE_ROLES)
def area_report(request):
    from hiddenharm.reports import render_html, render_pdf

    providers, _, publish = figures.scope_of(request.user)
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
        publish=publish,
        detail=True,
        as_of=today,
        title="Hidden Harm: what the data tells us",
    )
    # The safeguarding section, from the case records (an extract holds no referrals).
    from hiddenharm.safeguarding import activity

    report["safeguarding"] = activity.for_providers(providers, start, end, publish=publish)
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


PROBLEM_PAGE_SIZE = 100


@access.role_required(*access.PROBLEM_RECORD_ROLES)
def figure_problems(request):
    """The records of the person's own service behind the figures' warnings and errors: all
    problems with their counts, or (?code=) the records with one problem, each linked to
    the record and, for those who may change records, to the form that corrects it."""
    from django.core.paginator import Paginator

    from hiddenharm.cases import problems
    from hiddenharm.cases.events import ViewList

    provider = access.problem_records_provider(request.user)
    code = request.GET.get("code") or ""
    if code and code not in PROBLEM_TITLES:
        raise Http404("No such problem")
    tables, result = problems.check(provider, timezone.localdate())
    counted = problems.counts(result)
    page, rows = None, []
    if code:
        found = problems.rows_with(
            provider, tables, result, code, can_write=access.can_write(request.user)
        )
        page = Paginator(found, PROBLEM_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        shown = access.clients_for(request.user).filter(
            pk__in=[r.client_id for r in rows if r.client_id]
        )
        allowed = set(shown.values_list("pk", flat=True))
        for r in rows:  # never a link to a record the person may not open
            if r.client_id not in allowed:
                r.client_id, r.record_url, r.fix_url = None, "", ""
        record(
            ViewList(
                page="figure_problems",
                scope=code,
                client_ids=tuple(sorted({r.client_id for r in rows if r.client_id})),
            ),
            request,
        )
    return render(
        request,
        "cases/figure_problems.html",
        {
            "title": f"Records with problem {code}" if code else "Problems in the records",
            "provider": provider,
            "code": code,
            "code_title": PROBLEM_TITLES.get(code, ""),
            "counted": counted,
            "page": page,
            "rows": rows,
            "query": f"code={code}",
        },
    )
