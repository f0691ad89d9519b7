"""The validation rules as set-based DuckDB SQL, one INSERT per rule into `problems`.

Column kinds, code lists and required flags come from `codes.py`; this module holds only
the rules that relate columns to each other (dates in order, pregnancy and sex, ...).

Each file is loaded into a table `t_<file>` with, for every spec column C:
  r_C   the cell as given (text, untrimmed; null only when the column is absent)
  C     trimmed; null when empty or exactly `NA`; upper-cased unless the column is a reference
  d_C   (date columns) the parsed date, null when blank or not a date
plus n_CHILDWTH (the whole number, null unless valid) and p_EARLYHLP (the list of parts).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

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


def load(con: duckdb.DuckDBPyConnection, spec: FileSpec, raw: pa.Table) -> str:
    """Normalise `raw` (line + spec columns as text) into the table t_<file>; returns its name."""
    cols: list[pa.Array | pa.ChunkedArray] = [raw.column("line")]
    names = ["line"]
    # Arrow's kernels release the GIL: the columns are normalised two at a time.
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        done = list(pool.map(lambda col: _normalise(col, raw.column(col.name)), spec.columns))
    for col, (given, value, parts) in zip(spec.columns, done, strict=True):
        cols += [given, value]
        names += [f"r_{col.name}", col.name]
        if parts is not None:
            cols.append(parts)
            names.append(f"p_{col.name}")
    src = f"src_{spec.name}"
    con.register(src, pa.table(cols, names=names))
    for col, (_, value, _) in zip(spec.columns, done, strict=True):
        if col.kind == "ref":
            _mark_unprintable(con, spec, col.name, value)
    extra = []
    for col in spec.columns:
        c = col.name
        if col.kind == "date":
            extra.append(f"{_parse_date(c)} AS d_{c}")
        elif col.kind == "count":
            extra.append(
                f"CASE WHEN regexp_full_match({c}, '[0-9]{{1,9}}') "
                f"AND TRY_CAST({c} AS INTEGER) <= {CHILDWTH_MAX} "
                f"THEN TRY_CAST({c} AS INTEGER) END AS n_{c}"
            )
    table = f"t_{spec.name}"
    derived = ", ".join(extra) or "NULL AS nothing"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table}_d AS SELECT {derived} FROM {src}")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM {src} POSITIONAL JOIN {table}_d"
    )
    return table


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


def _mark_unprintable(
    con: duckdb.DuckDBPyConnection, spec: FileSpec, c: str, value: pa.Array | pa.ChunkedArray
) -> None:
    """Python's str.isprintable on the distinct references that are not all printable ASCII
    (characters 0x20-0x7E, which Python prints too): few, if any. Registered as np_<file>_<C>."""
    ascii_printable = pc.and_(pc.string_is_ascii(value), pc.ascii_is_printable(value))
    others = pc.unique(pc.filter(value, pc.invert(ascii_printable))).to_pylist()
    bad = [v for v in others if v is not None and not v.isprintable()]
    con.register(f"np_{spec.name}_{c}", pa.table({"v": pa.array(bad, pa.string())}))


# --- per-column rules -------------------------------------------------------------------


def column_rules(spec: FileSpec, table: str) -> list[str]:
    """HH002, HH003, HH004 and HH010 for each column, as SELECTs of the problem columns."""
    f = lit(spec.filename)
    out = []
    for col in spec.columns:
        c = col.name
        head = f"SELECT {f}, line, {lit(c)}, r_{c}"
        if col.required:
            out.append(
                f"{head}, 'HH002', "
                f"{lit(f'{c} ({col.meaning.lower()}) is required but blank; fill it in.')} "
                f"FROM {table} WHERE {c} IS NULL"
            )
        bad = _format_check(spec, col)
        if bad is not None:
            cond, message = bad
            code = "HH004" if col.kind == "date" else "HH010" if col.kind == "count" else "HH003"
            out.append(
                f"{head}, {lit(code)}, {message} FROM {table} WHERE {c} IS NOT NULL AND ({cond})"
            )
    return out


def _format_check(spec: FileSpec, col: Column) -> tuple[str, str] | None:
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
        unprintable = f"{c} IN (SELECT v FROM np_{spec.name}_{c})"
        return (
            f"length({c}) > 20 OR {unprintable}",
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


def future_dates(spec: FileSpec, table: str, as_of: dt.date) -> list[str]:
    """HH006: each date column after the extract date."""
    f = lit(spec.filename)
    iso = as_of.isoformat()
    out = []
    for col in spec.columns:
        if col.kind != "date":
            continue
        c = col.name
        out.append(
            f"SELECT {f}, line, {lit(c)}, r_{c}, 'HH006', concat({lit(c + ' ')}, d_{c}, "
            f"{lit(f' is after the extract date {iso}; check the date (or set the extract date with --as-of).')}) "
            f"FROM {table} WHERE d_{c} > DATE '{iso}'"
        )
    return out


def hh_item_rules(spec: FileSpec, table: str) -> list[str]:
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
        f"SELECT {f}, line, 'CHILDWTH', r_CHILDWTH, 'HH011', concat('PRNTSTAT is ', PRNTSTAT, ' (', "
        f"{meaning}, {lit(') but CHILDWTH is 0; correct PRNTSTAT or the number of children in the household.')}) "
        f"FROM {table} WHERE list_contains({living}, PRNTSTAT) AND n_CHILDWTH = 0",
        f"SELECT {f}, line, 'CHILDWTH', r_CHILDWTH, 'HW102', concat('PRNTSTAT is ', PRNTSTAT, ' (', "
        f"{meaning}, ') yet CHILDWTH is ', n_CHILDWTH, "
        f"{lit('; right if other people’s children live in the household, otherwise correct one of them.')}) "
        f"FROM {table} WHERE list_contains({apart}, PRNTSTAT) AND n_CHILDWTH > 0",
        f"SELECT {f}, line, 'EARLYHLP', r_EARLYHLP, 'HW105', concat('EARLYHLP ', {_shown('r_EARLYHLP')}, "
        f"{lit(' gives NONE or UNK together with another code; give NONE or UNK alone, or only the help received.')}) "
        f"FROM {table} WHERE list_has_any(p_EARLYHLP, {excl}) AND len(list_distinct(p_EARLYHLP)) > 1",
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
    on = " AND ".join(f"g.k{i} IS NOT DISTINCT FROM {p}" for i, p in enumerate(parts))
    # Group first (a hash aggregate) and only look again at keys seen more than once.
    return (
        f"WITH g AS (SELECT {', '.join(f'{p} AS k{i}' for i, p in enumerate(parts))}, "
        f"min(line) AS first FROM {table} WHERE {' AND '.join(k + ' IS NOT NULL' for k in key)} "
        f"GROUP BY ALL HAVING count(*) > 1) "
        f"SELECT {f}, line, {lit(last)}, r_{last}, 'HH008', concat('Duplicate row: line ', first, "
        f"{lit(f' already has the same {shown} (')}, concat_ws(' + ', {', '.join(key)}), "
        f"{lit('); remove this copy, or correct its key if it is a different record.')}) "
        f"FROM {table} JOIN g ON {on} WHERE line <> first"
    )


# --- episodes -----------------------------------------------------------------------------


def episode_rules(table: str) -> list[str]:
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
            f"SELECT {f}, line, {lit(col)}, r_{col}, 'HH005', concat({lit(col + ' ')}, d_{col}, "
            f"{lit(f' is {word} {other} ')}, d_{other}, "
            f"{lit(f'{note}; the dates are out of order: correct whichever is wrong.')}) "
            f"FROM {table} WHERE {cond}"
        )
    birthday = (
        "CASE WHEN month(d_DOB) = 2 AND day(d_DOB) = 29 THEN make_date(year(d_DOB) + 18, 3, 1) "
        "ELSE make_date(year(d_DOB) + 18, month(d_DOB), day(d_DOB)) END"
    )
    out += [
        f"SELECT {f}, line, 'DOB', r_DOB, 'HH007', concat('The client (DOB ', d_DOB, "
        f"') was under 18 on REFLD ', d_REFLD, "
        f"{lit('; this is the adult dataset: check DOB and REFLD, or leave the row out.')}) "
        f"FROM {table} WHERE d_REFLD < {birthday}",
        f"SELECT {f}, line, 'DOB', r_DOB, 'HH014', concat('DOB ', d_DOB, "
        f"{lit(' is before 1900-01-01; check the year of birth.')}) "
        f"FROM {table} WHERE d_DOB < DATE '1900-01-01'",
        f"SELECT {f}, line, 'PREGNANT', r_PREGNANT, 'HH009', "
        f"{lit('PREGNANT is Y but SEX is M; correct PREGNANT or SEX.')} "
        f"FROM {table} WHERE PREGNANT = 'Y' AND SEX = 'M'",
        f"SELECT {f}, line, 'DISRSN', r_DISRSN, 'HH013', concat('DISD ', {_shown('r_DISD')}, "
        f"{lit(' is given without a DISRSN; give the discharge reason, or remove DISD if the client was not discharged.')}) "
        f"FROM {table} WHERE DISD IS NOT NULL AND DISRSN IS NULL",
        f"SELECT {f}, line, 'DISD', r_DISD, 'HH013', concat('DISRSN ', {_shown('r_DISRSN')}, "
        f"{lit(' is given without a DISD; give the discharge date, or remove DISRSN if the client was not discharged.')}) "
        f"FROM {table} WHERE DISRSN IS NOT NULL AND DISD IS NULL",
        f"SELECT {f}, line, 'HHDATE', r_HHDATE, 'HW103', concat('HHDATE ', d_HHDATE, ' is ', "
        f"d_HHDATE - d_CPLANDT, ' days after CPLANDT ', d_CPLANDT, "
        f"{lit('; the Hidden Harm items should be recorded within 28 days of treatment start.')}) "
        f"FROM {table} WHERE d_HHDATE - d_CPLANDT > 28",
        _overlap_rule(table),
    ]
    return out


def _overlap_rule(table: str) -> str:
    """HW104: one attributor, two episodes at one agency, treatment periods overlapping.

    A period is [CPLANDT, DISD] including both ends, open when DISD is blank (or not a date);
    episodes without a CPLANDT have no period. Rows with the same EPISODID are one episode
    (HH008 reports those), so they are not a pair. Reported once per pair, on the later one.
    """
    f = lit("episodes.csv")
    return (
        f"WITH p AS (SELECT line, AGNCY, EPISODID, FINITIAL, SINITIAL, d_DOB, SEX, r_CPLANDT, "
        f"d_CPLANDT AS s, coalesce(d_DISD, {_FAR_FUTURE}) AS e FROM {table} "
        f"WHERE AGNCY IS NOT NULL AND EPISODID IS NOT NULL AND FINITIAL IS NOT NULL "
        f"AND SINITIAL IS NOT NULL AND d_DOB IS NOT NULL AND SEX IS NOT NULL "
        f"AND d_CPLANDT IS NOT NULL) "
        f"SELECT {f}, b.line, 'CPLANDT', b.r_CPLANDT, 'HW104', concat('This episode (', b.EPISODID, "
        f"', from ', b.s, ') overlaps episode ', a.EPISODID, ' (line ', a.line, ', ', a.s, ' to ', "
        f"CASE WHEN a.e = {_FAR_FUTURE} THEN 'open' ELSE CAST(a.e AS VARCHAR) END, "
        f"') of the same client (', b.FINITIAL, b.SINITIAL, ' ', b.d_DOB, ' ', b.SEX, ') at ', "
        f"b.AGNCY, {lit('; check for a missing discharge date or a duplicated episode.')}) "
        f"FROM p a JOIN p b ON a.AGNCY = b.AGNCY AND a.FINITIAL = b.FINITIAL "
        f"AND a.SINITIAL = b.SINITIAL AND a.d_DOB = b.d_DOB AND a.SEX = b.SEX "
        f"AND a.EPISODID <> b.EPISODID AND (a.s < b.s OR (a.s = b.s AND a.line < b.line)) "
        f"WHERE b.s <= a.e AND a.s <= b.e"
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
