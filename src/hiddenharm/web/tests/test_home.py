"""The home page: the public page for a visitor, one's own home once signed in."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_it_shows_a_visitor_the_public_page_and_sets_no_cookie(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Exit this page" in response.content and b"Sign in (professionals)" in response.content
    assert not response.cookies
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.django_db
def test_it_shows_a_signed_in_person_their_own_home(world, as_persona):
    response = as_persona("keyworker").get("/")
    assert response.status_code == 200
    assert b"You are signed in as a keyworker" in response.content
    assert b"Exit this page" not in response.content
