"""Screening pages: the form (answers, then the suggestion and the decision), a screening,
and the clients due one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.audit import events as audit_events
from hiddenharm.audit.trail import record
from hiddenharm.cases.events import ViewList
from hiddenharm.safeguarding.screening import rules, services
from hiddenharm.safeguarding.screening.forms import AnswersForm, DecisionForm

PAGE_SIZE = 50


def referral_url(client) -> str | None:
    """The lead's referral form for this client, once it exists."""
    try:
        return reverse("safeguarding:referral_create", kwargs={"client_id": client.pk})
    except NoReverseMatch:
        return None


def _add_errors(error: ValidationError, answers: AnswersForm, decision: DecisionForm) -> None:
    for name, messages_ in error.message_dict.items():
        form = decision if name in decision.fields else answers
        field = name if name in form.fields else f"q_{name}"
        form.add_error(field if field in form.fields else None, messages_)


@access.role_required(*access.SCREENING_WRITE_ROLES)
def screening_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    qset = services.question_set_for(client)
    data = request.POST if request.method == "POST" else None
    answers = AnswersForm(data, document=qset.document)
    decision = DecisionForm(data if data and "save" in data else None)
    suggestion = None
    if data is not None and answers.is_valid():
        suggestion = rules.suggest(qset.document, answers.answers())
        if "save" not in data:
            decision = DecisionForm(initial={"decided_action": suggestion.action})
        elif decision.is_valid():
            try:
                screening = services.record_screening(
                    client,
                    screened_on=answers.cleaned_data["screened_on"],
                    answers=answers.answers(),
                    decided_action=decision.cleaned_data["decided_action"],
                    decision_reason=decision.cleaned_data["decision_reason"],
                    user=request.user,
                    today=timezone.localdate(),
                    question_set=qset,
                    request=request,
                )
            except ValidationError as e:
                _add_errors(e, answers, decision)
            else:
                messages.success(
                    request, f"Screening saved: {screening.get_decided_action_display()}"
                )
                return redirect("screening:detail", screening_id=screening.pk)
    record(audit_events.ViewClient(client_id=client.pk, page="screening_form"), request)
    return render(
        request,
        "screening/form.html",
        {
            "client": client,
            "qset": qset,
            "form": answers,
            "decision": decision,
            "suggestion": suggestion,
            "title": "Screen for the children's safety",
            "back_url": reverse("cases:client_detail", args=[client.pk]),
        },
    )


@access.role_required(*access.SCREENING_READ_ROLES)
def screening_detail(request, screening_id):
    screening, client, can_write = access.get_screening_for_user(request, screening_id)
    record(audit_events.ViewClient(client_id=client.pk, page="screening"), request)
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "client": client,
            "can_write": can_write,
            "referral_url": f"{referral_url(client)}?screening={screening.pk}"
            if can_write and referral_url(client)
            else None,
            "title": f"Screening of {screening.screened_on:%-d %B %Y}",
            # the referrals made from it that this person may see
            "referrals_made": list(
                access.referrals_for(request.user).filter(screening=screening).order_by("pk")
            ),
        },
    )


@access.role_required(*access.SCREENING_READ_ROLES)
def due(request):
    scopes = access.worklist_scopes(request.user)
    scope = request.GET.get("scope") or next(iter(scopes))
    clients = access.worklist_clients(request.user, scope)  # 403 for a scope not theirs
    today = timezone.localdate()
    qs = services.due_screening(clients, today).select_related("keyworker")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for c in rows:
        c.days = (today - c.due_since).days
    record(
        ViewList(page="screening_due", scope=scope, client_ids=tuple(c.pk for c in rows)), request
    )
    return render(
        request,
        "screening/due.html",
        {
            "title": "Clients due a safeguarding screening",
            "scopes": scopes,
            "scope": scope,
            "page": page,
            "rows": rows,
            "can_write": access.can_write(request.user),
            "query": f"scope={scope}",
        },
    )
