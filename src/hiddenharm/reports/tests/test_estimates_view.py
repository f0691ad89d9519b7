"""The estimates section: the range beside the interval, in the chart, its tables, the
headlines and the methods appendix, whose simulation figures come from simulation.json."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from hiddenharm.reports import estimates_view
from hiddenharm.reports.estimates_view import estimates_section, simulation_figures
from hiddenharm.reports.tests.test_render import parse_tables
from hiddenharm.reports.text import findings


def test_it_shows_the_range_beside_the_interval_in_the_table(report: dict[str, Any]) -> None:
    sec = estimates_section(report)
    table = sec.figures[0].table
    assert table.columns[3] == "Range: at least to twice as many"
    assert table.columns[4:6] == ["Estimate", "95% interval"]
    all_row = next(r for r in table.rows if r[0] == "All")
    # 182 + 64 * 0.34 * 2 = 225.52; the interval 0.9 and 1.1 times 204
    assert all_row[1:6] == ["182", "536 of 600", "182 to 226", "204", "184 to 224"]


def test_it_gives_every_multiplier_in_a_table_of_its_own(report: dict[str, Any]) -> None:
    sens = next(t for t in estimates_section(report).tables if t.caption.startswith("If the"))
    assert sens.columns[1:] == [
        "Clients with no number recorded",
        "None (0)",
        "Half as many (0.5)",
        "As many (1: the estimate)",
        "1.5 times as many",
        "Twice as many (2)",
    ]
    # drug: 127 observed, 420 - 376 = 44 unrecorded at 0.338 each: 127 + 44 * 0.338 * d
    assert sens.rows[0] == ["Drug treatment", "44", "127", "134", "142", "149", "157"]


def test_it_draws_the_range_and_its_multipliers_in_the_chart(report: dict[str, Any]) -> None:
    spec = json.dumps(estimates_section(report).figures[0].spec)
    data = estimates_section(report).figures[0].spec["data"]["values"]
    ranges = [r for r in data if r.get("kind") == "range"]
    assert [(r["type"], r["lo"], round(r["hi"], 2)) for r in ranges] == [
        ("Drug treatment", 127, 156.74),
        ("Alcohol treatment", 55, 68.76),
        ("All", 182, 225.52),
    ]
    assert sum(1 for r in data if r.get("kind") == "tick") == 15  # five per treatment type
    assert "182 to 226" in spec


def test_it_says_what_the_range_means_in_plain_words(report: dict[str, Any]) -> None:
    words = " ".join(estimates_section(report).paragraphs)
    assert "whether a client's number is recorded has nothing to do with how many" in words
    assert (
        "if the 64 clients whose number is not recorded lived with twice as many children as "
        "those recorded, the figure would be 226; with as many, 204; with none, 182."
    ) in words


def test_it_hides_a_suppressed_range_and_never_gives_n_back(report: dict[str, Any]) -> None:
    r = copy.deepcopy(report)
    e = r["estimates"]["drug"]
    e.update(n=None, ratio=None, estimate=None, ci95=None)  # n suppressed, observed shown
    e["sensitivity"] = {"0": 127, "0.5": None, "1": None, "1.5": None, "2": None}
    sec = estimates_section(r)
    drug = next(row for row in sec.figures[0].table.rows if row[0] == "Drug treatment")
    assert drug[2] == "* of 420" and drug[3] == "*"
    sens = next(t for t in sec.tables if t.caption.startswith("If the"))
    assert sens.rows[0] == ["Drug treatment", "*", "127", "*", "*", "*", "*"]
    # N - n = 44 would give n back: in no cell, label or sentence
    cells = [c for t in (sec.figures[0].table, *sec.tables) for row in t.rows for c in row]
    labels = [str(v.get("label")) for v in sec.figures[0].spec["data"]["values"]]
    assert "44" not in cells + labels and " 44 " not in " ".join(sec.paragraphs)
    e["observed"] = None
    e["sensitivity"]["0"] = None
    drug = next(row for row in estimates_section(r).figures[0].table.rows if row[0][0] == "D")
    assert drug[1] == "*" and drug[3] == "*"
    # the chart says so too, with a star where the figure would be
    shown = [
        v for v in estimates_section(r).figures[0].spec["data"]["values"] if v["type"][0] == "D"
    ]
    assert [v["label"] for v in shown if v["kind"] == "shown"] == ["*", "*", "*"]
    # with nothing recorded there is no range: "–", not a star
    r["estimates"]["drug"].update(observed=0, n=0, sensitivity={"0": 0, "2": None})
    drug = next(row for row in estimates_section(r).figures[0].table.rows if row[0][0] == "D")
    assert drug[3] == "–"
    # a panel without the range keeps every panel's rows in one order (the range beside
    # the interval), with the same colours
    y = estimates_section(r).figures[0].spec["spec"]["layer"][0]["encoding"]["y"]
    assert y["sort"] == estimates_view.METHODS


def test_it_quotes_the_range_in_the_headline_when_everyone_or_no_one_is_recorded(
    report: dict[str, Any],
) -> None:
    everyone = copy.deepcopy(report)
    everyone["estimates"]["all"].update(
        n=600, sensitivity={d: 182 for d in "0 0.5 1 1.5 2".split()}
    )
    text = " ".join(findings(everyone, 0.9))
    assert "Every one of the 600 adults in treatment has a number recorded: 182 children" in text
    nobody = copy.deepcopy(report)
    nobody["estimates"]["all"].update(
        observed=0, n=0, ratio=None, estimate=None, ci95=None, sensitivity={"0": 0, "2": None}
    )
    text = " ".join(findings(nobody, 0.9))
    assert "At least 0 children live with adults in treatment" in text
    assert "Between" not in text and "twice" not in text


def test_the_appendix_quotes_the_simulation_file(
    detailed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hiddenharm.reports import render_html

    figures = json.loads(estimates_view.SIMULATION.read_text())
    html = render_html(detailed, interactive=False)
    f = simulation_figures()
    r = figures["random"]
    assert f["random_interval"] == f"{100 * r['interval_covers'] / r['draws']:.1f}%"
    assert f"held the true number of children in {f['random_interval']} of areas" in html
    assert f"the interval held it in {f['ten_interval']} of" in html
    # another file, other figures: the appendix follows the file, not the template
    figures["random"]["interval_covers"] = 1234
    other = tmp_path / "simulation.json"
    other.write_text(json.dumps(figures))
    monkeypatch.setattr(estimates_view, "SIMULATION", other)
    estimates_view.simulation.cache_clear()
    try:
        assert "in 61.7% of areas" in render_html(detailed, interactive=False)
    finally:
        monkeypatch.undo()
        estimates_view.simulation.cache_clear()


def test_the_html_shows_the_range_table_with_headers(detailed_html: str) -> None:
    captions = [t["caption"] for t in parse_tables(detailed_html)]
    assert any(c.startswith("If the clients whose number is not recorded") for c in captions)
    assert "If recording is not random: the range" in detailed_html
