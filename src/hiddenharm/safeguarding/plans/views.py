"""Child protection plan pages: lists (plans, the next 10 working days, overdue), a plan with
its meetings and time limits, the forms, and the service's report to conference (PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.audit import events as audit_events
from hiddenharm.audit.trail import record
from hiddenharm.cases.events import ViewList
from hiddenharm.safeguarding.plans import limits, report, services
from hiddenharm.safeguarding.plans.forms import (
    ContributionForm,
    EndPlanForm,
    MeetingForm,
    PlanForm,
)
from hiddenharm.safeguarding.plans.models import HEADINGS, Contribution
from hiddenharm.safeguarding.workdays import COUNTRIES

READ = access.PLAN_READ_ROLES
WRITE = access.PLAN_WRITE_ROLES


def _form_page(request, form, title, caption, back_url):
    return render(
        request,
        "web/form_page.html",
        {"form": form, "title": title, "caption": caption, "back_url": back_url},
    )


def _errors_to_form(form, error: ValidationError) -> None:
    for name, msgs in error.message_dict.items():
        form.add_error(name if name in form.fields else None, msgs)


def _audit_list(request, page: str, scope: str, client_ids) -> None:
    """A list of clients shown: which ones, by id (each row says a person is in treatment)."""
    ids = tuple(dict.fromkeys(client_ids))
    record(ViewList(page=page, scope=scope, client_ids=ids), request)


def _scope(request):
    scopes = access.worklist_scopes(request.user)
    scope = request.GET.get("scope") or next(iter(scopes))
    return scopes, scope, access.worklist_clients(request.user, scope)


# --- lists --------------------------------------------------------------------------


@access.role_required(*READ)
def plan_list(request):
    scopes, scope, clients = _scope(request)
    plans = list(services.plans_of(clients).order_by("end_date", "-start_date", "-id"))
    _audit_list(request, "cp_plans", scope, [p.client_id for p in plans])
    return render(
        request,
        "plans/list.html",
        {"title": "Child protection plans", "scopes": scopes, "scope": scope, "plans": plans},
    )


@access.role_required(*READ)
def upcoming(request):
    scopes, scope, clients = _scope(request)
    today = timezone.localdate()
    meetings = services.upcoming(clients, today)
    country = services.area_terms(access.profile_of(request.user).organisation.la_code).country
    _audit_list(request, "cp_upcoming", scope, [m.plan.client_id for m in meetings])
    return render(
        request,
        "plans/upcoming.html",
        {
            "title": "Meetings in the next 10 working days",
            "scopes": scopes,
            "scope": scope,
            "meetings": meetings,
            # The service's own area's window; each client's is their area's (services.upcoming)
            "horizon": limits.reminder_horizon(today, country),
            "country": COUNTRIES.get(country, country),
            "today": today,
        },
    )


@access.role_required(*READ)
def overdue(request):
    scopes, scope, clients = _scope(request)
    today = timezone.localdate()
    rows = services.overdue(clients, today)
    _audit_list(request, "cp_overdue", scope, [p.client_id for p, _ in rows])
    return render(
        request,
        "plans/overdue.html",
        {
            "title": "Overdue: meetings and contributions past their time limit",
            "scopes": scopes,
            "scope": scope,
            "rows": rows,
            "today": today,
        },
    )


# --- a plan -------------------------------------------------------------------------


@access.role_required(*WRITE)
def plan_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    form = PlanForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.start_plan(
                client,
                child=d["child"],
                start_date=d["start_date"],
                strategy_on=d["strategy_on"],
                user=request.user,
                today=timezone.localdate(),
                request=request,
            )
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, "Child protection plan recorded")
            return redirect("plans:detail", plan_id=plan.pk)
    record(audit_events.ViewClient(client_id=client.pk, page="cp_plan_form"), request)
    back = reverse("cases:client_detail", args=[client.pk])
    return _form_page(
        request, form, "Record a child protection plan", f"Client {client.client_ref}", back
    )


@access.role_required(*READ)
def plan_detail(request, plan_id):
    plan, client, can_write = access.get_plan_for_user(request, plan_id)
    record(audit_events.ViewClient(client_id=client.pk, page="cp_plan"), request)
    today = timezone.localdate()
    deadlines = [(d, d.status(today)) for d in services.plan_deadlines(plan)]
    meetings = list(plan.meetings.select_related("contribution").all())
    for m in meetings:
        m.contribution_or_none = Contribution.objects.filter(meeting=m).first()
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "client": client,
            "can_write": can_write,
            "deadlines": deadlines,
            "meetings": meetings,
            "today": today,
            "title": f"Child protection plan: child {plan.child.child_ref}",
        },
    )


@access.role_required(*WRITE)
def plan_end(request, plan_id):
    plan, client, _ = access.get_plan_for_user(request, plan_id, write=True)
    form = EndPlanForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_plan(
                plan,
                end_date=form.cleaned_data["end_date"],
                version=form.cleaned_data["version"],
                user=request.user,
                today=timezone.localdate(),
                request=request,
            )
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, "The end of the plan is recorded")
            return redirect("plans:detail", plan_id=plan.pk)
    record(audit_events.ViewClient(client_id=client.pk, page="cp_plan_end"), request)
    back = reverse("plans:detail", args=[plan.pk])
    return _form_page(request, form, "End the plan", f"Child {plan.child.child_ref}", back)


# --- meetings and contributions -----------------------------------------------------


@access.role_required(*WRITE)
def meeting_create(request, plan_id):
    plan, client, _ = access.get_plan_for_user(request, plan_id, write=True)
    form = MeetingForm(request.POST or None, initial={"version": 0, "invited": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_meeting(
                plan,
                form.cleaned_data,
                user=request.user,
                today=timezone.localdate(),
                request=request,
            )
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, "Meeting saved")
            return redirect("plans:detail", plan_id=plan.pk)
    record(audit_events.ViewClient(client_id=client.pk, page="cp_meeting_form"), request)
    back = reverse("plans:detail", args=[plan.pk])
    return _form_page(request, form, "Add a meeting", f"Child {plan.child.child_ref}", back)


@access.role_required(*WRITE)
def meeting_edit(request, meeting_id):
    meeting, client, _ = access.get_meeting_for_user(request, meeting_id, write=True)
    initial = {k: getattr(meeting, k) for k in services.MEETING_FIELDS}
    form = MeetingForm(request.POST or None, initial={**initial, "version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_meeting(
                meeting,
                form.cleaned_data,
                version=form.cleaned_data["version"],
                user=request.user,
                today=timezone.localdate(),
                request=request,
            )
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, "Meeting saved")
            return redirect("plans:detail", plan_id=meeting.plan_id)
    record(audit_events.ViewClient(client_id=client.pk, page="cp_meeting_form"), request)
    back = reverse("plans:detail", args=[meeting.plan_id])
    return _form_page(request, form, f"Change the {meeting}", "Child protection plan", back)


@access.role_required(*WRITE)
def contribution_edit(request, meeting_id):
    meeting, client, _ = access.get_meeting_for_user(request, meeting_id, write=True)
    if not meeting.is_conference:
        raise PermissionDenied  # a core group takes no written contribution
    current = Contribution.objects.filter(meeting=meeting).first()
    initial = {"version": current.version if current else 0}
    if current:
        initial.update({n: getattr(current, n) for n in (*HEADINGS, "submitted_on")})
    form = ContributionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            c = services.write_contribution(
                meeting,
                form.cleaned_data,
                version=form.cleaned_data["version"],
                user=request.user,
                today=timezone.localdate(),
                request=request,
            )
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, "Contribution sent" if c.submitted_on else "Draft saved")
            return redirect("plans:detail", plan_id=meeting.plan_id)
    record(audit_events.ViewClient(client_id=client.pk, page="cp_contribution_form"), request)
    back = reverse("plans:detail", args=[meeting.plan_id])
    return _form_page(
        request,
        form,
        f"Contribution to the {meeting}",
        f"Child {meeting.plan.child.child_ref}",
        back,
    )


@access.role_required(*READ)
def report_pdf(request, plan_id):
    plan, client, _ = access.get_plan_for_user(request, plan_id)
    pdf, pages = report.render_pdf(plan, timezone.localdate())
    report.audit_report(request, plan, pages)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="conference-report-{plan.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
