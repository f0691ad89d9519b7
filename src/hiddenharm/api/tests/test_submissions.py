"""The submissions endpoints: the CLI's JSON byte for byte, every refusal as problem+json."""

import datetime as dt
import io
import json
import struct
import time
import zipfile

import pytest
from typer.testing import CliRunner

from hiddenharm.accounts.models import Role
from hiddenharm.accounts.testing import make_user
from hiddenharm.api.models import Submission
from hiddenharm.api.submissions import storage_dir
from hiddenharm.api.tests.helpers import assert_problem
from hiddenharm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/api/v1/submissions"
AS_OF = "2025-03-31"


@pytest.fixture(scope="module")
def submission_zip(tmp_path_factory) -> bytes:
    from hiddenharm.extract import write_submission
    from hiddenharm.synth import generate_tables

    folder = tmp_path_factory.mktemp("sub")
    tables = generate_tables("E10000020", 2, 300, (2022, 2024), True, 7, dt.date(2025, 3, 31))
    paths = write_submission(tables, folder)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, p in paths.items():
            z.write(p, f"{name}.csv")
    return buf.getvalue()


def cli(*args) -> str:
    from hiddenharm.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.stdout


def send(api_client, token, content, name="sub.zip", **params):
    return api_client.upload(URL, token, name, content, **params)


def test_it_validates_exactly_as_the_command_line(api_client, token_for, submission_zip):
    token = token_for("data_lead", "submissions")
    response = send(api_client, token, submission_zip, as_of=AS_OF)
    assert response.status_code == 201, response.content[:300]
    body = response.json()
    s = Submission.objects.get(pk=body["id"])
    stored = storage_dir(s.pk) / "submission.zip"
    expected = cli("validate", str(stored), "--as-of", AS_OF, "--json")
    assert json.dumps(body["validation"], ensure_ascii=False) == expected.rstrip("\n")
    again = api_client.get(f"{URL}/{s.pk}", token)
    assert again.status_code == 200
    assert again.content.decode() == expected.rstrip("\n")  # byte for byte
    assert body["validation"]["counts"]  # the planted problems are there
    assert AuditEvent.objects.filter(kind="api_submission_received", object_id=str(s.pk)).exists()
    assert AuditEvent.objects.filter(kind="api_submission_read", object_id=str(s.pk)).exists()


def test_it_reports_exactly_as_the_command_line(api_client, token_for, submission_zip):
    token = token_for("data_lead", "submissions")
    sid = send(api_client, token, submission_zip, as_of=AS_OF).json()["id"]
    stored = str(storage_dir(sid) / "submission.zip")
    for params, args in (
        ({}, []),
        (
            {"from": "2023-04-01", "to": "2024-03-31", "publish": "true"},
            ["--from", "2023-04-01", "--to", "2024-03-31", "--publish"],
        ),
    ):
        response = api_client.get(f"{URL}/{sid}/report", token, **params)
        assert response.status_code == 200, response.content[:300]
        expected = cli("report", stored, "--format", "json", "--as-of", AS_OF, *args)
        assert response.content.decode() == expected
    assert AuditEvent.objects.filter(kind="api_submission_read", details__output="report").exists()


def test_it_takes_a_single_csv_as_episodes_and_keeps_a_fatal_one(api_client, token_for):
    token = token_for("commissioner", "submissions")
    response = send(api_client, token, b"\x00\x01not a csv", name="episodes.csv", as_of=AS_OF)
    assert response.status_code == 201
    body = response.json()
    assert "HH001" in body["validation"]["counts"]
    assert_problem(api_client.get(f"{URL}/{body['id']}/report", token), 422, "id")


def test_it_refuses_without_a_valid_token(api_client, token_for, world):
    assert_problem(api_client.get(f"{URL}/1"), 401)
    assert_problem(api_client.get(f"{URL}/1", "hh_unknown"), 401)
    response = api_client.client.get(f"{URL}/1", HTTP_AUTHORIZATION="Basic abc")
    assert_problem(response, 401)
    from hiddenharm.api.models import ApiToken

    raw = token_for("data_lead", "submissions")
    ApiToken.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert "expired" in assert_problem(api_client.get(f"{URL}/1", raw), 401)["detail"]


def test_it_refuses_a_token_without_the_scope_or_a_role_without_the_right(
    api_client, token_for, submission_zip
):
    body = assert_problem(send(api_client, token_for("data_lead", "referrals:read"), b"x"), 403)
    assert "submissions" in body["detail"]
    assert_problem(send(api_client, token_for("keyworker", "submissions"), submission_zip), 403)
    assert_problem(api_client.get(f"{URL}/1", token_for("csc", "submissions")), 403)
    assert not Submission.objects.exists()


def test_it_shows_a_submission_only_to_its_organisation(
    api_client, token_for, world, submission_zip
):
    sid = send(api_client, token_for("data_lead"), submission_zip, as_of=AS_OF).json()["id"]
    other = make_user("dl_b", Role.DATA_LEAD, world.other_provider)
    for token in (token_for(other), token_for("commissioner")):
        assert_problem(api_client.get(f"{URL}/{sid}", token), 404)
        assert_problem(api_client.get(f"{URL}/{sid}/report", token), 404)
    assert_problem(api_client.get(f"{URL}/999999", token_for("data_lead")), 404)


def test_it_names_the_field_of_a_bad_request(api_client, token_for, submission_zip):
    token = token_for("data_lead")
    assert_problem(send(api_client, token, submission_zip, as_of="31/03/2025"), 422, "as_of")
    assert_problem(send(api_client, token, b"abc", name="notes.txt"), 422, "file")
    assert_problem(
        api_client.client.post(URL, {}, HTTP_AUTHORIZATION=f"Bearer {token}"), 422, "file"
    )
    sid = send(api_client, token, submission_zip, as_of=AS_OF).json()["id"]
    bad = api_client.get(f"{URL}/{sid}/report", token, **{"from": "2024-04-01", "to": "2023-04-01"})
    assert_problem(bad, 422, "from")
    assert_problem(api_client.get(f"{URL}/{sid}/report", token, to="tomorrow"), 422, "to")


def test_it_refuses_a_body_over_the_limit_before_reading_it(api_client, token_for, settings):
    settings.HH_MAX_UPLOAD_BYTES = 1000
    token = token_for("data_lead")
    body = assert_problem(send(api_client, token, b"x" * 200_000, name="e.csv"), 413)
    assert "1,000 bytes" in body["detail"]
    body = assert_problem(send(api_client, token, b"x" * 5_000, name="e.csv"), 413)
    assert "limit" in body["detail"]


def _lying_zip(declared: int) -> bytes:
    """A small zip whose directory says its one entry inflates to `declared` bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("episodes.csv", b"AGNCY,CLIENTID\n" + b"A,1\n" * 1000)
    data = bytearray(buf.getvalue())
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)  # uncompressed size
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    return bytes(data)


def test_it_refuses_a_zip_bomb_quickly_without_inflating_it(api_client, token_for):
    token = token_for("data_lead")
    bomb = _lying_zip(1_500_000_000)  # "1.5 GB" in a zip of a few hundred bytes
    started = time.perf_counter()
    body = assert_problem(send(api_client, token, bomb), 413)
    assert time.perf_counter() - started < 1.0
    assert "zip bomb" in body["detail"] or "limit" in body["detail"]
    assert not Submission.objects.exists()


def test_it_refuses_a_zip_over_the_unpacked_limit_and_says_the_limit(
    api_client, token_for, settings
):
    settings.HH_MAX_UNZIPPED_BYTES = 1024 * 1024
    token = token_for("data_lead")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("episodes.csv", "".join(f"A,{i},{i * 7919 % 10007}\n" for i in range(200_000)))
    body = assert_problem(send(api_client, token, buf.getvalue()), 413)
    assert "the limit is 1 MB" in body["detail"]


def test_it_refuses_a_zip_whose_inflation_outruns_its_headers(api_client, token_for, settings):
    settings.HH_MAX_UNZIPPED_BYTES = 1024 * 1024
    settings.HH_MAX_ZIP_RATIO = 10**9
    token = token_for("data_lead")
    body = assert_problem(send(api_client, token, _lying_zip(10)), 422, "file")
    assert "cannot be read" in body["detail"]


def test_it_refuses_a_path_traversal_zip_and_too_many_entries(api_client, token_for, settings):
    token = token_for("data_lead")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../etc/episodes.csv", "x")
    body = assert_problem(send(api_client, token, buf.getvalue()), 422, "file")
    assert "outside the zip" in body["detail"]
    settings.HH_MAX_ZIP_ENTRIES = 3
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(5):
            z.writestr(f"f{i}.csv", "x")
    assert (
        "the limit is 3" in assert_problem(send(api_client, token, buf.getvalue()), 413)["detail"]
    )


def test_it_throttles_each_token_with_retry_after(api_client, token_for, settings):
    settings.HH_API_RATE = "3/min"
    token, other = token_for("data_lead"), token_for("commissioner")
    for _ in range(3):
        assert api_client.get(f"{URL}/999", token).status_code == 404
    response = api_client.get(f"{URL}/999", token)
    assert_problem(response, 429)
    assert int(response["Retry-After"]) >= 1
    assert api_client.get(f"{URL}/999", other).status_code == 404  # per token
