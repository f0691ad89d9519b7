"""The forms' rules (cases/rules.py) and the validator's SQL (extract/rules.py) agree.

Every case of `rule_cases.CASES` is a row of one submission (its own agency, so that no
rule across rows touches it), validated once; the same row goes through the form rules.
For each case, the form's error on its field and the validator's code on its column must
both fire or both not, except where a case says the form is stricter, and then exactly so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from hiddenharm.cases import rules
from hiddenharm.cases.tests.rule_cases import AS_OF, CASES, EPISODE, REVIEW, Case
from hiddenharm.extract import validate
from hiddenharm.extract.codes import FILES
from hiddenharm.extract.writer import write_submission


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _rows(case: Case, i: int) -> tuple[dict[str, str], dict[str, str] | None]:
    agency = f"AG{i}"
    episode = EPISODE | case.episode | {"AGNCY": agency, "CLIENTID": f"C{i}", "EPISODID": f"E{i}"}
    review = None
    if case.review is not None:
        review = REVIEW | case.review | {"AGNCY": agency, "EPISODID": f"E{i}"}
    return episode, review


def _items(row: dict[str, str], sex: str) -> dict[str, str]:
    childwth = row["CHILDWTH"]
    return rules.item_errors(
        sex=sex,
        prntstat=row["PRNTSTAT"],
        childwth=int(childwth) if childwth else None,
        pregnant=row["PREGNANT"],
        earlyhlp=[c for c in row["EARLYHLP"].split(";") if c],
    )


def form_fields(episode: dict[str, str], review: dict[str, str] | None) -> set[str]:
    """The fields the form rules put an error on, for the review if there is one."""
    if review is not None:
        fields = set(_items(review, episode["SEX"]))
        wrong = rules.review_date_errors(
            _date(review["REVDATE"]),
            care_plan_start=_date(episode["CPLANDT"]),
            discharged=_date(episode["DISD"]),
            today=AS_OF,
        )
        return fields | ({"revdate"} if wrong else set())
    dob = _date(episode["DOB"])
    fields = set(_items(episode, episode["SEX"]))
    fields |= set(
        rules.episode_date_errors(
            dob=dob,
            referred=_date(episode["REFLD"]),
            triaged=_date(episode["TRIAGED"]),
            care_plan_start=_date(episode["CPLANDT"]),
            discharged=_date(episode["DISD"]),
            hh_date=_date(episode["HHDATE"]),
            today=AS_OF,
        )
    )
    if rules.dob_errors(dob, AS_OF):
        fields.add("dob")
    return fields


def _table(name: str, rows: list[dict[str, str]]) -> pa.Table:
    columns = FILES[name].column_names
    return pa.table({c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns})


@pytest.fixture(scope="module")
def fired(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[str, str]]]:
    """Case name -> the (code, column) pairs the validator reports on its row."""
    episodes, reviews, where = [], [], {}
    for i, case in enumerate(CASES):
        episode, review = _rows(case, i)
        episodes.append(episode)
        if review is None:
            where[("episodes.csv", len(episodes) + 1)] = case.name
        else:
            reviews.append(review)
            where[("reviews.csv", len(reviews) + 1)] = case.name
    folder: Path = tmp_path_factory.mktemp("parity")
    tables = {"episodes": _table("episodes", episodes), "reviews": _table("reviews", reviews)}
    write_submission(tables, folder)
    result = validate(folder, as_of=AS_OF)
    assert not result.fatal
    out: dict[str, set[tuple[str, str]]] = {case.name: set() for case in CASES}
    for p in result.problems.to_pylist():
        name = where.get((p["file"], p["line"]))
        if name is not None:
            out[name].add((p["code"], p["column"]))
    return out


def test_the_cases_have_unique_names_and_cover_every_form_rule():
    assert len({c.name for c in CASES}) == len(CASES)
    covered = {c.form_field for c in CASES}
    assert covered >= {
        "dob",
        "referred",
        "triaged",
        "care_plan_start",
        "discharged",
        "hh_date",
        "prntstat",
        "childwth",
        "pregnant",
        "earlyhlp",
        "revdate",
    }
    assert {c.code for c in CASES} >= {"HH003", "HH005", "HH006", "HH007", "HH009", "HH010"}
    assert {"HH011", "HH014", "HW105"} <= {c.code for c in CASES}
    # Each rule is seen both firing and passing.
    for code in {c.code for c in CASES}:
        seen = {c.form_field in form_fields(*_rows(c, 0)) for c in CASES if c.code == code}
        assert seen == {True, False}, code


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_form_and_the_validator_agree(case: Case, fired):
    form = case.form_field in form_fields(*_rows(case, 0))
    validator = (case.code, case.column) in fired[case.name]
    if case.form_stricter:
        assert (form, validator) == (True, False), (
            f"{case.name}: declared stricter in the form ({case.form_stricter}), but the form "
            f"{'fires' if form else 'passes'} and the validator "
            f"{'fires' if validator else 'passes'}"
        )
    else:
        assert form == validator, (
            f"{case.name}: the form {'refuses' if form else 'accepts'} ({case.form_field}) but "
            f"the validator {'reports' if validator else 'does not report'} "
            f"{case.code} on {case.column}"
        )


def test_the_baseline_rows_are_clean(fired):
    """The valid episode and review give no problem at all, so each case changes one thing."""
    assert fired["the baseline row"] == set()
    assert form_fields(*_rows(CASES[0], 0)) == set()
    assert form_fields(EPISODE | {"CLIENTID": "C", "EPISODID": "E"}, REVIEW) == set()
