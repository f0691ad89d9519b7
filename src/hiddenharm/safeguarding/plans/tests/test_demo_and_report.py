"""The demo's plans and screenings, and the report to conference as a real PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases.models import Child, ChildStatus, Client, Episode, HiddenHarmRecord
from hiddenharm.cases.tests.builders import new_client
from hiddenharm.safeguarding.plans import demo, services
from hiddenharm.safeguarding.plans.models import HEADINGS, ChildProtectionPlan
from hiddenharm.safeguarding.screening.demo import load_screening_demo
from hiddenharm.safeguarding.screening.models import Screening

TODAY = dt.date(2025, 6, 11)  # a Wednesday
pytestmark = pytest.mark.django_db


def family(world, n):
    client = new_client(
        world.provider,
        f"D{n}",
        team=world.team,
        keyworker=world.users["keyworker"],
        first_initial="D",
        surname_initial="E",
        dob=dt.date(1988, 5, n),
        sex="F",
    )
    episode = Episode.objects.create(
        client=client,
        provider=world.provider,
        episode_ref=f"ED{n}",
        referred=dt.date(2024, 1, 8),
        care_plan_start=dt.date(2024, 1, 22),
        drug1="HEROIN",
    )
    HiddenHarmRecord.objects.create(
        episode=episode,
        kind="start",
        recorded_on=dt.date(2024, 1, 22),
        prntstat="11",
        childwth=2,
        pregnant="N",
        earlyhlp="CPP",
    )
    for ref, year in (("A", 2019), ("B", 2022)):
        child = Child.objects.create(
            client=client, child_ref=f"{ref}{n}", year_of_birth=year, sex="F"
        )
        ChildStatus.objects.create(
            child=child, recorded_on=dt.date(2024, 1, 22), whereabouts="CLIENT", csc_status="CPP"
        )
    return client


def test_the_demo_makes_plans_at_three_points_and_is_idempotent(world):
    for n in (1, 2):
        family(world, n)
    assert demo.load_plans_demo([world.provider], TODAY) == 3
    assert demo.load_plans_demo([world.provider], TODAY) == 0
    plans = ChildProtectionPlan.objects.order_by("pk")
    assert [p.is_open for p in plans] == [True, True, False]
    clients = Client.objects.all()
    upcoming = [(m.kind, m.plan_id) for m in services.upcoming(clients, TODAY)]
    assert ("RCPC", plans[0].pk) in upcoming and ("CORE", plans[1].pk) in upcoming
    overdue = {(p.pk, d.what.split(" to ")[0]) for p, d in services.overdue(clients, TODAY)}
    assert overdue == {(plans[1].pk, "First core group"), (plans[1].pk, "Written contribution")}
    statuses = {d.what: d.status(TODAY) for d in services.plan_deadlines(plans[0])}
    assert statuses["Initial child protection conference"] == "met"
    assert statuses["First review conference"] == "due"


def test_the_screening_demo_screens_due_clients_once(world):
    for n in (1, 2):
        family(world, n)
    made = load_screening_demo([world.provider], TODAY)
    assert made == 3  # the world's client and the two families
    assert load_screening_demo([world.provider], TODAY) == 0
    assert Screening.objects.filter(decided_action="NO_CONCERN").exists()


def test_the_report_is_a_pdf_with_the_three_headings_and_the_familys_records(world, as_persona):
    family(world, 1)
    demo.load_plans_demo([world.provider], TODAY)
    load_screening_demo([world.provider], TODAY)
    plan = ChildProtectionPlan.objects.order_by("pk").first()  # in its stride: review soon
    http = as_persona("keyworker")
    n = AuditEvent.objects.count()
    r = http.get(reverse("plans:report", args=[plan.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for words in HEADINGS.values():
        assert words.replace("'", "’") in text.replace("'", "’"), words
    assert "stable methadone dose" in text  # the draft for the coming review conference
    assert "Review child protection conference" in text and "still a draft" in text
    assert "Chronology of the family" in text and "Referred to treatment" in text
    assert "Screening:" in text and "Child K1" in text
    kinds = [e.kind for e in AuditEvent.objects.order_by("id")[n:]]
    assert kinds == ["view_client", "cp_report_made"]
    made = AuditEvent.objects.get(kind="cp_report_made")
    assert made.details["pages"] == len(reader.pages) >= 2
