"""The report's charts: Altair (Vega-Lite) specs, rendered to static SVG by vl-convert.

Chart data is a handful of rows per chart (agencies, categories, quarters), never the
submission's rows, so rendering costs the same whatever the submission's size. A
suppressed value (None) is drawn as a ``*`` label at zero, never as a bar.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert as vlc

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
    "view": {"stroke": None},
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


def figure(fid: str, title: str, chart: alt.TopLevelMixin, table: Table) -> Figure:
    spec, svg = render(chart)
    return Figure(fid, title, spec, svg, table)


def render(chart: alt.TopLevelMixin) -> tuple[dict[str, Any], str]:
    # the specs are built here from known-good parts: skip the schema check (slow)
    spec = chart.to_dict(validate=False)
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


def rate_bars(
    rows: list[dict[str, Any]],
    target: float,
    *,
    panels: list[str],
    x_title: str,
    columns: int | None = None,
) -> alt.TopLevelMixin:
    """Rates by agency (the area first), one panel per item or treatment type.

    rows: {panel, name, rate (None when not shown), label, status}.
    """
    values = [{**r, "shown": _shown(r.get("rate"))} for r in rows]
    order = list(dict.fromkeys(r["name"] for r in rows))
    per_row = max(1, min(columns or len(panels), len(panels)))
    width = max(110, (WIDTH - 100) // per_row - 85)
    y = alt.Y("name:N", sort=order, title=None)
    base = alt.Chart().encode(y=y)
    bars = base.mark_bar(height={"band": 0.75}).encode(
        x=alt.X(
            "shown:Q",
            title=x_title,
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%", values=[0, 0.5, 1], grid=True),
        ),
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            legend=None,
        ),
    )
    # labels in a column just right of 100%, so that they never sit on a bar or the line
    labels = base.mark_text(align="left", dx=4, fontSize=10).encode(x=alt.datum(1), text="label:N")
    rule = alt.Chart().mark_rule(color="#0b0c0c", strokeDash=[4, 3]).encode(x=alt.datum(target))
    layered = alt.layer(bars, labels, rule, data=alt.Data(values=values)).properties(
        width=width, height=alt.Step(18)
    )
    return layered.facet(
        facet=alt.Facet("panel:N", sort=panels, title=None, header=alt.Header(labelLimit=260)),
        columns=per_row,
        spacing={"column": 80, "row": 14},
    )


def count_bars(
    rows: list[dict[str, Any]], *, series: list[str] | None = None, x_title: str = "Clients"
) -> alt.TopLevelMixin:
    """Counts by category; with ``series`` (drug, alcohol) the bars are grouped.

    rows: {category, value (None when suppressed), label, series?}.
    """
    values = [{**r, "shown": _shown(r.get("value"))} for r in rows]
    order = list(dict.fromkeys(r["category"] for r in rows))
    base = alt.Chart().encode(y=alt.Y("category:N", sort=order, title=None))
    enc: dict[str, Any] = {}
    if series:
        enc["color"] = alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=series, range=[TYPE_COLOURS.get(s, BLUE) for s in series]),
        )
        enc["yOffset"] = alt.YOffset("series:N", sort=series)
    bars = base.mark_bar(color=BLUE).encode(
        x=alt.X("shown:Q", title=x_title, axis=alt.Axis(tickMinStep=1, format=",d")), **enc
    )
    text_enc = {"yOffset": enc["yOffset"]} if series else {}
    labels = base.mark_text(align="left", dx=3, fontSize=10).encode(
        x="shown:Q", text="label:N", **text_enc
    )
    step = 9 if series else 18
    height = alt.Step(step * (len(series) if series else 1) + 4)
    return alt.layer(bars, labels, data=alt.Data(values=values)).properties(
        width=WIDTH - 220, height=height
    )


def trend_lines(rows: list[dict[str, Any]], target: float, panels: list[str]) -> alt.TopLevelMixin:
    """Rates by quarter, one line per measure, one panel per treatment type.

    rows: {panel, quarter, measure, rate (None: not shown)}.
    """
    values = [r for r in rows if r.get("rate") is not None]
    quarters = list(dict.fromkeys(r["quarter"] for r in rows))
    measures = list(dict.fromkeys(r["measure"] for r in rows))
    line = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=alt.X("quarter:O", sort=quarters, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y(
                "rate:Q", title="Rate", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")
            ),
            color=alt.Color(
                "measure:N",
                sort=measures,
                title=None,
                scale=alt.Scale(range=[BLUE, ORANGE, DARK, "#00703c"]),
            ),
            # shape as well as colour, so that the lines can be told apart in grey; one
            # legend (the colour's) is enough
            shape=alt.Shape("measure:N", sort=measures, legend=None),
        )
    )
    rule = alt.Chart().mark_rule(color="#0b0c0c", strokeDash=[4, 3]).encode(y=alt.datum(target))
    n_panels = max(1, len(panels))
    return (
        alt.layer(line, rule, data=alt.Data(values=values))
        .properties(width=max(160, (WIDTH - 60) // n_panels - 30), height=170)
        .facet(column=alt.Column("panel:N", sort=panels, title=None))
    )


def estimate_intervals(
    rows: list[dict[str, Any]], methods: list[str] | None = None
) -> alt.TopLevelMixin:
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
    colour = alt.Color(
        "method:N", sort=methods, legend=None, scale=alt.Scale(domain=methods, range=palette)
    )
    y = alt.Y("method:N", sort=methods, title=None, scale=alt.Scale(domain=methods))
    base = alt.Chart().encode(y=y, color=colour)
    x = alt.X("lo:Q", title="Children", scale=alt.Scale(zero=False))
    is_point = alt.datum.kind == "point"
    band = (
        base.transform_filter(alt.datum.kind == "range")
        .mark_rule(strokeWidth=10, opacity=0.35)
        .encode(x=x, x2="hi:Q")
    )
    ticks = (
        base.transform_filter(alt.datum.kind == "tick")
        .mark_tick(thickness=2, size=14)
        .encode(x="value:Q")
    )
    rules = base.transform_filter(is_point).mark_rule(strokeWidth=2).encode(x=x, x2="hi:Q")
    points = base.transform_filter(is_point).mark_point(filled=True, size=70).encode(x="value:Q")
    stars = (
        base.transform_filter(alt.datum.kind == "shown")
        .mark_text(align="left", fontSize=12, color="#0b0c0c")
        .encode(x=alt.value(4), text="label:N", color=alt.value("#0b0c0c"))
    )
    labels = (
        base.transform_filter((alt.datum.kind != "tick") & (alt.datum.kind != "shown"))
        .mark_text(align="left", dx=6, dy=-10, fontSize=10)
        .encode(x="at:Q", text="label:N")
    )
    return (
        alt.layer(band, ticks, rules, points, labels, stars, data=alt.Data(values=values))
        .properties(width=WIDTH - 260, height=alt.Step(22))
        .facet(
            row=alt.Row(
                "type:N", sort=types, title=None, header=alt.Header(labelAngle=0, labelAlign="left")
            )
        )
        .resolve_scale(x="independent")
    )
