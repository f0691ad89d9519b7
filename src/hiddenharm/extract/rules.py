"""The validation rules as set-based DuckDB SQL.

Column kinds, code lists and required flags come from `codes.py`; this module holds only
the rules that relate columns to each other (dates in order, pregnancy and sex, ...).

Each file is loaded into a table `t_<file>` (one Arrow table) with, for every spec column C:
  r_C   the cell as given (text, untrimmed; null only when the column is absent)
  C     trimmed; null when empty or exactly `NA`; upper-cased unless the column is a reference
  d_C   (date columns) the parsed date, null when blank or not a date
plus n_CHILDWTH (the whole number, null unless valid), p_EARLYHLP (the list of parts),
y_CHILDYOB and m_EARLYHLP (the accepted table's values). Row rules (one row at a time) run
on `f_<file>`: the rows that some row rule reports, found by `load` (few); the rules that
compare rows (HH008, HW104, reviews and children against episodes) on t_<file>.
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hiddenharm.extract.codes import (
    CHILDWTH_MAX,
    EARLYHLP_EXCLUSIVE,
    PRNTSTAT,
    PRNTSTAT_APART,
    PRNTSTAT_LIVING_WITH,
    Column,
    FileSpec,
)

PROBLEM_COLUMNS = "file, line, col, value, code, message"

# Case-sensitive kinds keep their case; everything else is matched upper-cased.
_CASE_SENSITIVE = ("ref",)
_FAR_FUTURE = "DATE '9999-12-31'"
_THREADS = 2  # as DuckDB's: the validator is sized for a small (2-core) server

# Dates that must be in order within an episode row: (earlier, later, only when this is blank).
# DISD is compared with REFLD only where CPLANDT is blank (the spec's HH005).
_EPISODE_ORDER = (
    ("DOB", "REFLD", None),
    ("REFLD", "TRIAGED", None),
    ("REFLD", "CPLANDT", None),
    ("CPLANDT", "DISD", None),
    ("REFLD", "DISD", "CPLANDT"),
)


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _codes_sql(codes: dict[str, str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(lit(c) for c in codes) + "]"


def _shown(expr: str) -> str:
    """A value quoted for a message."""
    return f"concat('''', {expr}, '''')"


# --- loading ----------------------------------------------------------------------------

# A row rule: (the SELECT list of a problem row, the condition for reporting it), one row of
# the file at a time. It reads `SELECT <head> FROM <table> WHERE <cond>`.
RowRule = tuple[str, str]


@dataclass
class Loaded:
    """One file in DuckDB: `name` is every column (see the module docstring) as one Arrow
    table, `flagged` only the rows that some row rule reports (few), with the same columns."""

    name: str
    flagged: str
    table: pa.Table  # line, r_C, C, p_C, then d_C, n_C, y_C (year), m_C (multicode)
    row_rules: list[RowRule]  # the file's row rules (their conditions make `flag`)


def load(con: duckdb.DuckDBPyConnection, spec: FileSpec, raw: pa.Table, as_of: dt.date) -> Loaded:
    """Normalise `raw` (line + spec columns as text) into the table t_<file>, and the rows
    that a row rule reports into f_<file>.

    A column other than a reference holds few distinct values (codes, dates, letters): each
    distinct value is normalised, parsed and checked once, and the rows take the results by
    their value's number. The rules that read one column alone are then known for every row;
    one scan evaluates the others (references, and the rules that relate columns), and the row
    rules run again, as SQL, on the rows flagged by either (few).
    """
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        done = list(
            pool.map(lambda col: _normalise_column(col, raw.column(col.name)), spec.columns)
        )
    unprintable = tuple(
        c.col.name for c in done if c.col.kind == "ref" and _mark_unprintable(con, spec, c)
    )
    rules = row_rules(spec, as_of, unprintable)
    cols: list[pa.Array | pa.ChunkedArray] = [raw.column("line")]
    names = ["line"]
    for c in done:
        cols += [c.given, c.value]
        names += [f"r_{c.col.name}", c.col.name]
        if c.parts is not None:
            cols.append(c.parts)
            names.append(f"p_{c.col.name}")
    flags: list[np.ndarray] = []
    # Each row rule's condition is evaluated on the distinct values of the one column it
    # reads, when it reads one column of few values; the others row by row.
    reads = {cond: _columns_read(spec, cond) for _, cond in rules}
    distinct = {c.col.name for c in done if c.index is not None}
    later = [cond for cond, read in reads.items() if not (len(read) == 1 and read <= distinct)]
    for c in done:
        if c.index is None:
            continue
        own = [cond for cond, read in reads.items() if read == {c.col.name}]
        derived, bad = _derive_distinct(con, spec, c, own)
        for name in derived.column_names:
            cols.append(derived.column(name).take(c.index))
            names.append(name)
        if bad is not None:
            flags.append(bad.take(c.index).to_numpy(zero_copy_only=False))
    table = pa.table(cols, names=names)
    name = f"t_{spec.name}"
    con.register(name, table)
    if later:
        flag = " OR ".join(f"({c})" for c in later)
        got = _arrow(con, f"SELECT line, coalesce({flag}, false) AS flag FROM {name}")
        lines = table.column("line").to_numpy()
        if not np.array_equal(got.column("line").to_numpy(), lines):  # never expected
            got = got.take(pc.sort_indices(got.column("line")))
        flags.append(got.column("flag").to_numpy(zero_copy_only=False))
    flagged = np.logical_or.reduce(flags) if flags else np.zeros(table.num_rows, dtype=bool)
    con.register(f"f_{spec.name}", table.filter(pa.array(flagged)))
    return Loaded(name, f"f_{spec.name}", table, rules)


_LITERAL = re.compile(r"'(?:[^']|'')*'")
_NAME = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


def _columns_read(spec: FileSpec, cond: str) -> set[str]:
    """The spec columns a condition reads (as given, normalised, parsed or split)."""
    names = set(_NAME.findall(_LITERAL.sub("", cond)))
    return {
        c
        for c in spec.column_names
        if names & {c, f"r_{c}", f"d_{c}", f"n_{c}", f"p_{c}", f"np_{spec.name}_{c}"}
    }


@dataclass
class _Column:
    """One column normalised: as given, the value, its codes (multicode); for a column of
    few values, the distinct values as given and each row's number among them."""

    col: Column
    given: pa.ChunkedArray
    value: pa.Array | pa.ChunkedArray
    parts: pa.Array | pa.ChunkedArray | None
    distinct: pa.Array | None = None
    index: pa.Array | pa.ChunkedArray | None = None
    distinct_value: pa.Array | None = None
    distinct_parts: pa.Array | None = None


def _normalise_column(col: Column, given: pa.ChunkedArray) -> _Column:
    if col.kind == "ref":  # mostly distinct: normalised row by row
        _, value, parts = _normalise(col, given)
        return _Column(col, given, value, parts)
    distinct = pc.unique(given)
    if isinstance(distinct, pa.ChunkedArray):
        distinct = distinct.combine_chunks()
    index = pc.index_in(given, value_set=distinct)
    _, value, parts = _normalise(col, distinct)
    return _Column(
        col,
        given,
        value.take(index),
        None if parts is None else parts.take(index),
        distinct,
        index,
        value,
        parts,
    )


def _derive_distinct(
    con: duckdb.DuckDBPyConnection, spec: FileSpec, c: _Column, conds: list[str]
) -> tuple[pa.Table, pa.Array | None]:
    """For each distinct value of a column: its parsed values (d_, n_, y_, m_) and whether a
    rule of that column alone reports it."""
    name = c.col.name
    assert c.distinct is not None  # set for every column derived by distinct value
    cols = [pa.array(np.arange(len(c.distinct))), c.distinct, c.distinct_value]
    names = ["i_", f"r_{name}", name]
    if c.distinct_parts is not None:
        cols.append(c.distinct_parts)
        names.append(f"p_{name}")
    con.register("distinct_values", pa.table(cols, names=names))
    parsed, extra = _parsed(c.col)
    inner = ", ".join(["*", *parsed])
    outer = [*extra]
    if conds:
        outer.append(f"coalesce({' OR '.join(f'({x})' for x in conds)}, false) AS bad_")
    if not outer:
        con.unregister("distinct_values")
        return pa.table({}), None
    got = _arrow(
        con, f"SELECT {', '.join(outer)} FROM (SELECT {inner} FROM distinct_values) ORDER BY i_"
    )
    con.unregister("distinct_values")
    bad = got.column("bad_").combine_chunks() if conds else None
    keep = [n for n in got.column_names if n != "bad_"]
    return got.select(keep), bad


def _parsed(col: Column) -> tuple[list[str], list[str]]:
    """(SQL of the parsed value that the rules read, the columns the loaded table keeps)."""
    c = col.name
    if col.kind == "date":
        return [f"{_parse_date(c)} AS d_{c}"], [f"d_{c}"]
    if col.kind == "count":
        return [
            f"CASE WHEN regexp_full_match({c}, '[0-9]{{1,9}}') "
            f"AND TRY_CAST({c} AS INTEGER) <= {CHILDWTH_MAX} "
            f"THEN TRY_CAST({c} AS INTEGER) END AS n_{c}"
        ], [f"n_{c}"]
    if col.kind == "year":
        return [], [f"TRY_CAST({c} AS INTEGER) AS y_{c}"]
    if col.kind == "multicode":
        return [], [f"CASE WHEN len(p_{c}) > 0 THEN array_to_string(p_{c}, ';') END AS m_{c}"]
    return [], []


def _arrow(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    """The query's result as one pyarrow Table (the method's name differs across DuckDB 1.x/2.x)."""
    rel = con.sql(sql)
    fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
    got = fetch()
    return got.read_all() if isinstance(got, pa.RecordBatchReader) else got


def _normalise(
    col: Column, given: pa.ChunkedArray
) -> tuple[pa.ChunkedArray, pa.Array | pa.ChunkedArray, pa.Array | None]:
    """(as given, trimmed/blanked/upper-cased, the list of codes for a multicode column)."""
    value = pc.utf8_trim_whitespace(given)
    blank = pc.or_(pc.equal(value, ""), pc.equal(value, "NA"))
    value = pc.if_else(blank, pa.scalar(None, pa.string()), value)
    if col.kind not in _CASE_SENSITIVE:
        # ASCII only: Unicode upper-casing would turn a dotless "ı" into a valid "I".
        value = pc.ascii_upper(value)
    parts = _split_codes(value) if col.kind == "multicode" else None
    return given, value, parts


def _split_codes(value: pa.Array | pa.ChunkedArray) -> pa.Array:
    """`;`-joined codes as a list: parts trimmed (as cells are), empty parts dropped."""
    if isinstance(value, pa.ChunkedArray):
        value = value.combine_chunks()
    parts = pc.split_pattern(value, ";")
    flat = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    keep = pc.not_equal(flat, "")
    parent = pc.list_parent_indices(parts).to_numpy(zero_copy_only=False)
    counts = np.bincount(parent[keep.to_numpy(zero_copy_only=False)], minlength=len(value))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), flat.filter(keep), mask=pc.is_null(value))


def _parse_date(c: str) -> str:
    """YYYY-MM-DD or DD/MM/YYYY with two-digit day and month, a real calendar date, year >= 1."""
    return (
        f"CASE WHEN regexp_full_match({c}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
        f"AND {c}[1:4] <> '0000' THEN CAST(try_strptime({c}, '%Y-%m-%d') AS DATE) "
        f"WHEN regexp_full_match({c}, '[0-9]{{2}}/[0-9]{{2}}/[0-9]{{4}}') "
        f"AND {c}[7:10] <> '0000' THEN CAST(try_strptime({c}, '%d/%m/%Y') AS DATE) END"
    )


def _mark_unprintable(con: duckdb.DuckDBPyConnection, spec: FileSpec, c: _Column) -> bool:
    """Python's str.isprintable on the distinct references that are not all printable ASCII
    (characters 0x20-0x7E, which Python prints too): few, if any. Registered as np_<file>_<C>
    when there are some; returns whether there are."""
    value = c.value
    ascii_printable = pc.and_(pc.string_is_ascii(value), pc.ascii_is_printable(value))
    others = pc.unique(pc.filter(value, pc.invert(ascii_printable))).to_pylist()
    bad = [v for v in others if v is not None and not v.isprintable()]
    if bad:
        con.register(f"np_{spec.name}_{c.col.name}", pa.table({"v": pa.array(bad, pa.string())}))
    return bool(bad)


def row_rules(spec: FileSpec, as_of: dt.date, unprintable: tuple[str, ...] = ()) -> list[RowRule]:
    """Every rule that looks at one row at a time, for the file."""
    out = column_rules(spec, unprintable) + future_dates(spec, as_of)
    if spec.name != "children":
        out += hh_item_rules(spec)
    if spec.name == "episodes":
        out += episode_rules()
    return out


def selects(rules: list[RowRule], table: str) -> list[str]:
    """The row rules as SELECTs of the problem columns from `table`."""
    return [f"{head} FROM {table} WHERE {cond}" for head, cond in rules]


# --- per-column rules -------------------------------------------------------------------


def column_rules(spec: FileSpec, unprintable: tuple[str, ...] = ()) -> list[RowRule]:
    """HH002, HH003, HH004 and HH010 for each column."""
    return [r for col in spec.columns for r in _column_rules(spec, col, col.name in unprintable)]


def _column_rules(spec: FileSpec, col: Column, unprintable: bool) -> list[RowRule]:
    """HH002, HH003, HH004 and HH010 for one column: they read that column alone."""
    f = lit(spec.filename)
    c = col.name
    head = f"SELECT {f}, line, {lit(c)}, r_{c}"
    out = []
    if col.required:
        out.append(
            (
                f"{head}, 'HH002', "
                f"{lit(f'{c} ({col.meaning.lower()}) is required but blank; fill it in.')}",
                f"{c} IS NULL",
            )
        )
    bad = _format_check(spec, col, unprintable)
    if bad is not None:
        cond, message = bad
        code = "HH004" if col.kind == "date" else "HH010" if col.kind == "count" else "HH003"
        out.append((f"{head}, {lit(code)}, {message}", f"{c} IS NOT NULL AND ({cond})"))
    return out


def _format_check(spec: FileSpec, col: Column, unprintable: bool) -> tuple[str, str] | None:
    """(SQL condition that the non-blank value is bad, SQL message) for the column's kind."""
    c, kind = col.name, col.kind
    given = _shown(f"r_{c}")
    if kind in ("agency", "la", "initial", "year"):
        pattern, rule = {
            "agency": ("[A-Z0-9]{1,12}", "1 to 12 letters or digits (A-Z, 0-9)"),
            "la": ("[A-Z0-9]{1,9}", "1 to 9 letters or digits (A-Z, 0-9), such as E10000020"),
            "initial": ("[A-Z]", "a single letter A-Z"),
            "year": ("[0-9]{4}", "a year of 4 digits, such as 2015"),
        }[kind]
        return (
            f"NOT regexp_full_match({c}, {lit(pattern)})",
            f"concat({lit(c + ' ')}, {given}, {lit(f' must be {rule}; correct it.')})",
        )
    if kind == "ref":
        # Unprintable references (rare) are listed in a table of their own when there are some.
        too_long = f"length({c}) > 20"
        cond = (
            f"{too_long} OR {c} IN (SELECT v FROM np_{spec.name}_{c})" if unprintable else too_long
        )
        return (
            cond,
            f"CASE WHEN length({c}) > 20 THEN concat({lit(c + ' ')}, {given}, "
            f"' is ', length({c}), {lit(' characters long; it must be 1 to 20 characters.')}) "
            f"ELSE concat({lit(c + ' ')}, {given}, "
            f"{lit(' holds a character that cannot be printed (such as a tab or line break); remove it.')}) END",
        )
    if kind == "code":
        assert col.codes is not None
        codes = _codes_sql(col.codes)
        listed = ", ".join(col.codes)
        blank_note = " or leave it blank" if not col.required else ""
        return (
            f"NOT list_contains({codes}, {c})",
            f"concat({lit(c + ' ')}, {given}, "
            f"{lit(f' is not a valid code; use one of {listed}{blank_note}.')})",
        )
    if kind == "multicode":
        assert col.codes is not None
        codes = _codes_sql(col.codes)
        listed = ", ".join(col.codes)
        bad = f"list_filter(p_{c}, lambda x: NOT list_contains({codes}, x))"
        return (
            f"len({bad}) > 0",
            f"concat({lit(c + ' ')}, {given}, ' has ', array_to_string({bad}, ', '), "
            f"{lit(f' which is not a code; give any of {listed}, joined by ;.')})",
        )
    if kind == "date":
        return (
            f"d_{c} IS NULL",
            f"concat({lit(c + ' ')}, {given}, {lit(' is not a date; write YYYY-MM-DD or DD/MM/YYYY, with a two-digit day and month, and a day that exists in that month.')})",
        )
    if kind == "count":
        return (
            f"n_{c} IS NULL",
            f"concat({lit(c + ' ')}, {given}, "
            f"{lit(f' is not a whole number from 0 to {CHILDWTH_MAX}; give the number of children under 18 in the household (such as 2), or leave it blank if not asked.')})",
        )
    return None


def future_dates(spec: FileSpec, as_of: dt.date) -> list[RowRule]:
    """HH006: each date column after the extract date."""
    return [r for col in spec.columns for r in _future_date(spec, col, as_of)]


def _future_date(spec: FileSpec, col: Column, as_of: dt.date) -> list[RowRule]:
    if col.kind != "date":
        return []
    f = lit(spec.filename)
    iso = as_of.isoformat()
    c = col.name
    return [
        (
            f"SELECT {f}, line, {lit(c)}, r_{c}, 'HH006', concat({lit(c + ' ')}, d_{c}, "
            f"{lit(f' is after the extract date {iso}; check the date (or set the extract date with --as-of).')})",
            f"d_{c} > DATE '{iso}'",
        )
    ]


def hh_item_rules(spec: FileSpec) -> list[RowRule]:
    """HH011, HW102, HW105: the Hidden Harm items on an episode or review row."""
    f = lit(spec.filename)
    living = _codes_sql(PRNTSTAT_LIVING_WITH)
    apart = _codes_sql(PRNTSTAT_APART)
    meaning = (
        "CASE PRNTSTAT "
        + " ".join(f"WHEN {lit(k)} THEN {lit(v.lower())}" for k, v in PRNTSTAT.items())
        + " END"
    )
    excl = _codes_sql(EARLYHLP_EXCLUSIVE)
    return [
        (
            f"SELECT {f}, line, 'CHILDWTH', r_CHILDWTH, 'HH011', concat('PRNTSTAT is ', PRNTSTAT, ' (', "
            f"{meaning}, {lit(') but CHILDWTH is 0; correct PRNTSTAT or the number of children in the household.')})",
            f"list_contains({living}, PRNTSTAT) AND n_CHILDWTH = 0",
        ),
        (
            f"SELECT {f}, line, 'CHILDWTH', r_CHILDWTH, 'HW102', concat('PRNTSTAT is ', PRNTSTAT, ' (', "
            f"{meaning}, ') yet CHILDWTH is ', n_CHILDWTH, "
            f"{lit('; right if other people’s children live in the household, otherwise correct one of them.')})",
            f"list_contains({apart}, PRNTSTAT) AND n_CHILDWTH > 0",
        ),
        (
            f"SELECT {f}, line, 'EARLYHLP', r_EARLYHLP, 'HW105', concat('EARLYHLP ', {_shown('r_EARLYHLP')}, "
            f"{lit(' gives NONE or UNK together with another code; give NONE or UNK alone, or only the help received.')})",
            f"list_has_any(p_EARLYHLP, {excl}) AND len(list_distinct(p_EARLYHLP)) > 1",
        ),
    ]


def duplicate_rule(spec: FileSpec, table: str) -> str:
    """HH008: every copy after the first (in file order) of the file's key; blank parts opt out."""
    f = lit(spec.filename)
    key = spec.key
    # Dates compare as dates (the same day in both forms is a duplicate); a value that is
    # not a date compares as its text. So a date is two parts of the key: the date, and the
    # text only where it is not a date (no text of every date: grouping on dates is cheaper).
    parts: list[str] = []
    for k in key:
        if spec.column(k).kind == "date":
            parts += [f"d_{k}", f"CASE WHEN d_{k} IS NULL THEN {k} END"]
        else:
            parts.append(k)
    shown = " + ".join(key)
    last = key[-1]
    given = " AND ".join(k + " IS NOT NULL" for k in key)
    hashed = f"hash({', '.join(parts)})"
    on = " AND ".join(f"g.k{i} IS NOT DISTINCT FROM c.k{i}" for i in range(len(parts)))
    # Keys seen more than once are found by their hash first (one integer to group on); only
    # the rows of those hashes are then grouped on the key itself (a hash can be shared).
    return (
        f"WITH h AS (SELECT {hashed} AS h FROM {table} WHERE {given} "
        f"GROUP BY ALL HAVING count(*) > 1), "
        f"c AS MATERIALIZED (SELECT line, r_{last}, {', '.join(key)}, "
        f"{', '.join(f'{p} AS k{i}' for i, p in enumerate(parts))} FROM {table} "
        f"WHERE {given} AND {hashed} IN (SELECT h FROM h)), "
        f"g AS (SELECT {', '.join(f'k{i}' for i in range(len(parts)))}, min(line) AS first "
        f"FROM c GROUP BY ALL HAVING count(*) > 1) "
        f"SELECT {f}, line, {lit(last)}, r_{last}, 'HH008', concat('Duplicate row: line ', first, "
        f"{lit(f' already has the same {shown} (')}, concat_ws(' + ', {', '.join(key)}), "
        f"{lit('); remove this copy, or correct its key if it is a different record.')}) "
        f"FROM c JOIN g ON {on} WHERE line <> first"
    )


# --- episodes -----------------------------------------------------------------------------


def episode_rules() -> list[RowRule]:
    f = lit("episodes.csv")
    out = []
    for early, late, only_if_blank in _EPISODE_ORDER:
        # Report on the column the rule names first (DOB after REFLD -> DOB; TRIAGED before
        # REFLD -> TRIAGED), since that is usually the one to correct.
        col = early if early == "DOB" else late
        word = "after" if col == early else "before"
        other = late if col == early else early
        cond = f"d_{early} > d_{late}"
        if only_if_blank:
            cond += f" AND {only_if_blank} IS NULL"
        note = " (CPLANDT is blank)" if only_if_blank else ""
        out.append(
            (
                f"SELECT {f}, line, {lit(col)}, r_{col}, 'HH005', concat({lit(col + ' ')}, d_{col}, "
                f"{lit(f' is {word} {other} ')}, d_{other}, "
                f"{lit(f'{note}; the dates are out of order: correct whichever is wrong.')})",
                cond,
            )
        )
    birthday = (
        "CASE WHEN month(d_DOB) = 2 AND day(d_DOB) = 29 THEN make_date(year(d_DOB) + 18, 3, 1) "
        "ELSE make_date(year(d_DOB) + 18, month(d_DOB), day(d_DOB)) END"
    )
    out += [
        (
            f"SELECT {f}, line, 'DOB', r_DOB, 'HH007', concat('The client (DOB ', d_DOB, "
            f"') was under 18 on REFLD ', d_REFLD, "
            f"{lit('; this is the adult dataset: check DOB and REFLD, or leave the row out.')})",
            f"d_REFLD < {birthday}",
        ),
        (
            f"SELECT {f}, line, 'DOB', r_DOB, 'HH014', concat('DOB ', d_DOB, "
            f"{lit(' is before 1900-01-01; check the year of birth.')})",
            "d_DOB < DATE '1900-01-01'",
        ),
        (
            f"SELECT {f}, line, 'PREGNANT', r_PREGNANT, 'HH009', "
            f"{lit('PREGNANT is Y but SEX is M; correct PREGNANT or SEX.')}",
            "PREGNANT = 'Y' AND SEX = 'M'",
        ),
        (
            f"SELECT {f}, line, 'DISRSN', r_DISRSN, 'HH013', concat('DISD ', {_shown('r_DISD')}, "
            f"{lit(' is given without a DISRSN; give the discharge reason, or remove DISD if the client was not discharged.')})",
            "DISD IS NOT NULL AND DISRSN IS NULL",
        ),
        (
            f"SELECT {f}, line, 'DISD', r_DISD, 'HH013', concat('DISRSN ', {_shown('r_DISRSN')}, "
            f"{lit(' is given without a DISD; give the discharge date, or remove DISRSN if the client was not discharged.')})",
            "DISRSN IS NOT NULL AND DISD IS NULL",
        ),
        (
            f"SELECT {f}, line, 'HHDATE', r_HHDATE, 'HW103', concat('HHDATE ', d_HHDATE, ' is ', "
            f"d_HHDATE - d_CPLANDT, ' days after CPLANDT ', d_CPLANDT, "
            f"{lit('; the Hidden Harm items should be recorded within 28 days of treatment start.')})",
            "d_HHDATE - d_CPLANDT > 28",
        ),
    ]
    return out


# HW104 pairs every two overlapping episodes of a client at an agency when the client has at
# most OVERLAP_WINDOW + 1 episodes there (every real case). Beyond that (a hostile or broken
# file: n overlapping episodes make n * (n - 1) / 2 pairs), each episode is compared with the
# OVERLAP_WINDOW episodes before it (in order of CPLANDT, then line) and with the earlier one
# that ends last, so that an overlap is still reported, at a cost that grows with n alone.
OVERLAP_WINDOW = 16
_SEQ = 4294967296  # 2 ** 32: a day number and a sequence number packed in one BIGINT


def overlap_rule(table: str) -> str:
    """HW104: one attributor, two episodes at one agency, treatment periods overlapping.

    A period is [CPLANDT, DISD] including both ends, open when DISD is blank (or not a date);
    episodes without a CPLANDT have no period. Rows with the same EPISODID are one episode
    (HH008 reports those), so they are not a pair. Reported once per pair, on the later one
    (later CPLANDT, then later line); capped for a client with very many episodes (above).

    Clients are found by a hash of the attributor first (one integer to group on); clients
    with one period have no pair. A pair joins on the attributor itself, never on the hash.
    """
    f = lit("episodes.csv")
    client = "AGNCY, FINITIAL, SINITIAL, d_DOB, SEX"
    same = " AND ".join(f"a.{c} = b.{c}" for c in client.split(", "))
    k = OVERLAP_WINDOW
    overlap = "a.EPISODID <> b.EPISODID AND b.s <= a.e AND a.s <= b.e"
    return (
        f"WITH p AS (SELECT line, AGNCY, EPISODID, FINITIAL, SINITIAL, d_DOB, SEX, r_CPLANDT, "
        f"d_CPLANDT AS s, coalesce(d_DISD, {_FAR_FUTURE}) AS e, hash({client}) AS h FROM {table} "
        f"WHERE AGNCY IS NOT NULL AND EPISODID IS NOT NULL AND FINITIAL IS NOT NULL "
        f"AND SINITIAL IS NOT NULL AND d_DOB IS NOT NULL AND SEX IS NOT NULL "
        f"AND d_CPLANDT IS NOT NULL), "
        f"m AS (SELECT h, count(*) AS n FROM p GROUP BY h HAVING count(*) > 1), "
        f"q AS MATERIALIZED (SELECT p.*, m.n > {k + 1} AS big FROM p JOIN m USING (h)), "
        # few episodes per client: every pair
        f"few AS (SELECT a.line AS al, b.line AS bl FROM q a JOIN q b ON a.h = b.h AND {same} "
        f"AND (a.s < b.s OR (a.s = b.s AND a.line < b.line)) WHERE NOT a.big AND {overlap}), "
        # many: numbered in (client, CPLANDT, line) order, each paired with the numbers before it
        f"w AS MATERIALIZED (SELECT *, row_number() OVER (ORDER BY {client}, s, line) AS seq "
        f"FROM q WHERE big), "
        f"r AS (SELECT seq, row_number() OVER win AS rn, "
        f"max((e - DATE '0001-01-01') * {_SEQ} + seq) OVER (win ROWS BETWEEN UNBOUNDED PRECEDING "
        f"AND 1 PRECEDING) AS last_end FROM w WINDOW win AS (PARTITION BY {client} ORDER BY s, line)), "
        f"c AS (SELECT seq AS bs, seq - unnest(range(1, least(rn, {k + 1}))) AS aseq FROM r "
        f"UNION SELECT seq, last_end % {_SEQ} FROM r WHERE rn > {k + 1}), "
        f"many AS (SELECT a.line AS al, b.line AS bl FROM c JOIN w a ON a.seq = c.aseq "
        f"JOIN w b ON b.seq = c.bs WHERE {overlap}) "
        f"SELECT {f}, b.line, 'CPLANDT', b.r_CPLANDT, 'HW104', concat('This episode (', b.EPISODID, "
        f"', from ', b.s, ') overlaps episode ', a.EPISODID, ' (line ', a.line, ', ', a.s, ' to ', "
        f"CASE WHEN a.e = {_FAR_FUTURE} THEN 'open' ELSE CAST(a.e AS VARCHAR) END, "
        f"') of the same client (', b.FINITIAL, b.SINITIAL, ' ', b.d_DOB, ' ', b.SEX, ') at ', "
        f"b.AGNCY, {lit('; check for a missing discharge date or a duplicated episode.')}) "
        f"FROM (SELECT * FROM few UNION ALL SELECT * FROM many) x "
        f"JOIN q a ON a.line = x.al JOIN q b ON b.line = x.bl"
    )


# --- reviews and children: rules that look at episodes.csv --------------------------------


def review_rules(table: str, first_episodes: str) -> list[str]:
    """HH005, HH009 and HH012 on review rows, from one join with the episodes.

    `first_episodes`: the first row (in file order) of each episode key, with `accepted` true
    when that row was accepted. Every later copy of a key is rejected (HH008) and a row with a
    blank key part too (HH002), so a key has an accepted row exactly when its first row is.
    """
    f = lit("reviews.csv")
    # One join, kept only for the rows some rule reports (few): each rule then reads those.
    joined = (
        f"j AS MATERIALIZED (SELECT r.line, r.r_REVDATE, r.d_REVDATE, r.PREGNANT, r.r_PREGNANT, "
        f"r.AGNCY, r.EPISODID, r.r_EPISODID, e.line AS e_line, e.d_CPLANDT, e.d_DISD, e.SEX, "
        f"coalesce(e.accepted, false) AS e_accepted "
        f"FROM {table} r LEFT JOIN {first_episodes} e "
        f"ON r.AGNCY = e.AGNCY AND r.EPISODID = e.EPISODID "
        f"WHERE r.AGNCY IS NOT NULL AND r.EPISODID IS NOT NULL AND (e.line IS NULL "
        f"OR NOT e.accepted OR r.d_REVDATE < e.d_CPLANDT OR r.d_REVDATE > e.d_DISD "
        f"OR (r.PREGNANT = 'Y' AND e.SEX = 'M')))"
    )
    selects = [
        f"SELECT {f}, line, 'REVDATE', r_REVDATE, 'HH005', concat('REVDATE ', d_REVDATE, "
        f"' is before the episode''s CPLANDT ', d_CPLANDT, ' (episodes.csv line ', e_line, "
        f"{lit('); a review cannot precede the care plan: correct the date.')}) "
        f"FROM j WHERE d_REVDATE < d_CPLANDT",
        f"SELECT {f}, line, 'REVDATE', r_REVDATE, 'HH005', concat('REVDATE ', d_REVDATE, "
        f"' is after the episode''s DISD ', d_DISD, ' (episodes.csv line ', e_line, "
        f"{lit('); a review cannot follow discharge: correct the date.')}) "
        f"FROM j WHERE d_REVDATE > d_DISD",
        f"SELECT {f}, line, 'PREGNANT', r_PREGNANT, 'HH009', concat("
        f"'PREGNANT is Y but the episode''s SEX is M (episodes.csv line ', e_line, "
        f"{lit('); correct PREGNANT here or SEX on the episode.')}) "
        f"FROM j WHERE PREGNANT = 'Y' AND SEX = 'M'",
        f"SELECT {f}, line, 'EPISODID', r_EPISODID, 'HH012', concat('No accepted episode with AGNCY ', "
        f"AGNCY, ' and EPISODID ', {_shown('EPISODID')}, "
        f"{lit(' in episodes.csv (it is absent, or its row was rejected); correct the episode row or this reference.')}) "
        f"FROM j WHERE NOT e_accepted",
    ]
    return [f"WITH {joined} " + " UNION ALL ".join(f"({q})" for q in selects)]


def children_rules(table: str, accepted: str) -> list[str]:
    f = lit("children.csv")
    return [
        f"SELECT {f}, line, 'CLIENTID', r_CLIENTID, 'HH012', concat('No accepted episode for AGNCY ', "
        f"AGNCY, ' and CLIENTID ', {_shown('CLIENTID')}, "
        f"{lit(' in episodes.csv (absent, or every episode row of that client was rejected); correct the episode rows or this reference.')}) "
        f"FROM {table} c WHERE AGNCY IS NOT NULL AND CLIENTID IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {accepted} a WHERE a.AGNCY = c.AGNCY AND a.CLIENTID = c.CLIENTID)",
    ]
