"""Roll-ups by sector, area and country, on statuses made by hand."""

from __future__ import annotations

import pytest

from hiddenharm.partnership import catalogue, rollup
from hiddenharm.partnership.rollup import Area, by_area, by_country, by_sector, country_of

NORFOLK = Area(1, "Norfolk", "E10000020")
SUFFOLK = Area(2, "Suffolk", "E10000029")
GLASGOW = Area(3, "Glasgow", "S12000049")
NOCODE = Area(4, "No code", "")

STATUSES = {
    (1, 1): "embedded",
    (1, 9): "in_place",
    (1, 18): "in_progress",
    (2, 9): "in_progress",
    (3, 1): "in_place",
    (3, 47): "embedded",
}


def test_it_reads_the_country_from_the_first_letter_of_the_code():
    assert country_of("E10000020") == "England"
    assert country_of("s12000049") == "Scotland"
    assert country_of("W06000015") == "Wales"
    assert country_of("N09000003") == "Northern Ireland"
    assert country_of("") is None and country_of("X1") is None


def test_it_counts_each_area_over_all_48():
    rows = {r["label"]: r for r in by_area([SUFFOLK, NORFOLK], STATUSES)}
    assert list(rows) == ["Norfolk", "Suffolk"]  # by name
    assert rows["Norfolk"]["counts"] == {
        "not_started": 45,
        "in_progress": 1,
        "in_place": 1,
        "embedded": 1,
    }
    assert rows["Norfolk"]["done"] == 2 and rows["Norfolk"]["done_share"] == pytest.approx(2 / 48)
    assert rows["Suffolk"]["cells"] == [47, 1, 0, 0]


def test_it_counts_each_country_over_its_areas():
    rows = {r["label"]: r for r in by_country([NORFOLK, SUFFOLK, GLASGOW, NOCODE], STATUSES)}
    assert list(rows) == ["England", "Scotland", "Wales", "Northern Ireland"]
    assert rows["England"]["areas"] == 2 and rows["England"]["total"] == 96
    assert rows["England"]["cells"] == [92, 2, 1, 1]
    assert rows["Scotland"]["cells"] == [46, 0, 1, 1] and rows["Scotland"]["done"] == 2
    assert rows["Wales"]["total"] == 0 and rows["Wales"]["done_share"] is None
    # an area without a code is in no country's row
    assert sum(r["total"] for r in rows.values()) == 3 * 48


def test_it_counts_each_sector_over_the_recommendations_that_ask_of_it(monkeypatch):
    four = (
        {"number": 1, "sectors": ["drug_alcohol"]},
        {"number": 9, "sectors": ["drug_alcohol", "government"]},
        {"number": 18, "sectors": ["maternity"]},
        {"number": 47, "sectors": ["criminal_justice"]},
    )
    monkeypatch.setattr(rollup, "recommendations", lambda: four)
    rows = {r["sector"]: r for r in by_sector([NORFOLK, GLASGOW], STATUSES)}
    # drug and alcohol: recs 1 and 9 in 2 areas = 4: Norfolk embedded + in place, Glasgow in
    # place + not started
    assert rows["drug_alcohol"]["counts"] == {
        "not_started": 1,
        "in_progress": 0,
        "in_place": 2,
        "embedded": 1,
    }
    assert rows["drug_alcohol"]["done_share"] == pytest.approx(3 / 4)
    assert rows["maternity"]["cells"] == [1, 1, 0, 0]
    assert rows["criminal_justice"]["cells"] == [1, 0, 0, 1]
    assert rows["education"]["total"] == 0 and rows["education"]["recommendations"] == 0


def test_it_counts_every_sector_of_the_real_catalogue():
    rows = by_sector([NORFOLK], {})
    for row in rows:
        tagged = sum(1 for r in catalogue.recommendations() if row["sector"] in r["sectors"])
        assert row["total"] == tagged == row["recommendations"] == row["counts"]["not_started"]
