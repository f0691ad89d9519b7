"""The accepted tables the measures read, as Arrow schemas, and the categories they count.

The validator hands over typed, normalised tables (docs/architecture.md); an absent file is
an empty table of the same schema. The category lists fix the order of every distribution's
keys, which is also the order in which secondary suppression breaks ties.
"""

from __future__ import annotations

import pyarrow as pa

from hiddenharm.extract import codes

_S, _D, _I = pa.string(), pa.date32(), pa.int32()
_HH = [("PRNTSTAT", _S), ("CHILDWTH", _I), ("PREGNANT", _S), ("EARLYHLP", _S)]

SCHEMAS: dict[str, pa.Schema] = {
    "episodes": pa.schema(
        [("line", pa.int64())]
        + [(c, _S) for c in ("AGNCY", "LA", "CLIENTID", "EPISODID", "FINITIAL", "SINITIAL")]
        + [("DOB", _D)]
        + [(c, _S) for c in ("SEX", "DRUG1", "DRUG2", "DRUG3", "SETTING")]
        + [(c, _D) for c in ("REFLD", "TRIAGED", "CPLANDT", "DISD")]
        + [("DISRSN", _S), ("HHDATE", _D)]
        + _HH
    ),
    "reviews": pa.schema(
        [("line", pa.int64()), ("AGNCY", _S), ("EPISODID", _S), ("REVDATE", _D)] + _HH
    ),
    "children": pa.schema(
        [("line", pa.int64())]
        + [(c, _S) for c in ("AGNCY", "CLIENTID", "CHILDREF")]
        + [("CHILDYOB", _I)]
        + [(c, _S) for c in ("CHSEX", "WHEREABT", "CSCSTAT")]
        + [("RECDATE", _D)]
    ),
}

# Every date column of the three files: the default period ends by the latest of them.
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(f.name for f in schema if f.type == _D) for name, schema in SCHEMAS.items()
}

TYPES = ("drug", "alcohol")  # the two-way tables' columns, in the spec's order
SPLITS = ("drug", "alcohol", "all")
ITEMS = codes.HH_ITEMS

PRNTSTAT_CODES = tuple(codes.PRNTSTAT)  # "11".."15"
PRNTSTAT_GROUPS: dict[str, tuple[str, ...]] = {
    "parent_living_with_children": ("11", "12"),
    "parent_not_living_with_children": ("13",),
    "not_a_parent": ("14",),
    "incomplete": ("15", "missing"),
}
CHILDWTH_BANDS = ("0", "1", "2", "3", "4+")
PREGNANT_CODES = tuple(codes.PREGNANT)
EARLYHLP_CODES = tuple(codes.EARLYHLP)
AGE_BANDS = ("0-4", "5-10", "11-15", "16-17", "18+", "unknown")
WHEREABT_CODES = tuple(codes.WHEREABT)
CSCSTAT_CODES = tuple(codes.CSCSTAT)

# Each distribution's categories (its table's rows), in the spec's order.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "parental_status": PRNTSTAT_CODES + ("missing",),
    "children_living_with": CHILDWTH_BANDS + ("missing",),
    "pregnant": PREGNANT_CODES + ("missing",),
    "early_help": EARLYHLP_CODES + ("missing",),
    "age_band": AGE_BANDS,
    "WHEREABT": WHEREABT_CODES + ("missing",),
    "CSCSTAT": CSCSTAT_CODES + ("missing",),
}


def conform(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The three tables with exactly the schema above: absent tables empty, columns in order."""
    out: dict[str, pa.Table] = {}
    for name, schema in SCHEMAS.items():
        table = tables.get(name)
        if table is None:
            out[name] = schema.empty_table()
            continue
        columns = []
        for field in schema:
            if field.name == "line" and "line" not in table.column_names:
                # The engine identifies rows by line: number them as a file would.
                columns.append(pa.array(range(2, table.num_rows + 2), pa.int64()))
            elif field.name in table.column_names:
                columns.append(table.column(field.name).cast(field.type))
            else:
                columns.append(pa.nulls(table.num_rows, field.type))
        out[name] = pa.Table.from_arrays(columns, schema=schema)
    return out
