import logging
from unittest import mock

import pytest
from django.urls import reverse

from hiddenharm.accounts.testing import PASSWORD
from hiddenharm.web.logs import NoPersonalDataFilter, StripRequestFilter


@pytest.mark.django_db
def test_it_answers_healthz_while_the_process_runs(client):
    with mock.patch("hiddenharm.web.views.connection") as conn:
        conn.cursor.side_effect = Exception("down")
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_it_answers_readyz_when_the_database_answers_and_is_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_it_answers_readyz_503_when_the_database_does_not(client):
    with mock.patch("hiddenharm.web.views.connection") as conn:
        conn.cursor.side_effect = Exception("down")
        response = client.get("/readyz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_it_answers_readyz_503_when_migrations_are_pending(client):
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[1]
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert b"migrations" in response.content


@pytest.mark.django_db
def test_it_shows_a_gov_uk_sign_in_page(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    for piece in (
        "govuk-skip-link",
        "govuk-phase-banner",
        "govuk-header",
        'id="id_username"',
        "govuk-frontend.min.css",
        "Hidden Harm case records",
    ):
        assert piece in html


@pytest.mark.django_db
def test_it_signs_in_and_out_with_a_sign_out_button(client, world):
    response = client.post(reverse("login"), {"username": "kw", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert 'id="sign-out"' in home and "Worklist" in home
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    after = client.get(reverse("home"))  # signed out: the public page, no record
    assert after.status_code == 200 and 'id="sign-out"' not in after.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_wrong_password_with_a_message_by_the_field(client, world):
    response = client.post(reverse("login"), {"username": "kw", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Enter a correct username and password" in html
    assert 'value="kw"' in html  # what the user typed is kept


def test_it_strips_requests_and_queries_from_log_records():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/clients/?dob=1985-03-27",),
        None,
    )
    record.request = object()
    StripRequestFilter().filter(record)
    assert record.request is None
    assert "1985" not in record.getMessage()


def test_it_cleanses_every_post_field_in_error_reports(rf):
    request = rf.post("/x", {"first_initial": "A", "dob": "27/03/1985"})
    cleaned = NoPersonalDataFilter().get_post_parameters(request)
    assert set(cleaned.values()) == {NoPersonalDataFilter.cleansed_substitute}


def test_it_serves_the_gov_uk_frontend_files(client):
    response = client.get("/static/govuk/govuk-frontend.min.css")
    assert response.status_code == 200
    assert client.get("/static/hiddenharm/app.css").status_code == 200


def test_the_gov_uk_stylesheet_asks_for_no_font_file(client):
    """GDS Transport is for GOV.UK domains only, and its files are not served: a browser that
    laid a page out before app.css arrived asked for /assets/fonts/… and got 404s (CI's
    browser test of the quick exit, now and then). The Makefile takes the font out."""
    response = client.get("/static/govuk/govuk-frontend.min.css")
    css = b"".join(response.streaming_content).decode()
    assert "@font-face" not in css
    assert "/assets/fonts/" not in css
    assert "GDS Transport" not in css
    assert "font-family:arial,sans-serif" in css


@pytest.mark.django_db
def test_it_tells_a_keyworker_on_the_home_page_what_is_waiting(as_persona, world):
    keyworker = as_persona("keyworker")
    waiting = keyworker.get(reverse("home")).context["waiting"]
    counts = keyworker.get(reverse("cases:worklist")).context["counts"]
    assert (waiting["start"], waiting["review"]) == (counts["start"], counts["review"])
    page = keyworker.get(waiting["start_url"])
    assert page.status_code == 200 and page.context["which"] == "start"


@pytest.mark.django_db
def test_it_shows_no_worklist_counts_to_a_commissioner(as_persona, world):
    response = as_persona("commissioner").get(reverse("home"))
    assert response.context["waiting"] is None
    assert 'id="waiting"' not in response.content.decode()
