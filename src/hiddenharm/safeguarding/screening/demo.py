"""The demo's screenings: for each provider, a few of the clients due a screening are
screened by their keyworker (every action once, one decision differing from the suggestion),
and the rest stay on the "due" list. Written through the service, as a person would.
Idempotent: nothing is added for a provider that already has screenings."""

from __future__ import annotations

import datetime as dt

from hiddenharm.safeguarding.screening import services
from hiddenharm.safeguarding.screening.models import Screening

# Answers with nothing of concern; each story changes some of them.
CALM = {
    "children_ages": "7 and 9",
    "under_five": "NO",
    "storage": "LOCKED",
    "use_while_caring": "NEVER",
    "injecting": "NO",
    "other_adults_using": "NO",
    "domestic_abuse": "NO",
    "mental_health": "NO",
    "parenting": "MET",
    "school_attendance": "REGULAR",
    "other_services": ["GP", "SCHOOL"],
    "pregnancy": "NO",
    "antenatal_care": "NOT_PREGNANT",
    "notes": "",
}

# (changes to calm answers, the keyworker's decision, why when it differs)
STORIES = [
    ({}, "NO_CONCERN", ""),
    ({"mental_health": "YES", "other_services": ["GP", "ADULT_MH"]}, "EARLY_HELP", ""),
    ({"storage": "ACCESSIBLE", "under_five": "YES", "children_ages": "3 and 6"}, "REFER", ""),
    (
        {"use_while_caring": "SOMETIMES", "school_attendance": "IRREGULAR"},
        "EARLY_HELP",
        "Grandmother now looks after the children at weekends when the client drinks; school "
        "confirmed attendance has improved this term. Early help offered and accepted.",
    ),
    ({"domestic_abuse": "YES"}, "CONSULT_CSC", ""),
]


def load_screening_demo(providers, today: dt.date) -> int:
    """Screen five of the due clients of each provider (Organisations); the number screened."""
    from hiddenharm.cases.models import Client

    made = 0
    for provider in providers:
        if Screening.objects.filter(client__provider=provider).exists():
            continue
        clients = Client.objects.filter(provider=provider, keyworker__isnull=False)
        due = list(services.due_screening(clients, today).select_related("keyworker"))
        for client, (changes, decided, why) in zip(due, STORIES, strict=False):
            day = max(client.due_since, today - dt.timedelta(days=14))
            services.record_screening(
                client,
                screened_on=day,
                answers={**CALM, **changes},
                decided_action=decided,
                decision_reason=why,
                user=client.keyworker,
                today=today,
            )
            made += 1
    return made
