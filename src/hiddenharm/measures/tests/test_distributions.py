"""Current values at TO and the four distributions over individuals in treatment."""

from __future__ import annotations

import datetime as dt

from hiddenharm.measures import compute
from hiddenharm.measures.tests._build import episode, review, tables

FROM, TO = dt.date(2019, 4, 1), dt.date(2020, 3, 31)


def status(t) -> dict:
    return compute(t, FROM, TO)["parental_status"]["all"]


def only(dist: dict, *, skip=("missing",)) -> dict:
    return {k: v for k, v in dist.items() if v and k not in skip}


def test_it_takes_the_review_over_the_episode_row_on_the_same_date() -> None:
    t = tables(
        [episode(CPLANDT="2019-05-01", HHDATE="2019-06-01", PRNTSTAT="14")],
        [review(REVDATE="2019-06-01", PRNTSTAT="13")],
    )
    assert status(t)["13"] == 1


def test_it_breaks_a_same_day_tie_by_higher_episodid_then_higher_agency() -> None:
    t = tables(
        [
            episode(AGNCY="A1", EPISODID="E9", CPLANDT="2019-05-01", PRNTSTAT="14"),
            episode(AGNCY="A1", EPISODID="E10", CPLANDT="2019-05-01", PRNTSTAT="13"),
        ]
    )
    assert status(t)["14"] == 1  # "E9" > "E10"
    t = tables(
        [
            episode(AGNCY="B2", EPISODID="E1", CPLANDT="2019-05-01", PRNTSTAT="11", CHILDWTH=1),
            episode(AGNCY="A1", EPISODID="E1", CPLANDT="2019-05-01", PRNTSTAT="15"),
        ],
        [
            review(AGNCY="A1", EPISODID="E1", REVDATE="2019-08-01", PRNTSTAT="13"),
            review(AGNCY="B2", EPISODID="E1", REVDATE="2019-08-01", PRNTSTAT="14"),
        ],
    )
    assert status(t)["14"] == 1  # same date, same EPISODID, higher AGNCY


def test_it_dates_an_episode_row_by_hhdate_else_cplandt_and_skips_undated_rows() -> None:
    t = tables(
        [
            # recorded late (HHDATE) so it is later than the other episode's start
            episode(EPISODID="E1", CPLANDT="2019-05-01", HHDATE="2019-09-01", PRNTSTAT="13"),
            episode(EPISODID="E2", CPLANDT="2019-07-01", PRNTSTAT="14"),
            # no CPLANDT, no HHDATE: not dated, gives no value
            episode(EPISODID="E3", PRNTSTAT="15"),
        ]
    )
    assert only(status(t), skip=("missing", "parent_not_living_with_children")) == {"13": 1}


def test_it_ignores_values_recorded_after_to_and_blank_values() -> None:
    t = tables(
        [episode(CPLANDT="2019-05-01", PRNTSTAT="14", CHILDWTH=0, HHDATE="2019-05-01")],
        [
            review(REVDATE="2019-10-01", PRNTSTAT=None, CHILDWTH=2),
            review(REVDATE="2020-04-01", PRNTSTAT="11", CHILDWTH=3),
        ],
    )
    r = compute(t, FROM, TO)
    assert r["parental_status"]["all"]["14"] == 1
    assert r["children_living_with"]["all"]["2"] == 1
    assert r["children_living_with"]["all"]["total_children"] == 2


def test_it_counts_an_hhdate_after_to_as_no_current_value() -> None:
    t = tables([episode(CPLANDT="2019-05-01", HHDATE="2020-05-01", PRNTSTAT="14")])
    assert status(t)["missing"] == 1


def test_it_counts_the_parental_status_groups() -> None:
    codes = ["11", "11", "12", "13", "14", "15", None]
    t = tables(
        [
            episode(
                EPISODID=f"E{i}",
                FINITIAL="ABCDEFGH"[i],
                CPLANDT="2019-05-01",
                PRNTSTAT=code,
                CHILDWTH=1 if code in ("11", "12") else None,
            )
            for i, code in enumerate(codes)
        ]
    )
    assert status(t) == {
        "11": 2,
        "12": 1,
        "13": 1,
        "14": 1,
        "15": 1,
        "missing": 1,
        "parent_living_with_children": 3,
        "parent_not_living_with_children": 1,
        "not_a_parent": 1,
        "incomplete": 2,
    }


def test_it_bands_children_living_with_and_sums_them() -> None:
    values = [0, 1, 2, 3, 4, 7, None]
    t = tables(
        [
            episode(EPISODID=f"E{i}", FINITIAL="ABCDEFGH"[i], CPLANDT="2019-05-01", CHILDWTH=v)
            for i, v in enumerate(values)
        ]
    )
    assert compute(t, FROM, TO)["children_living_with"]["all"] == {
        "0": 1,
        "1": 1,
        "2": 1,
        "3": 1,
        "4+": 2,
        "missing": 1,
        "total_children": 17,
    }


def test_it_counts_pregnancy_for_female_individuals_only() -> None:
    t = tables(
        [
            episode(EPISODID="E1", FINITIAL="A", SEX="F", CPLANDT="2019-05-01", PREGNANT="Y"),
            episode(EPISODID="E2", FINITIAL="B", SEX="F", CPLANDT="2019-05-01"),
            episode(EPISODID="E3", FINITIAL="C", SEX="X", CPLANDT="2019-05-01", PREGNANT="N"),
            episode(EPISODID="E4", FINITIAL="D", SEX="M", CPLANDT="2019-05-01"),
        ]
    )
    assert compute(t, FROM, TO)["pregnant"]["all"] == {"Y": 1, "N": 0, "missing": 1}


def test_it_counts_each_early_help_code_once_among_those_with_children() -> None:
    t = tables(
        [
            # a parent, with help recorded at start and later
            episode(
                EPISODID="E1", FINITIAL="A", CPLANDT="2019-05-01", PRNTSTAT="13", EARLYHLP="EH;CIN"
            ),
            # children in the household, no help recorded
            episode(EPISODID="E2", FINITIAL="B", CPLANDT="2019-05-01", PRNTSTAT="14", CHILDWTH=2),
            # not a parent and no children: not asked, not counted
            episode(
                EPISODID="E3",
                FINITIAL="C",
                CPLANDT="2019-05-01",
                PRNTSTAT="14",
                CHILDWTH=0,
                EARLYHLP="NONE",
            ),
        ],
        [review(EPISODID="E1", REVDATE="2019-09-01", EARLYHLP="CPP;EH")],
    )
    assert compute(t, FROM, TO)["early_help"]["all"] == {
        "EH": 1,
        "CIN": 0,
        "CPP": 1,
        "LAC": 0,
        "NONE": 0,
        "UNK": 0,
        "missing": 1,
    }


def test_it_uses_overall_values_in_each_agency_breakdown() -> None:
    t = tables(
        [
            episode(AGNCY="A1", EPISODID="E1", CPLANDT="2019-05-01", PRNTSTAT="14"),
            episode(AGNCY="B2", EPISODID="E1", CPLANDT="2019-06-01"),
        ],
        [review(AGNCY="A1", EPISODID="E1", REVDATE="2019-12-01", PRNTSTAT="13")],
    )
    by_agency = compute(t, FROM, TO)["parental_status"]["by_agency"]
    assert by_agency["A1"]["all"]["13"] == 1
    assert by_agency["B2"]["all"]["13"] == 1
    assert by_agency["B2"]["drug"]["13"] == 1
