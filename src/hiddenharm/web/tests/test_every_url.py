"""Walk every URL pattern and prove each view refuses those who may not see it."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hiddenharm.accounts.testing import PERSONAS

PUBLIC = {
    "healthz",
    "readyz",
    "login",
    "logout",
    "partnership:public_help",
    "partnership:public_online",
    "partnership:exit",
}
POST_ONLY = {
    "cases:assign_many",
    "safeguarding:referral_move",
    "safeguarding:glass_review",
    "cases:export",
}
RECORD_OWNER = {"keyworker", "manager", "data_lead"}


def walk(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django's admin: staff only, tested in test_it_keeps_the_admin_to_staff
            if p.namespace == "apiv1":
                continue  # the HTTP API: bearer tokens, not sessions; api/tests test its access
            yield from walk(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def all_views():
    return sorted(walk(get_resolver().url_patterns), key=lambda t: t[0])


REFERRAL_KEYS = {"referral_id", "request_id", "glass_id", "action"}  # safeguarding
SAFEGUARDING_RECORD_KEYS = {"screening_id", "plan_id", "meeting_id"}  # screening, plans
CASE_RECORD_KEYS = {"record_id", "status_id", "pregnancy_id"}  # cases: corrections


def url_for(name, pattern, world, other=False):
    kwargs = {}
    for key in pattern.pattern.converters:
        if key in CASE_RECORD_KEYS:
            from hiddenharm.cases.testing import records_for as case_records

            kwargs[key] = case_records(world)[key]
            continue
        if key in SAFEGUARDING_RECORD_KEYS:
            from hiddenharm.safeguarding.plans.testing import records_for

            kwargs[key] = records_for(world)[key]
            continue
        if key in REFERRAL_KEYS:
            from hiddenharm.safeguarding.testing import records_for as safeguarding_records

            kwargs[key] = safeguarding_records(world)[key]
            continue
        if key in PARTNERSHIP_KEYS:
            kwargs[key] = PARTNERSHIP_KEYS[key]()
            continue
        obj = {"client_id": world.client_obj, "episode_id": world.episode, "child_id": world.child}[
            key
        ]
        kwargs[key] = obj.pk
    return reverse(name, kwargs=kwargs)


def _directory_entry_pk():
    from hiddenharm.partnership.models import DirectoryEntry

    entry, _ = DirectoryEntry.objects.get_or_create(name="Helpline", defaults={"kind": "voluntary"})
    return entry.pk


PARTNERSHIP_KEYS = {"number": lambda: 9, "entry_id": _directory_entry_pk}


def allowed_roles(pattern):
    return set(getattr(pattern.callback, "hh_roles", ()))


def test_it_knows_the_roles_of_every_protected_view():
    for name, pattern in all_views():
        if name in PUBLIC or name == "home":
            continue
        assert allowed_roles(pattern), f"{name} is not declared with access.role_required"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_refuses_every_view_to_those_who_may_not_see_it(persona, world, as_persona):
    http = as_persona(persona)
    role_of = {
        "keyworker": "keyworker",
        "other_keyworker": "keyworker",
        "manager": "manager",
        "data_lead": "data_lead",
        "commissioner": "commissioner",
        "csc": "csc_practitioner",
        "partnership": "partnership_admin",
        "visitor": None,
    }
    for name, pattern in all_views():
        if name in PUBLIC:
            continue
        url = url_for(name, pattern, world)
        method = http.post if name in POST_ONLY else http.get
        roles = allowed_roles(pattern)
        if persona == "visitor" and name == "home":
            # The public page for families and professionals: nothing of any record.
            response = method(url)
            assert response.status_code == 200 and b"Exit this page" in response.content
            continue
        if persona == "visitor":
            response = method(url)
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name
            continue
        if name == "home":
            assert method(url).status_code == 200
            continue
        allowed = role_of[persona] in roles
        touches_record = bool(pattern.pattern.converters)
        if touches_record and persona == "other_keyworker":
            allowed = False  # another service's record
        if not allowed:
            assert method(url).status_code == 403, f"{name} let {persona} in"
            if method is http.get:  # and a write through the same URL is refused too
                assert http.post(url, {}).status_code in (403, 405), f"{name} POST {persona}"


@pytest.mark.django_db
def test_it_shows_every_view_to_the_people_it_is_for(world, as_persona):
    role_persona = {
        "keyworker": "keyworker",
        "manager": "manager",
        "data_lead": "data_lead",
        "commissioner": "commissioner",
        "csc_practitioner": "csc",
        "partnership_admin": "partnership",
    }
    seen = set()
    for name, pattern in all_views():
        if name in PUBLIC or name in POST_ONLY or name == "home":
            continue
        roles = sorted(allowed_roles(pattern))
        if name == "cases:area_report":
            continue  # slow (charts): cases/tests/test_figures.py renders it
        for role in roles:
            http = as_persona(role_persona[role])
            response = http.get(url_for(name, pattern, world))
            assert response.status_code in (200, 302), f"{name} as {role}"
            seen.add(name)
    assert "cases:worklist" in seen and "audit:events" in seen


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_keeps_the_admin_to_staff(persona, as_persona):
    response = as_persona(persona).get("/admin/accounts/organisation/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_it_lets_staff_set_up_organisations_and_people(client, django_user_model, world):
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    assert client.get("/admin/accounts/organisation/").status_code == 200
    assert client.get(f"/admin/auth/user/{world.users['keyworker'].pk}/change/").status_code == 200


BAD_DATES = [("1", "1", "0001"), ("31", "12", "9999"), ("31", "2", "2025"), ("x", "1", "2025")]
SINGLE_DATE = r'name="([a-z_]*(?:date|dob|edd)[a-z_]*|[a-z_]*_on|from|to)"'


def _forms(html: str):
    """(method, date input names, single date-like names, hidden fields) of each form."""
    import re

    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        method = "post" if re.search(r'method="post"', form, re.I) else "get"
        parts = sorted(set(re.findall(r'name="([A-Za-z_]+)_0"', form)))
        singles = [n for n in re.findall(SINGLE_DATE, form) if not re.search(r"_[012]$", n)]
        hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))
        hidden.pop("csrfmiddlewaretoken", None)
        if parts or singles:
            yield method, parts, singles, hidden


@pytest.mark.django_db
def test_it_answers_bad_dates_in_every_date_field_with_a_message(world, as_persona):
    """Years 0001 and 9999 and impossible dates in every date input and date filter of
    every page, sent as each role the page is for: an error message, never a 500."""
    role_persona = {
        "keyworker": "keyworker",
        "manager": "manager",
        "data_lead": "data_lead",
        "commissioner": "commissioner",
    }
    tried = set()
    for name, pattern in all_views():
        if name in PUBLIC or name in POST_ONLY or name == "cases:area_report":
            continue  # the report's period: cases/tests/test_figures.py (slow charts)
        for role in sorted(allowed_roles(pattern)):
            if role not in role_persona:
                continue
            http = as_persona(role_persona[role])
            url = url_for(name, pattern, world)
            page = http.get(url)
            if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
                continue
            for method, parts, singles, hidden in _forms(page.content.decode()):
                for d, m, y in BAD_DATES:
                    data = dict(hidden)
                    for field in parts:
                        data.update({f"{field}_0": d, f"{field}_1": m, f"{field}_2": y})
                    for field in singles:
                        data[field] = f"{y}-{m}-{d}"
                    send = http.post if method == "post" else http.get
                    response = send(url, data)
                    assert response.status_code < 500, f"{name} as {role}: {data}"
                    assert response.status_code != 404, f"{name} as {role}: {data}"
                    tried.add(name)
    assert {"cases:client_edit", "cases:dashboard", "audit:events", "cases:episode_create"} <= tried
