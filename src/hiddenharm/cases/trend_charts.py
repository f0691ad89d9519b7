"""The dashboards' over-time charts: an over-time table as a Vega-Lite line chart, drawn
to SVG by vl-convert as the report's charts are."""

from __future__ import annotations

import copy
import functools
import json


class TrendSpec(dict):
    """A Vega-Lite spec as a dict, with an Altair chart's `to_dict` for code written for one."""

    def to_dict(self, validate: bool = False) -> dict:
        return copy.deepcopy(dict(self))


def trend_spec(table: dict, target: float = 0.9) -> TrendSpec:
    """An over-time table as a Vega-Lite line chart: one line per column, the target dashed.

    Every quarter of the table is on the axis (its scale's domain), whether or not it has a
    value: a quarter without one breaks the line there (the rows are kept, with a null
    rate, so that Vega-Lite's line is not joined across it), and a quarter where no column
    has a value says "No data". The points are drawn only where there is a value.

    Written out as the dict Altair's `to_dict` gave for the same chart (a test holds them
    equal), without Altair: its import alone was a second of a process's first figures."""
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
    x = {
        "axis": {"labelAngle": -45},
        "field": "quarter",
        "scale": {"domain": quarters},
        "sort": quarters,
        "title": None,
        "type": "ordinal",
    }
    y = {
        "axis": {"format": "%"},
        "field": "rate",
        "scale": {"domain": [0, 1]},
        "title": "Rate",
        "type": "quantitative",
    }
    colour = {
        "field": "measure",
        "scale": {
            "domain": measures,
            "range": [charts.BLUE, charts.ORANGE, charts.DARK, "#00703c"],
        },
        "sort": measures,
        "title": None,
        "type": "nominal",
    }
    shape = {"field": "measure", "legend": None, "sort": measures, "type": "nominal"}
    # a null rate breaks the line there, instead of being left out (which joins it)
    line = {
        "mark": {"type": "line", "invalid": "break-paths-show-domains"},
        "encoding": {"color": colour, "x": x, "y": y},
    }
    points = {
        "mark": {"type": "point", "filled": True},
        "encoding": {"color": colour, "shape": shape, "x": x, "y": y},
        "transform": [{"filter": "isValid(datum.rate)"}],
    }
    rule = {
        "mark": {"type": "rule", "color": "#0b0c0c", "strokeDash": [4, 3]},
        "encoding": {"y": {"datum": target}},
    }
    layers = [line, points, rule]
    if empty:
        layers.append(
            {
                "data": {"values": empty},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "angle": 270,
                    "color": "#505a5f",
                    "fontSize": 11,
                },
                "encoding": {
                    "text": {"field": "note", "type": "nominal"},
                    "x": x,
                    "y": {"datum": 0.04},
                },
            }
        )
    spec = {
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
        "layer": layers,
        "data": {"values": data},
        "height": 190,
        "width": charts.WIDTH - 120,
        "$schema": charts.SCHEMA,
    }
    return TrendSpec(copy.deepcopy(spec))  # no part shared between layers


def trend_chart(table: dict, target: float = 0.9) -> str:
    """An over-time table as an SVG chart (vl-convert, as the report's charts are drawn).
    The table stays beside it for the numbers and for screen readers.

    Drawn once per table and process (the figures stay cached until the records change, and
    drawing was most of a cached dashboard's time: found by the load test)."""
    plain = {"columns": table["columns"], "rows": table["rows"]}
    return _trend_svg(json.dumps(plain, sort_keys=True, default=str), target)


@functools.lru_cache(maxsize=256)
def _trend_svg(key: str, target: float) -> str:
    from hiddenharm.reports import charts

    table = json.loads(key)
    if not any(cell["rate"] is not None for r in table["rows"] for cell in r["cells"]):
        return ""  # nothing to draw (no one eligible, or all suppressed): the table says so
    _, svg = charts.render(trend_spec(table, target))
    return svg
