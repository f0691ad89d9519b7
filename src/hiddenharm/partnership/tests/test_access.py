"""Every partnership URL as every persona (the walk of web/tests/test_every_url.py, on this
app's URLs alone): who reads, who changes, and that visitors reach the public pages only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hiddenharm.accounts.testing import PERSONAS
from hiddenharm.web.tests.test_every_url import PUBLIC, all_views, allowed_roles, url_for

ROLE_OF = {
    "keyworker": "keyworker",
    "other_keyworker": "keyworker",
    "manager": "manager",
    "data_lead": "data_lead",
    "commissioner": "commissioner",
    "csc": "csc_practitioner",
    "partnership": "partnership_admin",
    "visitor": None,
}
# What each view is for, written out (not read from the decorators, which the walk checks).
EXPECTED = {
    "partnership:dashboard": {"partnership_admin", "commissioner"},
    "partnership:recommendations": {"partnership_admin", "commissioner"},
    "partnership:recommendation": {"partnership_admin", "commissioner"},
    "partnership:markers": {"partnership_admin", "commissioner"},
    "partnership:rollups": {"partnership_admin", "commissioner"},
    "partnership:export_csv": {"partnership_admin", "commissioner"},
    "partnership:export_pdf": {"partnership_admin", "commissioner"},
    "partnership:directory": set(ROLE_OF.values()) - {None},
    "partnership:directory_add": {"partnership_admin"},
    "partnership:directory_edit": {"partnership_admin"},
}


def views():
    return [(n, p) for n, p in all_views() if n.startswith("partnership:") and n not in PUBLIC]


def test_it_declares_the_roles_written_here():
    assert {n: allowed_roles(p) for n, p in views()} == EXPECTED


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_in_only_the_roles_a_view_is_for(persona, world, as_persona):
    http = as_persona(persona)
    for name, pattern in views():
        if name == "partnership:export_pdf":
            continue  # slow: test_exports.py opens it
        url = url_for(name, pattern, world)
        response = http.get(url)
        if persona == "visitor":
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name
        elif ROLE_OF[persona] in EXPECTED[name]:
            assert response.status_code == 200, f"{name} as {persona}"
        else:
            assert response.status_code == 403, f"{name} let {persona} in"
            assert http.post(url, {}).status_code == 403, f"{name} POST {persona}"


@pytest.mark.django_db
def test_it_lets_only_the_administrator_post_changes(world, as_persona):
    url = reverse("partnership:recommendation", args=[9])
    form = {"status": "in_place", "version": "0", "evidence": "", "owner": "", "review_date": ""}
    assert as_persona("commissioner").post(url, form).status_code == 403
    marker = {"marker": "2.1", "version": "0", "achieved": "on", "description": ""}
    assert (
        as_persona("commissioner").post(reverse("partnership:markers"), marker).status_code == 403
    )
    response = as_persona("partnership").post(url, form)
    assert response.status_code == 302
    assert as_persona("partnership").post(reverse("partnership:markers"), marker).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n in PUBLIC if n.startswith("partnership:")))
def test_it_shows_the_public_pages_to_visitors(name, client):
    response = client.get(reverse(name))
    if name == "partnership:exit":
        assert response.status_code == 302
        assert response["Location"] == "https://www.bbc.co.uk/weather"
    else:
        assert response.status_code == 200
        assert b"Exit this page" in response.content
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert b'<meta name="robots" content="noindex, nofollow">' in response.content
    assert not response.cookies, f"{name} set {list(response.cookies)}"


@pytest.mark.django_db
def test_it_ends_the_session_of_a_signed_in_person_who_exits(world, as_persona):
    http = as_persona("partnership")
    assert http.get(reverse("partnership:directory")).status_code == 200
    response = http.get(reverse("partnership:exit"))
    assert response.status_code == 302 and response["Location"].startswith("https://")
    assert response["Referrer-Policy"] == "no-referrer"
    after = http.get(reverse("partnership:directory"))
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
