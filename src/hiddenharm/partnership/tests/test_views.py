"""The partnership pages: a stale edit refused on screen, the directory, the dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hiddenharm.accounts.models import Organisation
from hiddenharm.partnership import services
from hiddenharm.partnership.models import DirectoryEntry, RecommendationStatus

pytestmark = pytest.mark.django_db


def form(version, status="in_place", **extra):
    return {
        "status": status,
        "version": str(version),
        "evidence": "",
        "owner": "",
        "review_date-day": "",
        "review_date-month": "",
        "review_date-year": "",
        "review_date": "",
        **extra,
    }


def test_it_saves_progress_from_the_form_and_shows_its_history(world, as_persona):
    http = as_persona("partnership")
    url = reverse("partnership:recommendation", args=[27])
    response = http.post(url, form(0, owner="Education adviser"))
    assert response.status_code == 302
    row = RecommendationStatus.objects.get(number=27)
    assert row.status == "in_place" and row.owner == "Education adviser"
    page = http.get(url).content.decode()
    assert "Not started → In place" in page and "padmin" in page


def test_it_refuses_a_stale_edit_on_screen_and_keeps_the_other_change(world, as_persona):
    admin = world.users["partnership"]
    http = as_persona("partnership")
    url = reverse("partnership:recommendation", args=[5])
    services.set_recommendation(admin, admin.profile.organisation, 5, version=0, status="embedded")
    response = http.post(url, form(0, status="in_progress"))  # opened before that save
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your changes were not saved" in page
    assert "Recommendation 5 was changed by padmin" in page
    assert 'name="version" value="1"' in page  # the form now carries the current version
    assert RecommendationStatus.objects.get(number=5).status == "embedded"


def test_it_lists_the_applications_organisations_in_the_directory_once(world, as_persona):
    admin = world.users["partnership"]
    services.create_entry(admin, kind="treatment", organisation=world.provider, phone="01632 1")
    services.create_entry(admin, kind="police", name="Police hub", areas="E10000020")
    http = as_persona("keyworker")
    page = http.get(reverse("partnership:directory")).content.decode()
    assert page.count("Provider A") == 1 and "01632 1" in page
    assert "Provider B" in page and "Not yet in the directory" in page  # no entry of its own
    assert "Police hub" in page and "Add a service" not in page  # a keyworker reads only
    found = http.get(reverse("partnership:directory"), {"q": "police e10000020"}).content
    assert b"Police hub" in found and b"Provider B" not in found
    by_kind = http.get(reverse("partnership:directory"), {"kind": "treatment"}).content
    assert b"Provider A" in by_kind and b"Police hub" not in by_kind


def test_it_adds_and_changes_entries_for_the_administrator(world, as_persona):
    http = as_persona("partnership")
    data = {"kind": "voluntary", "name": "Helpline", "areas": "e10000020", "active": "on"}
    assert http.post(reverse("partnership:directory_add"), data).status_code == 302
    entry = DirectoryEntry.objects.get(name="Helpline")
    assert entry.areas == "E10000020" and entry.version == 1
    bad = http.post(reverse("partnership:directory_add"), {"kind": "police", "areas": "e-1"})
    assert bad.status_code == 200
    assert b"Enter the name of the service" in bad.content
    assert b"Enter local authority codes" in bad.content
    url = reverse("partnership:directory_edit", args=[entry.pk])
    changed = {**data, "hours": "24 hours", "version": "1"}
    assert http.post(url, changed).status_code == 302
    stale = http.post(url, {**data, "hours": "9 to 5", "version": "1"})
    assert b"Your changes were not saved" in stale.content
    assert DirectoryEntry.objects.get(pk=entry.pk).hours == "24 hours"


def test_it_shows_the_dashboard_with_suppressed_figures(world, as_persona, monkeypatch):
    from hiddenharm.cases import figures

    calls = []
    real = figures.dashboard

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(figures, "dashboard", spy)
    for persona in ("commissioner", "partnership"):
        page = as_persona(persona).get(reverse("partnership:dashboard")).content.decode()
        assert 'id="count-not_started"' in page and 'id="completeness-table"' in page
        assert 'id="published-note"' in page and 'id="activity-published-note"' in page
        assert "Provider A (AGA1)" in page  # agencies by name (B has nobody in treatment)
        assert 'id="protocols' in page and 'id="activity' in page
    # figures leaving the services: suppressed (publish), no team breakdown
    assert [c["publish"] for c in calls] == [True, True]


def test_it_shows_no_figures_for_a_partnership_without_an_area(world, as_persona):
    Organisation.objects.filter(kind="partnership").update(la_code="")
    page = as_persona("partnership").get(reverse("partnership:dashboard")).content.decode()
    assert 'id="completeness-none"' in page


def test_it_loads_the_demo_twice_without_changing_anything(world):
    from hiddenharm.partnership.demo import load_partnership_demo
    from hiddenharm.partnership.models import Change

    admin = world.users["partnership"]
    today = __import__("datetime").date(2026, 11, 30)
    load_partnership_demo(admin.profile.organisation, admin, today)
    changes = Change.objects.count()
    load_partnership_demo(admin.profile.organisation, admin, today)
    assert Change.objects.count() == changes > 20
    assert Organisation.objects.filter(kind="partnership").count() == 3


def test_it_refuses_a_stale_marker_and_opens_it_with_the_current_values(world, as_persona):
    admin = world.users["partnership"]
    services.set_marker(admin, admin.profile.organisation, "4A.6", version=0, achieved=True)
    http = as_persona("partnership")
    data = {"marker": "4A.6", "version": "0", "achieved": "", "description": "Old view"}
    page = http.post(reverse("partnership:markers"), data).content.decode()
    assert "Marker 4A.6 was changed by padmin" in page
    block = page[page.index('id="marker-4A.6"') :]
    assert "<details" in block[:3000] and " open>" in block[:3000]
    assert 'name="version" value="1"' in block[:6000]


def test_it_filters_the_recommendations_by_sector(world, as_persona):
    http = as_persona("commissioner")
    page = http.get(reverse("partnership:recommendations"), {"sector": "maternity"}).content
    assert b'id="rec-18"' in page and b'id="rec-1"' not in page
    assert http.get(reverse("partnership:recommendations"), {"sector": "x"}).status_code == 404
    rollups = http.get(reverse("partnership:rollups")).content.decode()
    assert "?sector=criminal_justice" in rollups


def test_it_lists_the_areas_joint_protocols_due_for_review(world, as_persona):
    import datetime as dt

    from django.apps import apps

    from hiddenharm.partnership.views_dashboard import protocols_due

    if not apps.is_installed("hiddenharm.safeguarding"):
        pytest.skip("the safeguarding app is not installed")
    JointProtocol = apps.get_model("safeguarding", "JointProtocol")
    from django.utils import timezone

    today = timezone.localdate()  # the page's own date
    for la, name, review in (
        ("E10000020", "Norfolk protocol", today + dt.timedelta(days=31)),
        ("E10000029", "Suffolk protocol", today - dt.timedelta(days=300)),  # another area's
    ):
        JointProtocol.objects.create(
            la_code=la, name=name, escalation_contact="Duty manager", review_date=review
        )
    area = world.users["partnership"].profile.organisation
    due = protocols_due(area, today)
    assert [(d["protocol"].name, d["overdue"]) for d in due] == [("Norfolk protocol", False)]
    assert protocols_due(area, today + dt.timedelta(days=32))[0]["overdue"] is True
    assert protocols_due(area, today - dt.timedelta(days=60)) == []  # 91 days ahead of then
    page = as_persona("commissioner").get(reverse("partnership:dashboard")).content.decode()
    assert "Norfolk protocol" in page and "Suffolk protocol" not in page
