"""Reading a submission into text tables: folder, .zip, single .csv, or .parquet.

Everything is read as text first, so that a bad value becomes a problem on its row rather
than a failed read. Each file comes back as a `RawFile`: the spec's columns as given
(untrimmed text), a `line` number per record, and the file-level problems (HH001, HW101).

Choices (the spec is silent; written down in the README):
- `line` is the record number with the header as line 1. Blank records are skipped and not
  numbered; a record is blank when every cell in the spec's columns is empty or whitespace
  (a provider's extra columns are not read at all, for speed).
- Short records are padded with blank cells (spreadsheets drop trailing empties). A record
  with more cells than the header is tolerated when the extra cells are blank (a trailing
  comma); otherwise the file cannot be trusted column by column and is fatal (HH001).
- Bytes that are not UTF-8 in a column of the spec make the file fatal (HH001); bytes in
  columns this spec does not read are never looked at.
- Duplicate header names: the first is read, later ones are ignored with HW101.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from hiddenharm.extract.codes import FILES, FileSpec

# The header is parsed from the start of the file alone; a header longer than this is not
# a header anyone wrote by hand or by an NDTMS export (about 120 short names).
_HEADER_BYTES = 1 << 20


@dataclass
class FileProblem:
    line: int | None
    column: str | None
    value: str | None
    code: str
    message: str


@dataclass
class RawFile:
    """One file of the submission as read: spec columns as given, plus file-level problems."""

    key: str  # "episodes.csv" (reported under the .csv name even when read from Parquet)
    spec: FileSpec
    source: str  # what was read, for messages
    table: pa.Table | None = None  # `line` int64 + every spec column (string; absent ones null)
    present: tuple[str, ...] = ()  # spec columns the file has
    problems: list[FileProblem] = field(default_factory=list)
    fatal: bool = False

    @property
    def rows(self) -> int:
        return 0 if self.table is None else self.table.num_rows


@dataclass(frozen=True)
class Source:
    """Where one file of the submission lives: a path on disk or a member of a zip."""

    name: str  # as found, for messages
    fmt: str  # "csv" or "parquet"
    opener: Callable[[], Any]  # returns a path or a pyarrow buffer


def locate(path: str | Path) -> tuple[dict[str, Source], str | None]:
    """Find episodes/reviews/children in `path`. Returns (sources by spec name, error)."""
    p = Path(path)
    if not p.exists():
        return {}, f"{p} does not exist"
    if p.is_dir():
        entries = {c.name: c for c in sorted(p.iterdir()) if c.is_file()}
        return _pick({n: _disk(c) for n, c in entries.items()}), None
    suffix = p.suffix.lower()
    if suffix == ".zip":
        try:
            zf = zipfile.ZipFile(p)
            members = [i for i in zf.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        except (zipfile.BadZipFile, OSError) as exc:
            return {}, f"{p.name} cannot be opened as a zip file ({exc})"
        # Prefer the shallowest member of each name: a zip often wraps a single folder.
        members.sort(key=lambda i: (i.filename.count("/"), i.filename))
        found: dict[str, Callable[[], Any]] = {}
        for info in members:
            base = info.filename.rsplit("/", 1)[-1]
            found.setdefault(base, _member(zf, info))
        return _pick(found), None
    if suffix == ".csv":
        return {"episodes": Source(p.name, "csv", _disk(p))}, None
    if suffix == ".parquet":  # like a single .csv: episodes, whatever its name
        return {"episodes": Source(p.name, "parquet", _disk(p))}, None
    return {}, f"{p.name} is not a folder, .zip, .csv or .parquet file"


def _disk(p: Path) -> Callable[[], Any]:
    return lambda: str(p)


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], Any]:
    return lambda: pa.BufferReader(zf.read(info))


def _pick(entries: dict[str, Callable[[], Any]]) -> dict[str, Source]:
    """Match names case-insensitively; .csv wins over .parquet; anything else is ignored."""
    out: dict[str, Source] = {}
    for fmt in ("parquet", "csv"):  # csv last, so it overwrites
        for name, opener in entries.items():
            low = name.lower()
            for spec_name in FILES:
                if low == f"{spec_name}.{fmt}":
                    out[spec_name] = Source(name, fmt, opener)
    return out


def norm_name(name: str) -> str:
    return name.strip().upper()


def read(source: Source, spec: FileSpec) -> RawFile:
    """Read one file; never raises for bad content (it becomes HH001)."""
    raw = RawFile(spec.filename, spec, source.name)
    try:
        if source.fmt == "csv":
            _read_csv(raw, source)
        else:
            _read_parquet(raw, source)
    except Exception as exc:  # noqa: BLE001 - any failure to read is the data's fault: HH001
        _fatal(raw, None, None, f"cannot be read as {source.fmt.upper()}: {_reason(exc)}")
    return raw


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "UTF8" in text or "utf-8" in text or isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet) and resubmit"
    return text[:300]


def _fatal(raw: RawFile, line: int | None, column: str | None, message: str) -> None:
    raw.fatal = True
    raw.table = None
    raw.problems.append(FileProblem(line, column, None, "HH001", f"{raw.source} {message}".strip()))


def _header_problems(raw: RawFile, names: list[str]) -> dict[str, int]:
    """HW101 for unknown/duplicate columns, HH001 for missing required ones.

    Returns spec column -> position in the file.
    """
    spec = raw.spec
    positions: dict[str, int] = {}
    for i, given in enumerate(names):
        name = norm_name(given)
        if name in spec.column_names and name not in positions:
            positions[name] = i
            continue
        if name in positions:
            why = f"Column {given!r} appears twice; only the first is read. Remove the copy."
        elif not name:
            why = (
                f"Column {i + 1} has no name and was ignored. Remove it, or name it if it "
                "should be one of this file's columns."
            )
        else:
            why = (
                f"Column {given!r} is not part of {spec.filename} in HHX-1 and was ignored. "
                "No action needed unless it was meant to be one of the file's columns."
            )
        raw.problems.append(FileProblem(1, given, given, "HW101", why))
    hint = ""
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        sep = "semicolons" if ";" in names[0] else "tabs"
        hint = f" The header seems to use {sep} between names: HHX-1 files use commas."
    for col in spec.columns:
        if col.required and col.name not in positions:
            raw.fatal = True
            raw.problems.append(
                FileProblem(
                    1,
                    col.name,
                    None,
                    "HH001",
                    f"Required column {col.name} ({col.meaning.lower()}) is missing from the "
                    f"header of {spec.filename}; add it and resubmit.{hint}",
                )
            )
    raw.present = tuple(c for c in spec.column_names if c in positions)
    return positions


def _read_header(data: bytes) -> list[str] | None:
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    for record in csv.reader(io.StringIO(text, newline="")):
        if any(cell.strip() for cell in record):
            return record
    return None


def _open_bytes(source: Source) -> Any:
    target = source.opener()
    return open(target, "rb") if isinstance(target, str) else target


def _read_csv(raw: RawFile, source: Source) -> None:
    with _open_bytes(source) as fh:
        head = fh.read(_HEADER_BYTES)
    if b"\x00" in head:
        _fatal(
            raw,
            None,
            None,
            "cannot be read as CSV: it holds NUL bytes, so it is binary or saved as UTF-16 "
            "(Unicode text); save it as CSV UTF-8 and resubmit.",
        )
        return
    header = _read_header(head)
    if header is None:
        _fatal(raw, None, None, "cannot be read as CSV: it is empty (no header row).")
        return
    positions = _header_problems(raw, header)
    # Read the spec's columns only; the header comes back as the first non-blank record.
    read_cols = {name: f"f{i}" for name, i in positions.items()} or {"": "f0"}
    try:
        table = pacsv.read_csv(
            _open_bytes(source),
            pacsv.ReadOptions(autogenerate_column_names=True, block_size=8 << 20),
            pacsv.ParseOptions(newlines_in_values=True),
            pacsv.ConvertOptions(
                column_types={f: pa.string() for f in read_cols.values()},
                include_columns=list(read_cols.values()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        table = table.rename_columns(list(read_cols.keys()))
    except pa.ArrowInvalid as exc:
        if "Expected" not in str(exc) or "columns" not in str(exc):
            raise
        # Ragged records: the slow, forgiving path (only for files that need it).
        table = _read_ragged(raw, source, len(header), positions)
        if table is None:
            return
    _finish(raw, table, skip_header=True)


def _read_ragged(
    raw: RawFile, source: Source, width: int, positions: dict[str, int]
) -> pa.Table | None:
    with _open_bytes(source) as fh:
        # Undecodable bytes are kept as surrogates: harmless in columns that are not read,
        # and refused (not UTF-8) when a spec column holds one (pa.array cannot encode them).
        text = fh.read().decode("utf-8-sig", errors="surrogateescape")
    cols: list[list[str]] = [[] for _ in positions] or [[]]
    idx = list(positions.values()) or [0]
    line = 0
    for record in csv.reader(io.StringIO(text, newline="")):
        if not any(cell.strip() for cell in record):
            continue
        line += 1
        if len(record) > width:
            if any(cell.strip() for cell in record[width:]):
                _fatal(
                    raw,
                    line,
                    None,
                    f"cannot be read as CSV: line {line} has {len(record)} cells but the header "
                    f"has {width}. A value probably holds an unquoted comma; put it in double "
                    "quotes and resubmit.",
                )
                return None
        elif len(record) < width:
            record = record + [""] * (width - len(record))
        for out, i in zip(cols, idx, strict=True):
            out.append(record[i])
    names = list(positions.keys()) or [""]
    return pa.table([pa.array(c, pa.string()) for c in cols], names=names)


def _read_parquet(raw: RawFile, source: Source) -> None:
    pf = pq.ParquetFile(source.opener())
    names = list(pf.schema_arrow.names)
    positions = _header_problems(raw, names)
    wanted = [names[i] for i in positions.values()]
    table = pf.read(columns=wanted) if wanted else pa.table({"": pa.nulls(pf.metadata.num_rows)})
    cols = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type):
            # pandas writes dates as midnight timestamps: read those as dates. A column with
            # a time of day stays as given (and is then not a date: HH004).
            as_date = pc.cast(col, pa.date32())
            if pc.all(pc.equal(pc.cast(as_date, col.type), col)).as_py() is not False:
                col = as_date
        # Dates cast to ISO text, numbers to their shortest text; null is blank.
        cols.append(pc.fill_null(pc.cast(col, pa.string()), ""))
    _finish(raw, pa.table(cols, names=list(positions.keys()) or [""]), skip_header=False)


def _finish(raw: RawFile, table: pa.Table, skip_header: bool) -> None:
    """Drop blank records, number the rest (header = line 1), add absent spec columns as null."""
    blank = _blank_rows(table)
    if blank is not None:
        keep = np.ones(table.num_rows, dtype=bool)
        keep[blank] = False
        table = table.filter(pa.array(keep))
    if skip_header and table.num_rows:
        table = table.slice(1)  # the first non-blank record is the header
    n = table.num_rows
    cols = [pa.array(np.arange(2, n + 2, dtype=np.int64))]
    names = ["line"]
    for name in raw.spec.column_names:
        if name in raw.present:
            cols.append(table.column(name))
        else:
            cols.append(pa.nulls(n, pa.string()))
        names.append(name)
    raw.table = pa.table(cols, names=names)


def _blank_rows(table: pa.Table) -> np.ndarray | None:
    """Positions of the records whose every cell is empty or whitespace; None when there are none.

    Column by column, only the records still blank so far are looked at: after the first column
    that is almost always none, so whitespace is classified once per record, not once per cell.
    """
    if not table.num_rows or not table.num_columns:
        return None
    candidates: pa.Array | None = None  # positions still blank in every column so far
    for col in table.columns:
        cells = col if candidates is None else col.take(candidates)
        # utf8_is_space classifies without building trimmed copies (it is false for "").
        empty = pc.or_(pc.equal(pc.binary_length(cells), 0), pc.utf8_is_space(cells))
        found = pc.indices_nonzero(empty)
        candidates = found if candidates is None else candidates.take(found)
        if not len(candidates):
            return None
    assert candidates is not None
    return candidates.to_numpy(zero_copy_only=False)
