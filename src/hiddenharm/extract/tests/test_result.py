"""The result: typed accepted tables, rejected rows as given, counts, JSON, rejects on disk."""

from __future__ import annotations

import csv
import datetime as dt

import pyarrow as pa

from hiddenharm.extract import write_submission
from hiddenharm.extract.codes import FILES
from hiddenharm.extract.result import typed_schema


def test_it_gives_typed_tables_with_exactly_the_contract_columns(submit):
    result = submit([{}], [{}], [{}])
    episodes = result.tables["episodes"].schema
    assert episodes.names == ["line", *FILES["episodes"].column_names]
    assert episodes.field("DOB").type == pa.date32()
    assert episodes.field("CHILDWTH").type == pa.int32()
    assert episodes.field("line").type == pa.int64()
    assert result.tables["children"].schema.field("CHILDYOB").type == pa.int32()
    assert result.tables["reviews"].to_pylist()[0]["REVDATE"] == dt.date(2020, 3, 1)


def test_it_gives_empty_tables_for_absent_files(submit):
    result = submit([{}])
    for name, spec in FILES.items():
        assert result.tables[name].schema == typed_schema(spec)
    assert result.tables["reviews"].num_rows == 0
    assert set(result.files) == {"episodes.csv"}


def test_it_keeps_rejected_rows_as_given_with_line_and_reasons(submit):
    result = submit([{"DOB": " 31/02/1980", "SEX": "q"}, {"EPISODID": "E2"}])
    rejected = result.rejected["episodes"].to_pylist()
    assert len(rejected) == 1
    assert rejected[0]["line"] == 2 and rejected[0]["DOB"] == " 31/02/1980"
    assert rejected[0]["reasons"].startswith("HH003 SEX: ")
    assert " | HH004 DOB: " in rejected[0]["reasons"]
    assert result.tables["episodes"].column("line").to_pylist() == [3]


def test_it_counts_problems_by_code_and_rows_by_file(submit):
    result = submit(
        [{"SEX": "Q", "DRUG1": "X"}, {"EPISODID": "E2", "SEX": "Q"}, {"EPISODID": "E3"}]
    )
    assert result.counts() == {"HH003": 3}
    assert result.files["episodes.csv"] == {"rows": 3, "accepted": 1, "rejected": 2}


def test_it_gives_the_spec_json_object(submit):
    result = submit([{"SEX": "Q"}, {"EPISODID": "E2", "SEX": "Z"}], as_of=dt.date(2026, 11, 21))
    got = result.to_json()
    assert list(got) == ["as_of", "files", "counts", "problems"]
    assert got["as_of"] == "2026-11-21"
    assert got["problems"][0] == {
        "file": "episodes.csv",
        "line": 2,
        "column": "SEX",
        "value": "Q",
        "code": "HH003",
        "severity": "error",
        "message": got["problems"][0]["message"],
    }
    assert "M, F, X, Z" in got["problems"][0]["message"]
    assert result.to_json(limit=0)["problems"] == [] and result.to_json(limit=0)["counts"] == {
        "HH003": 1
    }


def test_it_writes_rejects_that_add_up_with_the_accepted_rows(submit, tmp_path):
    result = submit(
        [{"SEX": "Q"}, {"EPISODID": "E2"}], [{"CHILDWTH": "x"}, {"REVDATE": "2020-04-01"}]
    )
    written = result.write_rejects(tmp_path / "rejects")
    for name in ("episodes", "reviews"):
        with open(written[name], newline="") as fh:
            rows = list(csv.DictReader(fh))
        key = f"{name}.csv"
        assert len(rows) + result.files[key]["accepted"] == result.files[key]["rows"]
        assert all(r["reasons"] for r in rows)
    with open(written["problems"], newline="") as fh:
        assert len(list(csv.DictReader(fh))) == result.problems.num_rows


def test_it_sets_the_exit_code_by_the_worst_problem(submit):
    assert submit([{"PRNTSTAT": "13", "CHILDWTH": "1"}]).exit_code() == 0
    assert submit([{"SEX": "Q"}]).exit_code() == 1
    assert submit("AGNCY\nA1\n").exit_code() == 2


def test_it_round_trips_accepted_tables_through_the_writer(submit, tmp_path):
    result = submit([{}, {"EPISODID": "E2", "FINITIAL": "K", "EARLYHLP": "eh;cin"}], [{}], [{}])
    from hiddenharm.extract import validate

    for fmt in ("csv", "parquet"):
        write_submission(result.tables, tmp_path / fmt, fmt=fmt)
        again = validate(tmp_path / fmt, as_of=result.as_of)
        assert again.counts() == {}
        for name in FILES:
            assert again.tables[name].drop(["line"]).equals(result.tables[name].drop(["line"]))


def test_it_reports_progress_through_to_the_end(tmp_path):
    from hiddenharm.extract import validate

    from .conftest import write

    write(tmp_path, "episodes", [{}])
    steps: list[tuple[str, int, int]] = []
    validate(tmp_path, progress=lambda step, done, total: steps.append((step, done, total)))
    assert steps[0][0] == "reading episodes.csv"
    assert steps[-1][1] == steps[-1][2]
    assert [s[1] for s in steps] == sorted(s[1] for s in steps)


def test_it_orders_two_overlaps_on_one_line_the_same_way_every_time(tmp_path):
    from hiddenharm.extract import validate

    header = (
        "AGNCY,LA,CLIENTID,EPISODID,FINITIAL,SINITIAL,DOB,SEX,DRUG1,REFLD,CPLANDT,DISD,DISRSN\n"
    )
    rows = [  # the last episode overlaps both earlier ones: two HW104 on its line
        # ids whose text order differs from their lines' order (Z1, A2, M3)
        "A1,E1,C1,Z1,A,B,1980-01-01,M,HEROIN,2020-01-01,2020-01-02,,\n",
        "A1,E1,C1,A2,A,B,1980-01-01,M,HEROIN,2020-01-01,2020-01-03,,\n",
        "A1,E1,C1,M3,A,B,1980-01-01,M,HEROIN,2020-01-01,2020-01-04,,\n",
    ]
    (tmp_path / "episodes.csv").write_text(header + "".join(rows))
    orders = set()
    for _ in range(5):
        p = validate(tmp_path, as_of=None).problems.to_pylist()
        on_last = [x["message"] for x in p if x["code"] == "HW104" and x["line"] == 4]
        assert len(on_last) == 2
        orders.add(tuple(on_last))
    assert len(orders) == 1 and list(next(iter(orders))) == sorted(next(iter(orders)))
