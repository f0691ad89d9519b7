"""The same measures on Apache Spark: the named queries of ``queries``, transpiled by sqlglot.

``SparkSubmission`` is a ``Submission`` whose backend is a Spark session instead of DuckDB:
the input tables become temp views, each named query is parsed in DuckDB's dialect, its
``$parameters`` replaced by SQL literals, and written as Spark SQL by sqlglot. A ``CREATE OR
REPLACE TEMP TABLE name AS SELECT ...`` becomes the SELECT, materialised once
(``localCheckpoint``: computed now, lineage cut, so later queries do not recompute it) and
registered as the temp view ``name``. Everything after the grouped SELECTs (adding the
agency and type rows up, estimates, suppression, the JSON's shape) is the engine's own code,
so both backends give the same report object; ``test_spark_parity`` proves it.

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    with SparkSubmission(tables, spark=spark, la=None) as s:
        year = s.compute(frm, to)

The queries need no rewriting beyond sqlglot's own: ``ARG_MAX`` becomes ``MAX_BY`` (with its
``FILTER``), ``DATE_DIFF('day', a, b)`` Spark's ``DATEDIFF(DAY, a, b)``, ``ORDER BY`` gets
DuckDB's ``NULLS LAST``, and ``GREATEST``, ``||``, ``LIKE`` and ``COUNT(*) FILTER`` mean the
same on both (``GREATEST`` skips NULLs on both). Each submission works in its own Spark
session (``newSession``: the caller's SparkContext, but its own temp views and SQL settings),
so two submissions never see each other's views.

PySpark is an optional dependency: this module imports it only for type checking; the caller
brings the session.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import sqlglot
from sqlglot import exp

from hiddenharm.measures.engine import Submission

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkSubmission", "session", "to_spark_sql"]

DEFAULT_MASTER = "local[2]"


def session(master: str | None = None) -> SparkSession:
    """A Spark session for the command line: Spark Connect when ``SPARK_REMOTE`` is set (as
    PySpark itself reads it), else a classic session on ``master`` (default ``local[2]``).

    A local session listens on the loopback only, shows no UI, and shuffles into as many
    partitions as it has cores (Spark's 200 suit a cluster, not a laptop)."""
    import os
    import warnings

    with warnings.catch_warnings():  # PySpark warns about the pandas it does not use here
        warnings.simplefilter("ignore", FutureWarning)
        from pyspark.sql import SparkSession

    remote = os.environ.get("SPARK_REMOTE")
    if remote:
        return SparkSession.builder.remote(remote).getOrCreate()
    master = master or DEFAULT_MASTER
    builder = (
        SparkSession.builder.master(master)
        .appName("hiddenharm")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if master.startswith("local"):
        m = re.fullmatch(r"local\[(\d+)\]", master)
        cores = int(m.group(1)) if m else (os.cpu_count() or 2) if master == "local[*]" else 1
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", str(max(1, cores)))
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@cache
def _parsed(sql: str) -> exp.Expression:
    parsed = sqlglot.parse_one(sql, read="duckdb")
    if not isinstance(parsed, exp.Expression):
        raise ValueError(f"not a statement: {sql[:60]!r}")
    return parsed


def _literal(name: str, value: Any) -> exp.Expression:
    """A parameter's value as a SQL literal (sqlglot quotes and escapes strings)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, dt.datetime):
        raise TypeError(f"parameter ${name}: a datetime, not a date")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("date"))
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    raise TypeError(f"parameter ${name}: cannot bind a {type(value).__name__}")


def _bind(expression: exp.Expression, params: dict[str, Any]) -> exp.Expression:
    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name:
            if node.name not in params:
                raise KeyError(f"no value for parameter ${node.name}")
            return _literal(node.name, params[node.name])
        return node

    return expression.copy().transform(replace)


def to_spark_sql(sql: str, params: dict[str, Any] | None = None) -> tuple[str | None, str]:
    """A DuckDB-dialect statement as Spark SQL, its ``$parameters`` bound as literals.

    Returns ``(view, select)``: for ``CREATE [OR REPLACE] TEMP TABLE view AS SELECT ...`` the
    view's name and the SELECT; for a plain query ``(None, query)``."""
    bound = _bind(_parsed(sql), params or {})
    if isinstance(bound, exp.Create):
        if not isinstance(bound.expression, exp.Query):
            raise ValueError(f"only CREATE ... AS SELECT is supported: {sql[:60]!r}")
        return bound.this.name, bound.expression.sql(
            dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE
        )
    return None, bound.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)


class SparkSubmission(Submission):
    """A submission measured on Spark, with exactly the figures of ``Submission`` (DuckDB)."""

    def __init__(
        self,
        tables: dict[str, pa.Table] | None = None,
        *,
        spark: SparkSession,
        la: str | None = None,
        frames: Callable[[SparkSession], dict[str, DataFrame]] | None = None,
    ) -> None:
        """``tables``: the accepted Arrow tables; or ``frames``: a function of this submission's
        Spark session giving DataFrames of the same three tables and schemas, such as the
        warehouse's Parquet files read by Spark in place (``measures.warehouse.spark_frames``).
        """
        if (tables is None) == (frames is None):
            raise TypeError("give the tables or the frames, not both")
        # Its own session: own temp views, and dates compared in UTC whatever the caller's zone.
        # (Spark Connect has no newSession: there the client's session is already its own.)
        try:
            self.spark = spark.newSession()
        except Exception:  # noqa: BLE001 - pyspark.errors differ between classic and Connect
            self.spark = spark
        self.spark.conf.set("spark.sql.session.timeZone", "UTC")
        self._views: dict[str, DataFrame] = {}
        self._frames = frames
        super().__init__(tables or {}, la=la)

    def _load_inputs(self, typed: dict[str, pa.Table]) -> None:
        if self._frames is not None:
            frames = self._frames(self.spark)  # in this session, which owns the temp views
            for name in typed:
                self._register(f"{name}_in", frames[name])
            return
        for name, table in typed.items():
            # date32 -> DateType, int32 -> IntegerType, int64 -> LongType, nulls kept
            frame = self.spark.createDataFrame(table)
            self._register(f"{name}_in", frame)

    def _register(self, view: str, frame: DataFrame) -> None:
        frame.createOrReplaceTempView(view)
        self._views[view] = frame

    def _execute(self, sql: str, params: dict[str, Any]) -> None:
        view, select = to_spark_sql(sql, params)
        if view is None:
            raise ValueError(f"not a CREATE ... AS SELECT: {sql[:60]!r}")
        # Materialised now (the later steps of a period read it several times).
        self._register(view, self.spark.sql(select).localCheckpoint(eager=True))

    def _query(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        view, select = to_spark_sql(sql, params)
        if view is not None:
            raise ValueError(f"a statement, not a query: {sql[:60]!r}")
        frame = self.spark.sql(select)
        return list(frame.columns), [tuple(row) for row in frame.collect()]

    def close(self) -> None:
        for view in self._views:
            self.spark.catalog.dropTempView(view)
        self._views.clear()
