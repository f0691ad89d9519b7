import pytest
from django.urls import reverse

from hiddenharm.accounts.testing import PASSWORD
from hiddenharm.audit import events
from hiddenharm.audit.models import AppendOnlyError, AuditEvent
from hiddenharm.audit.trail import record


@pytest.mark.django_db
def test_it_records_a_typed_event_with_its_object(world):
    row = record(events.ViewClient(client_id=7), actor=world.users["keyworker"])
    assert (row.kind, row.object_type, row.object_id) == ("view_client", "client", "7")
    assert row.details == {"client_id": 7, "page": "record"}


def test_it_refuses_anything_but_an_event():
    with pytest.raises(TypeError):
        record({"kind": "view_client"})


@pytest.mark.django_db
def test_it_refuses_to_change_or_delete_an_event(world):
    row = record(events.SignIn(), actor=world.users["keyworker"])
    row.kind = "sign_out"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=row.pk).update(kind="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=row.pk).kind == "sign_in"


@pytest.mark.django_db
def test_it_refuses_raw_changes_on_postgresql(world):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    row = record(events.SignIn(), actor=world.users["keyworker"])
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as c:
            c.execute("UPDATE audit_auditevent SET kind='x' WHERE id=%s", [row.pk])


@pytest.mark.django_db
def test_it_records_sign_in_sign_out_and_failures(client, world):
    client.post(reverse("login"), {"username": "kw", "password": PASSWORD})
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "kw", "password": "wrong"})
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["sign_in", "sign_out", "sign_in_failed"]
    failed = AuditEvent.objects.get(kind="sign_in_failed")
    # the username tried is kept (attempts on an account are seen), the password never
    assert failed.details["username"] == "kw" and failed.actor is None
    assert "wrong" not in str(failed.details)


@pytest.mark.django_db
def test_it_keeps_personal_data_out_of_the_details(as_persona, world):
    http = as_persona("keyworker")
    http.post(
        reverse("cases:client_search"),
        {"first_initial": "A", "surname_initial": "B", "dob": "27/03/1985", "sex": "F"},
    )
    search = AuditEvent.objects.get(kind="search")
    assert search.details == {"found": 1}


@pytest.mark.django_db
def test_it_lets_a_data_lead_filter_the_trail(as_persona, world):
    record(events.ViewClient(client_id=world.client_obj.pk), actor=world.users["keyworker"])
    record(events.ViewClient(client_id=1), actor=world.users["other_keyworker"])
    http = as_persona("data_lead")
    response = http.get(reverse("audit:events"), {"kind": "view_client", "person": "kw"})
    assert response.status_code == 200
    page = response.context["page"]
    assert [e.actor.username for e in page] == ["kw"]
    # another service's people are not in this data lead's trail
    response = http.get(reverse("audit:events"), {"person": "kw_b"})
    assert response.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_it_paginates_and_rejects_a_bad_date_range(as_persona, world):
    for i in range(60):
        record(events.ViewClient(client_id=i), actor=world.users["keyworker"])
    http = as_persona("data_lead")
    response = http.get(reverse("audit:events"), {"kind": "view_client"})
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].has_next()
    response = http.get(
        reverse("audit:events"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "must be on or after" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["keyworker", "manager", "commissioner", "csc"])
def test_it_refuses_the_trail_to_anyone_but_a_data_lead(as_persona, world, persona):
    assert as_persona(persona).get(reverse("audit:events")).status_code == 403


def test_it_describes_event_details_for_people_not_as_python():
    from hiddenharm.audit.views import describe

    assert describe({"client_id": 1, "page": "record"}) == "client id: 1; page: record"
    assert describe({"filters": {}}) == "filters: none"
    assert describe({"providers": [4, 5], "output": "pdf"}) == "providers: 4, 5; output: pdf"
    assert describe({}) == ""
