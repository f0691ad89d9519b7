"""Properties: the validator never crashes and never loses a row, whatever it is given."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiddenharm.extract import validate
from hiddenharm.extract.codes import EPISODES, REVIEWS

AS_OF = dt.date(2026, 1, 1)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_invariants(result) -> None:
    for name, counts in result.files.items():
        assert counts["accepted"] + counts["rejected"] == counts["rows"], name
        key = name.removesuffix(".csv")
        assert result.tables[key].num_rows == counts["accepted"]
        assert result.rejected[key].num_rows == counts["rejected"]
    assert result.exit_code() in (0, 1, 2)
    assert set(result.problems.column_names) >= {"file", "line", "column", "value", "code"}


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["episodes.csv", "episodes.parquet", "x.zip"]))
def test_it_never_crashes_on_arbitrary_bytes(data, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        check_invariants(validate(path, as_of=AS_OF))


@SETTINGS
@given(st.binary(max_size=300))
def test_it_never_crashes_on_bytes_after_a_valid_header(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "episodes.csv"
        path.write_bytes(",".join(EPISODES.column_names).encode() + b"\n" + data)
        check_invariants(validate(path, as_of=AS_OF))


# NUL bytes make a file binary (HH001, nothing read): that is tested in test_reader.
cell = st.one_of(
    st.text(st.characters(codec="utf-8", blacklist_characters="\x00"), max_size=8),
    st.sampled_from(
        [
            "",
            "NA",
            "na",
            " ",
            "A1",
            "E1",
            "C1",
            "2020-01-01",
            "31/02/2020",
            "01/03/2020",
            "2.0",
            "0",
            "11",
            "13",
            "Y",
            "M",
            "NONE;EH",
            "HEROIN",
            "TC",
        ]
    ),
)


@SETTINGS
@given(
    st.lists(st.fixed_dictionaries({c: cell for c in EPISODES.column_names}), max_size=6),
    st.lists(st.fixed_dictionaries({c: cell for c in REVIEWS.column_names}), max_size=4),
)
def test_it_never_loses_a_row_whatever_the_cells(episodes, reviews):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, rows, spec in (("episodes", episodes, EPISODES), ("reviews", reviews, REVIEWS)):
            out = io.StringIO()
            writer = csv.DictWriter(out, list(spec.column_names), lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
            (folder / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8", newline="")
        result = validate(folder, as_of=AS_OF)
        check_invariants(result)
        blank = sum(all(not v.strip() for v in r.values()) for r in episodes)
        assert result.files["episodes.csv"]["rows"] == len(episodes) - blank
