"""Write a submission (episodes, reviews, children) from tables, as CSV or Parquet.

Columns are written in the spec's order; columns the spec does not name are kept
after them (a provider's full NDTMS width). Dates are written as YYYY-MM-DD, nulls
as empty cells. Used by the synthetic generator and by the web application's export.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from hiddenharm.extract.cells import neutralise_table
from hiddenharm.extract.codes import FILES


def _as_text(table: pa.Table, spec_columns: tuple[str, ...]) -> pa.Table:
    """Every column as text, spec columns first, `line` dropped."""
    names = [c for c in spec_columns if c in table.column_names]
    names += [c for c in table.column_names if c not in spec_columns and c != "line"]
    cols = []
    for name in names:
        col = table.column(name)
        if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
            col = pc.cast(col, pa.string())
        cols.append(col)
    return pa.table(cols, names=names)


def write_submission(
    tables: dict[str, pa.Table], directory: str | Path, fmt: str = "csv"
) -> dict[str, Path]:
    """Write each table in `tables` ("episodes", "reviews", "children") into `directory`.

    Returns the paths written. `fmt` is "csv" or "parquet".
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, table in tables.items():
        spec = FILES[name]
        text = _as_text(table, spec.column_names)
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            # Formula cells (=, +, -, @, tab, CR) made text for spreadsheets: see cells.py.
            pacsv.write_csv(
                neutralise_table(text),
                path,
                write_options=pacsv.WriteOptions(quoting_style="needed", include_header=True),
            )
        else:
            pq.write_table(text, path)
        written[name] = path
    return written
