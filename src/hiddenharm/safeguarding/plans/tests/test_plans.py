"""Child protection plans: the services (rules, versions, audit), the lists, the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases.models import Client
from hiddenharm.cases.tests.builders import new_client
from hiddenharm.safeguarding.plans import services
from hiddenharm.safeguarding.plans.models import ChildProtectionPlan, Contribution, PlanMeeting

D = dt.date
TODAY = D(2025, 5, 1)  # a Thursday
pytestmark = pytest.mark.django_db


def kinds_since(n):
    return [e.kind for e in AuditEvent.objects.order_by("id")[n:]]


def start(world, **kw):
    args = {"child": world.child, "start_date": D(2025, 4, 3), "strategy_on": D(2025, 3, 14)}
    args.update(kw)
    return services.start_plan(world.client_obj, user=world.users["keyworker"], today=TODAY, **args)


ICPC_DAY = D(2025, 4, 3)


def meeting(plan, world, kind="ICPC", date=ICPC_DAY, **kw):
    data = {"kind": kind, "date": date, "invited": True, "attendance": "", "notes": "", **kw}
    return services.add_meeting(plan, data, user=world.users["keyworker"], today=TODAY)


def test_each_write_leaves_its_one_audit_event(world):
    n = AuditEvent.objects.count()
    plan = start(world)
    assert kinds_since(n) == ["cp_plan_started"]
    m = meeting(plan, world, attendance="ATTENDED")
    assert kinds_since(n)[-1] == "cp_meeting_recorded"
    services.change_meeting(
        m,
        {"kind": "ICPC", "date": m.date, "invited": True, "attendance": "APOLOGIES", "notes": ""},
        version=1,
        user=world.users["manager"],
        today=TODAY,
    )
    change = AuditEvent.objects.order_by("-id").first()
    assert change.details["action"] == "update" and change.details["fields"] == ["attendance"]
    services.write_contribution(
        m,
        {"risk_of_harm": "Uses daily", "addictive_behaviour": "", "improvements": ""},
        version=0,
        user=world.users["keyworker"],
        today=TODAY,
    )
    written = AuditEvent.objects.order_by("-id").first()
    assert (written.kind, written.details["submitted"], written.details["fields"]) == (
        "cp_contribution_written",
        False,
        ["risk_of_harm"],
    )
    assert "Uses daily" not in str(written.details)  # field names, never the words
    services.end_plan(plan, end_date=TODAY, version=1, user=world.users["manager"], today=TODAY)
    assert kinds_since(n) == [
        "cp_plan_started",
        "cp_meeting_recorded",
        "cp_meeting_recorded",
        "cp_contribution_written",
        "cp_plan_ended",
    ]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"start_date": TODAY + dt.timedelta(days=1)}, "start_date"),
        ({"strategy_on": D(2025, 4, 4)}, "strategy_on"),
    ],
)
def test_a_plan_is_refused_with_impossible_dates_and_nothing_is_written(world, changes, field):
    n = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as e:
        start(world, **changes)
    assert field in e.value.message_dict
    assert ChildProtectionPlan.objects.count() == 0 and AuditEvent.objects.count() == n


def test_a_child_has_one_open_plan_and_only_the_clients_own_children(world):
    start(world)
    with pytest.raises(ValidationError, match="already has an open"):
        start(world)
    from hiddenharm.cases.models import Child

    other = new_client(world.provider, "C9", dob=D(1990, 1, 1))
    stranger = Child.objects.create(client=other, child_ref="Z1")
    with pytest.raises(ValidationError, match="one of the client's children"):
        start(world, child=stranger)


def test_meeting_rules(world):
    plan = start(world)
    meeting(plan, world)
    with pytest.raises(ValidationError, match="already has its initial"):
        meeting(plan, world)
    with pytest.raises(ValidationError, match="once the meeting has taken place"):
        meeting(plan, world, kind="CORE", date=TODAY + dt.timedelta(days=3), attendance="ATTENDED")
    with pytest.raises(ValidationError, match="it was invited"):
        meeting(plan, world, kind="CORE", date=D(2025, 4, 10), invited=False, attendance="ATTENDED")
    with pytest.raises(ValidationError, match="after the plan started"):
        meeting(plan, world, kind="CORE", date=D(2025, 4, 1))


def test_a_stale_edit_is_refused(world):
    plan = start(world)
    m = meeting(plan, world)
    data = {"kind": "ICPC", "date": m.date, "invited": True, "attendance": "ATTENDED", "notes": ""}
    services.change_meeting(m, data, version=1, user=world.users["keyworker"], today=TODAY)
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.change_meeting(
            m, {**data, "notes": "x"}, version=1, user=world.users["manager"], today=TODAY
        )
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.end_plan(plan, end_date=TODAY, version=7, user=world.users["manager"], today=TODAY)


def test_a_contribution_is_sent_only_with_all_three_headings(world):
    plan = start(world)
    m = meeting(plan, world, date=D(2025, 5, 8))
    with pytest.raises(ValidationError) as e:
        services.write_contribution(
            m,
            {
                "risk_of_harm": "a",
                "addictive_behaviour": "",
                "improvements": "",
                "submitted_on": TODAY,
            },
            version=0,
            user=world.users["keyworker"],
            today=TODAY,
        )
    assert set(e.value.message_dict) == {"addictive_behaviour", "improvements"}
    assert Contribution.objects.count() == 0
    c = services.write_contribution(
        m,
        {
            "risk_of_harm": "a",
            "addictive_behaviour": "b",
            "improvements": "c",
            "submitted_on": TODAY,
        },
        version=0,
        user=world.users["keyworker"],
        today=TODAY,
    )
    assert c.submitted_on == TODAY and c.version == 1
    core = meeting(plan, world, kind="CORE", date=D(2025, 4, 10))
    with pytest.raises(ValidationError, match="for a conference"):
        services.write_contribution(core, {}, version=0, user=world.users["keyworker"], today=TODAY)


def test_reminders_cover_the_next_10_working_days_and_overdue_lists_what_is_late(world):
    plan = start(world)  # strategy 14 Mar: initial conference due Fri 4 Apr; held 3 Apr
    meeting(plan, world)
    core = meeting(plan, world, kind="CORE", date=D(2025, 5, 15))  # 10 wd from 1 May: 16 May
    late = meeting(plan, world, kind="CORE", date=D(2025, 5, 19))
    clients = Client.objects.all()
    assert [m.pk for m in services.upcoming(clients, TODAY)] == [core.pk]
    # Oldest first: the contribution due Mon 31 Mar (3 wd before Thu 3 Apr), never written;
    # the first core group due Thu 17 Apr (3 Apr + 10 wd), not held by 1 May.
    overdue = [(d.what, d.due) for _, d in services.overdue(clients, TODAY)]
    assert overdue == [
        ("Written contribution to the conference of 3 April 2025", D(2025, 3, 31)),
        ("First core group", D(2025, 4, 17)),
    ]
    assert late.pk not in [m.pk for m in services.upcoming(clients, TODAY)]


# --- pages ------------------------------------------------------------------------------


def test_the_pages_as_a_keyworker(world, as_persona):
    http = as_persona("keyworker")
    url = reverse("plans:create", args=[world.client_obj.pk])
    assert b"govuk-date-input" in http.get(url).content
    r = http.post(
        url,
        {"child": world.child.pk, "start_date_0": "3", "start_date_1": "4", "start_date_2": "2025"},
    )
    plan = ChildProtectionPlan.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("plans:detail", args=[plan.pk])
    r = http.post(
        reverse("plans:meeting_create", args=[plan.pk]),
        {
            "version": "0",
            "kind": "ICPC",
            "date_0": "3",
            "date_1": "4",
            "date_2": "2025",
            "invited": "on",
            "attendance": "ATTENDED",
        },
    )
    assert r.status_code == 302
    m = PlanMeeting.objects.get()
    r = http.post(
        reverse("plans:contribution", args=[m.pk]),
        {
            "version": "0",
            "risk_of_harm": "Heroin daily",
            "addictive_behaviour": "",
            "improvements": "",
        },
    )
    assert r.status_code == 302 and Contribution.objects.get().risk_of_harm == "Heroin daily"
    page = http.get(reverse("plans:detail", args=[plan.pk]))
    assert b"Initial child protection conference" in page.content and b"Draft" in page.content
    assert AuditEvent.objects.filter(kind="view_client", details__page="cp_plan").count() == 1
    home = http.get("/")
    assert b'id="plan-reminders"' in home.content
    for name in ("plans:list", "plans:upcoming", "plans:overdue"):
        assert http.get(reverse(name)).status_code == 200
    record = http.get(reverse("cases:client_detail", args=[world.client_obj.pk]))
    assert reverse("plans:detail", args=[plan.pk]).encode() in record.content


@pytest.mark.parametrize(
    "day, month, year",
    [
        ("1", "1", "0001"),
        ("1", "1", "9999"),
        ("30", "2", "2025"),
        ("", "4", "2025"),
        ("1", "13", "2025"),
    ],
)
def test_bad_dates_give_a_message_not_a_500(world, as_persona, day, month, year):
    http = as_persona("keyworker")
    r = http.post(
        reverse("plans:create", args=[world.client_obj.pk]),
        {"child": world.child.pk, "start_date_0": day, "start_date_1": month, "start_date_2": year},
    )
    assert r.status_code == 200 and b"govuk-error-summary" in r.content
    assert ChildProtectionPlan.objects.count() == 0


def test_a_stale_form_says_so(world, as_persona):
    plan = start(world)
    http = as_persona("keyworker")
    r = http.post(
        reverse("plans:end", args=[plan.pk]),
        {"version": "9", "end_date_0": "1", "end_date_1": "5", "end_date_2": "2025"},
    )
    assert r.status_code == 200 and b"Someone else changed" in r.content


def test_list_pages_audit_which_clients_they_showed(world, as_persona):
    start(world)
    http = as_persona("manager")
    for name, page in (
        ("plans:list", "cp_plans"),
        ("plans:overdue", "cp_overdue"),
        ("plans:upcoming", "cp_upcoming"),
        ("screening:due", "screening_due"),
    ):
        http.get(reverse(name))
        event = AuditEvent.objects.filter(kind="view_list").order_by("-id").first()
        assert event.details["page"] == page, name
    listed = AuditEvent.objects.get(kind="view_list", details__page="cp_plans")
    assert listed.details["client_ids"] == [world.client_obj.pk]


def test_the_protocol_of_the_clients_area_sets_the_country_and_the_contribution_days(world):
    from django.apps import apps

    plan = start(world)
    m = meeting(plan, world, kind="RCPC", date=D(2025, 4, 22))  # Tuesday after Easter Monday
    due = {d.meeting_id: d.due for d in services.plan_deadlines(plan) if d.meeting_id}
    assert due[m.pk] == D(2025, 4, 15)  # no protocol: England and Wales, 3 working days
    try:
        Protocol = apps.get_model("safeguarding", "JointProtocol")
    except LookupError:
        pytest.skip("the safeguarding app's protocols are not installed")
    p = Protocol.objects.create(
        la_code=world.client_obj.la,
        name="Protocol",
        country="SC",
        contribution_days=3,
        escalation_contact="Duty manager",
        review_date=D(2026, 1, 1),
    )
    due = {d.meeting_id: d.due for d in services.plan_deadlines(plan) if d.meeting_id}
    assert due[m.pk] == D(2025, 4, 16)  # Scotland works Easter Monday
    p.contribution_days = 5
    p.save()
    due = {d.meeting_id: d.due for d in services.plan_deadlines(plan) if d.meeting_id}
    # Mon 21, Thu 17, Wed 16, Tue 15, Mon 14 April.
    assert due[m.pk] == D(2025, 4, 14)
