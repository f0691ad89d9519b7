"""Build accepted tables (the validator's typed output) from short dicts, for tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from hiddenharm.measures.schema import SCHEMAS

_EPISODE_DEFAULTS = {
    "AGNCY": "A1",
    "LA": "E10000020",
    "CLIENTID": "C1",
    "EPISODID": "E1",
    "FINITIAL": "A",
    "SINITIAL": "B",
    "DOB": "1980-01-01",
    "SEX": "M",
    "DRUG1": "HEROIN",
    "SETTING": "COMM",
    "REFLD": "2018-01-01",
}


def _typed(name: str, row: dict[str, Any], line: int) -> dict[str, Any]:
    schema = SCHEMAS[name]
    out: dict[str, Any] = {"line": line}
    for key, value in row.items():
        field = schema.field(key)  # KeyError on a misspelt column
        if value is None or value == "":
            out[key] = None
        elif field.type == pa.date32() and isinstance(value, str):
            out[key] = dt.date.fromisoformat(value)
        elif field.type == pa.int32():
            out[key] = int(value)
        else:
            out[key] = value
    return out


def episode(**values: Any) -> dict[str, Any]:
    """An episode row: sensible required values, overridden by ``values`` (column names)."""
    return {**_EPISODE_DEFAULTS, **values}


def review(**values: Any) -> dict[str, Any]:
    return {"AGNCY": "A1", "EPISODID": "E1", **values}


def child(**values: Any) -> dict[str, Any]:
    return {"AGNCY": "A1", "CLIENTID": "C1", **values}


def tables(
    episodes: list[dict[str, Any]] = (),  # type: ignore[assignment]
    reviews: list[dict[str, Any]] = (),  # type: ignore[assignment]
    children: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> dict[str, pa.Table]:
    out = {}
    for name, rows in (("episodes", episodes), ("reviews", reviews), ("children", children)):
        typed = [_typed(name, row, line) for line, row in enumerate(rows, start=2)]
        out[name] = pa.Table.from_pylist(typed, schema=SCHEMAS[name])
    return out
