"""Safeguarding records for the tests that walk every URL: one of each, made once per world."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hiddenharm.accounts.models import Organisation


def records_for(world) -> dict:
    """{"referral_id", "request_id", "glass_id", "action"}: a referral sent by the world's
    keyworker to the world's CSC team, a request for information from that team to provider A,
    and a break-the-glass record of provider A."""
    cached = getattr(world, "_referral_records", None)
    if cached:
        return cached
    from hiddenharm.safeguarding import referrals
    from hiddenharm.safeguarding.models import GlassBreak, InformationRequest

    csc = Organisation.objects.get(kind="csc", name="CSC")
    keyworker = world.users["keyworker"]
    r = referrals.create_referral(
        keyworker,
        world.client_obj,
        {
            "children": ["K1"],
            "concerns": ["NEGLECT"],
            "description": "Children left alone",
            "consent": "GIVEN",
            "team": csc,
        },
    )
    r = referrals.move(keyworker, r, "send")
    req = InformationRequest.objects.create(
        team=csc,
        provider=world.provider,
        requested_by=world.users["csc"],
        requested_at=timezone.now(),
        their_reference="CSC-1",
        about="A.B., born 1985",
        question="Is the parent in treatment?",
        purpose="Section 47 enquiry",
    )
    now = timezone.now()
    glass = GlassBreak.objects.create(
        user=keyworker,
        client=world.client_obj,
        reason="Test",
        started_at=now - dt.timedelta(hours=10),
        expires_at=now - dt.timedelta(hours=2),
    )
    world._referral_records = {
        "referral_id": r.pk,
        "request_id": req.pk,
        "glass_id": glass.pk,
        "action": "acknowledge",
    }
    return world._referral_records
