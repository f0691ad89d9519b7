import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from hiddenharm.accounts import access
from hiddenharm.accounts.models import Organisation, Profile, Role, Team


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_it_lets_a_keyworker_see_and_change_their_services_clients(world):
    client, can_write = access.get_client_for_user(
        _request(world.users["keyworker"]), world.client_obj.pk
    )
    assert client == world.client_obj and can_write


@pytest.mark.django_db
def test_it_lets_a_data_lead_read_but_not_change_records(world):
    request = _request(world.users["data_lead"])
    _, can_write = access.get_client_for_user(request, world.client_obj.pk)
    assert not can_write
    with pytest.raises(PermissionDenied):
        access.get_client_for_user(request, world.client_obj.pk, write=True)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["other_keyworker", "commissioner", "csc"])
def test_it_refuses_a_clients_record_to_anyone_outside_the_service(world, persona):
    request = _request(world.users[persona])
    with pytest.raises(PermissionDenied):
        access.get_client_for_user(request, world.client_obj.pk)
    with pytest.raises(PermissionDenied):
        access.get_episode_for_user(request, world.episode.pk)
    with pytest.raises(PermissionDenied):
        access.get_child_for_user(request, world.child.pk)
    assert not access.clients_for(world.users[persona]).exists()


@pytest.mark.django_db
def test_it_refuses_an_id_that_does_not_exist_like_one_it_may_not_see(world):
    with pytest.raises(PermissionDenied):
        access.get_client_for_user(_request(world.users["keyworker"]), 999999)


@pytest.mark.django_db
def test_it_gives_commissioners_the_providers_of_their_area_only(world):
    Organisation.objects.create(
        name="Elsewhere", kind="provider", agency_code="ZZ9", la_code="E10000029"
    )
    providers = set(access.figure_providers(world.users["commissioner"]))
    assert providers == {world.provider, world.other_provider}
    assert set(access.figure_providers(world.users["manager"])) == {world.provider}
    with pytest.raises(PermissionDenied):
        access.figure_providers(world.users["keyworker"])
    with pytest.raises(PermissionDenied):
        access.figure_providers(world.users["csc"])


@pytest.mark.django_db
def test_it_offers_worklist_scopes_by_role(world):
    assert set(access.worklist_scopes(world.users["keyworker"])) == {"mine", "team"}
    assert set(access.worklist_scopes(world.users["manager"])) == {"team", "service"}
    with pytest.raises(PermissionDenied):
        access.worklist_clients(world.users["keyworker"], "service")
    with pytest.raises(PermissionDenied):
        access.worklist_scopes(world.users["commissioner"])


@pytest.mark.django_db
def test_it_refuses_a_provider_without_a_valid_agency_code():
    org = Organisation(name="P", kind="provider", agency_code="bad code!", la_code="E1")
    with pytest.raises(ValidationError) as e:
        org.full_clean()
    assert "agency_code" in e.value.message_dict
    org = Organisation(name="Q", kind="provider", agency_code="abc123", la_code="e10000020")
    org.full_clean()
    assert org.agency_code == "ABC123" and org.la_code == "E10000020"


@pytest.mark.django_db
def test_it_refuses_a_role_in_the_wrong_kind_of_organisation(world, django_user_model):
    user = django_user_model.objects.create_user("x", password="x")
    csc = Organisation.objects.get(kind="csc")
    with pytest.raises(ValidationError):
        Profile.objects.create(user=user, role=Role.KEYWORKER, organisation=csc)
    with pytest.raises(ValidationError):
        Profile.objects.create(
            user=user,
            role=Role.KEYWORKER,
            organisation=world.provider,
            team=Team.objects.get(name="B1"),
        )


@pytest.mark.django_db
def test_it_shows_navigation_by_role(world):
    ids = lambda who: {i["id"] for i in access.navigation(world.users[who])}  # noqa: E731
    record = {"worklist", "caseload", "clients", "referrals", "requests", "api-tokens"}
    assert ids("keyworker") == record | {"directory"}
    assert ids("manager") == record | {"sharing", "dashboard", "activity", "directory"}
    assert ids("data_lead") == record | {
        "sharing",
        "dashboard",
        "activity",
        "exchange",
        "audit",
        "directory",
    }
    assert ids("commissioner") == {
        "dashboard",
        "activity",
        "api-tokens",
        "partnership",
        "recommendations",
        "directory",
    }
    assert ids("csc") == {"referrals", "requests", "api-tokens", "directory"}
    assert ids("partnership") == {"partnership", "recommendations", "protocols", "directory"}
