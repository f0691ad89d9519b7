"""Information sharing, requests for information, break-the-glass, protocols and activity."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hiddenharm.accounts import access
from hiddenharm.accounts.models import Organisation, Role
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.safeguarding import activity, codes, sharing
from hiddenharm.safeguarding.events import InformationRequestChange
from hiddenharm.safeguarding.forms import (
    GlassForm,
    GovDateField,
    ProtocolForm,
    RequestForm,
    ShareForm,
    add_service_errors,
)
from hiddenharm.safeguarding.models import JointProtocol

FIGURE_ROLES = access.FIGURE_ROLES


def _recipients():
    return Organisation.objects.exclude(kind=Organisation.Kind.PROVIDER).order_by("name")


@access.role_required(*access.WRITE_ROLES)
def share_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    record(events.ViewClient(client_id=client.pk, page="share_create"), request)
    form = ShareForm(request.POST or None, organisations=_recipients())
    if request.method == "POST" and form.is_valid():
        try:
            sharing.record_share(request.user, client, form.cleaned_data)
        except sharing.ShareInvalid as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Information-sharing decision recorded")
            return redirect("cases:client_detail", client_id=client.pk)
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "title": "Record an information-sharing decision",
            "caption": f"Client {client.client_ref}",
            "back_url": f"/clients/{client.pk}/",
        },
    )


@access.role_required(*access.RECORD_ROLES)
def share_list(request):
    shares = access.sharing_scope(request.user).select_related(
        "client", "recipient", "decided_by", "referral"
    )
    only = request.GET.get("show")
    if only == "without_consent":
        shares = shares.filter(shared=True).exclude(consent=codes.CONSENT_GIVEN)
    elif only == "not_shared":
        shares = shares.filter(shared=False)
    page = Paginator(shares, 50).get_page(request.GET.get("page"))
    for s in page:
        s.category_labels = [codes.SHARE_CATEGORIES.get(c, c) for c in s.categories]
    return render(
        request,
        "safeguarding/share_list.html",
        {"title": "Information sharing", "page": page, "show": only or "all"},
    )


# --- requests for information ---------------------------------------------------------------


@access.role_required(*access.SAFEGUARDING_ROLES)
def request_list(request):
    profile = access.profile_of(request.user)
    reqs = access.requests_for(request.user).select_related("team", "provider", "client")
    page = Paginator(reqs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "safeguarding/request_list.html",
        {"title": "Requests for information", "page": page, "is_csc": profile.role == Role.CSC},
    )


@access.role_required(Role.CSC)
def request_create(request):
    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).order_by("name")
    form = RequestForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        try:
            req = sharing.make_request(request.user, form.cleaned_data)
        except sharing.ShareInvalid as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Request sent to the treatment service")
            return redirect("safeguarding:request_detail", request_id=req.pk)
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "title": "Ask a treatment service for information about a parent",
            "back_url": "/safeguarding/requests/",
        },
    )


@access.role_required(*access.SAFEGUARDING_ROLES)
def request_detail(request, request_id):
    req = access.requests_for(request.user).filter(pk=request_id).first()
    if req is None:
        raise PermissionDenied
    record(InformationRequestChange(request_id=req.pk, action="view"), request)
    profile = access.profile_of(request.user)
    can_answer = profile.role in access.WRITE_ROLES and req.is_open
    form = None
    if can_answer:
        form = ShareForm(
            request.POST or None, organisations=_recipients(), submit="Send the answer"
        )
        form.fields.pop("recipient")
        form.fields.pop("recipient_name")
        from django import forms

        form.fields["client_ref"] = forms.CharField(
            label="Which of your clients is it about?",
            required=False,
            max_length=20,
            help_text="Their client reference. Leave blank if they are not known to the service",
        )
        form.fields["answer"] = forms.CharField(
            label="Your answer, as children's social care will read it",
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"required": "Write the answer children's social care will read"},
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            client = None
            if d["client_ref"]:
                client = access.clients_for(request.user).filter(client_ref=d["client_ref"]).first()
                if client is None:
                    form.add_error("client_ref", "No client of yours has this reference")
            if not form.errors:
                try:
                    sharing.answer_request(request.user, req, client, d, d["answer"])
                except sharing.ShareInvalid as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, "Answer sent and the decision recorded")
                    return redirect("safeguarding:request_detail", request_id=req.pk)
    return render(
        request,
        "safeguarding/request_detail.html",
        {"title": "Request for information", "req": req, "form": form},
    )


# --- break the glass -----------------------------------------------------------------------


@access.role_required(Role.KEYWORKER)
def glass_break(request, client_id):
    from hiddenharm.cases.models import Client

    if access.clients_for(request.user).filter(pk=client_id).exists():
        return redirect("cases:client_detail", client_id=client_id)  # on the caseload already
    if not access.outside_caseload(request.user, client_id):
        raise PermissionDenied

    client = Client.objects.get(pk=client_id)
    form = GlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sharing.break_glass(request.user, client, form.cleaned_data["reason"])
        except sharing.ShareInvalid as exc:
            add_service_errors(form, exc)
        else:
            return redirect("cases:client_detail", client_id=client.pk)
    from django.conf import settings

    return render(
        request,
        "safeguarding/glass_form.html",
        {
            "form": form,
            "title": "This client is not on your caseload",
            "hours": settings.HH_BREAK_GLASS_HOURS,
            "back_url": "/",
        },
    )


@access.role_required(*access.SHARING_REVIEW_ROLES)
def glass_list(request):
    glasses = access.glass_scope(request.user).select_related("user", "client", "reviewed_by")
    page = Paginator(glasses, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "safeguarding/glass_list.html",
        {"title": "Records opened outside a caseload", "page": page, "now": timezone.now()},
    )


@require_POST
@access.role_required(*access.SHARING_REVIEW_ROLES)
def glass_review(request, glass_id):
    glass = access.glass_scope(request.user).filter(pk=glass_id).first()
    if glass is None:
        raise PermissionDenied
    sharing.review_glass(request.user, glass)
    messages.success(request, "Marked as reviewed")
    return redirect("safeguarding:glass_list")


# --- protocols and activity ------------------------------------------------------------------

PROTOCOL_ROLES = (*access.SAFEGUARDING_ROLES, Role.COMMISSIONER, Role.PARTNERSHIP_ADMIN)


@access.role_required(*PROTOCOL_ROLES)
def protocol_list(request):
    today = timezone.localdate()
    protocols = list(JointProtocol.objects.prefetch_related("parties"))
    for p in protocols:
        p.overdue = p.review_overdue(today)
    profile = access.profile_of(request.user)
    return render(
        request,
        "safeguarding/protocol_list.html",
        {
            "title": "Joint protocols",
            "protocols": protocols,
            "can_edit": profile.role == Role.PARTNERSHIP_ADMIN,
            "area": profile.organisation.la_code,
        },
    )


@access.role_required(Role.PARTNERSHIP_ADMIN)
def protocol_edit(request):
    """The partnership's own area's protocol: made if there is none yet, else changed."""
    la = access.profile_of(request.user).organisation.la_code
    protocol = JointProtocol.objects.filter(la_code=la).first()
    initial = {"country": "EW", "ack_days": 1, "decision_days": 1, "contribution_days": 3}
    if protocol is not None:
        initial = {f: getattr(protocol, f) for f in sharing.PROTOCOL_FIELDS}
        initial["version"] = protocol.version
    form = ProtocolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sharing.save_protocol(
                request.user, protocol, form.cleaned_data, version=form.cleaned_data["version"]
            )
        except sharing.ShareInvalid as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Joint protocol saved")
            return redirect("safeguarding:protocols")
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "title": "Change the joint protocol" if protocol else "Set up the joint protocol",
            "caption": f"Local authority {la}",
            "back_url": "/safeguarding/protocols/",
        },
    )


def _period(request) -> tuple[dt.date, dt.date, dict]:
    """The period from the GOV.UK date inputs (default: the last 12 months), with errors."""
    today = timezone.localdate()
    errors = {}
    out = {}
    for name, default in (("from", today - dt.timedelta(days=364)), ("to", today)):
        field = GovDateField(
            label=f"Period {name}",
            required=False,
            earliest=dt.date(2000, 1, 1),
            latest=dt.date(today.year + 1, 12, 31),
        )
        raw = [request.GET.get(f"{name}_{i}", "") for i in range(3)]
        try:
            out[name] = field.clean(raw) or default
        except Exception as exc:  # a ValidationError: shown next to the field
            errors[name] = " ".join(getattr(exc, "messages", [str(exc)]))
            out[name] = default
    if out["from"] > out["to"]:
        errors["from"] = "The start of the period must be on or before its end"
        out["from"] = out["to"]
    return out["from"], out["to"], errors


@access.role_required(*FIGURE_ROLES)
def activity_view(request):
    providers = list(access.activity_providers(request.user))
    publish = access.profile_of(request.user).role == Role.COMMISSIONER
    date_from, date_to, errors = _period(request)
    figures = activity.for_providers(providers, date_from, date_to, publish=publish)
    names = {p.agency_code: p.name for p in providers}
    record(
        events.ViewFigures(providers=tuple(p.pk for p in providers), output="safeguarding"),
        request,
    )
    return render(
        request,
        "safeguarding/activity.html",
        {
            "title": "Safeguarding activity",
            "f": figures,
            "names": names,
            "publish": publish,
            "errors": errors,
            "date_from": date_from,
            "date_to": date_to,
            "concerns": [(codes.CONCERNS[k], v) for k, v in figures["by_concern"].items()],
            "outcomes": [
                (codes.OUTCOMES.get(k, k.capitalize()), v) for k, v in figures["by_outcome"].items()
            ],
            "agencies": [(names.get(a, a), a, b) for a, b in figures["by_agency"].items()],
        },
    )


def permission_denied(request, exception=None):
    """The 403 page; for a client outside the keyworker's caseload, the way to break the glass."""
    from django.urls import reverse

    glass_url = None
    if isinstance(exception, access.OutsideCaseload):
        glass_url = reverse("safeguarding:glass_break", args=[exception.client_id])
    return render(request, "403.html", {"glass_url": glass_url}, status=403)
