import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hiddenharm.accounts.models import Organisation
from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases import exchange
from hiddenharm.cases.models import Child, ChildStatus, Client, Episode, HiddenHarmRecord
from hiddenharm.extract import validate, write_submission

pytestmark = pytest.mark.django_db

HEADER = (
    "AGNCY,LA,CLIENTID,EPISODID,FINITIAL,SINITIAL,DOB,SEX,DRUG1,REFLD,CPLANDT,"
    "PRNTSTAT,CHILDWTH,PREGNANT\n"
)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A small synthetic submission of one agency, as a .zip."""
    from hiddenharm.synth import AGENCIES, generate_tables

    tables = generate_tables(agencies=1, episodes=150, seed=3)
    folder = tmp_path_factory.mktemp("synth")
    paths = write_submission(tables, folder)
    zpath = folder / "submission.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for name, p in paths.items():
            z.write(p, f"{name}.csv")
    return AGENCIES[0].code, zpath


def _counts():
    return (
        Client.objects.count(),
        Episode.objects.count(),
        HiddenHarmRecord.objects.count(),
        Child.objects.count(),
        ChildStatus.objects.count(),
    )


def test_it_exports_records_that_validate_with_no_error(world, tmp_path):
    exchange.export_submission(world.provider, tmp_path)
    result = validate(tmp_path)
    assert result.exit_code() == 0, result.to_json(limit=5)
    assert result.files["episodes.csv"]["accepted"] == 1
    assert result.files["children.csv"]["accepted"] == 1


def test_it_imports_a_submission_and_a_second_upload_changes_nothing(world, synthetic):
    code, path = synthetic
    provider = Organisation.objects.create(
        name="Synth", kind="provider", agency_code=code, la_code="E10000020"
    )
    before = _counts()
    first = exchange.import_submission(path, {code: provider})
    assert (
        first.loaded and first.created["episodes"] == first.result.files["episodes.csv"]["accepted"]
    )
    assert first.created["reviews"] > 0 and first.created["children"] > 0
    after = _counts()
    assert after != before
    second = exchange.import_submission(path, {code: provider})
    assert set(second.created.values()) == {0} and second.updated["episodes"] == 0
    assert _counts() == after


def test_it_exports_what_it_imported(world, synthetic, tmp_path):
    code, path = synthetic
    provider = Organisation.objects.create(
        name="Synth", kind="provider", agency_code=code, la_code="E10000020"
    )
    imported = exchange.import_submission(path, {code: provider}).result
    exchange.export_submission(provider, tmp_path)
    again = validate(tmp_path)
    for name in ("episodes.csv", "reviews.csv", "children.csv"):
        assert again.files[name]["accepted"] == imported.files[name]["accepted"], name
        assert again.files[name]["rejected"] == 0


def test_it_skips_rows_of_an_agency_the_importer_is_not(world, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(HEADER + "AGB2,E10000020,X1,XE1,A,B,1980-01-01,M,CRACK,2025-01-01,,,,\n")
    outcome = exchange.import_submission(path, {"AGA1": world.provider})
    assert outcome.skipped == {"episodes of another agency": 1}
    assert not Episode.objects.filter(episode_ref="XE1").exists()


def _upload(http, text, name="episodes.csv", confirm=True):
    """Upload (a dry run: nothing loaded), then confirm the load."""
    response = http.post(
        reverse("cases:exchange"),
        {"submission": SimpleUploadedFile(name, text.encode(), "text/csv")},
    )
    if confirm and response.context.get("preview"):
        return http.post(reverse("cases:exchange"), {"confirm": "1"})
    return response


def test_it_shows_what_a_file_would_load_before_loading_it(as_persona, world):
    text = HEADER + "AGA1,E10000020,N1,NE1,A,B,1980-01-01,F,CRACK,2025-01-01,2025-01-05,14,0,N\n"
    http = as_persona("data_lead")
    before = _counts()
    response = _upload(http, text, confirm=False)
    html = response.content.decode()
    assert "Nothing is loaded yet" in html and "1 clients, 1 episodes" in html
    assert "records of the items at the start of treatment" in html
    assert _counts() == before and not AuditEvent.objects.filter(kind="import").exists()
    # Cancel: nothing loaded, the file forgotten; confirming then finds nothing waiting.
    http.post(reverse("cases:exchange"), {"cancel": "1"})
    response = http.post(reverse("cases:exchange"), {"confirm": "1"}, follow=True)
    assert "no longer waiting" in response.content.decode() and _counts() == before
    response = _upload(http, text)
    assert "Loaded: 1 clients, 1 episodes" in response.content.decode()
    assert Episode.objects.filter(episode_ref="NE1").exists()
    assert AuditEvent.objects.filter(kind="import").count() == 1


def test_it_shows_the_problems_and_loads_the_good_rows(as_persona, world):
    text = HEADER + (
        "AGA1,E10000020,N1,NE1,A,B,1980-01-01,F,CRACK,2025-01-01,2025-01-05,14,0,N\n"
        "AGA1,E10000020,N2,NE2,A,B,31/02/1980,M,CRACK,2025-01-01,,,,\n"
    )
    response = _upload(as_persona("data_lead"), text)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="problem-counts"' in html and "HH004" in html and "31/02/1980" in html
    assert Episode.objects.filter(episode_ref="NE1").exists()
    assert not Episode.objects.filter(episode_ref="NE2").exists()
    event = AuditEvent.objects.get(kind="import")
    assert event.details["created"]["episodes"] == 1 and "HH004" in event.details["problems"]
    assert "N1" not in str(event.details)
    # the same file again adds nothing
    _upload(as_persona("data_lead"), text)
    assert Episode.objects.filter(episode_ref="NE1").count() == 1


def test_it_loads_nothing_from_an_unreadable_file(as_persona, world):
    before = _counts()
    response = _upload(as_persona("data_lead"), "NOT,A,SUBMISSION\n1,2,3\n")
    assert 'id="import-fatal"' in response.content.decode()
    assert _counts() == before


def test_it_refuses_a_file_that_is_not_a_zip_or_csv(as_persona, world):
    response = _upload(as_persona("data_lead"), "x", name="notes.txt")
    assert "must be a .zip or a .csv" in response.content.decode()


def test_it_refuses_import_and_export_to_anyone_but_a_data_lead(as_persona, world):
    for persona in ("keyworker", "manager", "commissioner", "other_keyworker", "csc"):
        http = as_persona(persona)
        assert _upload(http, HEADER).status_code == 403
        assert http.post(reverse("cases:export")).status_code == 403


def test_it_downloads_the_services_records_as_a_zip_and_audits_it(as_persona, world):
    response = as_persona("data_lead").post(reverse("cases:export"))
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == ["children.csv", "episodes.csv", "reviews.csv"]
    event = AuditEvent.objects.get(kind="export")
    assert event.details["rows"] == {"episodes": 1, "reviews": 0, "children": 1}
    assert as_persona("data_lead").get(reverse("cases:export")).status_code == 405


def test_it_exports_typed_columns_with_blanks_as_nulls(world):
    import datetime as dt

    tables = exchange.export_tables([world.provider])
    for name, table in tables.items():
        assert table.schema == exchange._typed_schema(name)
    row = tables["episodes"].to_pylist()[0]
    assert row["DOB"] == dt.date(1985, 3, 27) and row["HHDATE"] == dt.date(2025, 1, 20)
    assert row["CHILDWTH"] == 1 and row["PRNTSTAT"] == "11" and row["AGNCY"] == "AGA1"
    assert row["DRUG2"] is None and row["TRIAGED"] is None and row["DISRSN"] is None
    empty = exchange.export_tables([world.other_provider])
    assert all(t.num_rows == 0 for t in empty.values())
    assert empty["episodes"].schema == exchange._typed_schema("episodes")


def _row_by_row(monkeypatch, providers):
    """The export through the forgiving path (`_columns`, a Python value per cell)."""

    def refuse(*args, **kwargs):
        import pyarrow as pa

        raise pa.ArrowInvalid("as if a value were not of its column's kind")

    with monkeypatch.context() as m:
        m.setattr(exchange, "_text_columns", refuse)
        return exchange.export_tables(providers)


def test_it_exports_the_same_tables_through_one_text_a_row_as_cell_by_cell(
    world, synthetic, monkeypatch
):
    code, path = synthetic
    provider = Organisation.objects.create(
        name="Synth", kind="provider", agency_code=code, la_code="E10000020"
    )
    exchange.import_submission(path, {code: provider})
    Client.objects.filter(provider=provider).update(first_initial='"')  # CSV's own quote
    providers = [world.provider, provider]
    fast = exchange.export_tables(providers)
    assert fast["episodes"].num_rows > 100 and fast["reviews"].num_rows > 0
    assert fast["episodes"].column("FINITIAL").to_pylist().count('"') > 100
    slow = _row_by_row(monkeypatch, providers)
    for name, table in fast.items():
        assert table.equals(slow[name]), name


def test_it_exports_by_the_forgiving_path_when_a_value_is_not_of_its_kind(world, monkeypatch):
    import pyarrow as pa

    called = []
    real = exchange._columns
    monkeypatch.setattr(exchange, "_columns", lambda *a: called.append(1) or real(*a))
    fine = exchange.export_tables([world.provider])
    assert not called

    def refuse(*args, **kwargs):
        raise pa.ArrowInvalid("not a number")

    monkeypatch.setattr(exchange, "_text_columns", refuse)
    again = exchange.export_tables([world.provider])
    assert len(called) == 3
    for name, table in fine.items():
        assert table.equals(again[name]), name


@pytest.mark.parametrize("odd", ["R\x1f1", "R\n1", "R\r1"])
def test_it_exports_a_value_holding_the_separator_or_a_line_break_as_it_is(world, monkeypatch, odd):
    client = Client.objects.filter(provider=world.provider).first()
    Client.objects.filter(pk=client.pk).update(client_ref=odd)
    fast = exchange.export_tables([world.provider])
    assert odd in fast["episodes"].column("CLIENTID").to_pylist()
    slow = _row_by_row(monkeypatch, [world.provider])
    for name, table in fast.items():
        assert table.equals(slow[name]), name
