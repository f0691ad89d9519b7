"""The SQL stays in one dialect that sqlglot can carry to Spark."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlglot

from hiddenharm.measures.queries import NAMED
from hiddenharm.measures.spark import to_spark_sql


@pytest.mark.parametrize("name", sorted(NAMED))
def test_it_transpiles_each_query_to_spark_sql(name: str) -> None:
    out = sqlglot.transpile(
        NAMED[name],
        read="duckdb",
        write="spark",
        unsupported_level=sqlglot.ErrorLevel.RAISE,
    )
    assert len(out) == 1 and out[0].strip()


PARAMS = {
    "la": "E10000020",
    "from": dt.date(2019, 4, 1),
    "to": dt.date(2020, 3, 31),
    "cut": dt.date(2019, 10, 1),
    "year": 2020,
}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_the_spark_backend_binds_each_querys_parameters_as_literals(name: str) -> None:
    view, sql = to_spark_sql(NAMED[name], PARAMS)
    # a CREATE ... TEMP TABLE becomes its view's name and the SELECT that fills it
    assert (view is not None) == NAMED[name].lstrip().startswith("CREATE OR REPLACE TEMP TABLE")
    assert sql.lstrip().upper().startswith(("SELECT", "WITH"))
    assert not re.search(r"[$:](la|from|to|cut|year)\b", sql), sql


def test_the_spark_backend_quotes_strings_and_types_dates() -> None:
    _, sql = to_spark_sql(
        "SELECT 1 FROM t WHERE ($la IS NULL OR LA = $la) AND d <= $to AND y = $year",
        {"la": "it's", "to": dt.date(2020, 3, 31), "year": 2020},
    )
    assert "LA = 'it\\'s'" in sql
    assert "d <= CAST('2020-03-31' AS DATE)" in sql and "y = 2020" in sql
    _, sql = to_spark_sql("SELECT 1 FROM t WHERE $la IS NULL", {"la": None})
    assert "NULL IS NULL" in sql
    with pytest.raises(KeyError):
        to_spark_sql("SELECT $nope", {})
    with pytest.raises(TypeError):
        to_spark_sql("SELECT $x", {"x": 1.5})
