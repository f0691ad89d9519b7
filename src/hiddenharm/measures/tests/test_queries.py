"""The SQL stays in one dialect that sqlglot can carry to Spark."""

from __future__ import annotations

import pytest
import sqlglot

from hiddenharm.measures.queries import NAMED


@pytest.mark.parametrize("name", sorted(NAMED))
def test_it_transpiles_each_query_to_spark_sql(name: str) -> None:
    out = sqlglot.transpile(
        NAMED[name],
        read="duckdb",
        write="spark",
        unsupported_level=sqlglot.ErrorLevel.RAISE,
    )
    assert len(out) == 1 and out[0].strip()
