"""The demo's safeguarding: what spec/api.md names under "What the demo holds", and more.

Two CSC teams in different local authorities, each with a practitioner (`csc`, `csc2`); a
joint protocol for each area; referrals from each provider to the first team in every state,
about clients with children; information-sharing decisions and requests for information.
Everything is written through the services, as a person would, with times in the past.
Idempotent: nothing is added when the demo's referrals are already there.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

SECOND_AREA = "E10000029"  # Suffolk
STATES = ("draft", "sent", "acknowledged", "decided", "closed", "withdrawn")
STORIES = [
    (
        ["NEGLECT", "PARENTAL_SUBSTANCE_USE"],
        "At a home visit the children (one under five) were alone; the parent was asleep and "
        "could not be woken for ten minutes. Methadone bottles were on the kitchen table.",
        "Young child; substances within reach; parent intoxicated during the day.",
        "Daily supervised consumption; lockable box supplied; weekly key-work sessions.",
    ),
    (
        ["DOMESTIC_ABUSE", "PARENTAL_SUBSTANCE_USE"],
        "The client disclosed that her partner, who also uses heroin, hit her in front of the "
        "children last weekend. The eldest has missed school for two weeks.",
        "Domestic abuse witnessed by the children; school absence.",
        "Referred to the domestic abuse service; safety plan agreed with the client.",
    ),
    (
        ["EMOTIONAL", "PARENTAL_MENTAL_HEALTH"],
        "The client's mood has deteriorated; she told us the eldest child (14) is caring for "
        "the younger ones and for her most days.",
        "Young carer; parent's mental health and relapse risk.",
        "Appointment with the GP arranged; increased contact to twice weekly.",
    ),
]


def load_safeguarding_demo(providers: dict, csc, today: dt.date | None = None) -> dict:
    """`providers`: agency code -> Organisation; `csc`: the first CSC team (Organisation)."""
    from django.contrib.auth import get_user_model

    from hiddenharm.accounts.models import Organisation, Profile, Role
    from hiddenharm.cases.models import Client
    from hiddenharm.safeguarding import referrals, sharing
    from hiddenharm.safeguarding.models import InformationRequest, JointProtocol, Referral

    User = get_user_model()
    csc2, _ = Organisation.objects.get_or_create(
        name="Suffolk Children's Services: Customer First",
        defaults={"kind": "csc", "la_code": SECOND_AREA},
    )
    user2, created = User.objects.get_or_create(username="csc2")
    if created:
        from hiddenharm.web.command import DEMO_PASSWORD

        user2.set_password(DEMO_PASSWORD)
        user2.first_name, user2.last_name = "Sam", "Okafor"
        user2.save()
    Profile.objects.update_or_create(
        user=user2, defaults={"role": Role.CSC, "organisation": csc2, "team": None}
    )
    today = today or timezone.localdate()
    for team, name, country, contact in (
        (
            csc,
            "Norfolk joint protocol: treatment services and children's services",
            "EW",
            "Head of the Children's Advice and Duty Service, 0344 800 8021",
        ),
        (
            csc2,
            "Suffolk joint protocol: treatment services and children's services",
            "EW",
            "Customer First duty manager, 0808 800 4005",
        ),
    ):
        protocol, _ = JointProtocol.objects.get_or_create(
            la_code=team.la_code,
            defaults={
                "name": name,
                "country": country,
                "escalation_contact": contact,
                # Norfolk's review is due soon; Suffolk's is past, so the flag shows.
                "review_date": today + dt.timedelta(days=60)
                if team == csc
                else today - dt.timedelta(days=20),
            },
        )
        protocol.parties.add(team, *[p for p in providers.values() if p.la_code == team.la_code])

    from hiddenharm.safeguarding.plans.demo import load_plans_demo
    from hiddenharm.safeguarding.screening.demo import load_screening_demo

    # Screenings and child protection plans (each idempotent on its own).
    load_screening_demo(list(providers.values()), today)
    load_plans_demo(list(providers.values()), today)

    csc_user = User.objects.get(username="csc")
    people = [("csc2", Role(Role.CSC).label, csc2.name)]
    if Referral.objects.filter(provider__in=providers.values()).exists():
        return {"referrals": 0, "users": people}
    now = timezone.now()
    made = 0
    for p_index, provider in enumerate(providers.values()):
        clients = list(
            Client.objects.filter(
                provider=provider, keyworker__isnull=False, children__isnull=False
            )
            .distinct()
            .order_by("pk")[:8]
        )
        for i, state in enumerate(STATES):
            if i >= len(clients):
                break
            client = clients[i]
            concerns, description, risk, action = STORIES[(i + p_index) % len(STORIES)]
            children = list(
                client.children.order_by("child_ref").values_list("child_ref", flat=True)
            )[:2]
            # Sent some working days ago; older ones further along.
            sent = now - dt.timedelta(days=2 + 3 * i, hours=p_index)
            if state == "sent":
                sent = now - dt.timedelta(hours=2 + p_index)  # still within its time limits
            consent = "GIVEN" if i % 2 == 0 else "NOT_SOUGHT"
            r = referrals.create_referral(
                client.keyworker,
                client,
                {
                    "children": children,
                    "concerns": concerns,
                    "description": description,
                    "risk": risk,
                    "service_action": action,
                    "consent": consent,
                    "without_consent_reason": ""
                    if consent == "GIVEN"
                    else "Telling the parent first could put the children at risk of harm",
                    "team": csc,
                },
                at=sent - dt.timedelta(minutes=30),
            )
            made += 1
            kw = client.keyworker
            path = {
                "draft": [],
                "sent": [("send", kw, {})],
                "acknowledged": [("send", kw, {}), ("acknowledge", csc_user, {})],
                "decided": [
                    ("send", kw, {}),
                    ("acknowledge", csc_user, {}),
                    (
                        "decide",
                        csc_user,
                        {
                            "outcome": "ASSESSMENT",
                            "note": "Allocated for a children and family assessment",
                        },
                    ),
                ],
                "closed": [
                    ("send", kw, {}),
                    (
                        "decide",
                        csc_user,
                        {"outcome": "EARLY_HELP", "note": "Passed to the early help hub"},
                    ),
                    ("close", csc_user, {}),
                ],
                "withdrawn": [
                    ("send", kw, {}),
                    ("withdraw", kw, {"reason": "Sent to the wrong area"}),
                ],
            }[state]
            for step, (move, who, extra) in enumerate(path):
                referrals.move(who, r, move, at=sent + dt.timedelta(hours=4 * step), **extra)
        # One to the second area's team, so that `csc2` has a referral too.
        if len(clients) > len(STATES):
            client = clients[len(STATES)]
            r = referrals.create_referral(
                client.keyworker,
                client,
                {
                    "children": list(client.children.values_list("child_ref", flat=True))[:1],
                    "concerns": ["NEGLECT"],
                    "description": "The family moved to Suffolk last month; the children are "
                    "not yet registered with a school or GP.",
                    "consent": "GIVEN",
                    "team": csc2,
                },
            )
            referrals.move(client.keyworker, r, "send", at=now - dt.timedelta(hours=3))
            made += 1
        # An information-sharing decision made without consent, for the data lead's list.
        if clients:
            client = clients[-1]
            sharing.record_share(
                client.keyworker,
                client,
                {
                    "shared": True,
                    "categories": ["ATTENDANCE", "RISK"],
                    "recipient": csc,
                    "purpose": "Health visitor asked whether the parent is engaging; risk to "
                    "a baby under one",
                    "lawful_basis": "SAFEGUARDING_CHILD",
                    "consent": "REFUSED",
                    "without_consent_reason": "Risk of significant harm to the baby outweighs "
                    "the refusal",
                },
            )
    first = next(iter(providers.values()))
    if not InformationRequest.objects.filter(provider=first).exists():
        sharing.make_request(
            csc_user,
            {
                "provider": first.pk,
                "their_reference": "CADS-2026-0412",
                "about": "Mother, initials J.S., born 1991; children born 2015 and 2021",
                "question": "Is she in treatment with you, and is she attending?",
                "purpose": "Section 47 enquiry opened after a police notification",
            },
        )
    return {"referrals": made, "users": people}
