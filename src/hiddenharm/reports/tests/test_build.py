"""End to end: a tiny submission written as CSV, through validation, measures and report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from hiddenharm.extract import validate
from hiddenharm.measures import Submission, whole_quarters
from hiddenharm.reports import (
    FatalSubmission,
    build_report,
    parse_prevalence,
)
from hiddenharm.reports.build import AREA_SECTIONS, SPEC_KEYS, quarter_label
from hiddenharm.reports.command import report
from hiddenharm.reports.text import findings
from hiddenharm.reports.view import areas_section

EPISODES = """\
AGNCY,LA,CLIENTID,EPISODID,FINITIAL,SINITIAL,DOB,SEX,DRUG1,DRUG2,REFLD,CPLANDT,DISD,DISRSN,PRNTSTAT,CHILDWTH,PREGNANT,EARLYHLP
A1,E06000001,C1,E1,J,S,1980-01-01,F,HEROIN,,2019-05-01,2019-05-10,,,11,2,N,EH
A1,E06000001,C2,E2,K,T,1975-02-02,M,ALCOHOL,,2019-06-01,2019-06-05,2020-01-10,TC,14,0,,
A2,E06000002,X9,E3,L,U,1990-03-03,F,CRACK,ALCOHOL,2018-01-01,2018-01-10,,,13,0,Y,
A2,E06000002,X10,E4,M,V,1985-04-04,M,COCAINE,,2019-09-01,2019-09-02,,,,,,
A1,E06000002,C3,E5,N,W,1970-05-05,M,ALCOHOL,,2019-10-01,2019-10-03,,,12,3,,CIN;EH
"""
REVIEWS = """\
AGNCY,EPISODID,REVDATE,PRNTSTAT,CHILDWTH,PREGNANT,EARLYHLP
A2,E3,2020-01-15,13,0,N,
A1,E1,2019-12-01,11,2,N,EH
"""
CHILDREN = """\
AGNCY,CLIENTID,CHILDREF,CHILDYOB,CHSEX,WHEREABT,CSCSTAT,RECDATE
A1,C1,K1,2015,F,CLIENT,EH,2019-05-10
A1,C1,K2,2012,M,CLIENT,NONE,2019-05-10
A2,X9,K1,2005,M,OPARENT,NONE,2018-02-01
"""
AS_OF = dt.date(2020, 6, 1)

app = typer.Typer()
app.command()(report)
runner = CliRunner()


@pytest.fixture(scope="module")
def submission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sub")
    (folder / "episodes.csv").write_text(EPISODES)
    (folder / "reviews.csv").write_text(REVIEWS)
    (folder / "children.csv").write_text(CHILDREN)
    return folder


def test_it_builds_the_json_of_the_spec_from_a_submission(submission: Path) -> None:
    result = runner.invoke(
        app,
        [
            str(submission),
            "--as-of",
            "2020-06-01",
            "--from",
            "2019-04-01",
            "--to",
            "2020-03-31",
            "--format",
            "json",
            "--prevalence-drug",
            "100,80,120",
        ],
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert tuple(out) == SPEC_KEYS
    assert out["period"] == {"from": "2019-04-01", "to": "2020-03-31"}
    assert out["population"]["in_treatment"]["all"] == 5
    assert out["estimates"]["all"]["observed"] == 5  # 2 (review) + 0 + 0 + 3
    assert out["children"]["all"]["total"] == 3
    assert isinstance(out["problems"], dict)
    prevalence = out["estimates"]["drug"]["prevalence"]
    assert prevalence["P"] == 100 and prevalence["interval"][0] == pytest.approx(
        80 * prevalence["c"]
    )


def test_it_reports_the_areas_and_quarters(submission: Path) -> None:
    validated = validate(submission, as_of=AS_OF)
    r = build_report(validated, dt.date(2019, 4, 1), dt.date(2020, 3, 31), as_of=AS_OF)
    assert sorted(r["areas"]) == ["E06000001", "E06000002"]
    assert r["areas"]["E06000001"]["population"]["in_treatment"]["all"] == 2
    assert [q["label"] for q in r["trend"]][-1] == "2019/20 Q4" and len(r["trend"]) == 8
    text = " ".join(findings(r, 0.9))
    # 4 of 5 recorded, 5 children: at twice as many, 5 + 1 * 1.25 * 2 = 7.5
    assert r["estimates"]["all"]["sensitivity"]["2"] == 7.5
    assert "Between 5 and 8 children live with the 5 adults in treatment: at least 5" in text
    assert "In drug treatment, 1 of 3 clients (33.3%) were parents living with" in text
    assert "1 of the 2 local authorities fell below the 90% target" in text
    # the areas, cut from the submission before measuring, are what `la=` gives
    for la in r["areas"]:
        with Submission(validated.tables, la=la) as whole:
            assert r["areas"][la] == whole.compute(
                "2019-04-01", "2020-03-31", sections=AREA_SECTIONS
            )
    area = areas_section(r, 0.9)
    assert area is not None and [row[0] for row in area.figures[0].table.rows] == [
        "Region",
        "E06000001",
        "E06000002",
    ]


def test_it_publishes_without_small_numbers(submission: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app,
        [
            str(submission),
            "--as-of",
            "2020-06-01",
            "--from",
            "2019-04-01",
            "--to",
            "2020-03-31",
            "--publish",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    html = out.read_text()
    assert "Published figures" in html and "<td>*</td>" in html
    # 1 of 3 clients in drug treatment is a parent living with children: not told
    assert "parents living with children in drug treatment is too small to publish" in html
    assert "1 of 3 clients" not in html


def test_it_exits_2_on_a_fatal_submission(tmp_path: Path) -> None:
    bad = tmp_path / "episodes.csv"
    bad.write_text("AGNCY,LA\nA1,E06000001\n")
    result = runner.invoke(app, [str(bad), "--as-of", "2020-06-01"])
    assert result.exit_code == 2
    assert "cannot be read" in result.stderr and "HH001" in result.stderr
    assert result.stdout == ""
    with pytest.raises(FatalSubmission):
        build_report(bad, as_of=AS_OF)


def test_it_counts_quarters_back_from_the_period_end() -> None:
    quarters = whole_quarters(dt.date(2020, 3, 31))
    assert quarters[0] == (dt.date(2018, 4, 1), dt.date(2018, 6, 30))
    assert quarters[-1] == (dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    # a period ending mid-quarter trends to the last whole quarter
    assert whole_quarters(dt.date(2020, 5, 15))[-1] == quarters[-1]
    assert [quarter_label(q[0]) for q in quarters[:2]] == ["2018/19 Q1", "2018/19 Q2"]


def test_it_reads_a_prevalence() -> None:
    assert parse_prevalence(" 2500, 2100,3000 ") == (2500.0, 2100.0, 3000.0)
    for bad in ("2500", "x,1,2", "5,6,7", "nan,1,2"):
        with pytest.raises(ValueError):
            parse_prevalence(bad)


def test_the_areas_of_a_generated_region_are_what_la_gives(tmp_path: Path) -> None:
    from hiddenharm.measures import compute
    from hiddenharm.synth import generate

    areas = "E10000020,E10000029,E06000031"
    generate(tmp_path, area=areas, agencies=4, episodes=3000, errors=True, seed=11)
    validated = validate(tmp_path, as_of=dt.date(2026, 1, 1))
    r = build_report(validated, as_of=dt.date(2026, 1, 1), publish=True)
    assert sorted(r["areas"]) == sorted(areas.split(","))
    period = r["period"]["from"], r["period"]["to"]
    for la, got in r["areas"].items():
        want = compute(validated.tables, *period, la=la, publish=True)
        assert got == {k: want[k] for k in ("period", *AREA_SECTIONS)}
        assert got["population"]["in_treatment"]["all"] > 0
