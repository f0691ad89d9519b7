"""The report's charts: Vega-Lite specs as plain dicts. The HTML carries the specs, which
the browser draws (vega-embed); the PDF's are rendered to static SVG by vl-convert, which
is imported only then.

Chart data is a handful of rows per chart (agencies, categories, quarters), never the
submission's rows, so rendering costs the same whatever the submission's size. A
suppressed value (None) is drawn as a ``*`` label at zero, never as a bar.

The specs are written out as the JSON Vega-Lite reads, not built with Altair: Altair's
import and its chart objects cost about a second per report for the same dicts (these
are exactly what Altair's ``to_dict`` gave). ``render`` still takes an Altair chart too.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

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


# The printed tables (8pt Liberation Sans across A4 less 30 mm of margins): characters to a
# line (digits are the widest, ~0.56 em), a cell's right padding, and bold's extra width.
PRINT_LINE = 105.0
PRINT_PADDING = 2.5
BOLD_WIDER = 1.15


@dataclass
class Table:
    """A chart's data as an accessible table: the first cell of each row is its header."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)

    def print_widths(self) -> list[float]:
        """Each column's width in percent of the printed table, for the PDF's fixed table
        layout (WeasyPrint's automatic layout measures every cell's text, about 1 s of a 1M
        report's PDF). In characters of the table's 8pt text (``PRINT_LINE`` to a line):
        a column needs at least its longest word (a header's counted wider, as bold) and
        would like its longest cell (up to 60, beyond which it wraps) or half its header
        (headers wrap onto two lines); each gets its least, then the room left is shared in
        proportion to what each would like beyond it."""
        least, liked = [], []
        for i, header in enumerate(self.columns):
            cells = [str(row[i]) for row in self.rows if i < len(row)]
            words = [len(w) for c in cells for w in c.split()]
            head = max((len(w) for w in header.split()), default=0) * BOLD_WIDER
            low = max(head, *words, 1) + PRINT_PADDING
            longest = max((len(c) for c in cells), default=0)
            least.append(low)
            liked.append(max(low, min(longest, 60) + PRINT_PADDING, len(header) * BOLD_WIDER / 2))
        if sum(liked) <= PRINT_LINE or sum(least) >= PRINT_LINE:
            shares = liked if sum(liked) <= PRINT_LINE else least
        else:
            room = (PRINT_LINE - sum(least)) / (sum(liked) - sum(least))
            shares = [lo + (li - lo) * room for lo, li in zip(least, liked, strict=True)]
        total = sum(shares)
        return [round(100 * n / total, 1) for n in shares]


@dataclass
class Figure:
    """A chart: its spec (with the report's config); drawn as SVG (``svg``) only for the
    PDF, as the HTML's charts are drawn by the browser from ``spec_json``."""

    id: str
    title: str
    spec: dict[str, Any]
    table: Table
    description: str = ""

    @property
    def svg(self) -> str:
        return _drawn(self.spec)

    @property
    def svg_data_uri(self) -> str:
        # The PDF takes each chart as an image: WeasyPrint then reads the SVG with its own
        # parser instead of running the page's CSS cascade over thousands of SVG nodes; and
        # the SVG is first made cheaper for it to draw, looking the same (``for_print``).
        svg = for_print(self.svg)
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

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
    return Figure(fid, title, configured(chart), table)


def configured(chart: Mapping[str, Any] | Any) -> dict[str, Any]:
    """The spec with the report's config, from a spec dict or from an Altair chart."""
    # an Altair chart: its specs are built from known-good parts, so skip the schema check
    spec = dict(chart) if isinstance(chart, Mapping) else chart.to_dict(validate=False)
    spec["config"] = {**CONFIG, **spec.get("config", {})}
    return spec


def render(chart: Mapping[str, Any] | Any) -> tuple[dict[str, Any], str]:
    """(spec with the report's config, SVG) for a spec dict, or for an Altair chart."""
    spec = configured(chart)
    return spec, _drawn(spec)


def _key(spec: Mapping[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True)


def _drawn(spec: Mapping[str, Any]) -> str:
    key = _key(spec)
    svg = _AHEAD.get(key) or _svg(key)
    # the PDF scales charts to the page: keep the aspect ratio, drop the fixed size
    return svg.replace('class="marks"', 'class="marks" role="presentation"', 1)


@lru_cache(maxsize=128)
def _svg(spec: str) -> str:
    """SVG for a spec; cached, as a report is often rendered to HTML and then to PDF."""
    global _drawing_here
    import vl_convert as vlc

    _drawing_here = True
    return str(vlc.vegalite_to_svg(json.loads(spec)))


# --- the print version of a chart -----------------------------------------------------
#
# WeasyPrint draws an SVG node by node in Python (a transform and a graphic state each) and
# its text letter by letter: the PDF's charts cost it ~2.5 s on the 1M benchmark, as long as
# laying out the 20 pages. Vega draws each grid line and tick as a <line> of its own, moved
# by a transform, and leaves empty background and foreground paths in every axis. The
# print version draws the same: each run of sibling lines alike but for their place becomes
# one <path> of segments (each segment is a subpath, stroked as the line was: same
# stroke, width, dashes, restarting at each segment), and paths that draw nothing (no
# stroke, and no area or hidden) are left out. Lines with an opacity or a stroke opacity
# other than 1 are kept as they are (overlapping segments of one path would blend once).

_SVG_NS = "http://www.w3.org/2000/svg"
_TRANSLATE = re.compile(r"translate\(\s*(-?[\d.]+(?:e-?\d+)?)[\s,]+(-?[\d.]+(?:e-?\d+)?)\s*\)")
_EMPTY_PATHS = ("", "M0,0h0v0h0Z")  # Vega's empty axis backgrounds and foregrounds
_LINE_PLACE = ("transform", "x1", "y1", "x2", "y2")


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _segment(line: Any) -> str | None:
    """``M x1,y1 L x2,y2`` of a <line> in its parent's coordinates, or None when it cannot
    be merged (a transform other than a translation, an opacity, children)."""
    if len(line) or line.get("opacity", "1") != "1" or "stroke-opacity" in line.attrib:
        return None
    dx = dy = 0.0
    if "transform" in line.attrib:
        moved = _TRANSLATE.fullmatch(line.get("transform", "").strip())
        if moved is None:
            return None
        dx, dy = float(moved[1]), float(moved[2])
    try:
        x1, y1, x2, y2 = (float(line.get(a) or 0) for a in ("x1", "y1", "x2", "y2"))
    except ValueError:
        return None
    return f"M{_number(dx + x1)},{_number(dy + y1)}L{_number(dx + x2)},{_number(dy + y2)}"


def _draws_nothing(node: Any) -> bool:
    return (
        node.tag == f"{{{_SVG_NS}}}path"
        and "stroke" not in node.attrib
        and (node.get("display") == "none" or node.get("d", "") in _EMPTY_PATHS)
    )


@lru_cache(maxsize=128)
def for_print(svg: str) -> str:
    """The chart as WeasyPrint draws it faster, looking the same (see above); the SVG as
    it was when it cannot be read as XML."""
    import xml.etree.ElementTree as ET

    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return svg
    line_tag = f"{{{_SVG_NS}}}line"
    for parent in list(root.iter()):
        kept: list[Any] = []
        run: tuple[tuple[tuple[str, str], ...], Any] | None = None
        for node in list(parent):
            if _draws_nothing(node):
                continue
            segment = _segment(node) if node.tag == line_tag else None
            if segment is None:
                kept.append(node)
                run = None
                continue
            style = tuple(sorted((k, v) for k, v in node.attrib.items() if k not in _LINE_PLACE))
            if run is not None and run[0] == style:
                run[1].set("d", run[1].get("d") + segment)
                continue
            path = ET.Element(f"{{{_SVG_NS}}}path", dict(style))
            path.set("d", segment)
            path.tail = node.tail
            kept.append(path)
            run = (style, path)
        parent[:] = kept
    return ET.tostring(root, encoding="unicode")


# --- drawing ahead, in a process of its own ----------------------------------------------
#
# vl-convert draws on one core and holds the GIL while it does: a thread of ours would stop
# the DuckDB work beside it at every query. A second process does not. ``DrawingAhead``
# starts one (its own vl-convert), hands it the specs known so far, then those known later,
# and leaves what it drew in ``_AHEAD``, where ``_drawn`` finds it.

_AHEAD: dict[str, str] = {}  # spec key -> SVG drawn by the last DrawingAhead
_drawing_here = False  # has this process's own vl-convert started (it costs ~0.6 s)?

_CHILD = """
import json, os, sys
import vl_convert as vlc

def draw(name):
    specs = json.load(open(os.path.join(sys.argv[1], name + ".in"), encoding="utf-8"))
    out = []
    for spec in specs:
        try:
            out.append(str(vlc.vegalite_to_svg(json.loads(spec))))
        except Exception:
            out.append(None)
    path = os.path.join(sys.argv[1], name + ".out")
    with open(path + ".part", "w", encoding="utf-8") as f:
        json.dump(out, f)
    os.replace(path + ".part", path)

# vl-convert's start (its JavaScript engine, the fonts) while the batches are being made
vlc.vegalite_to_svg({"data": {"values": [{"a": 1}]}, "mark": "text",
                     "encoding": {"text": {"field": "a", "type": "nominal"}}})
for line in sys.stdin:  # each line names one more batch; the end of input ends the process
    if line.strip():
        draw(line.strip())
"""


class DrawingAhead:
    """Charts drawn by a second process while this one goes on: it starts its vl-convert at
    once, draws each batch of specs given by ``add`` in turn, and ``finish`` collects them.

    Nothing depends on it: a chart it did not draw (it failed, it was late, the specs
    differ) is drawn here when shown, as ever."""

    def __init__(self) -> None:
        import subprocess
        import sys
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="hiddenharm-draw-")
        self._batches: list[list[str]] = []
        self._proc: subprocess.Popen[str] | None = subprocess.Popen(
            [sys.executable, "-c", _CHILD, self._dir.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def _write(self, specs: list[Mapping[str, Any]]) -> str:
        import os

        name = str(len(self._batches))
        keys = [_key(s) for s in specs]
        self._batches.append(keys)
        with open(os.path.join(self._dir.name, name + ".in"), "w", encoding="utf-8") as f:
            json.dump(keys, f)
        return name

    def add(self, specs: Iterable[Mapping[str, Any]]) -> None:
        """Specs to draw, after those given so far."""
        if self._proc is None or self._proc.stdin is None:
            return
        name = self._write(list(specs))
        with contextlib.suppress(OSError):
            self._proc.stdin.write(name + "\n")
            self._proc.stdin.flush()

    def finish(self, timeout: float = 120.0) -> int:
        """Waits for the drawing, keeps what was drawn for ``_drawn``; how many charts."""

        proc, self._proc = self._proc, None
        if proc is None:
            return 0
        try:
            with contextlib.suppress(OSError):
                if proc.stdin is not None:
                    proc.stdin.close()
            proc.wait(timeout=timeout)
        except Exception:  # noqa: BLE001 - whatever went wrong, the charts are drawn here
            proc.kill()
            proc.wait()
        self._collect()
        return len(_AHEAD)

    def cancel(self) -> None:
        """Stops the drawing and keeps nothing (the build it was for failed)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait()
        self._dir.cleanup()

    def _collect(self) -> None:
        import os

        _AHEAD.clear()
        for name, keys in enumerate(self._batches):
            path = os.path.join(self._dir.name, f"{name}.out")
            try:
                with open(path, encoding="utf-8") as f:
                    svgs = json.load(f)
            except (OSError, ValueError):
                continue
            _AHEAD.update((k, svg) for k, svg in zip(keys, svgs, strict=False) if svg)
        self._dir.cleanup()


def drawing_here() -> bool:
    """Whether this process has drawn a chart itself (its vl-convert is running)."""
    return _drawing_here


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
                "shown",
                "quantitative",
                title=x_title,
                # about six labels: with Vega's default of one per 40 pixels the last,
                # flush with the end, ran into the one before ("280300")
                axis={"tickMinStep": 1, "format": ",d", "tickCount": 6, "labelOverlap": True},
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
        # the colour's legend alone: Vega-Lite 6.5 (the HTML's, in the browser) merges the
        # shape into it and, the shape having none, drops it; 6.4 (vl-convert's) draws it
        # either way, the same SVG to the byte
        "resolve": {"legend": {"shape": "independent"}},
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
