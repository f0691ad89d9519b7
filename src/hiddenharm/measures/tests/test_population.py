"""Period, populations, individuals and their treatment type."""

from __future__ import annotations

import datetime as dt

import pytest

from hiddenharm.measures import compute, default_period, financial_year_ending_by
from hiddenharm.measures.tests._build import child, episode, review, tables

FROM, TO = dt.date(2019, 4, 1), dt.date(2020, 3, 31)


def population(t, **kw):
    return compute(t, FROM, TO, **kw)["population"]


def test_it_defaults_to_the_latest_whole_financial_year_by_the_latest_date() -> None:
    assert financial_year_ending_by(dt.date(2020, 3, 31)) == (dt.date(2019, 4, 1), TO)
    assert financial_year_ending_by(dt.date(2020, 3, 30)) == (
        dt.date(2018, 4, 1),
        dt.date(2019, 3, 31),
    )
    # the latest date may be in any file: here a child's RECDATE
    t = tables(
        [episode(CPLANDT="2018-05-01")],
        [review(REVDATE="2019-01-01")],
        [child(CHILDREF="K1", RECDATE="2020-04-02")],
    )
    assert default_period(t) == (FROM, TO)
    assert compute(t)["period"] == {"from": "2019-04-01", "to": "2020-03-31"}


def test_it_fills_a_missing_end_to_make_a_year_and_refuses_a_reversed_period() -> None:
    t = tables([episode(CPLANDT="2019-05-01")])
    assert compute(t, FROM)["period"] == {"from": "2019-04-01", "to": "2020-03-31"}
    assert compute(t, None, "2020-03-31")["period"] == {"from": "2019-04-01", "to": "2020-03-31"}
    with pytest.raises(ValueError):
        compute(t, TO, FROM)
    with pytest.raises(ValueError):
        default_period(tables([]))


def test_it_counts_episodes_in_treatment_at_the_edges_of_the_period() -> None:
    t = tables(
        [
            episode(
                EPISODID="E1", FINITIAL="A", CPLANDT="2019-01-01", DISD="2019-04-01", DISRSN="TC"
            ),  # discharged on FROM: in
            episode(
                EPISODID="E2", FINITIAL="B", CPLANDT="2019-01-01", DISD="2019-03-31", DISRSN="TC"
            ),  # discharged the day before: out
            episode(EPISODID="E3", FINITIAL="C", CPLANDT="2020-03-31"),  # starts on TO: in, new
            episode(EPISODID="E4", FINITIAL="D", CPLANDT="2020-04-01"),  # starts after TO
            episode(EPISODID="E5", FINITIAL="E"),  # never started treatment
        ]
    )
    p = population(t)
    assert p["in_treatment"]["all"] == 2
    assert p["new_presentations"]["all"] == 1


def test_it_counts_a_client_at_two_agencies_once_overall_and_once_in_each_agency() -> None:
    t = tables(
        [
            episode(AGNCY="A1", EPISODID="E1", CPLANDT="2019-05-01"),
            episode(
                AGNCY="B2", EPISODID="X7", CLIENTID="Z9", CPLANDT="2018-05-01", DRUG1="ALCOHOL"
            ),
            episode(AGNCY="B2", EPISODID="X8", FINITIAL="Q", CPLANDT="2018-05-01"),
        ]
    )
    p = population(t)
    # the shared client's type is from the latest start (A1, drug), in both agencies
    assert p["in_treatment"] == {
        "drug": 2,
        "alcohol": 0,
        "all": 2,
        "by_agency": {
            "A1": {"drug": 1, "alcohol": 0, "all": 1},
            "B2": {"drug": 2, "alcohol": 0, "all": 2},
        },
    }
    # a new presentation is an individual-level fact; the agencies are those of the
    # individual's episodes in treatment
    assert p["new_presentations"]["all"] == 1
    assert p["new_presentations"]["by_agency"]["B2"]["all"] == 1


def test_it_breaks_a_tie_on_treatment_start_by_the_higher_episodid_in_text_order() -> None:
    t = tables(
        [
            episode(EPISODID="E9", CPLANDT="2019-05-01", DRUG1="ALCOHOL"),
            episode(EPISODID="E10", CPLANDT="2019-05-01", DRUG1="HEROIN"),
        ]
    )
    # "E9" > "E10" as text
    assert population(t)["in_treatment"]["alcohol"] == 1
    assert population(t)["in_treatment"]["drug"] == 0


def test_it_types_alcohol_only_when_every_substance_given_is_alcohol() -> None:
    t = tables(
        [
            episode(EPISODID="E1", FINITIAL="A", CPLANDT="2019-05-01", DRUG1="ALCOHOL"),
            episode(
                EPISODID="E2", FINITIAL="B", CPLANDT="2019-05-01", DRUG1="ALCOHOL", DRUG2="ALCOHOL"
            ),
            episode(
                EPISODID="E3", FINITIAL="C", CPLANDT="2019-05-01", DRUG1="ALCOHOL", DRUG3="CANNABIS"
            ),
        ]
    )
    assert population(t)["in_treatment"] == {
        "drug": 1,
        "alcohol": 2,
        "all": 3,
        "by_agency": {"A1": {"drug": 1, "alcohol": 2, "all": 3}},
    }


def test_it_counts_a_client_recorded_with_two_sexes_as_two_individuals() -> None:
    t = tables(
        [
            episode(EPISODID="E1", SEX="F", CPLANDT="2019-05-01"),
            episode(EPISODID="E2", SEX="X", CPLANDT="2019-06-01"),
        ]
    )
    assert population(t)["in_treatment"]["all"] == 2


def test_it_counts_new_presentations_as_individuals_by_their_type_in_treatment() -> None:
    t = tables(
        [
            episode(EPISODID="E1", CPLANDT="2019-05-01", DRUG1="ALCOHOL"),
            episode(EPISODID="E2", CPLANDT="2019-06-01", DRUG1="ALCOHOL"),
            episode(EPISODID="E3", CPLANDT="2019-01-01"),
            episode(EPISODID="E4", CPLANDT="2019-09-01", DISD="2019-10-01", DISRSN="TC"),
        ]
    )
    # one individual; latest start E4 (drug), discharged but in treatment in the period
    p = population(t)
    assert p["new_presentations"] == {
        "drug": 1,
        "alcohol": 0,
        "all": 1,
        "by_agency": {"A1": {"drug": 1, "alcohol": 0, "all": 1}},
    }


def test_it_restricts_to_one_local_authority() -> None:
    t = tables(
        [
            episode(
                EPISODID="E1",
                LA="E1000001",
                CPLANDT="2019-05-01",
                PRNTSTAT="11",
                CHILDWTH=1,
                HHDATE="2019-05-01",
            ),
            episode(
                EPISODID="E2", LA="E1000002", CLIENTID="C2", FINITIAL="Z", CPLANDT="2019-05-01"
            ),
        ],
        [review(EPISODID="E2", REVDATE="2019-09-01", PRNTSTAT="14")],
        [child(CHILDREF="K1", CHILDYOB=2015, RECDATE="2019-05-01")],
    )
    r = compute(t, FROM, TO, la="e1000001")
    assert r["population"]["in_treatment"]["all"] == 1
    assert r["parental_status"]["all"]["14"] == 0
    assert r["parental_status"]["all"]["11"] == 1
    assert r["children"]["all"]["total"] == 1
    r2 = compute(t, FROM, TO, la="E1000002")
    assert r2["parental_status"]["all"]["14"] == 1
    assert r2["children"]["all"]["total"] == 0
