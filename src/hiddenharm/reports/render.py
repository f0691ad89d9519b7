"""Render a report dict as self-contained HTML, as PDF (WeasyPrint) or as the spec's JSON.

HTML and PDF come from one Jinja2 template set: the PDF is the HTML in print mode.
The HTML needs nothing from the network: CSS is inline, and each chart is its Vega-Lite
spec in a ``<script type="application/json">``, drawn in the browser by Vega, Vega-Lite
and vega-embed (inlined too): no chart is drawn here for it (vl-convert draws the PDF's
as static SVG). Each chart's figures are in the table that follows it, and a browser
without JavaScript says so in the chart's place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from hiddenharm.reports import estimates_view, text, view
from hiddenharm.reports.build import DEFAULT_TARGET, spec_json


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hiddenharm.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["pct"] = text.pct
    env.filters["count"] = text.count
    return env


def _target(report: Mapping[str, Any], target: float | None) -> float:
    if target is not None:
        return target
    meta = report.get("meta") or {}
    return float(meta.get("target", DEFAULT_TARGET))


def context(
    report: Mapping[str, Any],
    *,
    target: float | None = None,
    title: str | None = None,
    publish: bool | None = None,
) -> dict[str, Any]:
    """What the template needs; the web application can use it with its own templates.

    ``target`` and ``publish`` default to the report's ``meta`` (as build_report sets it).
    """
    goal = _target(report, target)
    meta = dict(report.get("meta") or {})
    return {
        "title": title or meta.get("title") or "Hidden Harm: what the data tells us",
        "period": text.period_words(report),
        "meta": meta,
        "published": text.is_published(report) if publish is None else publish,
        "target": goal,
        "target_pct": text.pct(goal).replace(".0%", "%"),
        "findings": text.findings(report, goal),
        "sections": view.sections(report, goal),
        "submission": view.submission_table(report),
        "files": meta.get("files") or {},
        "sim": estimates_view.simulation_figures(),
    }


# Vega, Vega-Lite and Vega-Embed from the npm registry, copied here by `make static`
# (git-ignored): inlined into the HTML so its charts are interactive with no network.
VENDOR = Path(__file__).parent / "vendor"
VENDOR_SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")


def vendored_scripts() -> list[str]:
    """The three scripts' text, or [] when `make static` has not provided them."""
    paths = [VENDOR / name for name in VENDOR_SCRIPTS]
    if not all(p.is_file() for p in paths):
        return []
    # A literal "</script" inside a script would end the element early.
    return [p.read_text(encoding="utf-8").replace("</script", "<\\/script") for p in paths]


def render_html(
    report: Mapping[str, Any],
    *,
    target: float | None = None,
    title: str | None = None,
    publish: bool | None = None,
    for_print: bool = False,
    scripts: Sequence[str] = (),
    interactive: bool = True,
) -> str:
    """The report as one self-contained HTML page.

    With ``interactive`` (and the vendored scripts present), Vega, Vega-Lite and
    Vega-Embed are inlined and draw each chart from its spec in the browser, with no
    network. ``scripts``: URLs of the three scripts to load instead of inlining them.
    Without either, each chart's place says that this copy does not draw it. The data
    tables are always there. ``for_print``: the PDF's page, its charts static SVG images
    drawn by vl-convert, with no scripts.
    """
    ctx = context(report, target=target, title=title, publish=publish)
    inline = vendored_scripts() if interactive and not scripts and not for_print else []
    drawn = bool(scripts or inline) and not for_print
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            **ctx,
            for_print=for_print,
            scripts=list(scripts) if drawn else [],
            inline_scripts=inline,
            charts_drawn=drawn,
        )
    )


def render_pdf(
    report: Mapping[str, Any],
    *,
    target: float | None = None,
    title: str | None = None,
    publish: bool | None = None,
) -> bytes:
    """The report as PDF: the same content as the HTML, laid out for A4."""
    import weasyprint

    from hiddenharm.reports import svgtext

    svgtext.install()  # the charts' labels drawn whole, not letter by letter
    html = render_html(report, target=target, title=title, publish=publish, for_print=True)
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_json(report: Mapping[str, Any]) -> str:
    """The spec's JSON object (the rendering extras left out)."""
    return json.dumps(spec_json(report), indent=2, ensure_ascii=False) + "\n"
