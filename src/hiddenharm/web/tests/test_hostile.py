"""Hostile input: formula references, CSV injection, sign-in guessing, zips through the
import page."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pyarrow as pa
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hiddenharm.accounts.testing import PASSWORD
from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases import exchange
from hiddenharm.cases.forms import ref_field
from hiddenharm.cases.models import Client
from hiddenharm.extract import validate, write_submission
from hiddenharm.extract.cells import is_formula, neutralise

PAYLOADS = (
    '=HYPERLINK("//e.x")',
    "=cmd|'/C calc'!A0",
    "@cmd",
    "+1+cmd|'/C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
)
HEADER = (
    "AGNCY,LA,CLIENTID,EPISODID,FINITIAL,SINITIAL,DOB,SEX,DRUG1,REFLD,CPLANDT,"
    "PRNTSTAT,CHILDWTH,PREGNANT\n"
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_refuses_a_formula_reference_in_the_forms(payload):
    field = ref_field("Client reference")
    with pytest.raises(ValidationError, match="formula"):
        field.clean(payload)
    assert field.clean("C0001") == "C0001"


@pytest.mark.django_db
def test_it_says_why_a_reference_is_refused_on_the_page(as_persona, world):
    http = as_persona("keyworker")
    url = reverse("cases:child_create", args=[world.client_obj.pk])
    response = http.post(url, {"child_ref": '=HYPERLINK("//e.x")', "year_of_birth": "2016"})
    assert response.status_code == 200
    assert "a spreadsheet would run it as a formula" in response.content.decode()
    assert not world.client_obj.children.filter(child_ref__startswith="=").exists()


def test_it_neutralises_formula_cells_and_leaves_numbers():
    for payload in PAYLOADS:
        assert neutralise(payload) == "'" + payload or not is_formula(payload)
    assert neutralise("-1") == "-1" and neutralise("+44") == "+44"
    assert neutralise("C0001") == "C0001"


def test_it_escapes_formulae_in_every_csv_it_writes(tmp_path):
    episodes = pa.table(
        {"AGNCY": ["AGA1"] * 3, "CLIENTID": list(PAYLOADS[:2]) + ["C1"], "CHILDWTH": ["-1"] * 3}
    )
    path = write_submission({"episodes": episodes}, tmp_path)["episodes"]
    text = path.read_text()
    assert "'=HYPERLINK" in text and "'=cmd" in text and "\n=" not in text and ",=" not in text
    assert '"-1"' in text and "'-1" not in text  # numbers stay numbers
    # the rejects and problems of the validator (the CLI's --rejects and the import page)
    result = validate(path, as_of=None)
    written = result.write_rejects(tmp_path / "rejects")
    for p in written.values():
        for line in p.read_text().splitlines()[1:]:
            for cell in line.split(","):
                assert not is_formula(cell.strip('"')), (p.name, cell)


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


@pytest.mark.django_db
def test_it_refuses_formula_references_on_import_with_the_reason(world, tmp_path):
    good = "AGA1,E10000020,C9,E9,A,B,1985-03-27,F,HEROIN,2025-01-06,2025-01-20,11,1,N"
    bad = '"AGA1","E10000020","=HYPERLINK(""//e.x"")",E8,A,B,1985-03-27,F,HEROIN,2025-01-06,2025-01-20,11,1,N'
    path = tmp_path / "episodes.csv"
    path.write_bytes(_csv([good, bad]))
    outcome = exchange.import_submission(path, {"AGA1": world.provider})
    assert outcome.result.files["episodes.csv"]["accepted"] == 2  # valid HHX-1 ...
    assert outcome.skipped[exchange.FORMULA_ROWS] == 1  # ... but not loaded here
    assert Client.objects.filter(client_ref="C9").exists()
    assert not Client.objects.filter(client_ref__startswith="=").exists()


@pytest.mark.django_db
def test_it_escapes_a_formula_reference_already_stored_in_the_export(as_persona, world):
    Client.objects.filter(pk=world.client_obj.pk).update(client_ref="=cmd|'/C calc'!A0")
    response = as_persona("data_lead").post(reverse("cases:export"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        text = z.read("episodes.csv").decode()
    assert "'=cmd" in text
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_refuses_a_zip_bomb_on_the_import_page(as_persona, settings):
    settings.HH_MAX_UNZIPPED_BYTES = 1024 * 1024
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("episodes.csv", b"0" * (50 * 1024 * 1024))
    upload = SimpleUploadedFile("bomb.zip", buf.getvalue())
    response = as_persona("data_lead").post(reverse("cases:exchange"), {"submission": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "zip bomb" in html
    traversal = io.BytesIO()
    with zipfile.ZipFile(traversal, "w") as z:
        z.writestr("../episodes.csv", "x")
    upload = SimpleUploadedFile("t.zip", traversal.getvalue())
    response = as_persona("data_lead").post(reverse("cases:exchange"), {"submission": upload})
    assert "outside the zip" in response.content.decode()


@pytest.mark.django_db
def test_it_locks_out_after_repeated_wrong_passwords_and_audits_the_username(
    client, world, settings
):
    url = reverse("login")
    statuses = [
        client.post(url, {"username": "kw", "password": f"wrong{i}"}).status_code for i in range(30)
    ]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit:]) == {429}
    locked = client.post(url, {"username": "kw", "password": PASSWORD})
    assert locked.status_code == 429  # even the right password, during the cool-off
    text = locked.content.decode()
    assert "Too many wrong passwords" in text and "15 minutes" in text
    # another person, or the same one from another address, is not locked out
    other = client.post(url, {"username": "mgr", "password": PASSWORD})
    assert other.status_code == 302
    client.logout()
    elsewhere = client.post(url, {"username": "kw", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 302
    failed = AuditEvent.objects.filter(kind="sign_in_failed")
    assert failed.count() >= limit
    first = failed.order_by("id").first()
    assert first.details["username"] == "kw"
    assert first.object_id == str(world.users["keyworker"].pk)
    assert "wrong" not in str(list(failed.values_list("details", flat=True)))


@pytest.mark.django_db
def test_it_shows_failed_sign_ins_to_the_data_lead_of_that_person(client, world, as_persona):
    client.post(reverse("login"), {"username": "kw", "password": "nope"})
    client.post(reverse("login"), {"username": "kw_b", "password": "nope"})
    from hiddenharm.accounts import access

    seen = access.audit_scope(world.users["data_lead"]).filter(kind="sign_in_failed")
    assert [e.details["username"] for e in seen] == ["kw"]


@pytest.mark.django_db
def test_it_renews_an_active_session_at_most_once_a_minute_and_ends_an_idle_one(
    as_persona, settings, monkeypatch
):
    from django.contrib.sessions.models import Session

    from hiddenharm.web import middleware

    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    http = as_persona("keyworker")
    key = http.cookies[settings.SESSION_COOKIE_NAME].value
    clock = [1_000_000.0]
    monkeypatch.setattr(middleware, "_now", lambda: clock[0])

    def visit():
        response = http.get(reverse("home"))
        assert response.status_code == 200
        renewed = settings.SESSION_COOKIE_NAME in response.cookies
        return renewed, Session.objects.get(pk=key).expire_date

    renewed, first = visit()
    assert renewed  # the first request renews
    clock[0] += 59
    assert visit() == (False, first)  # within the minute: no write, no new cookie
    clock[0] += 1
    renewed, later = visit()
    assert renewed and later > first  # a minute on: the expiry moves on
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = http.get(reverse("cases:worklist"))  # idle past the age: signed out
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_it_shows_markup_typed_into_free_text_as_text(as_persona, world):
    from hiddenharm.accounts.models import Organisation
    from hiddenharm.safeguarding import referrals

    markup = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    csc = Organisation.objects.get(kind="csc", name="CSC")
    r = referrals.create_referral(
        world.users["keyworker"],
        world.client_obj,
        {
            "children": ["K1"],
            "concerns": ["NEGLECT"],
            "description": markup,
            "risk": markup,
            "service_action": markup,
            "consent": "NOT_SOUGHT",
            "without_consent_reason": markup,
            "team": csc,
        },
    )
    referrals.move(world.users["keyworker"], r, "send")
    for persona in ("keyworker", "csc"):
        html = as_persona(persona).get(reverse("safeguarding:referral_detail", args=[r.pk]))
        text = html.content.decode()
        assert html.status_code == 200
        assert "<script>alert(1)" not in text and 'onerror="alert(2)"' not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
