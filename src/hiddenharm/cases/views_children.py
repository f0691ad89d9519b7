"""A client's children (Recommendation 9) and pregnancies."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse

from hiddenharm.accounts import access
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import rules, services
from hiddenharm.cases.forms import ChildForm, ChildStatusForm, PregnancyForm
from hiddenharm.cases.models import Child, Pregnancy
from hiddenharm.cases.pages import client_back, form_page


@access.role_required(*access.WRITE_ROLES)
def child_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    form = ChildForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            child = Child.objects.create(
                client=client,
                child_ref=d["child_ref"],
                year_of_birth=d["year_of_birth"],
                sex=d["sex"] or "",
            )
            status = services.record_child_status(child, d, request.user)
        services.audit_change(request, child, "create", [k for k, v in d.items() if v], client.pk)
        services.audit_change(request, status, "create", ["recorded_on"], client.pk)
        messages.success(request, "Child added")
        return redirect("cases:client_detail", client_id=client.pk)
    return form_page(
        request, form, "Add a child", f"Client {client.client_ref}", client_back(client)
    )


@access.role_required(*access.RECORD_ROLES)
def child_detail(request, child_id):
    child, can_write = access.get_child_for_user(request, child_id)
    record(events.ViewChild(child_id=child.pk, client_id=child.client_id), request)
    return render(
        request,
        "cases/child_detail.html",
        {
            "child": child,
            "client": child.client,
            "can_write": can_write,
            "statuses": child.statuses.all(),
            "title": f"Child {child.child_ref}",
        },
    )


@access.role_required(*access.WRITE_ROLES)
def child_status_create(request, child_id):
    child, _ = access.get_child_for_user(request, child_id, write=True)
    form = ChildStatusForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        status = services.record_child_status(child, d, request.user)
        services.audit_change(
            request, status, "create", [k for k, v in d.items() if v], child.client_id
        )
        messages.success(request, "Child's situation updated")
        return redirect("cases:child_detail", child_id=child.pk)
    return form_page(
        request,
        form,
        "Update where the child lives",
        f"Child {child.child_ref}",
        reverse("cases:child_detail", args=[child.pk]),
    )


@access.role_required(*access.WRITE_ROLES)
def pregnancy_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    if not rules.asks_pregnancy(client.sex):
        messages.info(request, "Pregnancy is recorded for female clients only")
        return redirect("cases:client_detail", client_id=client.pk)
    form = PregnancyForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        pregnancy = Pregnancy.objects.create(client=client, recorded_by=request.user, **d)
        services.audit_change(
            request, pregnancy, "create", [k for k, v in d.items() if v], client.pk
        )
        if not d["maternity_linked"] or not d["prebirth_referral_considered"]:
            messages.warning(
                request,
                "Pregnancy saved. Still to do: link with the maternity service and consider "
                "a pre-birth safeguarding referral under the local joint protocol.",
            )
        else:
            messages.success(request, "Pregnancy saved")
        return redirect("cases:client_detail", client_id=client.pk)
    return form_page(
        request,
        form,
        "Record a pregnancy",
        f"Client {client.client_ref}",
        client_back(client),
        template="cases/pregnancy_form.html",
    )
