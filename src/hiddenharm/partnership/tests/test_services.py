"""Changes go through the service functions: history, audit event, stale edits refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from hiddenharm.accounts.models import Organisation
from hiddenharm.audit.models import AuditEvent
from hiddenharm.partnership import services
from hiddenharm.partnership.models import Change, DirectoryEntry, RecommendationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return world.users["partnership"]


@pytest.fixture
def area(admin):
    return admin.profile.organisation


def test_it_keeps_every_change_with_who_when_and_old_and_new(admin, area):
    row = services.set_recommendation(
        admin, area, 9, version=0, status="in_progress", owner="Commissioner"
    )
    assert row.version == 1 and row.updated_by == admin
    row = services.set_recommendation(
        admin,
        area,
        9,
        version=1,
        status="in_place",
        owner="Commissioner",
        evidence="All three providers",
        review_date=dt.date(2027, 3, 31),
    )
    assert row.version == 2
    first, second = Change.objects.filter(subject="recommendation:9").order_by("version")
    assert first.by == admin and first.changes == {
        "status": ["Not started", "In progress"],
        "owner": ["", "Commissioner"],
    }
    assert second.changes == {
        "status": ["In progress", "In place"],
        "evidence": ["", "All three providers"],
        "review_date": ["", "2027-03-31"],
    }
    events = AuditEvent.objects.filter(kind="recommendation_changed").order_by("id")
    assert [e.details["version"] for e in events] == [1, 2]
    assert events[1].details["fields"] == ["status", "evidence", "review_date"]
    assert events[1].object_id == f"{area.pk}:9" and events[1].actor == admin
    assert "All three providers" not in str(events[1].details)  # ids and names, not text


def test_it_refuses_a_stale_edit_with_a_clear_message_and_saves_nothing(admin, area):
    services.set_recommendation(admin, area, 1, version=0, status="in_progress")
    with pytest.raises(services.StaleEdit) as refused:
        services.set_recommendation(admin, area, 1, version=0, status="embedded")
    message = str(refused.value)
    assert "Recommendation 1 was changed by padmin" in message
    assert "your changes were not saved" in message
    row = RecommendationStatus.objects.get(area=area, number=1)
    assert row.status == "in_progress" and row.version == 1
    assert Change.objects.filter(subject="recommendation:1").count() == 1


def test_it_writes_nothing_for_an_unchanged_save(admin, area):
    services.set_recommendation(admin, area, 2, version=0, status="in_place")
    services.set_recommendation(admin, area, 2, version=1, status="in_place")
    assert Change.objects.filter(subject="recommendation:2").count() == 1
    assert RecommendationStatus.objects.get(area=area, number=2).version == 1


def test_it_writes_the_audit_event_in_the_same_transaction(admin, area, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_recommendation(admin, area, 3, version=0, status="in_place")
    # the status and its history went with the audit event that failed
    assert not RecommendationStatus.objects.filter(area=area, number=3).exists()
    assert not Change.objects.filter(subject="recommendation:3").exists()


def test_it_lets_only_the_areas_own_administrator_change_it(world, admin, area):
    other_area = Organisation.objects.create(
        name="Elsewhere", kind=Organisation.Kind.PARTNERSHIP, la_code="S12000049"
    )
    with pytest.raises(PermissionDenied):
        services.set_recommendation(admin, other_area, 1, version=0, status="in_place")
    for persona in ("commissioner", "keyworker", "csc", "manager"):
        with pytest.raises(PermissionDenied):
            services.set_recommendation(world.users[persona], area, 1, version=0, status="in_place")
    assert not RecommendationStatus.objects.exists()


def test_it_refuses_a_recommendation_or_status_that_does_not_exist(admin, area):
    with pytest.raises(ValueError):
        services.set_recommendation(admin, area, 49, version=0, status="in_place")
    with pytest.raises(ValueError):
        services.set_recommendation(admin, area, 1, version=0, status="done")


def test_it_records_markers_of_progress_with_history(admin, area):
    services.set_marker(admin, area, "4A.6", version=0, achieved=True, description="In post")
    row = services.set_marker(admin, area, "4A.6", version=1, achieved=False, description="Left")
    assert row.version == 2
    last = Change.objects.filter(subject="marker:4A.6").first()
    assert last.changes == {"achieved": ["Yes", "No"], "description": ["In post", "Left"]}
    with pytest.raises(services.StaleEdit):
        services.set_marker(admin, area, "4A.6", version=1, achieved=True)
    with pytest.raises(ValueError):
        services.set_marker(admin, area, "7.1", version=0, achieved=True)
    assert AuditEvent.objects.filter(kind="marker_changed").count() == 2


def test_it_links_an_organisation_in_the_directory_without_copying_its_name(admin, world):
    entry = services.create_entry(
        admin, kind="treatment", organisation=world.provider, name="Typed again", phone="01632"
    )
    assert entry.name == "" and entry.display_name == "Provider A"
    world.provider.name = "Provider A (renamed)"
    world.provider.save()
    entry.refresh_from_db()
    assert entry.display_name == "Provider A (renamed)"
    with pytest.raises(ValueError):
        services.create_entry(admin, kind="police")  # neither name nor organisation


def test_it_changes_directory_entries_with_versions_and_audit(admin, world):
    entry = services.create_entry(admin, kind="police", name="Police hub", areas="e10000020 x1")
    assert entry.areas == "E10000020 X1" and entry.version == 1
    entry = services.update_entry(admin, entry.pk, version=1, hours="24 hours")
    assert entry.version == 2
    with pytest.raises(services.StaleEdit):
        services.update_entry(admin, entry.pk, version=1, hours="9 to 5")
    with pytest.raises(PermissionDenied):
        services.update_entry(world.users["commissioner"], entry.pk, version=2, hours="9 to 5")
    assert DirectoryEntry.objects.get(pk=entry.pk).hours == "24 hours"
    kinds = list(
        AuditEvent.objects.filter(kind="directory_changed").values_list("details", flat=True)
    )
    assert [k["action"] for k in kinds] == ["update", "create"]
    assert Change.objects.filter(subject=f"directory:{entry.pk}").count() == 2
