"""Referral pages: the lists for both sides, the form, the referral and its moves.

Thin: access through accounts/access.py, every change through safeguarding/referrals.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hiddenharm.accounts import access
from hiddenharm.accounts.models import Role
from hiddenharm.audit.trail import record
from hiddenharm.cases.models import Pregnancy
from hiddenharm.safeguarding import codes, referrals
from hiddenharm.safeguarding.events import ViewReferral
from hiddenharm.safeguarding.forms import (
    DecideForm,
    ReferralForm,
    WithdrawForm,
    add_service_errors,
)
from hiddenharm.safeguarding.models import JointProtocol

LISTS = {
    "open": "Open",
    "overdue": "Overdue",
    "drafts": "Drafts",
    "decided": "Decided",
    "finished": "Closed or withdrawn",
}


def _list(qs, name: str, now):
    if name == "open":
        return qs.filter(state__in=(codes.SENT, codes.ACKNOWLEDGED))
    if name == "overdue":
        return referrals.overdue(qs, now)
    if name == "drafts":
        return qs.filter(state=codes.DRAFT)
    if name == "decided":
        return qs.filter(state=codes.DECIDED)
    return qs.filter(state__in=(codes.CLOSED, codes.WITHDRAWN))


@access.role_required(*access.SAFEGUARDING_ROLES)
def referral_list(request):
    profile = access.profile_of(request.user)
    is_csc = profile.role == Role.CSC
    lists = {k: v for k, v in LISTS.items() if not (is_csc and k == "drafts")}
    name = request.GET.get("list", "open")
    if name not in lists:
        name = "open"
    now = timezone.now()
    qs = access.referrals_for(request.user).select_related("client", "team", "provider")
    counts = {k: _list(qs, k, now).count() for k in lists}
    shown = _list(qs, name, now).order_by("sent_at", "created_at", "id")
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    late = set(referrals.overdue(qs, now).values_list("pk", flat=True))
    protocols = {p.la_code: p for p in JointProtocol.objects.all()}
    for r in page:
        r.protocol = protocols.get(r.team.la_code) if r.team_id else None
        r.is_overdue = r.pk in late
        r.state_tag = codes.STATE_TAGS[r.state]
    return render(
        request,
        "safeguarding/referral_list.html",
        {
            "title": "Referrals received" if is_csc else "Referrals to children's social care",
            "is_csc": is_csc,
            "lists": [(k, v, counts[k]) for k, v in lists.items()],
            "current": name,
            "page": page,
            "state_tags": codes.STATE_TAGS,
        },
    )


def _form_context(client):
    pregnancy = (
        Pregnancy.objects.filter(client=client, edd__gte=timezone.localdate())
        .order_by("edd")
        .first()
    )
    return {"client": client, "teams": referrals.csc_teams(), "pregnancy": pregnancy}


@access.role_required(*access.REFERRAL_WRITE_ROLES)
def referral_create(request, client_id):
    client, _ = access.get_client_for_user(request, client_id, write=True)
    record_view(request, client.pk, "referral_create")
    context = _form_context(client)
    initial = {}
    if request.GET.get("prebirth") and context["pregnancy"] is not None:
        # The pre-birth pathway: the unborn child, due on the pregnancy's expected date.
        initial = {"unborn_edd": context["pregnancy"].edd, "concerns": ["UNBORN"]}
    screening = _screening_of(request, client)
    if screening is not None:
        # A screening decided "refer": its children, concerns and reasons, to check and change.
        from hiddenharm.safeguarding.screening.referral import referral_initial

        initial = referral_initial(screening, context["pregnancy"])
    form = ReferralForm(request.POST or None, initial=initial, **context)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals.create_referral(
                request.user, client, form.service_data(), screening=screening
            )
        except referrals.ReferralInvalid as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Referral saved as a draft: check it, then send it")
            return redirect("safeguarding:referral_detail", referral_id=referral.pk)
    return render(
        request,
        "safeguarding/referral_form.html",
        {
            "form": form,
            "title": "Refer to children's social care",
            "caption": f"Client {client.client_ref}",
            "from_screening": screening,
            "back_url": f"/clients/{client.pk}/",
        },
    )


def _screening_of(request, client):
    """The screening named by ?screening= (one of this client's, that the person may see),
    or None; refused like any record they may not see."""
    given = request.GET.get("screening")
    if not given:
        return None
    if not given.isdigit():
        raise PermissionDenied
    screening, owner, _ = access.get_screening_for_user(request, int(given))
    if owner.pk != client.pk:
        raise PermissionDenied
    return screening


@access.role_required(*access.REFERRAL_WRITE_ROLES)
def referral_edit(request, referral_id):
    referral = access.get_referral_for_user(request, referral_id)
    if referrals.side_of(request.user, referral) != codes.TREATMENT:
        raise PermissionDenied
    if referral.state != codes.DRAFT:
        messages.error(request, "Only a draft can be changed")
        return redirect("safeguarding:referral_detail", referral_id=referral.pk)
    initial = {
        "children": [c.child_ref for c in referral.children.all()],
        "unborn_edd": referral.unborn_edd,
        "concerns": referral.concerns,
        "description": referral.description,
        "risk": referral.risk,
        "service_action": referral.service_action,
        "consent": referral.consent,
        "without_consent_reason": referral.without_consent_reason,
        "team": str(referral.team_id or ""),
        "version": referral.version,
    }
    form = ReferralForm(request.POST or None, initial=initial, **_form_context(referral.client))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            referrals.update_draft(
                request.user,
                referral,
                form.service_data(),
                version=form.cleaned_data.get("version") or 0,
            )
        except referrals.ReferralInvalid as exc:
            add_service_errors(form, exc)
        except referrals.MoveRefused as exc:
            form.add_error(None, str(exc))
            referral.refresh_from_db()
            conflict = referrals.referral_json(referral)
            form.data = form.data.copy()
            form.data["version"] = referral.version  # saving again overrides, knowingly
        else:
            messages.success(request, "Draft saved")
            return redirect("safeguarding:referral_detail", referral_id=referral.pk)
    return render(
        request,
        "safeguarding/referral_form.html",
        {
            "form": form,
            "title": "Change the draft referral",
            "caption": f"Client {referral.client.client_ref}",
            "back_url": f"/safeguarding/referrals/{referral.pk}/",
            "conflict": conflict,
        },
    )


def record_view(request, client_id: int, page: str) -> None:
    from hiddenharm.audit import events

    record(events.ViewClient(client_id=client_id, page=page), request)


@access.role_required(*access.SAFEGUARDING_ROLES)
def referral_detail(request, referral_id):
    referral = access.get_referral_for_user(request, referral_id)
    record(ViewReferral(referral_id=referral.pk, client_id=referral.client_id), request)
    moves = referrals.allowed_moves(request.user, referral)
    now = timezone.now()
    overdue = referrals.overdue(
        access.referrals_for(request.user).filter(pk=referral.pk), now
    ).exists()
    protocol = referrals.protocol_for(referral.team)
    return render(
        request,
        "safeguarding/referral_detail.html",
        {
            "title": f"Referral {referral.pk}",
            "referral": referral,
            "children": referral.children.order_by("child_ref"),
            "moves": moves,
            "decide_form": DecideForm() if "decide" in moves else None,
            "withdraw_form": WithdrawForm() if "withdraw" in moves else None,
            "overdue": overdue,
            "protocol": protocol,
            "is_csc": access.profile_of(request.user).role == Role.CSC,
            "state_tag": codes.STATE_TAGS[referral.state],
            "move_labels": codes.MOVE_LABELS,
        },
    )


@require_POST
@access.role_required(Role.KEYWORKER, Role.MANAGER, Role.CSC)
def referral_move(request, referral_id, action):
    referral = access.get_referral_for_user(request, referral_id)
    if action not in codes.MOVES:
        raise PermissionDenied
    kw = {}
    if action == "decide":
        kw = {"outcome": request.POST.get("outcome", ""), "note": request.POST.get("note", "")}
    elif action == "withdraw":
        kw = {"reason": request.POST.get("reason", "")}
    try:
        referrals.move(request.user, referral, action, **kw)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "You cannot make this move")
    except referrals.MoveRefused as exc:
        messages.error(request, str(exc))
    except referrals.ReferralInvalid as exc:
        if action in ("decide", "withdraw"):
            form = (DecideForm if action == "decide" else WithdrawForm)(request.POST)
            form.is_valid()
            add_service_errors(form, exc)
            return _with_form(request, referral, action, form)
        for message in exc.errors.values():
            messages.error(request, message)
    else:
        messages.success(request, SUCCESS[action])
    return redirect("safeguarding:referral_detail", referral_id=referral.pk)


SUCCESS = {
    "send": "Referral sent to children's social care",
    "acknowledge": "Receipt acknowledged",
    "decide": "Decision recorded: the referrer sees it on their home page",
    "close": "Referral closed",
    "withdraw": "Referral withdrawn",
}


def _with_form(request, referral, action, form):
    """The referral page again, with the move's form and its errors (nothing changed)."""
    moves = referrals.allowed_moves(request.user, referral)
    return render(
        request,
        "safeguarding/referral_detail.html",
        {
            "title": f"Error: Referral {referral.pk}",
            "referral": referral,
            "children": referral.children.order_by("child_ref"),
            "moves": moves,
            "decide_form": form if action == "decide" else DecideForm(),
            "withdraw_form": form if action == "withdraw" else WithdrawForm(),
            "error_form": form,
            "protocol": referrals.protocol_for(referral.team),
            "is_csc": access.profile_of(request.user).role == Role.CSC,
            "state_tag": codes.STATE_TAGS[referral.state],
            "move_labels": codes.MOVE_LABELS,
        },
        status=422,
    )
