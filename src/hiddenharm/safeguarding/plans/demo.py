"""The demo's child protection plans: for each provider, three children of clients in
treatment on a plan, each at a different point, so that every page has something real:

- a plan in its stride: initial conference in time, core groups, the first review
  conference in the next few working days with its contribution drafted;
- a plan running late: the initial conference held, its contribution never sent, no core
  group yet (both overdue), a core group planned in the next 10 working days;
- an ended plan: initial and review conferences, contributions sent, the plan ended.

Written through the services, as a person would, with dates relative to `today`.
Idempotent: nothing is added for a provider that already has plans."""

from __future__ import annotations

import datetime as dt

from hiddenharm.safeguarding.plans import limits, services
from hiddenharm.safeguarding.plans.models import ChildProtectionPlan
from hiddenharm.safeguarding.workdays import add_working_days, subtract_working_days

TEXTS = {
    "risk_of_harm": (
        "The client uses heroin daily (about £40 a day) and smokes crack cocaine at weekends. "
        "Two unannounced home visits found methadone stored in the fridge, not in the lockable "
        "box supplied. The client has cared for the children alone while intoxicated on at "
        "least one occasion (reported by the school)."
    ),
    "addictive_behaviour": (
        "Use is highest at the end of the week, when the children are at home. Withdrawal in "
        "the mornings affects getting the children to school on time. A relapse is most likely "
        "around contact with the ex-partner, who also uses. Naloxone has been supplied."
    ),
    "improvements": (
        "On a stable methadone dose of 60 ml since the last conference, with supervised "
        "consumption; 9 of the last 10 drug tests negative for heroin. Attending the parenting "
        "group run with the family hub. Next steps: reduce to four supervised days a week if "
        "tests stay negative; joint visit with the social worker monthly."
    ),
}


def _contribution(meeting, user, today, sent_on=None):
    services.write_contribution(
        meeting,
        {**TEXTS, "submitted_on": sent_on},
        version=0,
        user=user,
        today=today,
    )


def _meeting(plan, user, today, kind, date, attended=True):
    past = date <= today
    data = {
        "kind": kind,
        "date": date,
        "invited": True,
        "attendance": ("ATTENDED" if attended else "APOLOGIES") if past else "",
        "notes": "",
    }
    return services.add_meeting(plan, data, user=user, today=today)


def _in_stride(client, child, today):
    user = client.keyworker
    review = add_working_days(today, 6)
    icpc = limits.add_months(review, -3)
    while icpc.weekday() > 4:
        icpc -= dt.timedelta(days=1)
    strategy = subtract_working_days(icpc, 12)
    plan = services.start_plan(
        client, child=child, start_date=icpc, strategy_on=strategy, user=user, today=today
    )
    first = _meeting(plan, user, today, "ICPC", icpc)
    _contribution(first, user, today, sent_on=limits.contribution_due(icpc))
    _meeting(plan, user, today, "CORE", add_working_days(icpc, 8))
    _meeting(plan, user, today, "CORE", add_working_days(icpc, 30), attended=False)
    second = _meeting(plan, user, today, "RCPC", review)
    _contribution(second, user, today)  # a draft, due 3 working days before
    return plan


def _running_late(client, child, today):
    user = client.keyworker
    icpc = subtract_working_days(today, 14)
    strategy = subtract_working_days(icpc, 13)
    plan = services.start_plan(
        client, child=child, start_date=icpc, strategy_on=strategy, user=user, today=today
    )
    _meeting(plan, user, today, "ICPC", icpc, attended=False)
    _meeting(plan, user, today, "CORE", add_working_days(today, 4))
    return plan


def _ended(client, child, today):
    user = client.keyworker
    icpc = today - dt.timedelta(days=330)
    while icpc.weekday() > 4:
        icpc -= dt.timedelta(days=1)
    plan = services.start_plan(client, child=child, start_date=icpc, user=user, today=today)
    first = _meeting(plan, user, today, "ICPC", icpc)
    _contribution(first, user, today, sent_on=limits.contribution_due(icpc))
    _meeting(plan, user, today, "CORE", add_working_days(icpc, 9))
    review = limits.add_months(icpc, 3)
    while review.weekday() > 4:
        review -= dt.timedelta(days=1)
    second = _meeting(plan, user, today, "RCPC", review)
    _contribution(second, user, today, sent_on=limits.contribution_due(review))
    plan = services.end_plan(plan, end_date=review, version=1, user=user, today=today)
    return plan


def load_plans_demo(providers, today: dt.date) -> int:
    """Three plans for each provider (Organisations) without plans; the number made."""
    from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, When

    from hiddenharm.cases.models import Child, ChildStatus
    from hiddenharm.safeguarding.screening.models import Screening

    made = 0
    for provider in providers:
        if ChildProtectionPlan.objects.filter(client__provider=provider).exists():
            continue
        # Children under 16 of clients in treatment, those living with the client and those
        # whose parent was screened first (so that the report has something to show).
        lives = ChildStatus.objects.filter(child=OuterRef("pk")).order_by("-recorded_on", "-id")
        screened = Screening.objects.filter(client=OuterRef("client_id"))
        children = (
            Child.objects.filter(
                client__provider=provider,
                client__keyworker__isnull=False,
                client__episodes__discharged__isnull=True,
                year_of_birth__gte=today.year - 15,
            )
            .annotate(where=Subquery(lives.values("whereabouts")[:1]), screened=Exists(screened))
            .annotate(
                at_home=Case(When(where="CLIENT", then=1), default=0, output_field=IntegerField())
            )
            .select_related("client", "client__keyworker")
            .order_by("-screened", "-at_home", "client_id", "child_ref")
            .distinct()
        )
        seen, picked = set(), []
        for child in children:
            if child.client_id not in seen:
                seen.add(child.client_id)
                picked.append(child)
            if len(picked) == 3:
                break
        for child, story in zip(picked, (_in_stride, _running_late, _ended), strict=False):
            story(child.client, child, today)
            made += 1
    return made
