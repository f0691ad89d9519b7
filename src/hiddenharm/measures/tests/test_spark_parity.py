"""Parity: the named queries, transpiled by sqlglot and run on Spark, give DuckDB's figures.

Every figure is compared exactly (``assert_same``: floats to the last bit). The SQL returns
only integer counts and sums; rates, ratios, estimates and intervals are computed in Python
from them by the engine's own code on both backends, so there is nothing to round.

One local Spark session (2 cores, no UI, loopback only) serves the module. The session turns
code generation (whole-stage and expressions), the JVM's optimising compiler and adaptive
execution off: on tables of a few rows, compiling and re-planning cost far more than they
save, and none changes a result.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from hiddenharm.extract import validate
from hiddenharm.measures import Submission
from hiddenharm.measures.tests._build import child, episode, review, tables
from hiddenharm.measures.tests.test_reference import FROM, TO, assert_same
from hiddenharm.synth import generate

pytestmark = [
    pytest.mark.spark,
    pytest.mark.xdist_group("spark"),  # one Spark session, with --dist loadgroup
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

PREVALENCE = {"drug": (100.0, 80.0, 120.0), "alcohol": (50.0, 40.0, 70.0)}


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    # Session-wide, not per module: under xdist the worker that runs this group may run other
    # modules' tests between these, and a module fixture would then start the JVM again.
    pytest.importorskip("pyspark", reason="PySpark is not installed (the spark extra)")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH: Spark needs one")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("hiddenharm-parity")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        # Expressions interpreted, not compiled to Java (Spark's own fallback when codegen
        # fails; the same results), and the JVM's quick compiler only: on these few-row
        # tables, compiling cost more than it saved. Measured on the edge cases' compute and
        # areas: 29 CPU seconds (JVM and Python) by default, 19 without codegen, 11 with both.
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _both(
    spark: Any,
    t: dict[str, pa.Table],
    la: str | None,
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]],
) -> None:
    """Each call (method, args, kwargs) on DuckDB's and Spark's submission: same answers."""
    from hiddenharm.measures.spark import SparkSubmission

    with Submission(t, la=la) as duck:
        want = [getattr(duck, m)(*a, **k) for m, a, k in calls]
        want_latest, want_children = duck.latest_date, duck.children_rows
    with SparkSubmission(t, spark=spark, la=la) as on_spark:
        got = [getattr(on_spark, m)(*a, **k) for m, a, k in calls]
        assert (on_spark.latest_date, on_spark.children_rows) == (want_latest, want_children)
    for (method, _, _), g, w in zip(calls, got, want, strict=True):
        assert_same(g, w, method)


def _edge_cases() -> dict[str, pa.Table]:
    """Ties, reviews beating episode rows, LA-less episodes, clients naming two individuals,
    children with odd years, dates on the edges of the period and the currency window."""
    return tables(
        [
            episode(
                EPISODID="E1",
                LA="LA1",
                CPLANDT="2019-05-01",
                HHDATE="2019-05-01",
                PRNTSTAT="11",
                CHILDWTH=2,
                EARLYHLP="CIN;EH",
                SEX="F",
                PREGNANT="Y",
            ),
            # same start as E1 for the same individual: E10 < E2 in text order, so E2 wins
            episode(
                EPISODID="E2",
                LA="LA1",
                CPLANDT="2019-05-01",
                DRUG1="ALCOHOL",
                PRNTSTAT="13",
                SEX="F",
                CHILDWTH=0,
            ),
            episode(
                EPISODID="E10",
                LA="LA2",
                AGNCY="B2",
                CPLANDT="2019-05-01",
                DRUG1="ALCOHOL",
                DRUG2="CANNABIS",
                SEX="F",
                PRNTSTAT="12",
                CHILDWTH=4,
            ),
            # a man's PREGNANT never counts; an episode row without HHDATE is dated CPLANDT
            episode(
                EPISODID="E3",
                FINITIAL="M",
                CLIENTID="C2",
                CPLANDT="2018-06-01",
                PRNTSTAT="12",
                CHILDWTH=5,
                PREGNANT="Y",
                EARLYHLP="NONE",
            ),
            # no drug given at all: drug; discharged on FROM: still in treatment
            episode(
                EPISODID="E4",
                FINITIAL="N",
                CLIENTID="C2",
                DRUG1=None,
                CPLANDT="2019-03-31",
                DISD="2019-04-01",
                LA=None,
                CHILDWTH=1,
            ),
            # discharged before FROM; never started
            episode(
                EPISODID="E5",
                FINITIAL="Q",
                LA="LA2",
                CPLANDT="2015-01-01",
                DISD="2016-01-01",
                PRNTSTAT="14",
            ),
            episode(EPISODID="E6", FINITIAL="R", LA="LA2", CPLANDT=None, PRNTSTAT="11"),
            # on the currency edge (TO - 182 days), reviewed inside the window
            episode(
                EPISODID="E7",
                FINITIAL="S",
                SEX="X",
                AGNCY="C3",
                LA="LA2",
                CPLANDT="2019-10-01",
                HHDATE="2020-04-01",
                PRNTSTAT="15",
                EARLYHLP="CPP;LAC;EH",
            ),
        ],
        [
            review(EPISODID="E1", REVDATE="2020-01-10", PRNTSTAT="12", CHILDWTH=3, PREGNANT="N"),
            # a review on the episode row's own date beats it
            review(EPISODID="E1", REVDATE="2019-05-01", EARLYHLP="UNK"),
            review(EPISODID="E3", REVDATE="2019-10-02", PRNTSTAT="12", CHILDWTH=2),
            review(AGNCY="C3", EPISODID="E7", REVDATE="2020-03-31", PRNTSTAT="14", CHILDWTH=0),
            review(EPISODID="E9", REVDATE="2020-01-01", PRNTSTAT="11"),  # no such episode
        ],
        [
            child(CHILDREF="K1", CHILDYOB=2010, RECDATE="2019-01-01", WHEREABT="CLIENT"),
            child(
                CHILDREF="K1", CHILDYOB=2010, RECDATE="2020-02-01", WHEREABT="FOSTER", CSCSTAT="CIN"
            ),
            child(CHILDREF="K2", CHILDYOB=2021, RECDATE="2019-06-01"),
            child(CHILDREF="K3", CHILDYOB=None, RECDATE="2019-06-01", CSCSTAT="NONE"),
            child(CHILDREF="K4", CHILDYOB=2000, RECDATE="2019-06-01"),
            child(CHILDREF="K5", CHILDYOB=2016, RECDATE="2020-04-02"),  # after TO
            child(CLIENTID="C2", CHILDREF="K1", CHILDYOB=2003, RECDATE="2019-06-01"),
        ],
    )


QUARTERS = [(dt.date(2019, 10, 1), dt.date(2019, 12, 31)), (dt.date(2020, 1, 1), TO)]


@pytest.mark.parametrize("la", [None, "LA1", "it's"])
def test_spark_gives_duckdbs_figures_on_edge_cases(spark: Any, la: str | None) -> None:
    # Each local authority (a code, and one with a quote in it) takes the figures unsuppressed
    # (the edge cases' counts are small: published, most would be hidden); the whole area
    # takes every method and option.
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("compute", (FROM, TO), {"prevalence": PREVALENCE}),
    ]
    if la is None:
        calls += [
            ("compute", (FROM, TO), {"publish": True, "prevalence": PREVALENCE}),
            ("compute", (dt.date(2019, 10, 1), None), {"children_per_parent": 2.0}),
            ("trend", (QUARTERS,), {}),
            ("compute", (), {}),  # the default period, from the latest date (GREATEST)
            ("areas", (FROM, TO), {}),
            ("areas", (FROM, TO), {"publish": True, "children_per_parent": 2.0}),
            ("local_authorities", (), {}),
        ]
    _both(spark, _edge_cases(), la, calls)


def test_spark_gives_duckdbs_figures_without_reviews_or_children(spark: Any) -> None:
    t = _edge_cases()
    del t["reviews"], t["children"]  # absent files: empty tables
    _both(spark, t, None, [("compute", (FROM, TO), {"children_per_parent": 2.0})])


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pa.Table]:
    folder: Path = tmp_path_factory.mktemp("spark")
    generate(folder, area="E10000020,E06000031", agencies=3, episodes=400, errors=True, seed=11)
    result = validate(folder, as_of=dt.date(2026, 1, 1))
    assert not result.fatal
    return dict(result.tables)


@pytest.mark.parametrize("la", [None, "E06000031"])
def test_spark_gives_duckdbs_figures_on_a_synthetic_submission(
    spark: Any, synthetic: dict[str, pa.Table], la: str | None
) -> None:
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("compute", (), {}),
        ("compute", (dt.date(2023, 7, 1), dt.date(2023, 9, 30)), {"publish": True}),
    ]
    if la is None:
        calls.append(("areas", (dt.date(2022, 4, 1), dt.date(2023, 3, 31)), {}))
    _both(spark, synthetic, la, calls)


# --- the warehouse: `report DIR` on DuckDB and on Spark, the same JSON ----------------------


def _report_both(spark: Any, warehouse: Path, *args: str) -> tuple[str, str]:
    """`hiddenharm report DIR` on each engine, through the command (Spark reuses the module's
    session: the command's getOrCreate finds it)."""
    from typer.testing import CliRunner

    from hiddenharm.cli import app

    runner = CliRunner()
    duck = runner.invoke(app, ["report", str(warehouse), *args])
    on_spark = runner.invoke(app, ["report", str(warehouse), "--engine", "spark", *args])
    assert duck.exit_code == 0, duck.stderr
    assert on_spark.exit_code == 0, on_spark.stderr
    return duck.stdout, on_spark.stdout


def _file(tables: dict[str, pa.Table], folder: Path, as_of: dt.date) -> None:
    from hiddenharm.extract import write_submission
    from hiddenharm.measures.warehouse import file_submission

    text = {
        name: t.drop_columns(["line"]).cast(
            pa.schema([(f.name, pa.string()) for f in t.drop_columns(["line"]).schema])
        )
        for name, t in tables.items()
    }
    write_submission(text, folder / "submission", "csv")
    result = validate(folder / "submission", as_of=as_of)
    file_submission(result, folder / "warehouse")


def test_spark_reports_a_warehouse_of_edge_cases_as_duckdb_does(spark: Any, tmp_path: Path) -> None:
    t = _edge_cases()
    _file(t, tmp_path, dt.date(2020, 6, 30))
    warehouse = tmp_path / "warehouse"
    for args in (
        ("--from", str(FROM), "--to", str(TO), "--publish", "--prevalence-drug", "100,80,120"),
        ("--from", "2019-10-01", "--children-per-parent", "2"),
    ):
        duck, on_spark = _report_both(spark, warehouse, *args)
        assert on_spark == duck
        assert json.loads(duck)["population"]["in_treatment"]["all"] > 0


def test_spark_reports_a_submission_as_duckdb_does(spark: Any, tmp_path: Path) -> None:
    """Not a warehouse: the command validates, then hands the accepted tables to Spark."""
    _file(_edge_cases(), tmp_path, dt.date(2020, 6, 30))
    args = ("--as-of", "2020-06-30", "--from", str(FROM), "--to", str(TO))
    duck, on_spark = _report_both(spark, tmp_path / "submission", *args)
    assert on_spark == duck
    assert json.loads(duck)["problems"]  # the edge cases' review of a missing episode


@pytest.mark.slow
def test_spark_reports_a_national_warehouse_as_duckdb_does(spark: Any, tmp_path: Path) -> None:
    """A realistic submission of 200,000 episodes, twelve agencies in three areas, with
    planted problems of every code, filed into a warehouse of twelve agency folders."""
    big = tmp_path / "big"
    generate(
        big,
        area="E10000020,E06000031,E08000025",
        agencies=12,
        episodes=200_000,
        errors=True,
        seed=5,
        as_of=dt.date(2026, 6, 1),
    )
    from hiddenharm.measures.warehouse import file_submission

    result = validate(big, as_of=dt.date(2026, 6, 1))
    assert result.tables["episodes"].num_rows > 190_000
    file_submission(result, tmp_path / "warehouse")
    duck, on_spark = _report_both(spark, tmp_path / "warehouse")
    assert on_spark == duck
    assert json.loads(duck)["population"]["in_treatment"]["all"] > 10_000
