"""The area report as HTML (a file to download): its charts are Vega-Lite specs drawn by the
browser, so serving it draws none (no vl-convert in the web process, nor a second one)."""

import json
import re
import sys

import pytest
from django.urls import reverse

from hiddenharm.reports import build, charts

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2024-04-01", "to": "2025-03-31"}


def test_it_serves_the_area_report_html_with_its_charts_for_the_browser_to_draw(
    as_persona, world, monkeypatch
):
    def refused(*args, **kwargs):
        raise AssertionError("vl-convert was asked to draw a chart")

    monkeypatch.setattr(charts, "_svg", refused)
    monkeypatch.setattr(charts, "DrawingAhead", refused)
    monkeypatch.setitem(sys.modules, "vl_convert", None)
    monkeypatch.setattr(charts, "_drawing_here", False)
    monkeypatch.setattr(build, "_spare_core", lambda: True)
    response = as_persona("data_lead").get(reverse("cases:area_report"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"].startswith("attachment;")
    page = response.content.decode()
    figures = re.findall(r'<figure id="fig-[\w-]+" class="chart">(.*?)</figure>', page, re.S)
    assert len(figures) >= 10
    for block in figures:
        assert 'role="img" aria-label="Chart: ' in block and "<svg" not in block
        assert "This chart needs JavaScript" in block  # its <noscript> line
        spec = re.search(r'class="vega-lite"[^>]*>(.*?)</script>', block)
        assert spec is not None and json.loads(spec.group(1))["$schema"] == charts.SCHEMA
    assert "vegaEmbed" in page  # the page draws them itself, with no network


def test_it_refuses_the_area_report_to_a_persona_without_figures(as_persona, world):
    response = as_persona("keyworker").get(reverse("cases:area_report"), PERIOD)
    assert response.status_code == 403
