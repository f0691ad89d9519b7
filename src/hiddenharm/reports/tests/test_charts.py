"""The charts' Vega-Lite specs, written as plain dicts: valid, and drawn as Altair's were."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hiddenharm.reports import build, charts, view


@cache
def _validator() -> jsonschema.Draft7Validator:
    # The Vega-Lite schema of the version the specs name ($schema), as Altair ships it.
    import altair

    path = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    return jsonschema.Draft7Validator(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("which", ["detailed", "published"])
def test_every_chart_of_a_report_is_valid_vega_lite(
    which: str, request: pytest.FixtureRequest
) -> None:
    report: dict[str, Any] = request.getfixturevalue(which)
    figures = [f for s in view.sections(report, 0.9) for f in s.figures]
    assert len(figures) >= 15
    for f in figures:
        assert f.spec["$schema"] == charts.SCHEMA
        errors = [e.message for e in _validator().iter_errors(f.spec)]
        assert errors == [], f.id
        assert f.svg.startswith("<svg") and "<text" in f.svg


def test_a_chart_written_as_a_dict_draws_as_the_same_altair_chart() -> None:
    import altair as alt

    rows: list[dict[str, Any]] = [
        {"category": "0", "value": 3, "label": "3"},
        {"category": "1", "value": None, "label": "*"},
    ]
    spec = charts.count_bars(rows, x_title="Clients")
    values = [{**r, "shown": 0.0 if r["value"] is None else float(r["value"])} for r in rows]
    base = alt.Chart().encode(y=alt.Y("category:N", sort=["0", "1"], title=None))
    bars = base.mark_bar(color=charts.BLUE).encode(
        x=alt.X(
            "shown:Q",
            title="Clients",
            axis=alt.Axis(tickMinStep=1, format=",d", tickCount=6, labelOverlap=True),
        )
    )
    labels = base.mark_text(align="left", dx=3, fontSize=10).encode(x="shown:Q", text="label:N")
    chart = alt.layer(bars, labels, data=alt.Data(values=values)).properties(
        width=charts.WIDTH - 220, height=alt.Step(22)
    )
    from_dict, svg = charts.render(spec)
    from_altair, altair_svg = charts.render(chart)
    assert from_dict == from_altair
    assert svg == altair_svg
    # a suppressed count is a "*" label at zero, never a bar of its own height
    assert ">*</text>" in svg


def _small(title: str) -> dict[str, Any]:
    rows = [{"category": title, "value": 2, "label": "2"}]
    return charts.configured(charts.count_bars(rows, x_title=title))


def test_charts_drawn_ahead_by_another_process_are_those_drawn_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(charts, "_AHEAD", {})
    first, later = _small("First"), _small("Later")
    broken = {**_small("Broken"), "layer": 5}  # vl-convert fails on it
    ahead = charts.DrawingAhead()
    ahead.add([first, broken])
    ahead.add([later])
    assert ahead.finish() == 2  # the broken one is left to be drawn (and to fail) here
    for spec in (first, later):
        key = charts._key(spec)
        assert charts._AHEAD[key] == charts._svg(key)
    assert charts._key(broken) not in charts._AHEAD
    assert ahead.finish() == 0  # finished once; nothing more to wait for


def test_a_build_for_a_pdf_draws_its_charts_while_it_computes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import datetime as dt

    from hiddenharm.reports import build_report, render_html
    from hiddenharm.synth import generate

    generate(tmp_path, area="E10000020,E06000031", episodes=120, seed=3)
    monkeypatch.setattr(charts, "_AHEAD", {})
    monkeypatch.setattr(charts, "_drawing_here", False)  # as in a fresh `hiddenharm report`
    monkeypatch.setattr(build, "_spare_core", lambda: True)  # on an idle machine
    # a build for a PDF (draw_charts): its charts are static SVG, drawn meanwhile
    report = build_report(tmp_path, as_of=dt.date(2026, 1, 1), draw_charts=True)
    figures = [f for s in view.sections(report, 0.9) for f in s.figures]
    assert {f.id for f in figures} >= {"trend", "areas", "estimates"}
    # every chart of the report, the trend's and areas' too, was drawn by the other process
    assert all(charts._key(f.spec) in charts._AHEAD for f in figures)
    page = render_html(report, for_print=True)  # the PDF's page
    assert not charts.drawing_here()
    assert page.count("data:image/svg+xml;base64,") == len(figures)
    # a build for the HTML (the default) draws nothing: the browser draws its charts
    monkeypatch.setattr(charts, "_AHEAD", {})
    build_report(tmp_path, as_of=dt.date(2026, 1, 1))
    assert charts._AHEAD == {}
    # and a process that draws already draws them itself, as they are shown
    monkeypatch.setattr(charts, "_drawing_here", True)
    build_report(tmp_path, as_of=dt.date(2026, 1, 1), draw_charts=True)
    assert charts._AHEAD == {}
    # as does one with no core to spare
    monkeypatch.setattr(charts, "_drawing_here", False)
    monkeypatch.setattr(build, "_spare_core", lambda: False)
    build_report(tmp_path, as_of=dt.date(2026, 1, 1), draw_charts=True)
    assert charts._AHEAD == {}


def test_a_core_is_spare_when_nothing_else_runs_on_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(build, "_running_elsewhere", lambda: 0)
    assert build._spare_core()
    monkeypatch.setattr(build, "_running_elsewhere", lambda: 1)
    assert not build._spare_core()
    monkeypatch.setattr(build.os, "cpu_count", lambda: 8)
    assert build._spare_core()
    monkeypatch.setattr(build, "_running_elsewhere", lambda: None)  # no count: assume free
    assert build._spare_core()


def test_a_build_that_fails_stops_its_drawing(tmp_path: Path, drawings_started: list) -> None:
    from hiddenharm.reports import FatalSubmission, build_report

    started = drawings_started
    (tmp_path / "episodes.csv").write_text("not,a,submission\n")
    with pytest.raises(FatalSubmission):
        build_report(tmp_path, draw_charts=True)
    assert len(started) == 1 and started[0]._proc is None  # killed and waited for


def _x_axis_labels(svg: str) -> list[str]:
    """The numbers along a drawn chart's x axis, in order."""
    import re

    axis = svg.split('aria-label="X-axis', 1)[1]
    labels = axis.split("role-axis-label", 1)[1].split("role-axis-domain", 1)[0]
    return re.findall(r">([^<>]+)</text>", labels)


@pytest.mark.parametrize(
    ("largest", "expected"),
    [
        (300, ["0", "50", "100", "150", "200", "250", "300"]),  # was every 20: "280300"
        (3, ["0", "1", "2", "3"]),  # whole numbers only
        (12_345, ["0", "2,000", "4,000", "6,000", "8,000", "10,000", "12,000"]),
    ],
)
def test_a_count_axis_has_about_six_labels_none_running_into_the_next(
    largest: int, expected: list[str]
) -> None:
    rows = [
        {"category": c, "value": v, "label": str(v)}
        for c, v in (("many", largest), ("few", largest // 3), ("none", 0))
    ]
    _, svg = charts.render(charts.count_bars(rows))
    assert _x_axis_labels(svg) == expected
