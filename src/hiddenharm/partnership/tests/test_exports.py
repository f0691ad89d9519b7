"""The partnership board's exports: CSV rows and a PDF that opens and holds all 48."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from hiddenharm.audit.models import AuditEvent
from hiddenharm.partnership import catalogue, exports, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(world):
    admin = world.users["partnership"]
    area = admin.profile.organisation
    services.set_recommendation(
        admin,
        area,
        9,
        version=0,
        status="embedded",
        owner="Public health",
        evidence='=HYPERLINK("x")\nsecond line',
        review_date=dt.date(2027, 1, 31),
    )
    services.set_marker(admin, area, "2.1", version=0, achieved=True, description="Monthly")
    return area


def test_it_exports_one_csv_row_per_recommendation(area, as_persona):
    response = as_persona("commissioner").get(reverse("partnership:export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 48 and list(rows[0]) == list(exports.CSV_COLUMNS)
    assert [int(r["number"]) for r in rows] == list(range(1, 49))
    nine = rows[8]
    assert nine["status"] == "Embedded" and nine["owner"] == "Public health"
    assert nine["review_date"] == "2027-01-31" and nine["changed_by"] == "padmin"
    assert nine["evidence"] == '\'=HYPERLINK("x")\nsecond line'  # not a formula
    assert nine["recommendation"] == catalogue.recommendation(9)["text"]
    assert nine["sectors"] == "Drug and alcohol services; Government"
    assert rows[0]["status"] == "Not started" and rows[0]["changed_by"] == ""
    assert rows[28]["recommendation"].count("\n- ") == 7  # 29's list comes along
    event = AuditEvent.objects.get(kind="partnership_export")
    assert event.details == {"area_id": area.pk, "format": "csv"}


def test_it_makes_a_pdf_for_the_board_with_all_48(area, as_persona):
    pypdf = pytest.importorskip("pypdf")
    response = as_persona("partnership").get(reverse("partnership:export_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    assert len(reader.pages) >= 3
    assert "Hidden Harm: the 48 recommendations" in flat
    for rec in catalogue.recommendations():
        words = rec["text"].split()
        # the start and end of every recommendation's own words
        assert " ".join(words[:6]) in flat, rec["number"]
        assert " ".join(words[-4:]) in flat, rec["number"]
    assert "Embedded" in flat and "Public health" in flat and "Monthly" in flat
