"""The report's charts: Vega-Lite specs as plain dicts, rendered to static SVG by vl-convert.

Chart data is a handful of rows per chart (agencies, categories, quarters), never the
submission's rows, so rendering costs the same whatever the submission's size. A
suppressed value (None) is drawn as a ``*`` label at zero, never as a bar.

The specs are written out as the JSON Vega-Lite reads, not built with Altair: Altair's
import and its chart objects cost about a second per report for the same dicts (these
are exactly what Altair's ``to_dict`` gave). ``render`` still takes an Altair chart too.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import vl_convert as vlc

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
WIDTH = 640  # px; about an A4 page's text width at 96 dpi
BLUE, DARK, ORANGE, RED, GREY = "#1d70b8", "#003078", "#f47738", "#d4351c", "#b1b4b6"
TYPE_COLOURS = {"Drug treatment": BLUE, "Alcohol treatment": ORANGE}
# the area's own bar is darker; anything below target is red, the area's a darker red
STATUS_COLOURS = {
    "area": DARK,
    "area-below": "#942514",
    "meets": BLUE,
    "below": RED,
    "none": GREY,
}
CONFIG = {
    "font": FONT,
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 220},
    "header": {"labelFontSize": 12, "titleFontSize": 12, "labelFontWeight": "bold"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
    # what Altair puts in every chart's config, and so what the charts have always had
    "view": {"continuousHeight": 300, "continuousWidth": 300},
    "title": {"fontSize": 13, "anchor": "start"},
}


@dataclass
class Table:
    """A chart's data as an accessible table: the first cell of each row is its header."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


@dataclass
class Figure:
    id: str
    title: str
    spec: dict[str, Any]
    svg: str
    table: Table
    description: str = ""

    @property
    def svg_data_uri(self) -> str:
        # The PDF takes each chart as an image: WeasyPrint then reads the SVG with its own
        # parser instead of running the page's CSS cascade over thousands of SVG nodes.
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()

    @property
    def spec_json(self) -> str:
        # "<" escaped so that the JSON can never close its <script> element
        return json.dumps(self.spec, separators=(",", ":")).replace("<", "\\u003c")


@dataclass
class Section:
    """A part of the report: its sentences, then its charts (each with its table)."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def figure(fid: str, title: str, chart: Mapping[str, Any] | Any, table: Table) -> Figure:
    spec, svg = render(chart)
    return Figure(fid, title, spec, svg, table)


def render(chart: Mapping[str, Any] | Any) -> tuple[dict[str, Any], str]:
    """(spec with the report's config, SVG) for a spec dict, or for an Altair chart."""
    # an Altair chart: its specs are built from known-good parts, so skip the schema check
    spec = dict(chart) if isinstance(chart, Mapping) else chart.to_dict(validate=False)
    spec["config"] = {**CONFIG, **spec.get("config", {})}
    svg = _svg(json.dumps(spec, sort_keys=True))
    # the PDF scales charts to the page: keep the aspect ratio, drop the fixed size
    svg = svg.replace('class="marks"', 'class="marks" role="presentation"', 1)
    return spec, svg


@lru_cache(maxsize=128)
def _svg(spec: str) -> str:
    """SVG for a spec; cached, as a report is often rendered to HTML and then to PDF."""
    return str(vlc.vegalite_to_svg(json.loads(spec)))


def _shown(value: Any) -> float:
    return 0.0 if value is None else float(value)


def _field(name: str, kind: str, **more: Any) -> dict[str, Any]:
    """An encoding channel on a field: ``{"field": name, "type": kind, ...}``."""
    return {"field": name, "type": kind, **more}


def _rule(**encoding: Any) -> dict[str, Any]:
    """The dashed target line."""
    return {
        "mark": {"type": "rule", "color": "#0b0c0c", "strokeDash": [4, 3]},
        "encoding": encoding,
    }


def rate_bars(
    rows: list[dict[str, Any]],
    target: float,
    *,
    panels: list[str],
    x_title: str,
    columns: int | None = None,
) -> dict[str, Any]:
    """Rates by agency (the area first), one panel per item or treatment type.

    rows: {panel, name, rate (None when not shown), label, status}.
    """
    values = [{**r, "shown": _shown(r.get("rate"))} for r in rows]
    order = list(dict.fromkeys(r["name"] for r in rows))
    per_row = max(1, min(columns or len(panels), len(panels)))
    width = max(110, (WIDTH - 100) // per_row - 85)
    y = _field("name", "nominal", sort=order, title=None)
    bars = {
        "mark": {"type": "bar", "height": {"band": 0.75}},
        "encoding": {
            "y": y,
            "x": _field(
                "shown",
                "quantitative",
                title=x_title,
                scale={"domain": [0, 1]},
                axis={"format": "%", "values": [0, 0.5, 1], "grid": True},
            ),
            "color": _field(
                "status",
                "nominal",
                scale={"domain": list(STATUS_COLOURS), "range": list(STATUS_COLOURS.values())},
                legend=None,
            ),
        },
    }
    # labels in a column just right of 100%, so that they never sit on a bar or the line
    labels = {
        "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 10},
        "encoding": {"y": y, "x": {"datum": 1}, "text": _field("label", "nominal")},
    }
    return {
        "$schema": SCHEMA,
        "data": {"values": values},
        "facet": _field("panel", "nominal", sort=panels, title=None, header={"labelLimit": 260}),
        "columns": per_row,
        "spacing": {"column": 80, "row": 14},
        "spec": {
            "layer": [bars, labels, _rule(x={"datum": target})],
            "width": width,
            "height": {"step": 18},
        },
    }


def count_bars(
    rows: list[dict[str, Any]], *, series: list[str] | None = None, x_title: str = "Clients"
) -> dict[str, Any]:
    """Counts by category; with ``series`` (drug, alcohol) the bars are grouped.

    rows: {category, value (None when suppressed), label, series?}.
    """
    values = [{**r, "shown": _shown(r.get("value"))} for r in rows]
    order = list(dict.fromkeys(r["category"] for r in rows))
    y = _field("category", "nominal", sort=order, title=None)
    grouped: dict[str, Any] = {}
    colour: dict[str, Any] = {}
    if series:
        colour["color"] = _field(
            "series",
            "nominal",
            title=None,
            scale={"domain": series, "range": [TYPE_COLOURS.get(s, BLUE) for s in series]},
        )
        grouped["yOffset"] = _field("series", "nominal", sort=series)
    bars = {
        "mark": {"type": "bar", "color": BLUE},
        "encoding": {
            "y": y,
            "x": _field(
                "shown", "quantitative", title=x_title, axis={"tickMinStep": 1, "format": ",d"}
            ),
            **colour,
            **grouped,
        },
    }
    labels = {
        "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
        "encoding": {
            "y": y,
            "x": _field("shown", "quantitative"),
            "text": _field("label", "nominal"),
            **grouped,
        },
    }
    step = 9 if series else 18
    return {
        "$schema": SCHEMA,
        "data": {"values": values},
        "layer": [bars, labels],
        "width": WIDTH - 220,
        "height": {"step": step * (len(series) if series else 1) + 4},
    }


def trend_lines(rows: list[dict[str, Any]], target: float, panels: list[str]) -> dict[str, Any]:
    """Rates by quarter, one line per measure, one panel per treatment type.

    rows: {panel, quarter, measure, rate (None: not shown)}.
    """
    values = [r for r in rows if r.get("rate") is not None]
    quarters = list(dict.fromkeys(r["quarter"] for r in rows))
    measures = list(dict.fromkeys(r["measure"] for r in rows))
    line = {
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": _field("quarter", "ordinal", sort=quarters, title=None, axis={"labelAngle": -45}),
            "y": _field(
                "rate", "quantitative", title="Rate", scale={"domain": [0, 1]}, axis={"format": "%"}
            ),
            "color": _field(
                "measure",
                "nominal",
                sort=measures,
                title=None,
                scale={"range": [BLUE, ORANGE, DARK, "#00703c"]},
            ),
            # shape as well as colour, so that the lines can be told apart in grey; one
            # legend (the colour's) is enough
            "shape": _field("measure", "nominal", sort=measures, legend=None),
        },
    }
    n_panels = max(1, len(panels))
    return {
        "$schema": SCHEMA,
        "data": {"values": values},
        "facet": {"column": _field("panel", "nominal", sort=panels, title=None)},
        "spec": {
            "layer": [line, _rule(y={"datum": target})],
            "width": max(160, (WIDTH - 60) // n_panels - 30),
            "height": 170,
        },
    }


def _kind_is(kind: str) -> dict[str, str]:
    return {"filter": f"(datum.kind === '{kind}')"}


def estimate_intervals(
    rows: list[dict[str, Any]], methods: list[str] | None = None
) -> dict[str, Any]:
    """Point estimates with their 95% intervals, the observed lower bound, and the range
    from it to the figure if the unrecorded lived with twice as many children.

    rows: {type, method, kind, value, lo, hi, label, at}. ``kind`` "point": a point at
    ``value`` on a thin rule from ``lo`` to ``hi`` (value None: not shown); "range": a wide,
    pale band from ``lo`` to ``hi``; "tick": a tick at ``value`` on its method's row (the
    range's multipliers). ``label`` is written at ``at``.
    """
    values = [
        r
        for r in rows
        if r.get("kind") == "shown"
        or (r.get("value") if r.get("kind", "point") != "range" else r.get("hi")) is not None
    ]
    methods = methods or list(dict.fromkeys(r["method"] for r in rows))
    types = list(dict.fromkeys(r["type"] for r in rows))
    palette = [DARK, "#00703c", BLUE, ORANGE, "#4c2c92"]
    base = {
        "y": _field("method", "nominal", sort=methods, title=None, scale={"domain": methods}),
        "color": _field(
            "method",
            "nominal",
            sort=methods,
            legend=None,
            scale={"domain": methods, "range": palette},
        ),
    }
    x = _field("lo", "quantitative", title="Children", scale={"zero": False})

    def layer(mark: dict[str, Any], keep: dict[str, str], **encoding: Any) -> dict[str, Any]:
        return {"mark": mark, "encoding": {**base, **encoding}, "transform": [keep]}

    layers = [
        layer(
            {"type": "rule", "strokeWidth": 10, "opacity": 0.35},
            _kind_is("range"),
            x=x,
            x2={"field": "hi"},
        ),
        layer(
            {"type": "tick", "thickness": 2, "size": 14},
            _kind_is("tick"),
            x=_field("value", "quantitative"),
        ),
        layer({"type": "rule", "strokeWidth": 2}, _kind_is("point"), x=x, x2={"field": "hi"}),
        layer(
            {"type": "point", "filled": True, "size": 70},
            _kind_is("point"),
            x=_field("value", "quantitative"),
        ),
        layer(
            {"type": "text", "align": "left", "dx": 6, "dy": -10, "fontSize": 10},
            {"filter": "((datum.kind !== 'tick') && (datum.kind !== 'shown'))"},
            x=_field("at", "quantitative"),
            text=_field("label", "nominal"),
        ),
        layer(
            {"type": "text", "align": "left", "fontSize": 12, "color": "#0b0c0c"},
            _kind_is("shown"),
            x={"value": 4},
            text=_field("label", "nominal"),
            color={"value": "#0b0c0c"},
        ),
    ]
    return {
        "$schema": SCHEMA,
        "data": {"values": values},
        "facet": {
            "row": _field(
                "type",
                "nominal",
                sort=types,
                title=None,
                header={"labelAngle": 0, "labelAlign": "left"},
            )
        },
        "resolve": {"scale": {"x": "independent"}},
        "spec": {"layer": layers, "width": WIDTH - 260, "height": {"step": 22}},
    }
