"""The charts' Vega-Lite specs, written as plain dicts: valid, and drawn as Altair's were."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hiddenharm.reports import charts, view


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

    rows = [
        {"category": "0", "value": 3, "label": "3"},
        {"category": "1", "value": None, "label": "*"},
    ]
    spec = charts.count_bars(rows, x_title="Clients")
    values = [{**r, "shown": 0.0 if r["value"] is None else float(r["value"])} for r in rows]
    base = alt.Chart().encode(y=alt.Y("category:N", sort=["0", "1"], title=None))
    bars = base.mark_bar(color=charts.BLUE).encode(
        x=alt.X("shown:Q", title="Clients", axis=alt.Axis(tickMinStep=1, format=",d"))
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
