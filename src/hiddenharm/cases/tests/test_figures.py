import pytest
from django.urls import reverse

from hiddenharm.audit.models import AuditEvent
from hiddenharm.cases import figures

pytestmark = pytest.mark.django_db


def test_it_shows_completeness_and_currency_by_agency_and_team(as_persona, world):
    response = as_persona("manager").get(
        reverse("cases:dashboard"), {"from": "2024-04-01", "to": "2025-03-31"}
    )
    assert response.status_code == 200
    tables = response.context["tables"]
    labels = [r["label"] for t in tables for r in t["rows"]]
    assert "Provider A (AGA1)" in labels and "Team A1" in labels
    everyone = tables[0]["rows"][0]
    prntstat = everyone["items"][0]
    assert (prntstat["item"], prntstat["recorded"], prntstat["eligible"]) == ("PRNTSTAT", 1, 1)
    team = tables[1]["rows"][0]
    assert team["label"] == "Team A1" and team["items"][0]["eligible"] == 1
    assert AuditEvent.objects.filter(kind="view_figures").exists()


def test_it_cuts_the_tables_to_a_teams_clients(world):
    from hiddenharm.cases import exchange

    validated = exchange.validated_export([world.provider])
    mine = figures.team_tables(validated.tables, "AGA1", {"C0001"})
    none = figures.team_tables(validated.tables, "AGA1", {"NOBODY"})
    assert mine["episodes"].num_rows == 1 and mine["children"].num_rows == 1
    assert none["episodes"].num_rows == 0 and none["reviews"].num_rows == 0


def test_it_suppresses_small_numbers_for_commissioners(as_persona, world):
    response = as_persona("commissioner").get(
        reverse("cases:dashboard"), {"from": "2024-04-01", "to": "2025-03-31"}
    )
    assert response.context["published"]
    drug = response.context["tables"][0]["rows"][1]  # the spec keeps every `all` (a total)
    assert drug["label"] == "Drug treatment"
    prntstat = drug["items"][0]
    assert prntstat["recorded"] is None and prntstat["eligible"] == 1
    assert len(response.context["tables"]) == 1  # no team breakdown outside the service
    assert "C0001" not in response.content.decode()


def test_it_refuses_a_period_that_ends_before_it_starts(as_persona, world):
    response = as_persona("manager").get(
        reverse("cases:dashboard"), {"from": "2025-01-01", "to": "2024-01-01"}
    )
    assert response.status_code == 200  # a message on the page, not "Page not found"
    assert "must be on or after its start" in response.content.decode()


@pytest.mark.parametrize(
    "period",
    [
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"from": "2025-02-31"},
        {"from_0": "31", "from_1": "2", "from_2": "2025"},
        {"to_0": "1", "to_1": "1", "to_2": "0001"},
        {"from": "yesterday"},
    ],
)
def test_it_answers_a_bad_period_with_a_message(as_persona, world, period):
    http = as_persona("manager")
    response = http.get(reverse("cases:dashboard"), period)
    assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    response = http.get(reverse("cases:area_report"), period)
    assert response.status_code == 400 and "Check the period" in response.content.decode()


def test_it_uses_the_rows_of_the_measures(world):
    report = figures.build([world.provider], None, None)
    rows = figures.rows(report)
    assert [r["label"] for r in rows][:3] == ["All", "Drug treatment", "Alcohol treatment"]


@pytest.mark.slow
def test_it_renders_the_full_area_report_as_html_and_pdf(as_persona, world):
    http = as_persona("data_lead")
    html = http.get(reverse("cases:area_report"), {"from": "2024-04-01", "to": "2025-03-31"})
    assert html.status_code == 200 and b"<html" in html.content.lower()
    pdf = http.get(
        reverse("cases:area_report"), {"from": "2024-04-01", "to": "2025-03-31", "format": "pdf"}
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_it_shows_completeness_and_currency_over_the_last_eight_quarters(as_persona, world):
    response = as_persona("manager").get(
        reverse("cases:dashboard"), {"from": "2024-04-01", "to": "2025-03-31"}
    )
    trends = response.context["trends"]
    titles = [t["title"] for t in trends]
    assert any(t.startswith("Parental status recorded") for t in titles)
    assert any(t.endswith(", by team") for t in titles)
    area = trends[0]
    assert area["columns"][:2] == ["All", "Provider A (AGA1)"]
    assert [r["label"] for r in area["rows"]][-1] == "Jan to Mar 2025"
    assert len(area["rows"]) == 8
    # The quarters' new presentations add up to those of the two years they cover.
    starts = sum(r["cells"][0]["den"] for r in area["rows"][-4:])
    assert starts == response.context["tables"][0]["rows"][0]["items"][0]["eligible"]
    html = response.content.decode()
    assert 'id="over-time"' in html
    # each over-time table has its chart beside it (an SVG drawn by Altair / vl-convert)
    drawn = [t for t in trends if t["chart"]]
    assert drawn and html.count('class="hh-chart') == len(drawn) and "<svg" in html


def test_it_shows_commissioners_the_area_over_time_without_teams(as_persona, world):
    response = as_persona("commissioner").get(
        reverse("cases:dashboard"), {"from": "2024-04-01", "to": "2025-03-31"}
    )
    trends = response.context["trends"]
    assert len(trends) == 2  # area and agencies only: no team breakdown outside the service
    assert not any(t["title"].endswith(", by team") for t in trends)
    # Only totals (`all`, of the area and of each agency) are shown over time, and the
    # spec never suppresses a total; so the counts are there, not stars.
    assert all(c["den"] is not None for t in trends for r in t["rows"] for c in r["cells"])


def _over_time(rates: list[list[float | None]]) -> dict:
    """An over-time table of two columns, a quarter per row."""
    return {
        "title": "Over time",
        "columns": ["All", "Agency X"],
        "rows": [
            {
                "label": f"Quarter {i + 1}",
                "cells": [{"rate": r, "num": 0, "den": 0} for r in row],
            }
            for i, row in enumerate(rates)
        ],
    }


def _layers(spec: dict) -> list[dict]:
    return spec["layer"]


def test_it_charts_every_quarter_with_gaps_marked_as_no_data():
    table = _over_time([[0.5, 0.3], [None, 0.3], [None, None], [0.8, 0.3], [0.9, None]])
    spec = figures.trend_spec(table).to_dict(validate=False)
    quarters = [f"Quarter {i}" for i in range(1, 6)]
    # every quarter is in the chart's data, with or without a value, once per column
    rows = spec["data"]["values"]
    assert [r["quarter"] for r in rows] == [q for q in quarters for _ in range(2)]
    assert {(r["quarter"], r["measure"]) for r in rows if r["rate"] is None} == {
        ("Quarter 2", "All"),
        ("Quarter 3", "All"),
        ("Quarter 3", "Agency X"),
        ("Quarter 5", "Agency X"),
    }
    line, points, _rule, note = _layers(spec)
    # and on the axis, in order, whether or not any line reaches it
    assert line["encoding"]["x"]["scale"]["domain"] == quarters
    # a missing value breaks the line rather than joining its neighbours
    assert line["mark"]["invalid"] == "break-paths-show-domains"
    assert points["transform"] == [{"filter": "isValid(datum.rate)"}]
    # a quarter with no value in any column says so
    assert note["data"]["values"] == [{"quarter": "Quarter 3", "note": "No data"}]
    assert note["encoding"]["text"]["field"] == "note"


def test_it_draws_the_quarters_without_a_value_on_the_dashboards_chart(as_persona, world):
    response = as_persona("manager").get(
        reverse("cases:dashboard"), {"from": "2024-04-01", "to": "2025-03-31"}
    )
    area = response.context["trends"][0]
    labels = [r["label"] for r in area["rows"]]
    empty = [r["label"] for r in area["rows"] if all(c["rate"] is None for c in r["cells"])]
    assert empty and len(labels) == 8  # the world has one episode: most quarters are empty
    for label in labels:  # every quarter's label is drawn on the axis
        assert f">{label}</text>" in area["chart"]
    assert area["chart"].count(">No data</text>") == len(empty)


def _altair_trend_spec(table: dict, target: float) -> dict:
    """The over-time chart as it was built with Altair, before it was written as a dict."""
    alt = pytest.importorskip("altair")
    from hiddenharm.reports import charts

    quarters = [r["label"] for r in table["rows"]]
    measures = list(table["columns"])
    data = [
        {"quarter": r["label"], "measure": column, "rate": cell["rate"]}
        for r in table["rows"]
        for column, cell in zip(measures, r["cells"], strict=True)
    ]
    empty = [
        {"quarter": r["label"], "note": "No data"}
        for r in table["rows"]
        if all(cell["rate"] is None for cell in r["cells"])
    ]
    x = alt.X(
        "quarter:O",
        sort=quarters,
        scale=alt.Scale(domain=quarters),
        title=None,
        axis=alt.Axis(labelAngle=-45),
    )
    y = alt.Y("rate:Q", title="Rate", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    colour = alt.Color(
        "measure:N",
        sort=measures,
        title=None,
        scale=alt.Scale(
            domain=measures, range=[charts.BLUE, charts.ORANGE, charts.DARK, "#00703c"]
        ),
    )
    shape = alt.Shape("measure:N", sort=measures, legend=None)
    line = alt.Chart().mark_line(invalid="break-paths-show-domains").encode(x=x, y=y, color=colour)
    points = (
        alt.Chart()
        .transform_filter("isValid(datum.rate)")
        .mark_point(filled=True)
        .encode(x=x, y=y, color=colour, shape=shape)
    )
    rule = alt.Chart().mark_rule(color="#0b0c0c", strokeDash=[4, 3]).encode(y=alt.datum(target))
    layers = [line, points, rule]
    if empty:
        layers.append(
            alt.Chart(alt.Data(values=empty))
            .mark_text(color="#505a5f", fontSize=11, angle=270, align="left")
            .encode(x=x, y=alt.datum(0.04), text="note:N")
        )
    chart = alt.layer(*layers, data=alt.Data(values=data)).properties(
        width=charts.WIDTH - 120, height=190
    )
    return chart.to_dict(validate=False)


@pytest.mark.parametrize(
    "cells",
    [
        [[0.5, 0.3], [None, 0.3], [None, None], [0.8, 0.3], [0.9, None]],
        [[1.0, 0.0], [0.0, None], [0.25, 1 / 3]],
        [[None, None]] * 8,
    ],
)
def test_it_writes_the_trend_chart_as_the_spec_altair_built(cells):
    table = _over_time(cells)
    for target in (0.9, 0.8):
        assert figures.trend_spec(table, target).to_dict() == _altair_trend_spec(table, target)
