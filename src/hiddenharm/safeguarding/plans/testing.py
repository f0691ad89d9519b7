"""Test records for the screening and plans apps, on the personas' world (accounts.testing):
a screening, a child protection plan and its initial conference for the world's client."""

from __future__ import annotations

import datetime as dt


def records_for(world) -> dict[str, int]:
    """{"screening_id", "plan_id", "meeting_id"} of records of world.client_obj (made once)."""
    cached = getattr(world, "_safeguarding_records", None)
    if cached is not None:
        return cached
    from hiddenharm.safeguarding.plans.models import ChildProtectionPlan, PlanMeeting
    from hiddenharm.safeguarding.screening import rules
    from hiddenharm.safeguarding.screening.models import Screening
    from hiddenharm.safeguarding.screening.services import current_question_set

    client, child = world.client_obj, world.child
    screening = Screening.objects.create(
        client=client,
        episode=world.episode,
        question_set=current_question_set(),
        occasion="start",
        screened_on=dt.date(2025, 1, 21),
        answers={},
        suggested_action=rules.NO_CONCERN,
        decided_action=rules.NO_CONCERN,
    )
    plan = ChildProtectionPlan.objects.create(
        client=client, child=child, start_date=dt.date(2025, 2, 3)
    )
    meeting = PlanMeeting.objects.create(
        plan=plan, kind=PlanMeeting.Kind.INITIAL, date=dt.date(2025, 2, 3), invited=True
    )
    world._safeguarding_records = {
        "screening_id": screening.pk,
        "plan_id": plan.pk,
        "meeting_id": meeting.pk,
    }
    return world._safeguarding_records
