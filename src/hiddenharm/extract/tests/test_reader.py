"""Reading: where the files are, and the CSV traps (BOM, CRLF, quoting, blanks, bad bytes)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from hiddenharm.extract import validate
from hiddenharm.extract.codes import EPISODES

from .conftest import AS_OF, EPISODE, csv_text, found

HEADER = ",".join(EPISODES.column_names)


def row(**overrides: str) -> str:
    values = {**EPISODE, **overrides}
    return ",".join(values.get(c, "") for c in EPISODES.column_names)


def write_bytes(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def test_it_tolerates_a_byte_order_mark_and_crlf(tmp_path):
    text = f"{HEADER}\r\n{row()}\r\n{row(EPISODID='E2', FINITIAL='K', SEX='Q')}\r\n"
    path = write_bytes(tmp_path, "episodes.csv", b"\xef\xbb\xbf" + text.encode())
    result = validate(path, as_of=AS_OF)
    assert found(result) == [("episodes.csv", 3, "SEX", "HH003")]
    assert result.tables["episodes"].column("AGNCY").to_pylist() == ["A1"]


def test_it_reads_quoted_commas_and_line_breaks_without_shifting_lines(tmp_path):
    first = row(CLIENTID='"C,1"')
    second = row(EPISODID="E2", FINITIAL="K", CLIENTID='"C""2"""')
    third = row(EPISODID="E3", FINITIAL="L", SEX="Q")
    text = f'{HEADER},NOTES\n{first},"first\nsecond, third"\n{second},x\n{third},y\n'
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert found(result) == [
        ("episodes.csv", 1, "NOTES", "HW101"),
        ("episodes.csv", 4, "SEX", "HH003"),
    ]
    assert result.tables["episodes"].column("CLIENTID").to_pylist() == ["C,1", 'C"2"']


def test_it_rejects_a_line_break_inside_a_reference(tmp_path):
    first = row(CLIENTID='"C\n1"')
    text = f"{HEADER}\n{first}\n{row(EPISODID='E2', FINITIAL='K', SEX='Q')}\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert found(result) == [
        ("episodes.csv", 2, "CLIENTID", "HH003"),
        ("episodes.csv", 3, "SEX", "HH003"),
    ]


def test_it_matches_headers_in_any_case_with_spaces_and_trims_values(tmp_path):
    header = ",".join(f"  {c.lower()} " for c in EPISODES.column_names)
    text = f"{header}\n{row(AGNCY='  a1 ', DOB=' 01/05/1980 ')}\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert found(result) == []
    got = result.tables["episodes"].to_pylist()[0]
    assert (got["AGNCY"], got["DOB"]) == ("A1", dt.date(1980, 5, 1))


def test_it_reports_values_as_given_untrimmed(tmp_path):
    text = f"{HEADER}\n{row(SEX=' q ')}\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert result.problems.column("value").to_pylist() == [" q "]
    assert result.rejected["episodes"].column("SEX").to_pylist() == [" q "]


def test_it_skips_blank_records_without_numbering_them(tmp_path):
    text = f"\n{HEADER}\n\n{row()}\n,,,\n{',' * (len(EPISODES.columns) - 1)}\n  \t \n{row(EPISODID='E2', FINITIAL='K', SEX='Q')}\n\n"
    # the whitespace-only record is short (one cell): padded, then blank
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert found(result) == [("episodes.csv", 3, "SEX", "HH003")]
    assert result.files["episodes.csv"]["rows"] == 2


def test_it_keeps_a_record_that_is_blank_only_in_its_first_cells(tmp_path):
    late = ",".join(["  ", ""] + [""] * (len(EPISODES.columns) - 3) + ["EH"])
    text = f"{HEADER}\n{late}\n{row()}\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert result.files["episodes.csv"]["rows"] == 2
    assert ("episodes.csv", 2, "AGNCY", "HH002") in found(result)
    assert result.tables["episodes"].column("line").to_pylist() == [3]


def test_it_pads_short_records_and_tolerates_blank_extra_cells(tmp_path):
    short = row(EARLYHLP="", PREGNANT="", CHILDWTH="", PRNTSTAT="").rstrip(",")
    text = f"{HEADER}\n{short}\n{row(EPISODID='E2', FINITIAL='K')},,\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert found(result) == []
    assert result.files["episodes.csv"] == {"rows": 2, "accepted": 2, "rejected": 0}


def test_it_refuses_a_record_with_more_values_than_the_header(tmp_path):
    text = f"{HEADER}\n{row()}\n{row(EPISODID='E2')},surplus\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert [(p[1], p[3]) for p in found(result)] == [(3, "HH001")]
    assert "line 3 has 23 cells but the header has 22" in result.problems["message"][0].as_py()
    assert result.exit_code() == 2


def test_it_refuses_bytes_that_are_not_utf8_in_a_spec_column(tmp_path):
    data = f"{HEADER}\n".encode() + row(CLIENTID="C\xe9").encode("latin-1") + b"\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", data), as_of=AS_OF)
    assert [p[3] for p in found(result)] == ["HH001"]
    assert "not UTF-8" in result.problems["message"][0].as_py()
    assert result.fatal


def test_it_ignores_bad_bytes_in_columns_it_does_not_read(tmp_path):
    data = f"{HEADER},NOTES\n{row()},".encode() + "caf\xe9".encode("latin-1") + b"\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", data), as_of=AS_OF)
    assert found(result) == [("episodes.csv", 1, "NOTES", "HW101")]


def test_it_refuses_binary_and_empty_files_without_crashing(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    for name, data in (("png", png), ("empty", b""), ("blank", b"\n\n  \n")):
        result = validate(write_bytes(tmp_path / name, "episodes.csv", data), as_of=AS_OF)
        assert [p[3] for p in found(result)] == ["HH001"], name
        assert result.exit_code() == 2


def test_it_warns_once_for_each_of_a_hundred_ndtms_columns(tmp_path):
    extra = [f"NDTMS{i:03d}" for i in range(100)]
    text = HEADER + "," + ",".join(extra) + "\n" + (row() + "," + ",".join("x" * 100) + "\n")
    text += row(EPISODID="E2", FINITIAL="K") + "," + ",".join("y" * 100) + "\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert found(result) == [("episodes.csv", 1, c, "HW101") for c in extra]
    assert result.files["episodes.csv"]["accepted"] == 2


def test_it_warns_of_a_repeated_column_and_reads_the_first(tmp_path):
    text = f"{HEADER},sex\n{row()},Q\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    assert found(result) == [("episodes.csv", 1, "sex", "HW101")]
    assert result.tables["episodes"].column("SEX").to_pylist() == ["F"]


def test_it_reads_a_single_csv_as_episodes(tmp_path):
    path = write_bytes(
        tmp_path, "Provider Extract 2026.CSV", csv_text("episodes", [{"SEX": "Q"}]).encode()
    )
    result = validate(path, as_of=AS_OF)
    assert found(result) == [("episodes.csv", 2, "SEX", "HH003")]


def test_it_reads_a_folder_with_names_in_any_case_and_ignores_other_files(tmp_path):
    folder = tmp_path / "sub"
    write_bytes(folder, "EPISODES.CSV", csv_text("episodes", [{}]).encode())
    write_bytes(folder, "Reviews.csv", csv_text("reviews", [{"CHILDWTH": "x"}]).encode())
    write_bytes(folder, "notes.txt", b"\x00\x01 not a csv")
    write_bytes(folder, "old_children.csv", b"garbage")
    result = validate(folder, as_of=AS_OF)
    assert found(result) == [("reviews.csv", 2, "CHILDWTH", "HH010")]
    assert set(result.files) == {"episodes.csv", "reviews.csv"}


def test_it_reads_a_zip_including_one_wrapped_in_a_folder(tmp_path):
    for prefix in ("", "submission/"):
        path = tmp_path / f"s{len(prefix)}.zip"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(prefix + "episodes.csv", csv_text("episodes", [{}]))
            zf.writestr(prefix + "children.csv", csv_text("children", [{"CHSEX": "Q"}]))
            zf.writestr("README.txt", "hello")
        result = validate(path, as_of=AS_OF)
        assert found(result) == [("children.csv", 2, "CHSEX", "HH003")]


def test_it_refuses_a_broken_zip_or_a_missing_path(tmp_path):
    broken = write_bytes(tmp_path, "s.zip", b"PK not really")
    for path in (broken, tmp_path / "nowhere", tmp_path):
        result = validate(path, as_of=AS_OF)
        assert [p[3] for p in found(result)] == ["HH001"]
        assert result.files["episodes.csv"] == {"rows": 0, "accepted": 0, "rejected": 0}


def _parquet(path: Path, rows: list[dict[str, object]]) -> None:
    pq.write_table(pa.Table.from_pylist(rows), path)


def test_it_reads_parquet_casting_typed_columns_to_text(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    episode = {**EPISODE, "DOB": dt.date(1980, 5, 1), "CHILDWTH": 2, "PREGNANT": None}
    _parquet(
        folder / "Episodes.parquet",
        [episode, {**episode, "EPISODID": "E2", "FINITIAL": "K", "CHILDWTH": 31}],
    )
    result = validate(folder, as_of=AS_OF)
    assert found(result) == [("episodes.csv", 3, "CHILDWTH", "HH010")]
    assert result.tables["episodes"].column("DOB").to_pylist() == [dt.date(1980, 5, 1)]


def test_it_prefers_csv_over_parquet(tmp_path):
    folder = tmp_path / "sub"
    write_bytes(folder, "episodes.csv", csv_text("episodes", [{"SEX": "Q"}]).encode())
    _parquet(folder / "episodes.parquet", [EPISODE])
    assert found(validate(folder, as_of=AS_OF)) == [("episodes.csv", 2, "SEX", "HH003")]
    single = tmp_path / "one.parquet"
    _parquet(single, [{**EPISODE, "SEX": "Q"}])
    assert found(validate(single, as_of=AS_OF)) == [("episodes.csv", 2, "SEX", "HH003")]


def test_it_refuses_a_parquet_file_that_is_not_parquet(tmp_path):
    path = write_bytes(tmp_path, "episodes.parquet", b"PAR1 nonsense")
    result = validate(path, as_of=AS_OF)
    assert [p[3] for p in found(result)] == ["HH001"]


def test_it_keeps_the_same_utf8_rules_on_the_forgiving_path_for_ragged_files(tmp_path):
    short = row().rsplit(",", 1)[0]  # one cell short: read by the forgiving path
    bad_notes = f"{HEADER},NOTES\n{short}\n".encode() + row(EPISODID="E2", FINITIAL="K").encode()
    bad_notes += b",caf\xe9\n"
    result = validate(write_bytes(tmp_path / "a", "episodes.csv", bad_notes), as_of=AS_OF)
    assert found(result) == [("episodes.csv", 1, "NOTES", "HW101")]
    assert result.files["episodes.csv"]["accepted"] == 2
    bad_ref = f"{HEADER}\n{short}\n".encode() + row(CLIENTID="C\xe9").encode("latin-1") + b"\n"
    result = validate(write_bytes(tmp_path / "b", "episodes.csv", bad_ref), as_of=AS_OF)
    assert [p[3] for p in found(result)] == ["HH001"]
    assert "not UTF-8" in result.problems["message"][0].as_py()


def test_it_accepts_a_file_with_a_header_and_no_rows(tmp_path):
    result = validate(write_bytes(tmp_path, "episodes.csv", f"{HEADER}\r\n".encode()), as_of=AS_OF)
    assert found(result) == []
    assert result.files["episodes.csv"] == {"rows": 0, "accepted": 0, "rejected": 0}
    assert result.exit_code() == 0


def test_it_reads_midnight_timestamps_in_parquet_as_dates(tmp_path):
    stamps = {
        **EPISODE,
        "DOB": dt.datetime(1980, 5, 1),
        "REFLD": dt.datetime(2020, 1, 1, 9, 30),
    }
    _parquet(tmp_path / "episodes.parquet", [stamps])
    result = validate(tmp_path / "episodes.parquet", as_of=AS_OF)
    # REFLD has a time of day: not a date (and not compared, so DOB passes)
    assert found(result) == [("episodes.csv", 2, "REFLD", "HH004")]


def test_it_hints_at_the_wrong_separator(tmp_path):
    text = HEADER.replace(",", ";") + "\n" + row().replace(",", ";") + "\n"
    result = validate(write_bytes(tmp_path, "episodes.csv", text.encode()), as_of=AS_OF)
    messages = result.problems["message"].to_pylist()
    assert any("use semicolons" in m for m in messages)
