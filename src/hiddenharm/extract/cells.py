"""Cells that a spreadsheet would run as a formula (CSV injection), declared once.

A cell beginning with =, +, -, @, a tab or a carriage return can be taken for a formula by
Excel, LibreOffice or Google Sheets (`=HYPERLINK(...)`, `=cmd|'/C calc'!A0`, `@SUM(...)`).
References typed into the application are refused when they begin so (`is_formula`, read by
the forms, the import and the API); every CSV written for people prefixes such a cell with
an apostrophe (`neutralise`, `neutralise_table`), as OWASP advises. A plain number such as
`-1` or `+44` is left alone: it is data, and no spreadsheet runs it.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
START_PATTERN = r"^[=+\-@\t\r]"
_START_RE = START_PATTERN
_NUMBER_RE = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_NUMBER = re.compile(_NUMBER_RE)

REFUSAL = (
    "A reference cannot begin with =, +, -, @, a tab or a line break "
    "(a spreadsheet would run it as a formula)"
)


def is_formula(value: object) -> bool:
    """True for a text a spreadsheet could run: begins with a formula character and is
    not a plain number."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value)


def refused_reference(value: object) -> bool:
    """A reference (client, episode, child) is refused when it begins with any formula
    character, numbers included: an identifier has no reason to."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value: object) -> object:
    """The cell as a spreadsheet shows it as text: an apostrophe before a formula."""
    return f"'{value}" if is_formula(value) else value


def neutralise_table(table: pa.Table) -> pa.Table:
    """Every text column with its formula cells prefixed by an apostrophe (set-based)."""
    columns = []
    for col in table.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            starts = pc.match_substring_regex(col, _START_RE)
            if pc.any(starts).as_py():  # most columns of most files: one scan, no change
                risky = pc.and_(starts, pc.invert(pc.match_substring_regex(col, _NUMBER_RE)))
                prefixed = pc.binary_join_element_wise(pa.scalar("'", col.type), col, "")
                col = pc.if_else(risky, prefixed, col)
        columns.append(col)
    return pa.Table.from_arrays(columns, schema=table.schema)
