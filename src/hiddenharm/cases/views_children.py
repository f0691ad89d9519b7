"""A client's children (Recommendation 9) and pregnancies: add, update, correct."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from hiddenharm.accounts import access
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import history, rules, services
from hiddenharm.cases.forms import ChildDetailsForm, ChildForm, ChildStatusForm, PregnancyForm
from hiddenharm.cases.pages import client_back, correct_page, form_page


def _viewed(request, client_id: int, page: str) -> None:
    if request.method == "GET":
        record(events.ViewClient(client_id=client_id, page=page), request)


def _created(request, form, save, success: str, back: str):
    """Run a create service; a unique clash is an error on its field."""
    try:
        save()
    except services.Clash as e:
        form.add_error(e.field if e.field in form.fields else None, e.message)
        return None
    messages.success(request, success)
    return redirect(back)


@access.role_required(*access.WRITE_ROLES)
def child_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    _viewed(request, client.pk, "child_create")
    form = ChildForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        done = _created(
            request,
            form,
            lambda: services.add_child(request, client, form.cleaned_data),
            "Child added",
            client_back(client),
        )
        if done:
            return done
    return form_page(
        request, form, "Add a child", f"Client {client.client_ref}", client_back(client)
    )


@access.role_required(*access.RECORD_ROLES)
def child_detail(request, child_id):
    child, can_write = access.get_child_for_user(request, child_id)
    record(events.ViewChild(child_id=child.pk, client_id=child.client_id), request)
    statuses = list(child.statuses.all())
    for s in statuses:
        s.versions = history.versions(s)
    return render(
        request,
        "cases/child_detail.html",
        {
            "child": child,
            "client": child.client,
            "can_write": can_write,
            "statuses": statuses,
            "versions": history.versions(child),
            "title": f"Child {child.child_ref}",
        },
    )


@access.role_required(*access.WRITE_ROLES)
def child_edit(request, child_id):
    child, _ = access.get_child_for_user(request, child_id, write=True)
    _viewed(request, child.client_id, "child_edit")
    return correct_page(
        request,
        obj=child,
        make_form=lambda data: ChildDetailsForm(data, client=child.client, instance=child),
        save=lambda form: services.correct_child(
            request, child, form.cleaned_data, form.cleaned_data["version"]
        ),
        title="Correct the child's details",
        caption=f"Child {child.child_ref}",
        back_url=reverse("cases:child_detail", args=[child.pk]),
        done="Child's details corrected",
    )


@access.role_required(*access.WRITE_ROLES)
def child_status_create(request, child_id):
    child, _ = access.get_child_for_user(request, child_id, write=True)
    _viewed(request, child.client_id, "child_status_create")
    form = ChildStatusForm(request.POST or None, child=child)
    back = reverse("cases:child_detail", args=[child.pk])
    if request.method == "POST" and form.is_valid():
        done = _created(
            request,
            form,
            lambda: services.record_child_status(request, child, form.cleaned_data),
            "Child's situation updated",
            back,
        )
        if done:
            return done
    return form_page(
        request, form, "Update where the child lives", f"Child {child.child_ref}", back
    )


@access.role_required(*access.WRITE_ROLES)
def child_status_edit(request, status_id):
    status, _ = access.get_child_status_for_user(request, status_id, write=True)
    child = status.child
    _viewed(request, child.client_id, "child_status_edit")
    return correct_page(
        request,
        obj=status,
        make_form=lambda data: ChildStatusForm(data, child=child, instance=status),
        save=lambda form: services.correct_child_status(
            request, status, form.cleaned_data, form.cleaned_data["version"]
        ),
        title="Correct where the child lived",
        caption=f"Child {child.child_ref}",
        back_url=reverse("cases:child_detail", args=[child.pk]),
        done="Child's record corrected",
    )


@access.role_required(*access.WRITE_ROLES)
def pregnancy_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    if not rules.asks_pregnancy(client.sex):
        messages.info(request, "Pregnancy is recorded for female clients only")
        return redirect("cases:client_detail", client_id=client.pk)
    _viewed(request, client.pk, "pregnancy_create")
    form = PregnancyForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.record_pregnancy(request, client, d)
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


@access.role_required(*access.WRITE_ROLES)
def pregnancy_edit(request, pregnancy_id):
    pregnancy, _ = access.get_pregnancy_for_user(request, pregnancy_id, write=True)
    client = pregnancy.client
    _viewed(request, client.pk, "pregnancy_edit")
    return correct_page(
        request,
        obj=pregnancy,
        make_form=lambda data: PregnancyForm(data, client=client, instance=pregnancy),
        save=lambda form: services.correct_pregnancy(
            request, pregnancy, form.cleaned_data, form.cleaned_data["version"]
        ),
        title="Update or correct the pregnancy",
        caption=f"Client {client.client_ref}",
        back_url=client_back(client),
        done="Pregnancy saved",
    )
