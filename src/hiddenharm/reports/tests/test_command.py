"""The `hiddenharm report` command: option checking, exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from hiddenharm.reports.command import OptionError, check_options, parse_date, report

app = typer.Typer()
app.command()(report)
runner = CliRunner()


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    # never read by these tests: option errors are found before the submission is opened
    path = tmp_path / "episodes.csv"
    path.write_text("AGNCY\n")
    return path


def test_it_refuses_from_after_to(submission: Path) -> None:
    result = run(submission, "--from", "2020-04-01", "--to", "2020-03-31")
    assert result.exit_code == 2
    assert "--from 2020-04-01 is after --to 2020-03-31" in result.stderr


@pytest.mark.parametrize(
    "value, words",
    [
        ("2500,2100", "three numbers"),
        ("a,b,c", "must be numbers"),
        ("10,20,30", "LOW <= P"),
        ("-1,-2,3", "not negative"),
    ],
)
def test_it_refuses_a_malformed_prevalence(submission: Path, value: str, words: str) -> None:
    result = run(submission, "--prevalence-drug", value)
    assert result.exit_code == 2
    assert "--prevalence-drug" in result.stderr and words in result.stderr


def test_it_refuses_bad_dates_formats_and_targets(submission: Path) -> None:
    for args, words in (
        (["--from", "1/4/2019"], "--from '1/4/2019' is not a date"),
        (["--format", "docx"], "--format must be one of json, html, pdf"),
        (["--target", "90"], "--target is a fraction"),
        (["--children-per-parent", "0"], "--children-per-parent must be above 0"),
    ):
        result = run(submission, *args)
        assert result.exit_code == 2, args
        assert words in result.stderr, (args, result.stderr)


def test_it_says_when_the_path_does_not_exist(tmp_path: Path) -> None:
    result = run(tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_it_takes_the_format_from_the_output_suffix() -> None:
    opts = check_options(None, None, None, Path("r.PDF"), None, "100,90,110", None, None, 0.8)
    assert opts["format"] == "pdf"
    assert opts["prevalence"] == {"drug": (100.0, 90.0, 110.0)}
    assert check_options(None, None, None, None, None, None, None, None, 0.9)["format"] == "json"


def test_it_reads_both_date_forms() -> None:
    assert parse_date("31/03/2020", "--to") == parse_date("2020-03-31", "--to")
    with pytest.raises(OptionError):
        parse_date("31/02/2020", "--to")
